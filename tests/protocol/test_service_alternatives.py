"""The provider under every plausible answer of each behaviour AWS leaves undocumented (emulator/behaviours.py).

Each test drives the real handler with CloudFormation-shaped events through the emulator, set to one
alternative, and holds the end state to the rule: every event answered as it would be under the default,
exactly the shares the stack declares at the end, and nothing made by someone else touched. A switch runs
only the suites it can change, so that the matrix costs seconds.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from emulator.behaviours import ASSOCIATION_SECONDS, BY_NAME
from local.cloudformation import ResponseReceiver, Stack
from tests.protocol.conftest import MEMBER, OWNER, Provider, answer_invitation, writes

FIRST, SECOND, BY_HAND = "210000000001", "210000000002", "210000000009"
WEEK_S = 7 * 24 * 3600.0
INVITATION = "Custom::ShareInvitation"
ORGANIZATION = "o-a1b2c3d4e5"


def alternatives(*names: str, defaults: bool = True) -> list[Any]:
    """(switch, value) for every value of the named switches, each a test id such as token-scope=account;
    without defaults where the suite's own test already runs the default."""
    return [
        pytest.param(name, value, id=f"{name}={value}")
        for name in names
        for value in BY_NAME[name].values[0 if defaults else 1 :]
    ]


def share(lens: str, principal: str, **more: str) -> dict[str, str]:
    return {"LensAlias": lens, "SharedWith": principal, **more}


def held(emu: WellArchitectedEmulator, lens: str) -> dict[str, tuple[str, str]]:
    """SharedWith -> (ShareId, Status) of every share of the lens."""
    return {entry["SharedWith"]: (entry["ShareId"], entry["Status"]) for entry in emu.shares(lens)}


def seen_by_owner(owner_client: Any, lens: str, principal: str, status: str) -> None:
    """A new round follows the owner seeing a stale share (the health check lists shares); a listing that lags
    the recipient's answer shows it a few listings later."""
    for _ in range(5):
        listed = owner_client.list_lens_shares(LensAlias=lens, SharedWithPrefix=principal)["LensShareSummaries"]
        if [entry["Status"] for entry in listed] == [status]:
            return
    raise AssertionError(f"the owner never saw the {status} share")


@pytest.mark.parametrize(
    ("switch", "value"),
    alternatives("token-scope", "token-reuse", "token-expiry", "conflict-resource-id", "listing-lag", "delete-gone"),
)
def test_create_replace_both_rollback_orders_and_delete_end_with_exactly_the_declared_shares(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)

    created = stack.create("Share", share(lens, FIRST))
    again = stack.send(stack.sent_events[-1])  # Lambda delivers the same Create twice
    replaced = stack.update("Share", share(lens, SECOND))
    rolled_back_update_first = stack.rollback_after_replacement("Share")
    assert held(emu, lens) == {FIRST: (created.data["ShareId"], "PENDING")}

    replaced_again = stack.update("Share", share(lens, SECOND))
    rolled_back_delete_only = stack.rollback_after_replacement("Share", update_first=False)
    assert held(emu, lens) == {FIRST: (created.data["ShareId"], "PENDING")}

    deleted = stack.delete("Share")

    answers = [created, again, replaced, *rolled_back_update_first, replaced_again, *rolled_back_delete_only, deleted]
    assert [answer.status for answer in answers] == ["SUCCESS"] * len(answers), [a.reason for a in answers]
    assert again.physical_id == created.physical_id
    assert replaced.physical_id.endswith(f"/replaces/{created.data['ShareId']}")
    assert emu.shares(lens) == []


@pytest.mark.parametrize(
    ("switch", "value"), alternatives("token-scope", "reshare-inactive", "delete-gone", "listing-lag")
)
@pytest.mark.parametrize("stale", ["EXPIRED", "REJECTED", "gone"])
def test_a_new_invitation_round_ends_with_one_fresh_share_for_a_stale_or_missing_one(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any, switch: str, value: str, stale: str
) -> None:
    emu.set_behaviour(switch, value)
    created = stack.create("Share", share(lens, FIRST))
    if stale == "EXPIRED":
        emu.advance_clock(WEEK_S + 1)
    elif stale == "REJECTED":
        answer_invitation(emu, FIRST, "REJECT")
        seen_by_owner(owner_client, lens, FIRST, "REJECTED")
    else:
        emu.delete_share(created.data["ShareId"])

    reinvited = stack.update("Share", share(lens, FIRST, InvitationRound="2"))
    cleaned = stack.cleanup()

    assert reinvited.status == "SUCCESS", reinvited.reason
    assert all(answer.succeeded for answer in cleaned)
    assert held(emu, lens) == {FIRST: (reinvited.data["ShareId"], "PENDING")}
    assert reinvited.data["ShareId"] != created.data["ShareId"]
    assert len(emu.invitations(FIRST)) == 1


@pytest.mark.parametrize(("switch", "value"), alternatives("delete-gone", "listing-lag"))
def test_deleting_a_share_someone_already_deleted_succeeds_without_touching_other_shares(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)
    created = stack.create("Share", share(lens, FIRST))
    other = owner_client.create_lens_share(LensAlias=lens, SharedWith=BY_HAND, ClientRequestToken="console")
    emu.delete_share(created.data["ShareId"])

    deleted = stack.delete("Share")
    again = stack.send(stack.sent_events[-1])  # and the same Delete delivered twice

    assert (deleted.status, again.status) == ("SUCCESS", "SUCCESS"), (deleted.reason, again.reason)
    assert held(emu, lens) == {BY_HAND: (other["ShareId"], "PENDING")}


@pytest.mark.parametrize(("switch", "value"), alternatives("conflict-resource-id", "listing-lag"))
def test_a_share_someone_else_made_is_refused_by_name_and_survives_the_rollback(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)
    theirs = owner_client.create_lens_share(LensAlias=lens, SharedWith=FIRST, ClientRequestToken="console")

    refused = stack.create("Share", share(lens, FIRST))
    rolled_back = stack.rollback()

    assert refused.status == "FAILED"
    assert f"is already shared with {FIRST} (ShareId {theirs['ShareId']})" in refused.reason
    assert all(answer.succeeded for answer in rolled_back)
    assert held(emu, lens) == {FIRST: (theirs["ShareId"], "PENDING")}


@pytest.mark.parametrize(("switch", "value"), alternatives("reshare-inactive"))
def test_sharing_past_a_rejected_share_someone_else_made_never_deletes_it_and_never_answers_falsely(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)
    theirs = owner_client.create_lens_share(LensAlias=lens, SharedWith=FIRST, ClientRequestToken="console")
    answer_invitation(emu, FIRST, "REJECT")
    deletes_before = len(emu.calls("DeleteLensShare"))

    answer = stack.create("Share", share(lens, FIRST))

    assert len(emu.calls("DeleteLensShare")) == deletes_before  # the provider never deletes what it did not make
    shares = emu.shares(lens)
    if value == "conflict":
        assert answer.status == "FAILED"
        assert f"has a REJECTED share with {FIRST} (ShareId {theirs['ShareId']})" in answer.reason
        assert "delete-lens-share" in answer.reason
        assert held(emu, lens) == {FIRST: (theirs["ShareId"], "REJECTED")}
    else:
        assert answer.status == "SUCCESS", answer.reason
        assert answer.data["ShareId"] in {entry["ShareId"] for entry in shares}
        # "replace" is the service's own doing; "keep-both" leaves the rejected share where it was.
        kept = {entry["ShareId"] for entry in shares} - {answer.data["ShareId"]}
        assert kept == (set() if value == "replace" else {theirs["ShareId"]})


@pytest.mark.parametrize(("switch", "value"), alternatives("own-account"))
@pytest.mark.parametrize("principal", [OWNER, f"arn:aws:iam::{OWNER}:user/auditor"])
def test_a_share_with_the_owners_own_account_is_refused_before_any_call(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, switch: str, value: str, principal: str
) -> None:
    emu.set_behaviour(switch, value)

    refused = stack.create("Share", share(lens, principal))

    assert refused.status == "FAILED"
    assert refused.reason.startswith(f"SharedWith '{principal}' is in account {OWNER}, which owns the lens")
    assert writes(emu) == []
    assert [answer.status for answer in stack.rollback()] == ["SUCCESS"]


# The default is test_faults_and_answers.py's own cut-off test; each case waits out a slow call.
@pytest.mark.parametrize(
    ("switch", "value"), alternatives("token-scope", "token-expiry", "listing-lag", defaults=False)
)
def test_the_rollback_of_a_create_cut_off_by_the_deadline_removes_exactly_what_it_made(
    app: Provider, receiver: ResponseReceiver, emu: WellArchitectedEmulator, lens: str, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)
    lambda_timeout_s = 4.5
    stack = Stack(app.handler, receiver, lambda_timeout_s=lambda_timeout_s)
    emu.inject_fault("slow", operation="CreateLensShare", delay=lambda_timeout_s + 1)
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
    stack: Stack, member_stack: Stack, emu: WellArchitectedEmulator, lens: str, switch: str, value: str
) -> None:
    emu.set_behaviour(switch, value)
    emu.set_organization_sharing(True)
    emu.add_organization_member(MEMBER, ORGANIZATION)
    owner = stack.create("Share", share(lens, ORGANIZATION))
    # "slow" associates a minute later on the emulator's clock, which this moves on while the member waits.
    later = threading.Timer(0.5, emu.advance_clock, (ASSOCIATION_SECONDS + 1,))
    later.start()

    answer = member_stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    later.join()
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
