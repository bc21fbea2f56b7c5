"""The emulator keeps the service per Region, taken from the request's SigV4 credential scope: what is made in
one Region is neither visible nor shareable in another, and dump/load keeps every Region."""

from __future__ import annotations

from typing import Any

import boto3  # type: ignore[import-untyped, unused-ignore]
import pytest
from botocore.exceptions import ClientError  # type: ignore[import-untyped, unused-ignore]

from emulator import WellArchitectedEmulator
from tests.emulator.harness import OWNER, PEER

WEST = "eu-west-1"


def client(emu: WellArchitectedEmulator, region: str, account: str = OWNER) -> Any:
    return boto3.client(
        "wellarchitected",
        endpoint_url=emu.url,
        region_name=region,
        aws_access_key_id=f"AKIDTEST{account}",
        aws_secret_access_key="test-secret",
    )


def test_a_lens_of_one_region_is_not_found_in_another(emu: WellArchitectedEmulator) -> None:
    lens = emu.create_lens("East lens")

    with pytest.raises(ClientError) as refused:
        client(emu, WEST).get_lens(LensAlias=lens)

    assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert client(emu, "us-east-1").get_lens(LensAlias=lens)["Lens"]["LensArn"] == lens
    assert [
        summary["LensArn"] for summary in client(emu, WEST).list_lenses(LensType="CUSTOM_SELF")["LensSummaries"]
    ] == []


def test_each_region_holds_its_own_lens_and_shares(emu: WellArchitectedEmulator) -> None:
    east = emu.create_lens("Platform lens")
    west = emu.create_lens("Platform lens", region=WEST)
    assert west.split(":")[3] == WEST

    client(emu, WEST).create_lens_share(LensAlias=west, SharedWith=PEER, ClientRequestToken="west")

    assert [share["SharedWith"] for share in emu.shares(west)] == [PEER]
    assert emu.shares(east) == []
    assert [invitation["LensArn"] for invitation in emu.invitations(PEER, region=WEST)] == [west]
    assert emu.invitations(PEER, region="us-east-1") == []
    with pytest.raises(ClientError):
        client(emu, "us-east-1").create_lens_share(LensAlias=west, SharedWith=PEER, ClientRequestToken="east")
    assert (
        client(emu, "us-east-1", PEER).list_share_invitations(ShareResourceType="LENS")["ShareInvitationSummaries"]
        == []
    )
    invitations = client(emu, WEST, PEER).list_share_invitations(ShareResourceType="LENS")["ShareInvitationSummaries"]
    assert [invitation["LensArn"] for invitation in invitations] == [west]


def test_the_organization_and_the_switches_reach_every_region(emu: WellArchitectedEmulator) -> None:
    emu.add_organization_member(PEER, "o-a1b2c3d4e5")
    emu.set_behaviour("message-prefix", "bracketed")
    lens = emu.create_lens(region=WEST)
    west = client(emu, WEST)
    west.update_global_settings(OrganizationSharingStatus="ENABLED")
    west.create_lens_share(LensAlias=lens, SharedWith="o-a1b2c3d4e5", ClientRequestToken="org")
    for share in emu.shares(lens):
        emu.set_share_status(share["ShareId"], "ASSOCIATED")

    assert client(emu, WEST, PEER).get_lens(LensAlias=lens)["Lens"]["LensArn"] == lens
    assert emu.organization_sharing(region=WEST) == "ENABLED"
    assert emu.organization_sharing() == "DISABLED"
    with pytest.raises(ClientError) as refused:
        west.get_lens(LensAlias="arn:aws:wellarchitected:eu-west-1:111111111111:lens/" + "0" * 32)
    assert refused.value.response["Error"]["Message"].startswith("[")


def test_dump_and_load_keep_every_region(emu: WellArchitectedEmulator) -> None:
    west = emu.create_lens(region=WEST)
    client(emu, WEST).create_lens_share(LensAlias=west, SharedWith=PEER, ClientRequestToken="west")
    data = emu.dump()

    emu.reset()
    assert emu.shares() == []
    emu.load(data)

    assert [share["SharedWith"] for share in emu.shares(west)] == [PEER]
    assert client(emu, WEST).get_lens(LensAlias=west)["Lens"]["LensArn"] == west
