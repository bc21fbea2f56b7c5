"""A cut-off create's rollback and a member's acceptance under every plausible answer of each behaviour AWS
leaves undocumented: the rule of test_service_alternatives.py, for the suites that wait."""

from __future__ import annotations

import time

import pytest

from emulator import WellArchitectedEmulator
from emulator.behaviours import ASSOCIATION_SECONDS
from emulator.clock import SkippingClock
from lens_share.answer import TIMER_MARGIN_S
from local.cloudformation import ResponseReceiver, Stack
from tests.protocol.alternatives import FIRST, INVITATION, ORGANIZATION, alternatives, held, share
from tests.protocol.harness import MEMBER, LambdaFunction


# The default is test_faults_and_answers.py's own cut-off test; each case waits out a slow call.
@pytest.mark.parametrize(
    ("switch", "value"), alternatives("token-scope", "token-expiry", "listing-lag", defaults=False)
)
def test_the_rollback_of_a_create_cut_off_by_the_deadline_removes_exactly_what_it_made(
    app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)
    # The safety timer answers 0.3 s in and the slow create lands 0.7 s later: the Lambda outliving its answer is
    # test_faults_and_answers.py's to wait for; here only the rollback's view of the switch is new.
    lambda_timeout_s = TIMER_MARGIN_S + 0.3
    stack = Stack(app.handler, receiver, lambda_timeout_s=lambda_timeout_s)
    emu.inject_fault("slow", operation="CreateLensShare", delay=1.0)
    started = time.monotonic()

    cut_off = stack.create("Share", share(lens, FIRST))
    while not emu.shares(lens) and time.monotonic() - started < 15:
        time.sleep(0.2)
    stack.lambda_timeout_s = 300  # the rollback is a new invocation, with the function's whole timeout
    rolled_back = stack.rollback()

    assert cut_off.physical_id.startswith("unconfirmed-")
    assert [answer.status for answer in rolled_back] == ["SUCCESS"]
    assert emu.shares(lens) == []


@pytest.mark.parametrize(("switch", "value"), alternatives("invitation-delay", "after-delete", "token-scope"))
def test_a_member_that_declared_acceptance_ends_accepted_after_every_new_round(
    stack: Stack, member_stack: Stack, emu: WellArchitectedEmulator, lens: str, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)
    owner = stack.create("Share", share(lens, MEMBER))
    accepted = member_stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)
    assert accepted.status == "SUCCESS", accepted.reason
    emu.delete_share(owner.data["ShareId"])  # by hand: the member keeps using the lens, as documented

    reinvited = stack.update("Share", share(lens, MEMBER, InvitationRound="2"))
    accepted_again = member_stack.update("Accept", {"LensArn": lens, "InvitationRound": "2"})

    assert reinvited.status == "SUCCESS", reinvited.reason
    assert accepted_again.status == "SUCCESS", accepted_again.reason
    assert accepted_again.data["ShareInvitationId"] not in ("", accepted.data["ShareInvitationId"])
    assert held(emu, lens) == {MEMBER: (reinvited.data["ShareId"], "ACCEPTED")}


@pytest.mark.parametrize(("switch", "value"), alternatives("association", "after-delete"))
def test_a_member_reached_through_its_organization_needs_nothing_accepted_and_is_told_so(
    stack: Stack,
    member_stack: Stack,
    emu: WellArchitectedEmulator,
    lens: str,
    clock: SkippingClock,
    switch: str,
    value: str,
) -> None:
    emu.set_behaviour(switch, value)
    emu.set_organization_sharing(True)
    emu.add_organization_member(MEMBER, ORGANIZATION)
    owner = stack.create("Share", share(lens, ORGANIZATION))
    # "slow" associates a minute later on the emulator's clock, which this moves on half a second into the wait.
    clock.after(0.5, lambda: emu.advance_clock(ASSOCIATION_SECONDS + 1))

    answer = member_stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert owner.status == "SUCCESS", owner.reason
    if value in ("stuck", "fail"):
        assert answer.status == "FAILED"  # never associated: the member reaches nothing, and is told why
        assert "a share with this account's organization or OU needs no invitation" in answer.reason
        assert member_stack.rollback()[0].status == "SUCCESS"
        return
    assert answer.status == "SUCCESS", answer.reason
    assert answer.data["ShareInvitationId"] == ""
    assert answer.reason.startswith("No invitation was needed")
    assert emu.calls("UpdateShareInvitation") == []
