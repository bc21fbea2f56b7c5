"""A lost answer is not a no: the service makes the change and the answer never arrives (a 5xx after the write, or
an answer later than the client waits). For every kind, the stack ends holding exactly what it declares, and no
share is left that no stack owns."""

from __future__ import annotations

import dataclasses

import boto3
import pytest
from botocore.config import Config

from emulator import WellArchitectedEmulator
from emulator.controls import MAKERS
from lens_share import kinds as product
from lens_share.answer import EARLIER_S
from lens_share.aws import retry
from local.cloudformation import ResponseReceiver, Stack
from local.events import LambdaContext
from tests.protocol.harness import share_by_hand

FIRST = "210000000001"
# Long enough for an attempt and a retry or two after the first, short enough that a test waits a second or two.
LAMBDA_TIMEOUT_S = EARLIER_S + retry.ANSWER_RESERVE_S + retry.ATTEMPT_S + 1.5
# The answer comes 1.5 s after the change, and the client waits 1 s for it (6 s as deployed).
LATE_S, IMPATIENT_S = 1.5, 1
KINDS = list(product.KINDS)


def by_type(kind: product.ShareKind) -> str:
    return kind.resource_type.removeprefix("Custom::")


def properties(kind: product.ShareKind, resource: str, principal: str = FIRST) -> dict[str, str]:
    permission = {"PermissionType": "READONLY"} if kind.permission else {}
    return {kind.prop: resource, "SharedWith": principal, **permission}


def held(emu: WellArchitectedEmulator, resource: str) -> list[tuple[str, str]]:
    return [(share["SharedWith"], share["ShareId"]) for share in emu.shares(resource)]


def create(kind: product.ShareKind) -> str:
    return f"Create{kind.noun_in_api}Share"


def writes(emu: WellArchitectedEmulator, operation: str) -> int:
    return len(emu.calls(operation))


@pytest.fixture
def short_stack(app: object, receiver: ResponseReceiver, emu: WellArchitectedEmulator) -> Stack:
    return Stack(app.handler, receiver, lambda_timeout_s=LAMBDA_TIMEOUT_S)  # type: ignore[attr-defined]


@pytest.fixture
def lose(
    request: pytest.FixtureRequest, app: object, emu: WellArchitectedEmulator, monkeypatch: pytest.MonkeyPatch
) -> str:
    """How the answer is lost: a 500 after the write, or an answer past the client's read time-out."""
    if request.param == "timeout":
        config = app.CLIENT_CONFIG.merge(Config(read_timeout=IMPATIENT_S))  # type: ignore[attr-defined]
        impatient = boto3.client("wellarchitected", region_name="us-east-1", config=config)
        environment = dataclasses.replace(app.environment, wellarchitected=impatient)  # type: ignore[attr-defined]
        monkeypatch.setattr(app, "environment", environment)
    return str(request.param)


def inject_lost(emu: WellArchitectedEmulator, operation: str, how: str, count: int = 10_000) -> None:
    delay = LATE_S if how == "timeout" else 0.0
    emu.inject_fault("lost", operation=operation, count=count, status=500, code="InternalServerException", delay=delay)


# A 500 after the write for every kind; a read time-out, which waits in real time, through one kind: the kinds
# differ only in the operation lost, and every call goes through the same retries.
LOSSES = [pytest.param(kind, "status", id=f"status-{by_type(kind)}") for kind in KINDS] + [
    pytest.param(KINDS[0], "timeout", id=f"timeout-{by_type(KINDS[0])}")
]


@pytest.mark.parametrize(("kind", "lose"), LOSSES, indirect=["lose"])
def test_a_create_lost_until_the_deadline_answers_unconfirmed_and_its_rollback_deletes_exactly_its_share(
    short_stack: Stack, emu: WellArchitectedEmulator, kind: product.ShareKind, lose: str
) -> None:
    resource = MAKERS[kind.key](emu)
    inject_lost(emu, create(kind), lose)

    failed = short_stack.create("Share", properties(kind, resource), resource_type=kind.resource_type)

    assert failed.status == "FAILED"
    assert failed.physical_id == f"unconfirmed-{failed.request_id}"
    assert f"{resource} with {FIRST} may exist" in failed.reason
    [(principal, share_id)] = held(emu, resource)
    assert principal == FIRST

    emu.clear_faults()
    rolled_back = short_stack.rollback()

    assert [answer.status for answer in rolled_back] == ["SUCCESS"], rolled_back[0].reason
    assert held(emu, resource) == []
    assert [status for _operation, status, _account in emu.calls(f"Delete{kind.noun_in_api}Share")] == [200]
    assert share_id not in {share["ShareId"] for share in emu.shares(resource)}


@pytest.mark.parametrize("kind", KINDS, ids=by_type)
def test_a_rollback_that_still_gets_no_answer_fails_naming_the_share_and_settles_once_the_service_answers(
    short_stack: Stack, emu: WellArchitectedEmulator, kind: product.ShareKind
) -> None:
    resource = MAKERS[kind.key](emu)
    inject_lost(emu, create(kind), "status")
    failed = short_stack.create("Share", properties(kind, resource), resource_type=kind.resource_type)
    [(_, share_id)] = held(emu, resource)

    # The rollback's listing finds the share, and its replay of the Create's token gets no answer either.
    rollback = short_stack.rollback()

    assert [answer.status for answer in rollback] == ["FAILED"]
    assert rollback[0].physical_id == failed.physical_id
    assert "may exist" in rollback[0].reason
    assert f"{resource} with {FIRST}" in rollback[0].reason
    assert [entry[1] for entry in held(emu, resource)] == [share_id]

    emu.clear_faults()
    retried = short_stack.send(
        short_stack.new_event(
            "Delete",
            "Share",
            properties(kind, resource),
            physical_id=failed.physical_id,
            resource_type=kind.resource_type,
        )
    )

    assert retried.status == "SUCCESS", retried.reason
    assert held(emu, resource) == []


@pytest.mark.parametrize("kind", KINDS, ids=by_type)
def test_a_share_made_by_hand_for_the_principal_survives_the_rollback_of_an_unconfirmed_create(
    short_stack: Stack, emu: WellArchitectedEmulator, kind: product.ShareKind
) -> None:
    resource = MAKERS[kind.key](emu)
    # 500s that made nothing: the Create cannot tell them from lost answers.
    emu.inject_fault("error", operation=create(kind), count=10_000, status=500, code="InternalServerException")
    failed = short_stack.create("Share", properties(kind, resource), resource_type=kind.resource_type)
    emu.clear_faults()
    assert failed.physical_id.startswith("unconfirmed-")
    by_hand = share_by_hand(emu, kind, resource, FIRST)

    rolled_back = short_stack.rollback()

    assert [answer.status for answer in rolled_back] == ["SUCCESS"]
    assert held(emu, resource) == [(FIRST, by_hand)]
    assert writes(emu, f"Delete{kind.noun_in_api}Share") == 0


@pytest.mark.parametrize("kind", KINDS, ids=by_type)
def test_an_answer_lost_once_or_twice_is_settled_within_the_create_by_its_token(
    stack: Stack, emu: WellArchitectedEmulator, kind: product.ShareKind
) -> None:
    resource = MAKERS[kind.key](emu)
    inject_lost(emu, create(kind), "status", count=2)

    created = stack.create("Share", properties(kind, resource), resource_type=kind.resource_type)
    deleted = stack.delete("Share")

    assert created.status == "SUCCESS", created.reason
    assert writes(emu, create(kind)) == 3
    assert (created.status, deleted.status) == ("SUCCESS", "SUCCESS")
    assert held(emu, resource) == []


def test_a_create_refused_before_any_write_still_answers_not_created(
    short_stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    """Throttling is a definite no: nothing was made, and the rollback makes no call."""
    emu.inject_fault("error", operation="CreateLensShare", count=10_000, status=429, code="ThrottlingException")

    failed = short_stack.create("Share", {"LensAlias": lens, "SharedWith": FIRST})
    emu.clear_faults()
    calls = len(emu.calls())
    rolled_back = short_stack.rollback()

    assert failed.physical_id == f"not-created-{failed.request_id}"
    assert [answer.status for answer in rolled_back] == ["SUCCESS"]
    assert len(emu.calls()) == calls
    assert emu.shares(lens) == []


@pytest.mark.parametrize("kind", KINDS, ids=by_type)
def test_a_lost_delete_answer_ends_with_the_share_gone_and_the_stack_deleted(
    stack: Stack, emu: WellArchitectedEmulator, kind: product.ShareKind
) -> None:
    resource = MAKERS[kind.key](emu)
    created = stack.create("Share", properties(kind, resource), resource_type=kind.resource_type)
    inject_lost(emu, f"Delete{kind.noun_in_api}Share", "status", count=2)

    deleted = stack.delete("Share")

    assert created.status == deleted.status == "SUCCESS", deleted.reason
    assert held(emu, resource) == []


def test_a_lost_permission_update_answer_ends_with_the_permission_the_stack_says(
    stack: Stack, emu: WellArchitectedEmulator
) -> None:
    workload = emu.create_workload()
    base = {"WorkloadId": workload, "SharedWith": FIRST}
    created = stack.create("Share", {**base, "PermissionType": "READONLY"}, resource_type="Custom::WorkloadShare")
    inject_lost(emu, "UpdateWorkloadShare", "status", count=2)

    updated = stack.update("Share", {**base, "PermissionType": "CONTRIBUTOR"})

    [share] = emu.shares(workload)
    assert updated.status == "SUCCESS", updated.reason
    assert (share["ShareId"], share["PermissionType"]) == (created.data["ShareId"], "CONTRIBUTOR")


@pytest.mark.parametrize("missing", ["StackId", "RequestId", "LogicalResourceId", "RequestType"])
def test_a_request_cloudformation_did_not_send_is_answered_naming_what_is_missing_and_changes_nothing(
    short_stack: Stack, app: object, emu: WellArchitectedEmulator, lens: str, receiver: ResponseReceiver, missing: str
) -> None:
    event = short_stack.new_event("Create", "Share", {"LensAlias": lens, "SharedWith": FIRST})
    request_id = event["RequestId"]
    del event[missing]

    app.handler(event, LambdaContext(timeout_s=60))  # type: ignore[attr-defined]

    answer = receiver.wait_for(request_id)  # the ResponseURL names the request, whatever the body lacks
    assert answer["Status"] == "FAILED"
    assert f"no {missing}" in answer["Reason"]
    assert answer["PhysicalResourceId"]
    assert emu.calls() == []
