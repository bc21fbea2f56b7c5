"""Custom::LensShareInvitation in a recipient account: accept what the owner shared."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from emulator.clock import SkippingClock
from local.cloudformation import Stack
from tests.protocol.harness import MEMBER

INVITATION = "Custom::LensShareInvitation"


def test_the_member_accepts_the_pending_invitation(
    member_stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    shared = owner_client.create_lens_share(LensAlias=lens, SharedWith=MEMBER, ClientRequestToken="owner")
    invitation = emu.invitations(MEMBER)[0]

    accepted = member_stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert accepted.status == "SUCCESS", accepted.reason
    assert accepted.data == {"ShareInvitationId": invitation["ShareInvitationId"], "LensArn": lens}
    assert emu.shares(lens)[0]["Status"] == "ACCEPTED"
    assert emu.shares(lens)[0]["ShareId"] == shared["ShareId"]
    assert emu.invitations(MEMBER) == []

    again = member_stack.create("AcceptAgain", {"LensArn": lens}, resource_type=INVITATION)
    assert again.status == "SUCCESS", again.reason
    assert again.data["LensArn"] == lens

    assert member_stack.delete("Accept").status == "SUCCESS"
    assert emu.shares(lens)[0]["Status"] == "ACCEPTED"


@pytest.mark.usefixtures("real_backoff")
def test_the_member_waits_for_an_invitation_that_arrives_late(
    member_stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any, clock: SkippingClock
) -> None:
    # The owner shares 1.5 s into the member's wait, on the clock its pauses move.
    clock.after(
        1.5, lambda: owner_client.create_lens_share(LensAlias=lens, SharedWith=MEMBER, ClientRequestToken="late")
    )

    accepted = member_stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert accepted.status == "SUCCESS", accepted.reason
    assert emu.shares(lens)[0]["Status"] == "ACCEPTED"
    assert emu.calls("UpdateShareInvitation") == [("UpdateShareInvitation", 200, MEMBER)]


def test_no_invitation_within_the_time_budget_fails_clearly(
    member_stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    answer = member_stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert answer.status == "FAILED"
    assert f"No pending share invitation for lens {lens} reached account {MEMBER}" in answer.reason
    assert member_stack.rollback()[0].status == "SUCCESS"


def test_an_invitation_needs_a_lens_arn(member_stack: Stack, emu: WellArchitectedEmulator) -> None:
    answer = member_stack.create("Accept", {"LensArn": "serverless"}, resource_type=INVITATION)
    assert answer.status == "FAILED"
    assert "LensArn 'serverless' names an AWS official lens" in answer.reason
    assert emu.calls() == []


def test_an_expired_invitation_cannot_be_accepted(
    member_stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    owner_client.create_lens_share(LensAlias=lens, SharedWith=MEMBER, ClientRequestToken="owner")
    emu.advance_clock(7 * 24 * 3600 + 1)

    answer = member_stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert answer.status == "FAILED"
    assert "An invitation expires 7 days after it is sent" in answer.reason
    assert emu.shares(lens)[0]["Status"] == "EXPIRED"
