"""Shares under every plausible answer of each behaviour AWS leaves undocumented (emulator/behaviours.py).

Each test drives the real handler with CloudFormation-shaped events through the emulator, set to one
alternative, and holds the end state to the rule: every event answered as it would be under the default,
exactly the shares the stack declares at the end, and nothing made by someone else touched. A switch runs
only the suites it can change, so that the matrix costs seconds. The suites of deadlines and acceptance are in
test_service_alternatives_acceptance.py, so that the two run side by side.
"""

from __future__ import annotations

from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from local.cloudformation import Stack
from tests.protocol.alternatives import BY_HAND, FIRST, SECOND, WEEK_S, alternatives, held, seen_by_owner, share
from tests.protocol.harness import OWNER, answer_invitation, writes


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
