"""Custom lenses: import, publish, read, list and delete."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from emulator import WellArchitectedEmulator
    from tests.emulator.harness import Refused

OWNER, PEER = "111111111111", "222222222222"


def _import(wa: WellArchitectedClient, name: str, token: str) -> str:
    document = json.dumps({"name": name, "description": f"{name} checks"})
    response = wa.import_lens(JSONString=document, ClientRequestToken=token, Tags={"team": "platform"})
    assert response["Status"] == "COMPLETE"
    return response["LensArn"]


def test_import_creates_an_unpublished_lens_owned_by_the_caller(wa: WellArchitectedClient) -> None:
    lens_arn = _import(wa, "Security lens", "import-1")
    assert re.fullmatch(rf"arn:aws:wellarchitected:us-east-1:{OWNER}:lens/[0-9a-f]{{32}}", lens_arn)
    lens = wa.get_lens(LensAlias=lens_arn)["Lens"]
    assert lens == {
        "LensArn": lens_arn,
        "Name": "Security lens",
        "Description": "Security lens checks",
        "Owner": OWNER,
        "Tags": {"team": "platform"},
    }


def test_import_with_the_same_token_returns_the_same_lens(wa: WellArchitectedClient) -> None:
    assert _import(wa, "Once", "import-1") == _import(wa, "Once", "import-1")


@pytest.mark.parametrize("document", ["not json", "[]", '{"description": "no name"}', '{"name": ""}'])
def test_import_needs_a_json_document_with_a_name(wa: WellArchitectedClient, refused: Refused, document: str) -> None:
    refused(lambda: wa.import_lens(JSONString=document, ClientRequestToken="import-1"), "ValidationException", 400)


def test_a_version_publishes_the_lens(wa: WellArchitectedClient, refused: Refused) -> None:
    lens_arn = _import(wa, "Versioned", "import-1")
    published = wa.create_lens_version(LensAlias=lens_arn, LensVersion="1.0", ClientRequestToken="version-1")
    assert (published["LensArn"], published["LensVersion"]) == (lens_arn, "1.0")
    assert wa.get_lens(LensAlias=lens_arn, LensVersion="1.0")["Lens"]["LensVersion"] == "1.0"
    refused(lambda: wa.get_lens(LensAlias=lens_arn, LensVersion="2.0"), "ResourceNotFoundException", 404)
    response = refused(
        lambda: wa.create_lens_version(LensAlias=lens_arn, LensVersion="1.0", ClientRequestToken="version-2"),
        "ConflictException",
        409,
    )
    assert response["ResourceId"] == lens_arn


def test_only_the_owner_changes_a_lens(
    emu: WellArchitectedEmulator, peer: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens(published=False)
    refused(
        lambda: peer.create_lens_version(LensAlias=lens_arn, LensVersion="1", ClientRequestToken="version-1"),
        "AccessDeniedException",
        403,
    )
    refused(lambda: peer.get_lens(LensAlias=lens_arn), "AccessDeniedException", 403)
    refused(
        lambda: peer.delete_lens(LensAlias=lens_arn, LensStatus="ALL", ClientRequestToken="delete-1"),
        "AccessDeniedException",
        403,
    )


def test_official_lenses_are_not_emulated(wa: WellArchitectedClient, refused: Refused) -> None:
    response = refused(lambda: wa.get_lens(LensAlias="wellarchitected"), "ValidationException", 400)
    assert "official" in response["Error"]["Message"]


def test_list_lenses_filters_by_type_status_and_name(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    draft = emu.create_lens("Draft", published=False)
    published = emu.create_lens("Published")
    theirs = emu.create_lens("Theirs", account=PEER)
    wa.create_lens_share(LensAlias=published, SharedWith=PEER, ClientRequestToken="share-1")
    invitation = peer.list_share_invitations()["ShareInvitationSummaries"][0]["ShareInvitationId"]
    peer.update_share_invitation(ShareInvitationId=invitation, ShareInvitationAction="ACCEPT")

    def arns(client: WellArchitectedClient, **filters: str) -> list[str]:
        return [lens["LensArn"] for lens in client.list_lenses(**filters)["LensSummaries"]]  # type: ignore[arg-type]

    assert arns(wa) == [draft, published]
    assert arns(wa, LensStatus="DRAFT") == [draft]
    assert arns(wa, LensStatus="PUBLISHED") == [published]
    assert arns(wa, LensName="Published") == [published]
    assert arns(peer) == [published, theirs]
    assert arns(peer, LensType="CUSTOM_SHARED") == [published]
    assert arns(peer, LensType="CUSTOM_SELF") == [theirs]
    assert arns(peer, LensType="AWS_OFFICIAL") == []
    summary = wa.list_lenses(LensStatus="PUBLISHED")["LensSummaries"][0]
    assert (summary["LensType"], summary["Owner"], summary["LensVersion"]) == ("CUSTOM_SELF", OWNER, "1.0")


def test_list_lenses_pages(emu: WellArchitectedEmulator, wa: WellArchitectedClient) -> None:
    created = [emu.create_lens(f"Lens {n}") for n in range(3)]
    first = wa.list_lenses(MaxResults=2)
    second = wa.list_lenses(MaxResults=2, NextToken=first["NextToken"])
    assert [lens["LensArn"] for lens in first["LensSummaries"] + second["LensSummaries"]] == created
    assert "NextToken" not in second


def test_deleting_a_lens_removes_its_shares_and_invitations(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens_arn = emu.create_lens()
    wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")
    wa.delete_lens(LensAlias=lens_arn, LensStatus="ALL", ClientRequestToken="delete-1")
    assert emu.shares() == []
    assert emu.invitations() == []
    refused(lambda: wa.get_lens(LensAlias=lens_arn), "ResourceNotFoundException", 404)
