"""The stack follows CloudFormation's rules: replacement clean-up, rollbacks, timeouts, invalid answers."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest

from local.cloudformation import Handler, LambdaContext, ResponseReceiver, Stack
from tests.local.cloud_helpers import statuses

Provider = Callable[..., Handler]
TOKEN = "arn:aws:lambda:us-east-1:111111111111:function:lens-share-provider-LensShareFunction-Q2x7Yb1mZk3d"
OLD = {"ServiceToken": TOKEN, "SharedWith": "222222222222"}
NEW = {"ServiceToken": TOKEN, "SharedWith": "333333333333"}


def make_stack(handler: Handler, receiver: ResponseReceiver, **options: Any) -> Stack:
    return Stack(handler, receiver, answer_wait_s=0.2, **options)


def by_principal(event: dict[str, Any]) -> dict[str, Any]:
    """A share's physical ID follows its principal, so changing SharedWith replaces it."""
    return {"PhysicalResourceId": f"share-{event['ResourceProperties']['SharedWith']}"}


def sent(stack: Stack) -> list[tuple[str, str | None, dict[str, Any], dict[str, Any] | None]]:
    return [
        (
            call.event["RequestType"],
            call.event.get("PhysicalResourceId"),
            call.event["ResourceProperties"],
            call.event.get("OldResourceProperties"),
        )
        for call in stack.invocations
    ]


def test_create_update_in_place_and_delete(receiver: ResponseReceiver, provider: Provider) -> None:
    stack = make_stack(provider(lambda event: {"Data": {"ShareId": "1"}}), receiver)

    created = stack.create("Share", {"SharedWith": 222222222222})
    updated = stack.update("Share", {"SharedWith": "333333333333"})
    deleted = stack.delete("Share")

    assert [a.succeeded for a in (created, updated, deleted)] == [True, True, True]
    assert sent(stack) == [
        ("Create", None, OLD, None),
        ("Update", "share-Share", NEW, OLD),
        ("Delete", "share-Share", NEW, None),
    ]
    assert statuses(stack) == [
        ("platform-lens", "CREATE_IN_PROGRESS"),
        ("Share", "CREATE_IN_PROGRESS"),
        ("Share", "CREATE_COMPLETE"),
        ("platform-lens", "CREATE_COMPLETE"),
        ("platform-lens", "UPDATE_IN_PROGRESS"),
        ("Share", "UPDATE_IN_PROGRESS"),
        ("Share", "UPDATE_COMPLETE"),
        ("platform-lens", "UPDATE_COMPLETE"),
        ("platform-lens", "UPDATE_IN_PROGRESS"),
        ("platform-lens", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("Share", "DELETE_IN_PROGRESS"),
        ("Share", "DELETE_COMPLETE"),
        ("platform-lens", "UPDATE_COMPLETE"),
    ]
    assert stack.resources == {}
    assert stack.sent_events == [call.event for call in stack.invocations]
    assert 0 < (stack.invocations[0].answered_after_s or 0) < 1
    call = stack.invocations[0]
    assert call.event["StackId"] == stack.stack_id
    assert call.context.invoked_function_arn == TOKEN
    assert call.context.aws_request_id != stack.invocations[1].context.aws_request_id
    stack.create("Again", {"SharedWith": "1"})
    with pytest.raises(ValueError, match="Nothing to update"):
        stack.update("Again", {"SharedWith": 1})  # CloudFormation sends nothing when no property changed


def test_replacement_deletes_the_old_id_with_old_properties_at_cleanup(
    receiver: ResponseReceiver, provider: Provider
) -> None:
    stack = make_stack(provider(by_principal), receiver)
    stack.create("Share", {"SharedWith": "222222222222"})

    stack.update("Share", {"SharedWith": "333333333333"})

    assert stack.status == "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
    assert (stack.resources["Share"].physical_id, stack.resources["Share"].properties) == ("share-333333333333", NEW)
    assert len(stack.invocations) == 2  # nothing deleted before the clean-up phase

    [cleaned] = stack.cleanup()

    assert cleaned.succeeded
    assert sent(stack)[-1] == ("Delete", "share-222222222222", OLD, None)
    assert stack.status == "UPDATE_COMPLETE"
    assert stack.resources["Share"].physical_id == "share-333333333333"
    assert stack.cleanup() == []


def test_failed_create_rolls_back_with_the_failed_answers_id(receiver: ResponseReceiver, provider: Provider) -> None:
    def fail_create(event: dict[str, Any]) -> dict[str, Any]:
        if event["RequestType"] == "Create":
            return {"Status": "FAILED", "Reason": "quota reached", "PhysicalResourceId": "partial-1"}
        return {}

    stack = make_stack(provider(fail_create), receiver)

    created = stack.create("Share", {"SharedWith": "222222222222"})

    assert (created.succeeded, created.valid, created.failure_reason) == (False, True, "quota reached")
    assert stack.status == "CREATE_FAILED"
    assert stack.events[-2].reason == "quota reached"

    [deleted] = stack.rollback()

    assert deleted.succeeded
    assert sent(stack)[-1] == ("Delete", "partial-1", OLD, None)
    assert statuses(stack)[-4:] == [
        ("platform-lens", "ROLLBACK_IN_PROGRESS"),
        ("Share", "DELETE_IN_PROGRESS"),
        ("Share", "DELETE_COMPLETE"),
        ("platform-lens", "ROLLBACK_COMPLETE"),
    ]
    assert stack.resources == {}
    assert stack.rollback() == []


def test_unusable_failed_answer_gets_a_made_up_id(receiver: ResponseReceiver, provider: Provider) -> None:
    def empty_id(event: dict[str, Any]) -> dict[str, Any]:
        failing = event["RequestType"] == "Create"
        return {"Status": "FAILED", "Reason": "timed out", "PhysicalResourceId": ""} if failing else {}

    stack = make_stack(provider(empty_id), receiver)

    created = stack.create("Share", {"SharedWith": "222222222222"})
    stack.rollback()

    assert "Invalid PhysicalResourceId" in created.failure_reason
    assert re.fullmatch(r"platform-lens-Share-[A-Z0-9]{12}", sent(stack)[-1][1] or "")


def test_failed_update_rolls_back_with_swapped_properties(receiver: ResponseReceiver, provider: Provider) -> None:
    def refuse_new_principal(event: dict[str, Any]) -> dict[str, Any]:
        if event["ResourceProperties"]["SharedWith"] == "333333333333":
            return {"Status": "FAILED", "Reason": "not allowed", "PhysicalResourceId": "share-ignored"}
        return {}

    stack = make_stack(provider(refuse_new_principal), receiver)
    stack.create("Share", {"SharedWith": "222222222222"})

    stack.update("Share", {"SharedWith": "333333333333"})

    assert stack.status == "UPDATE_FAILED"
    assert (stack.resources["Share"].physical_id, stack.resources["Share"].properties) == ("share-Share", OLD)

    [rolled_back] = stack.rollback()

    assert rolled_back.succeeded
    assert sent(stack)[-1] == ("Update", "share-Share", OLD, NEW)
    assert statuses(stack)[-4:] == [
        ("platform-lens", "UPDATE_ROLLBACK_IN_PROGRESS"),
        ("Share", "UPDATE_IN_PROGRESS"),
        ("Share", "UPDATE_COMPLETE"),
        ("platform-lens", "UPDATE_ROLLBACK_COMPLETE"),
    ]
    assert stack.resources["Share"].physical_id == "share-Share"


def test_failed_create_in_a_stack_update_is_deleted_in_the_rollback_cleanup(
    receiver: ResponseReceiver, provider: Provider
) -> None:
    def fail_second(event: dict[str, Any]) -> dict[str, Any]:
        failing = event["RequestType"] == "Create" and event["LogicalResourceId"] == "Second"
        return {"Status": "FAILED", "Reason": "conflict", "PhysicalResourceId": "partial-2"} if failing else {}

    stack = make_stack(provider(fail_second), receiver)
    stack.create("First", {"SharedWith": "222222222222"})
    stack.create("Second", {"SharedWith": "333333333333"})

    stack.rollback()

    assert sent(stack)[-1] == ("Delete", "partial-2", NEW, None)
    assert statuses(stack)[-7:] == [
        ("Second", "CREATE_FAILED"),
        ("platform-lens", "UPDATE_FAILED"),
        ("platform-lens", "UPDATE_ROLLBACK_IN_PROGRESS"),
        ("platform-lens", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("Second", "DELETE_IN_PROGRESS"),
        ("Second", "DELETE_COMPLETE"),
        ("platform-lens", "UPDATE_ROLLBACK_COMPLETE"),
    ]
    assert list(stack.resources) == ["First"]


@pytest.mark.parametrize("update_first", [True, False])
def test_rollback_after_replacement_deletes_the_new_id(
    receiver: ResponseReceiver, provider: Provider, update_first: bool
) -> None:
    stack = make_stack(provider(by_principal), receiver)
    stack.create("Share", {"SharedWith": "222222222222"})
    stack.update("Share", {"SharedWith": "333333333333"})

    answers = stack.rollback_after_replacement("Share", update_first=update_first)

    assert all(a.succeeded for a in answers)
    rollback_update = [("Update", "share-333333333333", OLD, NEW)] if update_first else []
    # after an Update to the old properties, the new resource holds them, and its Delete carries them
    assert sent(stack)[2:] == [*rollback_update, ("Delete", "share-333333333333", OLD if update_first else NEW, None)]
    assert stack.status == "UPDATE_ROLLBACK_COMPLETE"
    assert (stack.resources["Share"].physical_id, stack.resources["Share"].properties) == ("share-222222222222", OLD)
    assert stack.cleanup() == []  # the original resource is kept


def test_too_long_answer_fails_the_resource(receiver: ResponseReceiver, provider: Provider) -> None:
    stack = make_stack(provider(lambda event: {"Data": {"Blob": "x" * 5000}}), receiver)

    created = stack.create("Share", {"SharedWith": "222222222222"})

    assert created.delivered
    assert not created.succeeded
    assert stack.events[-2].status == "CREATE_FAILED"
    assert stack.events[-2].reason.startswith("Response object is too long")
    assert stack.resources["Share"].status == "CREATE_FAILED"


def test_no_answer_is_a_timeout_without_waiting_an_hour(receiver: ResponseReceiver, provider: Provider) -> None:
    def boom(event: dict[str, Any], context: object) -> None:
        raise RuntimeError("crashed before answering")

    silent = make_stack(provider(lambda event: None), receiver)
    crashing = make_stack(boom, receiver)

    quiet = silent.create("Share", {"SharedWith": "222222222222", "ServiceTimeout": 900})
    crashed = crashing.create("Share", {"SharedWith": "222222222222"})

    assert (quiet.delivered, quiet.http_status) == (False, None)
    assert "after 900 s" in quiet.failure_reason
    assert "after 3600 s" in crashed.failure_reason
    assert silent.invocations[-1].error is None
    assert silent.invocations[-1].answered_after_s is None
    assert isinstance(crashing.invocations[-1].error, RuntimeError)
    assert crashing.status == "CREATE_FAILED"


def test_an_answer_after_the_lambda_timeout_does_not_count(receiver: ResponseReceiver, provider: Provider) -> None:
    answering = provider()

    def slow(event: dict[str, Any], context: LambdaContext) -> None:
        passed = threading.Event()  # never set: each wait is one bounded look at the deadline
        while context.get_remaining_time_in_millis() > 0:
            passed.wait(0.01)
        answering(event, context)

    stack = make_stack(slow, receiver, lambda_timeout_s=0.1)

    created = stack.create("Share", {"SharedWith": "222222222222"})

    assert len(receiver.answers(created.request_id)) == 1
    assert not created.delivered
    assert "after the Lambda timeout" in created.failure_reason


def test_a_500_is_not_an_answer_unless_the_provider_retries(receiver: ResponseReceiver, provider: Provider) -> None:
    gives_up = make_stack(provider(), receiver)
    retries = make_stack(provider(retries=2), receiver, name="retrying")

    receiver.fail_next(1)
    lost = gives_up.create("Share", {"SharedWith": "222222222222"})
    receiver.fail_next(1)
    receiver.reset_next(1)
    kept = retries.create("Share", {"SharedWith": "222222222222"})

    assert (lost.succeeded, gives_up.status) == (False, "CREATE_FAILED")
    assert (kept.succeeded, retries.status) == (True, "CREATE_COMPLETE")
    assert [p.http_status for p in receiver.puts()] == [500, 500, None, 200]


def test_send_replays_a_duplicate_delivery(receiver: ResponseReceiver, provider: Provider) -> None:
    calls: list[str] = []

    def counting(event: dict[str, Any]) -> dict[str, Any]:
        calls.append(event["RequestId"])
        return {"PhysicalResourceId": f"share-{len(calls)}"}

    stack = make_stack(provider(counting), receiver)
    event = stack.new_event("Create", "Share", {"SharedWith": 222222222222})

    first, second = stack.send(event), stack.send(event)

    assert calls == [event["RequestId"]] * 2
    assert (first.physical_id, second.physical_id) == ("share-1", "share-2")
    assert event["ResourceProperties"]["SharedWith"] == "222222222222"
    assert stack.resources == {}
    assert stack.events == []


def test_delete_stack_deletes_in_reverse_creation_order(receiver: ResponseReceiver, provider: Provider) -> None:
    def refuse_second(event: dict[str, Any]) -> dict[str, Any]:
        if event["RequestType"] == "Delete" and event["LogicalResourceId"] == "Second":
            return {"Status": "FAILED", "Reason": "share in use"}
        return {}

    stack = make_stack(provider(refuse_second), receiver)
    for logical_id in ("First", "Second", "Third"):
        stack.create(logical_id, {"SharedWith": "222222222222"})

    answers = stack.delete_stack()

    assert [(call.event["LogicalResourceId"]) for call in stack.invocations[3:]] == ["Third", "Second", "First"]
    assert [a.succeeded for a in answers] == [True, False, True]
    assert (stack.status, stack.events[-1].reason) == ("DELETE_FAILED", "Resources failed to delete: [Second]")
    assert list(stack.resources) == ["Second"]
    assert stack.resources["Second"].status == "DELETE_FAILED"


def test_events_table_reads_like_describe_stack_events(receiver: ResponseReceiver, provider: Provider) -> None:
    stack = make_stack(provider(lambda event: {"Status": "FAILED", "Reason": "lens not\npublished"}), receiver)
    stack.create("PlatformLensShare", {"SharedWith": "222222222222"})

    lines = stack.events_table().splitlines()

    assert len(lines) == 1 + len(stack.events)
    assert re.split(r"\s{2,}", lines[0]) == ["Timestamp", "Logical ID", "Status", "Status reason"]
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC"
    assert re.fullmatch(
        rf"{stamp}  platform-lens      CREATE_FAILED       Resources failed to create: \[PlatformLensShare\]", lines[1]
    )
    assert re.fullmatch(rf"{stamp}  PlatformLensShare  CREATE_FAILED       lens not published", lines[2])
    assert re.fullmatch(rf"{stamp}  PlatformLensShare  CREATE_IN_PROGRESS", lines[3])
    assert re.fullmatch(rf"{stamp}  platform-lens      CREATE_IN_PROGRESS", lines[4])
    assert stack.events_table(newest_first=False).splitlines()[1:] == lines[:0:-1]
