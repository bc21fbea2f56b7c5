"""One handler, reused as a warm Lambda environment reuses it: every event in a series is answered for itself,
with nothing carried over from the one before (attributes, reasons, failures)."""

from __future__ import annotations

from emulator import WellArchitectedEmulator
from lens_share import handler as provider_handler
from local.cloudformation import ResponseReceiver, Stack
from tests.protocol.harness import LambdaFunction


def test_a_series_of_events_through_one_warm_handler_is_each_answered_for_itself(
    app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str
) -> None:
    warm = provider_handler.build_handler(app.environment)
    stack = Stack(warm, receiver)

    first = stack.create("First", {"LensAlias": lens, "SharedWith": "222222222222"})
    bad = stack.create("Bad", {"LensAlias": lens, "SharedWith": "12345"})
    second = stack.create("Second", {"LensAlias": lens, "SharedWith": "333333333333"})
    updated = stack.update("First", {"LensAlias": lens, "SharedWith": "222222222222", "InvitationRound": "2"})
    unknown = stack.create("Other", {"Anything": "x"}, resource_type="Custom::Unknown")
    deleted = stack.delete("Second")

    assert first.status == "SUCCESS", first.reason
    assert bad.status == "FAILED"
    assert "SharedWith '12345'" in bad.reason
    assert bad.data == {}
    assert second.status == "SUCCESS", second.reason
    assert second.reason == ""
    assert second.data["SharedWith"] == "333333333333"
    # An Update sets every attribute again: crhelper starts each invocation with no Data.
    assert updated.status == "SUCCESS", updated.reason
    assert updated.physical_id == first.physical_id
    assert updated.data == first.data
    assert unknown.status == "FAILED"
    assert "is not served here" in unknown.reason
    assert deleted.status == "SUCCESS", deleted.reason
    assert {(share["SharedWith"], share["ShareId"]) for share in emu.shares(lens)} == {
        ("222222222222", first.data["ShareId"])
    }
    assert all(len(receiver.answers(each.request_id)) == 1 for each in (first, bad, second, updated, unknown, deleted))
