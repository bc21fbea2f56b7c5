"""Lens shares: who can be shared with, the refusals, idempotency, the quota and paging."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from emulator import WellArchitectedEmulator
    from tests.emulator.harness import Refused

OWNER, PEER = "111111111111", "222222222222"
ORGANIZATION = "o-abcdef1234"
OU = "ou-ab12-cdefgh34"


@pytest.mark.parametrize(
    ("shared_with", "recipient"),
    [
        (PEER, PEER),
        ("arn:aws:iam::333333333333:user/alice", "333333333333"),
        ("arn:aws:iam::444444444444:role/team/Reviewer", "444444444444"),
    ],
)
def test_account_and_iam_shares_start_pending_with_an_invitation(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, shared_with: str, recipient: str
) -> None:
    lens_arn = emu.create_lens("Platform lens")
    share_id = wa.create_lens_share(LensAlias=lens_arn, SharedWith=shared_with, ClientRequestToken="share-1")["ShareId"]
    assert re.fullmatch(r"[0-9a-f]{32}", share_id)
    assert emu.shares(lens_arn) == [
        {
            "Kind": "LENS",
            "ShareId": share_id,
            "LensArn": lens_arn,
            "SharedWith": shared_with,
            "Status": "PENDING",
            "StatusMessage": None,
        }
    ]
    [invitation] = emu.invitations(recipient)
    assert invitation["ShareId"] == share_id
    assert re.fullmatch(r"[0-9a-f]{32}", invitation["ShareInvitationId"])
    assert (invitation["SharedBy"], invitation["SharedWith"], invitation["LensName"]) == (
        OWNER,
        shared_with,
        "Platform lens",
    )


@pytest.mark.parametrize("shared_with", [ORGANIZATION, OU])
def test_organization_shares_need_organization_sharing(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, shared_with: str
) -> None:
    lens_arn = emu.create_lens()
    response = refused(
        lambda: wa.create_lens_share(LensAlias=lens_arn, SharedWith=shared_with, ClientRequestToken="share-1"),
        "ValidationException",
        400,
    )
    assert "organization sharing is not enabled" in response["Error"]["Message"].lower()
    assert wa.get_global_settings()["OrganizationSharingStatus"] == "DISABLED"
    wa.update_global_settings(OrganizationSharingStatus="ENABLED")
    assert emu.organization_sharing() == "ENABLED"
    wa.create_lens_share(LensAlias=lens_arn, SharedWith=shared_with, ClientRequestToken="share-2")
    assert [share["Status"] for share in emu.shares(lens_arn)] == ["ASSOCIATED"]
    assert emu.invitations() == []


@pytest.mark.parametrize(
    "shared_with",
    [
        "12345678901x",
        "1234567890123",
        "o-ABCDEFGHIJ",
        "ou-ab12-short",
        "arn:aws:iam::12345:user/x",
        "someone@example.com",
    ],
)
def test_other_principals_are_refused(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, shared_with: str
) -> None:
    emu.set_organization_sharing(enabled=True)
    lens_arn = emu.create_lens()
    refused(
        lambda: wa.create_lens_share(LensAlias=lens_arn, SharedWith=shared_with, ClientRequestToken="share-1"),
        "ValidationException",
        400,
    )
    assert emu.shares() == []


@pytest.mark.parametrize(
    "alias",
    ["wellarchitected", "serverless", "arn:aws:wellarchitected:us-east-1::lens/serverless"],
)
def test_official_lenses_cannot_be_shared(wa: WellArchitectedClient, refused: Refused, alias: str) -> None:
    response = refused(
        lambda: wa.create_lens_share(LensAlias=alias, SharedWith=PEER, ClientRequestToken="share-1"),
        "ValidationException",
        400,
    )
    assert "official lenses cannot be shared" in response["Error"]["Message"]


def test_an_unknown_lens_is_not_found(wa: WellArchitectedClient, refused: Refused) -> None:
    missing = f"arn:aws:wellarchitected:us-east-1:{OWNER}:lens/{'a' * 32}"
    response = refused(
        lambda: wa.create_lens_share(LensAlias=missing, SharedWith=PEER, ClientRequestToken="share-1"),
        "ResourceNotFoundException",
        404,
    )
    assert (response["ResourceId"], response["ResourceType"]) == (missing, "LENS")


def test_only_the_owner_shares_lists_and_unshares(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    share_id = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")["ShareId"]
    refused(
        lambda: peer.create_lens_share(LensAlias=lens_arn, SharedWith="333333333333", ClientRequestToken="share-2"),
        "AccessDeniedException",
        403,
    )
    refused(lambda: peer.list_lens_shares(LensAlias=lens_arn), "AccessDeniedException", 403)
    refused(
        lambda: peer.delete_lens_share(LensAlias=lens_arn, ShareId=share_id, ClientRequestToken="unshare-1"),
        "AccessDeniedException",
        403,
    )
    assert len(emu.shares()) == 1


def test_an_unpublished_lens_cannot_be_shared(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens(published=False)

    def share() -> object:
        return wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")

    refused(share, "ValidationException", 400)
    wa.create_lens_version(LensAlias=lens_arn, LensVersion="1", ClientRequestToken="version-1")
    share()
    assert len(emu.shares()) == 1


def test_sharing_twice_with_the_same_principal_conflicts(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    share_id = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")["ShareId"]
    response = refused(
        lambda: wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-2"),
        "ConflictException",
        409,
    )
    assert (response["ResourceId"], response["ResourceType"]) == (share_id, "LENS_SHARE")


def test_a_rejected_share_can_be_shared_again(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    lens_arn = emu.create_lens()
    wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")
    [invitation] = emu.invitations(PEER)
    peer.update_share_invitation(ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction="REJECT")
    second = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-2")["ShareId"]
    assert [(share["ShareId"], share["Status"]) for share in emu.shares()] == [(second, "PENDING")]


def test_the_same_token_and_parameters_return_the_first_share(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    first = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="token-1")["ShareId"]
    again = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="token-1")["ShareId"]
    assert again == first
    assert len(emu.shares()) == 1
    response = refused(
        lambda: wa.create_lens_share(LensAlias=lens_arn, SharedWith="333333333333", ClientRequestToken="token-1"),
        "ConflictException",
        409,
    )
    assert response["ResourceType"] == "CLIENT_REQUEST_TOKEN"
    assert len(emu.shares()) == 1


def test_tokens_belong_to_an_account(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    mine, theirs = emu.create_lens(), emu.create_lens(account=PEER)
    wa.create_lens_share(LensAlias=mine, SharedWith="333333333333", ClientRequestToken="same")
    peer.create_lens_share(LensAlias=theirs, SharedWith="333333333333", ClientRequestToken="same")
    assert len(emu.shares()) == 2


def test_unsharing_removes_the_share_and_its_invitation(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    share_id = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")["ShareId"]
    wa.delete_lens_share(LensAlias=lens_arn, ShareId=share_id, ClientRequestToken="unshare-1")
    wa.delete_lens_share(LensAlias=lens_arn, ShareId=share_id, ClientRequestToken="unshare-1")  # a replay
    assert emu.shares() == []
    assert emu.invitations() == []
    response = refused(
        lambda: wa.delete_lens_share(LensAlias=lens_arn, ShareId=share_id, ClientRequestToken="unshare-2"),
        "ResourceNotFoundException",
        404,
    )
    assert (response["ResourceId"], response["ResourceType"]) == (share_id, "LENS_SHARE")


def test_a_lens_holds_at_most_the_share_quota(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    emu.set_share_quota(2)
    for n in range(2):
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=f"30000000000{n}", ClientRequestToken=f"share-{n}")
    refused(
        lambda: wa.create_lens_share(LensAlias=lens_arn, SharedWith="300000000009", ClientRequestToken="share-9"),
        "ServiceQuotaExceededException",
        402,
    )
    assert len(emu.shares()) == 2


def test_the_default_quota_is_300_shares(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    for n in range(300):
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=f"{400000000000 + n}", ClientRequestToken=f"share-{n}")
    refused(
        lambda: wa.create_lens_share(LensAlias=lens_arn, SharedWith="499999999999", ClientRequestToken="share-x"),
        "ServiceQuotaExceededException",
        402,
    )


def test_list_lens_shares_pages_by_ten_and_filters(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    accounts = [f"{500000000000 + n}" for n in range(12)] + ["600000000000"]
    for n, account in enumerate(accounts):
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=account, ClientRequestToken=f"share-{n}")
    first = wa.list_lens_shares(LensAlias=lens_arn)
    assert len(first["LensShareSummaries"]) == 10
    second = wa.list_lens_shares(LensAlias=lens_arn, NextToken=first["NextToken"])
    assert "NextToken" not in second
    listed = [share["SharedWith"] for share in first["LensShareSummaries"] + second["LensShareSummaries"]]
    assert listed == accounts
    by_prefix = wa.list_lens_shares(LensAlias=lens_arn, SharedWithPrefix="6")["LensShareSummaries"]
    assert [share["SharedWith"] for share in by_prefix] == ["600000000000"]
    assert wa.list_lens_shares(LensAlias=lens_arn, Status="ACCEPTED")["LensShareSummaries"] == []
    small = wa.list_lens_shares(LensAlias=lens_arn, MaxResults=5)
    assert len(small["LensShareSummaries"]) == 5
    refused(lambda: wa.list_lens_shares(LensAlias=lens_arn, MaxResults=11), "ValidationException", 400)
    refused(
        lambda: wa.list_lens_shares(LensAlias=lens_arn, SharedWithPrefix="6", NextToken=first["NextToken"]),
        "ValidationException",
        400,
    )
    refused(lambda: wa.list_lens_shares(LensAlias=lens_arn, NextToken="bm90LWEtdG9rZW4="), "ValidationException", 400)


def test_a_share_deleted_between_pages_does_not_shift_the_next_page(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient
) -> None:
    lens_arn = emu.create_lens()
    ids = [
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=f"{700000000000 + n}", ClientRequestToken=f"s{n}")[
            "ShareId"
        ]
        for n in range(4)
    ]
    first = wa.list_lens_shares(LensAlias=lens_arn, MaxResults=2)
    wa.delete_lens_share(LensAlias=lens_arn, ShareId=ids[0], ClientRequestToken="unshare-0")
    second = wa.list_lens_shares(LensAlias=lens_arn, MaxResults=2, NextToken=first["NextToken"])
    assert [share["ShareId"] for share in second["LensShareSummaries"]] == ids[2:]


def test_concurrent_requests_with_one_token_make_one_share(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient
) -> None:
    lens_arn = emu.create_lens()

    def share(n: int) -> str:
        shared_with = PEER if n % 2 else f"{800000000000 + n}"
        token = "same-token" if n % 2 else f"share-{n}"
        return wa.create_lens_share(LensAlias=lens_arn, SharedWith=shared_with, ClientRequestToken=token)["ShareId"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        share_ids = list(pool.map(share, range(40)))
    assert len(set(share_ids[1::2])) == 1
    assert len(emu.shares()) == 21
    assert set(share_ids) == {share["ShareId"] for share in emu.shares()}
