"""InvitationRound: bumping it on a whole rollout re-shares exactly the shares recipients cannot use (expired,
rejected, failed, gone) and makes no write call for the others."""

from __future__ import annotations

from typing import Any

from emulator import WellArchitectedEmulator
from local.cloudformation import Stack
from tests.protocol.harness import answer_invitation, writes

ACCEPTED, REJECTED, EXPIRED, GONE, PENDING = (
    "210000000001",
    "210000000002",
    "210000000003",
    "210000000004",
    "210000000005",
)
FAILED_OU = "ou-ab12-cd34ef56"
BY_HAND = "210000000009"
DAY_S = 24 * 3600.0


def statuses(emu: WellArchitectedEmulator, lens: str) -> dict[str, tuple[str, str]]:
    return {share["SharedWith"]: (share["ShareId"], share["Status"]) for share in emu.shares(lens)}


def test_a_new_round_reinvites_exactly_the_shares_recipients_cannot_use(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    emu.set_organization_sharing(True)
    principals = {"Expired": EXPIRED}
    answers = {"Expired": stack.create("Expired", {"LensAlias": lens, "SharedWith": EXPIRED})}
    emu.advance_clock(7 * DAY_S + 1)
    principals |= {"Accepted": ACCEPTED, "Rejected": REJECTED, "Gone": GONE, "Pending": PENDING, "Ou": FAILED_OU}
    for logical_id, principal in principals.items():
        if logical_id != "Expired":
            answers[logical_id] = stack.create(logical_id, {"LensAlias": lens, "SharedWith": principal})
    answer_invitation(emu, ACCEPTED, "ACCEPT")
    answer_invitation(emu, REJECTED, "REJECT")
    emu.set_share_status(answers["Ou"].data["ShareId"], "FAILED", "The organization share could not be associated")
    emu.delete_share(answers["Gone"].data["ShareId"])
    by_hand = owner_client.create_lens_share(LensAlias=lens, SharedWith=BY_HAND, ClientRequestToken="console")
    before = statuses(emu, lens)
    writes_before = len(writes(emu))

    bumped = {
        logical_id: stack.update(logical_id, {"LensAlias": lens, "SharedWith": principal, "InvitationRound": "2"})
        for logical_id, principal in principals.items()
    }
    cleaned = stack.cleanup()

    assert all(answer.succeeded for answer in [*bumped.values(), *cleaned]), [a.reason for a in bumped.values()]
    after = statuses(emu, lens)
    for logical_id in ("Accepted", "Pending"):
        assert bumped[logical_id].physical_id == answers[logical_id].physical_id
        assert after[principals[logical_id]] == before[principals[logical_id]]
    for logical_id in ("Expired", "Rejected", "Ou", "Gone"):
        assert bumped[logical_id].physical_id != answers[logical_id].physical_id
        share_id, status = after[principals[logical_id]]
        assert share_id == bumped[logical_id].data["ShareId"] != answers[logical_id].data["ShareId"]
        assert status == ("ASSOCIATED" if logical_id == "Ou" else "PENDING")
    assert after[BY_HAND] == (by_hand["ShareId"], "PENDING")
    # Three stale shares deleted, four shared again; the clean-up deletes then find the old shares gone.
    new_writes = writes(emu)[writes_before:]
    assert sorted(new_writes[:7]) == ["CreateLensShare"] * 4 + ["DeleteLensShare"] * 3
    assert new_writes[7:] == ["DeleteLensShare"] * 4
    assert [status for op, status, _ in emu.calls("DeleteLensShare")][-4:] == [404] * 4


def test_a_new_round_with_a_new_principal_is_an_ordinary_replacement(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": ACCEPTED})

    replaced = stack.update("Share", {"LensAlias": lens, "SharedWith": PENDING, "InvitationRound": "2"})
    stack.cleanup()

    assert replaced.physical_id.endswith(f"/replaces/{created.data['ShareId']}")
    assert set(statuses(emu, lens)) == {PENDING}
