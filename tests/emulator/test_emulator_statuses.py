"""A share's statuses over time: answered or expired invitations, organization shares that fail, deletion by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator import EmulatorControl

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from emulator import WellArchitectedEmulator
    from tests.emulator.harness import ClientFor

PEER, OTHER, LATE = "222222222222", "333333333333", "444444444444"
WEEK = 7 * 24 * 3600
ORGANIZATION, UNIT = "o-a1b2c3d4e5", "ou-ab12-cd34ef56"


def _statuses(wa: WellArchitectedClient, lens_arn: str) -> dict[str, tuple[str, str]]:
    summaries = wa.list_lens_shares(LensAlias=lens_arn)["LensShareSummaries"]
    return {s["SharedWith"]: (s["Status"], s.get("StatusMessage", "")) for s in summaries}


@pytest.fixture
def lens_arn(emu: WellArchitectedEmulator) -> str:
    emu.set_organization_sharing(True)
    return emu.create_lens("Platform lens")


def _share(wa: WellArchitectedClient, lens_arn: str, principal: str) -> str:
    return wa.create_lens_share(LensAlias=lens_arn, SharedWith=principal, ClientRequestToken=principal)["ShareId"]


def test_each_share_takes_the_status_its_recipient_or_the_clock_gives_it(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, client_for: ClientFor, lens_arn: str
) -> None:
    for principal in (PEER, OTHER, LATE, ORGANIZATION):
        _share(wa, lens_arn, principal)
    for recipient, action in ((PEER, "ACCEPT"), (OTHER, "REJECT")):
        [invitation] = emu.invitations(recipient)
        client_for(recipient).update_share_invitation(
            ShareInvitationId=invitation["ShareInvitationId"],
            ShareInvitationAction=action,  # type: ignore[arg-type]
        )
    assert _statuses(wa, lens_arn)[LATE] == ("PENDING", "")

    emu.advance_clock(WEEK + 1)

    assert _statuses(wa, lens_arn) == {
        PEER: ("ACCEPTED", ""),
        OTHER: ("REJECTED", ""),
        LATE: ("EXPIRED", "The share invitation expired 7 days after it was sent"),
        ORGANIZATION: ("ASSOCIATED", ""),
    }
    assert emu.invitations() == []


def test_an_organization_share_can_be_made_to_fail_and_to_associate_again(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, lens_arn: str
) -> None:
    organization, unit = _share(wa, lens_arn, ORGANIZATION), _share(wa, lens_arn, UNIT)

    emu.set_share_status(organization, "FAILED", "The organization's trusted access was turned off")
    emu.set_share_status(unit, "ASSOCIATING")
    assert _statuses(wa, lens_arn) == {
        ORGANIZATION: ("FAILED", "The organization's trusted access was turned off"),
        UNIT: ("ASSOCIATING", ""),
    }
    assert [s["ShareId"] for s in wa.list_lens_shares(LensAlias=lens_arn, Status="FAILED")["LensShareSummaries"]] == [
        organization
    ]

    emu.set_share_status(organization, "ASSOCIATED")
    assert _statuses(wa, lens_arn)[ORGANIZATION] == ("ASSOCIATED", "")


def test_a_share_status_the_service_would_not_give_is_refused(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, lens_arn: str
) -> None:
    account, organization = _share(wa, lens_arn, PEER), _share(wa, lens_arn, ORGANIZATION)

    with pytest.raises(ValueError, match="not an organization or OU"):
        emu.set_share_status(account, "FAILED")
    with pytest.raises(ValueError, match="'ACCEPTED'"):
        emu.set_share_status(organization, "ACCEPTED")
    with pytest.raises(ValueError, match="no share"):
        emu.set_share_status("0" * 32, "FAILED")
    assert _statuses(wa, lens_arn) == {PEER: ("PENDING", ""), ORGANIZATION: ("ASSOCIATED", "")}


def test_a_share_deleted_by_hand_is_gone_with_its_invitation(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, client_for: ClientFor, lens_arn: str
) -> None:
    kept, deleted = _share(wa, lens_arn, OTHER), _share(wa, lens_arn, PEER)

    emu.delete_share(deleted)

    assert [s["ShareId"] for s in wa.list_lens_shares(LensAlias=lens_arn)["LensShareSummaries"]] == [kept]
    assert emu.invitations(PEER) == []
    assert client_for(PEER).list_share_invitations()["ShareInvitationSummaries"] == []
    with pytest.raises(ValueError, match="no share"):
        emu.delete_share(deleted)


def test_status_and_deletion_controls_travel_over_http(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, lens_arn: str
) -> None:
    control = EmulatorControl(emu.url)
    organization, account = _share(wa, lens_arn, ORGANIZATION), _share(wa, lens_arn, PEER)

    control.set_share_status(organization, "FAILED", "Association failed")
    control.delete_share(account)

    assert _statuses(wa, lens_arn) == {ORGANIZATION: ("FAILED", "Association failed")}
    with pytest.raises(ValueError, match="no share"):
        control.delete_share(account)
    with pytest.raises(ValueError, match="'REVOKED'"):
        control.set_share_status(organization, "REVOKED")
