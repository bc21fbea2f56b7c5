"""Share invitations: the recipient lists, accepts or rejects them; unanswered ones expire after 7 days."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from emulator import WellArchitectedEmulator
    from tests.emulator.harness import ClientFor, Refused

OWNER, PEER = "111111111111", "222222222222"
WEEK = 7 * 24 * 3600


@pytest.fixture
def shared(emu: WellArchitectedEmulator, wa: WellArchitectedClient) -> tuple[str, str]:
    """A lens shared with PEER: (lens ARN, share ID)."""
    lens_arn = emu.create_lens("Platform lens")
    share_id = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")["ShareId"]
    return lens_arn, share_id


def test_the_recipient_lists_its_pending_invitations(
    shared: tuple[str, str], wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    lens_arn, _ = shared
    [summary] = peer.list_share_invitations()["ShareInvitationSummaries"]
    assert summary == {
        "ShareInvitationId": summary["ShareInvitationId"],
        "SharedBy": OWNER,
        "SharedWith": PEER,
        "ShareResourceType": "LENS",
        "LensName": "Platform lens",
        "LensArn": lens_arn,
    }
    assert wa.list_share_invitations()["ShareInvitationSummaries"] == []
    assert peer.get_lens(LensAlias=lens_arn)["Lens"]["ShareInvitationId"] == summary["ShareInvitationId"]


def test_invitations_filter_by_resource_type_and_lens_name(
    shared: tuple[str, str], peer: WellArchitectedClient
) -> None:
    def count(**filters: str) -> int:
        return len(peer.list_share_invitations(**filters)["ShareInvitationSummaries"])  # type: ignore[arg-type]

    assert count(ShareResourceType="LENS") == 1
    assert count(ShareResourceType="WORKLOAD") == 0
    assert count(LensNamePrefix="Plat") == 1
    assert count(LensNamePrefix="Other") == 0


def test_invitations_page(emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient) -> None:
    lenses = [emu.create_lens(f"Lens {n}") for n in range(3)]
    for n, lens_arn in enumerate(lenses):
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken=f"share-{n}")
    first = peer.list_share_invitations(MaxResults=2)
    second = peer.list_share_invitations(MaxResults=2, NextToken=first["NextToken"])
    pages = first["ShareInvitationSummaries"] + second["ShareInvitationSummaries"]
    assert [summary["LensArn"] for summary in pages] == lenses
    assert "NextToken" not in second


@pytest.mark.parametrize(("action", "status"), [("ACCEPT", "ACCEPTED"), ("REJECT", "REJECTED")])
def test_answering_an_invitation_settles_the_share(
    emu: WellArchitectedEmulator,
    shared: tuple[str, str],
    peer: WellArchitectedClient,
    action: str,
    status: str,
) -> None:
    lens_arn, share_id = shared
    [invitation] = emu.invitations(PEER)
    answered = peer.update_share_invitation(
        ShareInvitationId=invitation["ShareInvitationId"],
        ShareInvitationAction=action,  # type: ignore[arg-type]
    )["ShareInvitation"]
    assert answered == {
        "ShareInvitationId": invitation["ShareInvitationId"],
        "ShareResourceType": "LENS",
        "LensAlias": lens_arn,
        "LensArn": lens_arn,
    }
    assert [(share["ShareId"], share["Status"]) for share in emu.shares(lens_arn)] == [(share_id, status)]
    assert emu.invitations() == []


def test_an_invitation_of_another_account_is_not_found(
    emu: WellArchitectedEmulator, shared: tuple[str, str], client_for: ClientFor, refused: Refused
) -> None:
    [invitation] = emu.invitations(PEER)
    stranger = client_for("333333333333")
    response = refused(
        lambda: stranger.update_share_invitation(
            ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction="ACCEPT"
        ),
        "ResourceNotFoundException",
        404,
    )
    assert response["ResourceType"] == "SHARE_INVITATION"
    assert [share["Status"] for share in emu.shares()] == ["PENDING"]


def test_an_unanswered_invitation_expires_after_seven_days(
    emu: WellArchitectedEmulator, shared: tuple[str, str], wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    lens_arn, share_id = shared
    emu.advance_clock(WEEK - 60)
    assert [share["Status"] for share in emu.shares()] == ["PENDING"]
    emu.advance_clock(60)
    assert peer.list_share_invitations()["ShareInvitationSummaries"] == []
    [summary] = wa.list_lens_shares(LensAlias=lens_arn, Status="EXPIRED")["LensShareSummaries"]
    assert summary["ShareId"] == share_id
    assert "expired" in summary["StatusMessage"]
    # An expired share no longer blocks sharing with the same principal.
    wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-2")


def test_an_answered_share_does_not_expire(
    emu: WellArchitectedEmulator, shared: tuple[str, str], peer: WellArchitectedClient
) -> None:
    [invitation] = emu.invitations(PEER)
    peer.update_share_invitation(ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction="ACCEPT")
    emu.advance_clock(2 * WEEK)
    assert [share["Status"] for share in emu.shares()] == ["ACCEPTED"]
