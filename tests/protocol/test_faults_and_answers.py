"""Throttling, server faults, broken connections and deadlines: the stack always gets one valid answer."""

from __future__ import annotations

import dataclasses
import http.server
import importlib.util
import json
import queue
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.config import Config

from emulator import WellArchitectedEmulator
from emulator.loopback import stop_now
from lens_share import app as entry_module
from lens_share.answer import EARLIER_S, TIMER_MARGIN_S
from lens_share.aws import retry
from local.cloudformation import ResponseReceiver, Stack
from local.events import LambdaContext, make_event
from tests.protocol.harness import LambdaFunction


def until(condition: Callable[[], bool], timeout_s: float = 15.0) -> bool:
    """Whether the condition came true, looked at every 0.1 s for at most timeout_s: a wait on an event."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("error", 429, "ThrottlingException"),
        ("error", 500, "InternalServerException"),
        ("error", 503, "ServiceUnavailable"),
        ("drop", 0, ""),
    ],
)
def test_transient_faults_are_retried_until_the_share_exists(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, kind: str, status: int, code: str
) -> None:
    emu.inject_fault(
        kind, operation="CreateLensShare", count=3, status=status or 500, code=code or "InternalServerException"
    )

    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    assert answer.status == "SUCCESS", answer.reason
    assert [share["ShareId"] for share in emu.shares(lens)] == [answer.data["ShareId"]]
    assert [status for operation, status, _ in emu.calls("CreateLensShare")][-1] == 200


def test_a_read_timeout_is_retried_with_the_same_token_and_makes_one_share(
    app: LambdaFunction, stack: Stack, emu: WellArchitectedEmulator, lens: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The client gives up after 1 s instead of the deployed 6 s, so that the test waits seconds, not tens.
    impatient = boto3.client(
        "wellarchitected", region_name="us-east-1", config=app.CLIENT_CONFIG.merge(Config(read_timeout=1))
    )
    monkeypatch.setattr(app, "environment", dataclasses.replace(app.environment, wellarchitected=impatient))
    # The slow answer still creates the share after the client gave up: the retry must find the same one.
    emu.inject_fault("slow", operation="CreateLensShare", delay=2)

    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    assert answer.status == "SUCCESS", answer.reason
    # The slow first call lands after the retry: wait for the emulator to have answered it, then count.
    assert until(lambda: len(emu.shares(lens)) == 1 and len(emu.calls("CreateLensShare")) == 2)
    assert [share["ShareId"] for share in emu.shares(lens)] == [answer.data["ShareId"]]


@pytest.mark.usefixtures("real_backoff")
def test_a_throttling_storm_ends_in_a_failed_answer_before_the_deadline(
    app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str
) -> None:
    lambda_timeout_s = EARLIER_S + retry.ANSWER_RESERVE_S + retry.ATTEMPT_S + 4
    stack = Stack(app.handler, receiver, lambda_timeout_s=lambda_timeout_s)
    emu.inject_fault("error", operation="CreateLensShare", count=10_000, status=429, code="ThrottlingException")

    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    # An answer that came after the Lambda's deadline would read as missing, not FAILED.
    assert answer.status == "FAILED"
    assert "did not accept CreateLensShare after" in answer.reason
    assert "ThrottlingException" in answer.reason
    assert answer.physical_id.startswith("not-created-")
    assert len(emu.calls("CreateLensShare")) > 1
    assert emu.shares(lens) == []


@pytest.mark.long
def test_a_call_that_outlives_the_lambda_is_answered_in_time_and_its_rollback_removes_what_it_made(
    app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str
) -> None:
    # The safety timer answers half a second in; the slow create lands after the Lambda would have stopped.
    lambda_timeout_s = TIMER_MARGIN_S + 0.5
    stack = Stack(app.handler, receiver, lambda_timeout_s=lambda_timeout_s)
    emu.inject_fault("slow", operation="CreateLensShare", delay=lambda_timeout_s + 0.3)

    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    assert answer.status == "FAILED"
    assert (stack.invocations[-1].answered_after_s or lambda_timeout_s) < lambda_timeout_s
    assert answer.physical_id.startswith("unconfirmed-")
    assert len(receiver.answers(answer.request_id)) == 1
    # The slow call has made its share by now; the rollback Delete finds it through the Create's token.
    assert until(lambda: len(emu.shares(lens)) == 1)
    deleted = stack.rollback()[0]
    assert deleted.status == "SUCCESS"
    assert emu.shares(lens) == []


@pytest.mark.parametrize("fault", ["status", "reset"])
def test_the_answer_is_sent_again_after_a_server_error_or_a_broken_connection(
    stack: Stack, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str, fault: str
) -> None:
    if fault == "status":
        receiver.fail_next(2, 503)
    else:
        receiver.reset_next(2)

    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    assert answer.status == "SUCCESS"
    assert answer.problems == []
    assert len(emu.shares(lens)) == 1


def fresh_app(name: str) -> ModuleType:
    """The provider's entry module imported afresh, as a new Lambda environment would."""
    spec = importlib.util.spec_from_file_location(name, str(entry_module.__file__))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def broken_app(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A new Lambda environment with a Well-Architected endpoint it cannot use."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_WELLARCHITECTED", "not a url")
    module = fresh_app("broken_provider")
    assert isinstance(module.environment, ValueError)
    return module


def test_a_broken_client_of_crhelpers_own_leaves_the_provider_serving(
    monkeypatch: pytest.MonkeyPatch, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str
) -> None:
    """crhelper makes Lambda, Events and Logs clients for polling, which the provider never uses."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", "not a url")
    stack = Stack(fresh_app("provider_without_lambda_endpoint").handler, receiver)

    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    deleted = stack.delete("Share")

    assert (created.status, deleted.status) == ("SUCCESS", "SUCCESS"), created.reason + deleted.reason
    assert emu.shares(lens) == []
    assert [operation for operation, _status, _account in emu.calls()] == ["CreateLensShare", "DeleteLensShare"]


def test_a_broken_start_up_fails_the_create_and_its_rollback_still_succeeds(
    broken_app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str
) -> None:
    stack = Stack(broken_app.handler, receiver)

    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    rolled_back = stack.rollback()

    assert created.status == "FAILED"
    assert created.reason.startswith("The provider could not start (ValueError: Invalid endpoint: not a url)")
    assert created.physical_id.startswith("not-created-")
    assert created.problems == []
    assert [answer.status for answer in rolled_back] == ["SUCCESS"]
    assert stack.status == "ROLLBACK_COMPLETE"
    assert emu.calls() == []


def test_a_broken_start_up_still_deletes_what_needs_no_call_and_fails_what_does(
    broken_app: LambdaFunction, stack: Stack, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str
) -> None:
    share = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    sharing = stack.create("OrgSharing", {}, resource_type="Custom::WellArchitectedOrganizationSharing")
    calls_before = len(emu.calls())
    broken = Stack(broken_app.handler, receiver, name=stack.name)
    broken.stack_id = stack.stack_id
    invitation = f"{lens}/invitations/accepted"

    answers = {
        "OrgSharing": broken.send(
            broken.new_event(
                "Delete",
                "OrgSharing",
                {},
                physical_id=sharing.physical_id,
                resource_type="Custom::WellArchitectedOrganizationSharing",
            )
        ),
        "Invitation": broken.send(
            broken.new_event(
                "Delete",
                "Invitation",
                {"LensArn": lens},
                physical_id=invitation,
                resource_type="Custom::LensShareInvitation",
            )
        ),
        "Share": broken.send(
            broken.new_event(
                "Delete", "Share", {"LensAlias": lens, "SharedWith": "222222222222"}, physical_id=share.physical_id
            )
        ),
    }

    assert answers["OrgSharing"].status == answers["Invitation"].status == "SUCCESS"
    assert answers["Share"].status == "FAILED"
    assert answers["Share"].reason.startswith("The provider could not start")
    assert answers["Share"].physical_id == share.physical_id
    assert len(emu.calls()) == calls_before
    assert [s["ShareId"] for s in emu.shares(lens)] == [share.data["ShareId"]]
    assert emu.organization_sharing() == "ENABLED"


def test_the_rollback_of_an_unconfirmed_create_that_made_nothing_makes_no_share(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: object
) -> None:
    properties = {"LensAlias": lens, "SharedWith": "222222222222"}
    nothing = stack.new_event("Delete", "Share", properties, physical_id="unconfirmed-lost-create")
    assert stack.send(nothing).status == "SUCCESS"

    someone_elses = owner_client.create_lens_share(  # type: ignore[attr-defined]
        LensAlias=lens, SharedWith="222222222222", ClientRequestToken="by-hand"
    )
    other = stack.new_event("Delete", "Share", properties, physical_id="unconfirmed-lost-create")
    assert stack.send(other).status == "SUCCESS"

    assert [share["ShareId"] for share in emu.shares(lens)] == [someone_elses["ShareId"]]
    assert [operation for operation, status, _ in emu.calls() if status == 200].count("CreateLensShare") == 1


class _PlainReceiver(http.server.BaseHTTPRequestHandler):
    """An http:// ResponseURL, as LocalStack and moto give one: it keeps each answer it is sent."""

    answers: queue.Queue[dict[str, Any]] = queue.Queue()

    def do_PUT(self) -> None:
        self.answers.put(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


def test_an_http_response_url_is_answered_over_http(
    app: LambdaFunction, emu: WellArchitectedEmulator, lens: str
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PlainReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        event = make_event(
            "Create",
            logical_id="Share",
            properties={"LensAlias": lens, "SharedWith": "222222222222"},
            response_url=f"http://127.0.0.1:{server.server_address[1]}/answers/share?X-Amz-Signature=abc",
            resource_type="Custom::LensShare",
        )
        app.handler(event, LambdaContext(timeout_s=60))
        answer = _PlainReceiver.answers.get(timeout=10)
    finally:
        stop_now(server.shutdown, ("127.0.0.1", server.server_address[1]))
        server.server_close()

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert [share["ShareId"] for share in emu.shares(lens)] == [answer["Data"]["ShareId"]]
