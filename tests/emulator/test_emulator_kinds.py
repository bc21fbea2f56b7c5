"""Profiles, review templates and workloads share as lenses do: one set of rules, each kind's own members."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import pytest

from tests.emulator.share_kinds import BY_NAME, KINDS, Kind, readable

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from emulator import WellArchitectedEmulator
    from tests.emulator.harness import ClientFor, Refused

OWNER, PEER, OTHER = "111111111111", "222222222222", "333333333333"
ORGANIZATION, UNIT = "o-a1b2c3d4e5", "ou-ab12-cd34ef56"
WEEK = 7 * 24 * 3600


@pytest.mark.parametrize("shared_with", [PEER, f"arn:aws:iam::{PEER}:user/alice", f"arn:aws:iam::{PEER}:role/Reviewer"])
def test_an_account_or_user_share_invites_its_account(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, kind: Kind, shared_with: str
) -> None:
    ident = kind.create(emu, "Shared thing")
    share_id = kind.share(wa, ident, SharedWith=shared_with, ClientRequestToken="share-1")["ShareId"]
    [held] = emu.shares(ident)
    assert {key: held[key] for key in ("Kind", kind.key, "ShareId", "SharedWith", "Status")} == {
        "Kind": kind.name,
        kind.key: ident,
        "ShareId": share_id,
        "SharedWith": shared_with,
        "Status": "PENDING",
    }
    [summary] = peer.list_share_invitations(ShareResourceType=kind.name)["ShareInvitationSummaries"]  # type: ignore[arg-type]
    assert (summary[kind.key], summary[kind.invitation_name], summary["SharedBy"]) == (ident, "Shared thing", OWNER)  # type: ignore[literal-required]
    answered = peer.update_share_invitation(
        ShareInvitationId=summary["ShareInvitationId"], ShareInvitationAction="ACCEPT"
    )["ShareInvitation"]
    assert (answered["ShareResourceType"], answered[kind.key]) == (kind.name, ident)  # type: ignore[literal-required]
    assert [share["Status"] for share in emu.shares(ident)] == ["ACCEPTED"]
    assert emu.invitations() == []


def test_every_kind_refuses_the_same_principals(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, kind: Kind
) -> None:
    emu.set_organization_sharing(True)
    ident = kind.create(emu, "Shared thing")
    for bad in ("12345678901x", "o-ABCDEFGHIJ", "someone@example.com", "arn:aws:iam::12345:user/x"):
        response = refused(
            partial(kind.share, wa, ident, SharedWith=bad, ClientRequestToken=bad), "ValidationException", 400
        )
        assert response["Fields"][0]["Name"] == "SharedWith"
    for good in (ORGANIZATION, UNIT, OTHER):
        kind.share(wa, ident, SharedWith=good, ClientRequestToken=good)
    assert sorted(share["SharedWith"] for share in emu.shares(ident)) == sorted([ORGANIZATION, UNIT, OTHER])


def test_organization_shares_need_organization_sharing_and_reach_members_without_invitation(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, client_for: ClientFor, refused: Refused, kind: Kind
) -> None:
    ident = kind.create(emu, "Shared thing")
    refused(lambda: kind.share(wa, ident, SharedWith=UNIT, ClientRequestToken="s1"), "ValidationException", 400)
    emu.set_organization_sharing(True)
    kind.share(wa, ident, SharedWith=UNIT, ClientRequestToken="s2")
    assert [share["Status"] for share in emu.shares(ident)] == ["ASSOCIATED"]
    emu.add_organization_member(OTHER, ORGANIZATION, [UNIT])
    assert emu.invitations() == []
    assert readable(client_for(OTHER), kind, ident)
    assert not readable(client_for(PEER), kind, ident)


def test_shares_conflict_list_page_and_delete_alike(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, kind: Kind
) -> None:
    ident = kind.create(emu, "Shared thing")
    ids = [
        kind.share(wa, ident, SharedWith=f"{500000000000 + n}", ClientRequestToken=f"s{n}")["ShareId"]
        for n in range(12)
    ]
    response = refused(
        lambda: kind.share(wa, ident, SharedWith="500000000000", ClientRequestToken="again"), "ConflictException", 409
    )
    assert (response["ResourceId"], response["ResourceType"]) == (ids[0], f"{kind.name}_SHARE")
    first = kind.listing(wa, ident)
    second = kind.listing(wa, ident, NextToken=first["NextToken"])
    assert [s["ShareId"] for s in first[kind.summaries] + second[kind.summaries]] == ids
    refused(lambda: kind.listing(wa, ident, MaxResults=11), "ValidationException", 400)
    kind.unshare(wa, ident, ShareId=ids[0], ClientRequestToken="u1")
    refused(lambda: kind.unshare(wa, ident, ShareId=ids[0], ClientRequestToken="u2"), "ResourceNotFoundException", 404)
    assert len(emu.shares(ident)) == 11


def test_invitations_expire_after_a_week_for_every_kind(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, kind: Kind
) -> None:
    ident = kind.create(emu, "Shared thing")
    kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s1")
    emu.advance_clock(WEEK)
    assert [share["Status"] for share in emu.shares(ident)] == ["EXPIRED"]
    kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s2")
    assert [share["Status"] for share in emu.shares(ident)] == ["PENDING"]


def test_invitations_filter_by_kind_and_by_each_name_prefix(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, refused: Refused
) -> None:
    for kind in KINDS:
        kind.share(wa, kind.create(emu, f"{kind.name.title()} one"), SharedWith=PEER, ClientRequestToken=kind.name)

    def kinds(**filters: str) -> list[str]:
        summaries = peer.list_share_invitations(**filters)["ShareInvitationSummaries"]  # type: ignore[arg-type]
        return [summary["ShareResourceType"] for summary in summaries]

    assert kinds() == ["LENS", "PROFILE", "TEMPLATE", "WORKLOAD"]
    assert kinds(ShareResourceType="TEMPLATE") == ["TEMPLATE"]
    assert kinds(WorkloadNamePrefix="Workload") == ["WORKLOAD"]
    assert kinds(ProfileNamePrefix="Profile o") == ["PROFILE"]
    assert kinds(TemplateNamePrefix="Lens") == []
    assert kinds(LensNamePrefix="Lens") == ["LENS"]
    refused(lambda: peer.list_share_invitations(LensNamePrefix="a", ProfileNamePrefix="b"), "ValidationException", 400)
    [workload] = [i for i in emu.invitations(PEER) if i["ShareResourceType"] == "WORKLOAD"]
    assert workload["PermissionType"] == "READONLY"


def test_a_workload_holds_twenty_account_or_user_shares(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    emu.set_organization_sharing(True)
    workload = emu.create_workload()
    for n in range(20):
        BY_NAME["WORKLOAD"].share(wa, workload, SharedWith=f"{600000000000 + n}", ClientRequestToken=f"s{n}")
    response = refused(
        lambda: BY_NAME["WORKLOAD"].share(wa, workload, SharedWith="699999999999", ClientRequestToken="x"),
        "ServiceQuotaExceededException",
        402,
    )
    assert "20 account or user shares" in response["Error"]["Message"]
    BY_NAME["WORKLOAD"].share(wa, workload, SharedWith=ORGANIZATION, ClientRequestToken="org")
    assert len(emu.shares(workload)) == 21


def test_a_quota_can_be_set_for_one_kind(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    emu.set_share_quota(1, kind="PROFILE")
    profile, template = emu.create_profile(), emu.create_review_template()
    for kind, ident in ((BY_NAME["PROFILE"], profile), (BY_NAME["TEMPLATE"], template)):
        kind.share(wa, ident, SharedWith=PEER, ClientRequestToken=f"{kind.name}-1")
    refused(
        lambda: BY_NAME["PROFILE"].share(wa, profile, SharedWith=OTHER, ClientRequestToken="p2"),
        "ServiceQuotaExceededException",
        402,
    )
    BY_NAME["TEMPLATE"].share(wa, template, SharedWith=OTHER, ClientRequestToken="t2")
    with pytest.raises(ValueError, match="kind must be one of"):
        emu.set_share_quota(1, kind="MILESTONE")


def test_a_workload_share_changes_permission_in_place_with_a_new_invitation(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    workload = emu.create_workload("Payments")
    share_id = wa.create_workload_share(
        WorkloadId=workload, SharedWith=PEER, PermissionType="READONLY", ClientRequestToken="s1"
    )["ShareId"]
    [first] = emu.invitations(PEER)
    peer.update_share_invitation(ShareInvitationId=first["ShareInvitationId"], ShareInvitationAction="ACCEPT")
    emu.advance_clock(WEEK - 60)

    updated = wa.update_workload_share(WorkloadId=workload, ShareId=share_id, PermissionType="CONTRIBUTOR")

    assert updated["WorkloadShare"] == {
        "ShareId": share_id,
        "SharedBy": OWNER,
        "SharedWith": PEER,
        "PermissionType": "CONTRIBUTOR",
        "Status": "PENDING",
        "WorkloadName": "Payments",
        "WorkloadId": workload,
    }
    [second] = emu.invitations(PEER)
    assert (second["PermissionType"], second["ShareId"]) == ("CONTRIBUTOR", share_id)
    emu.advance_clock(120)  # the new invitation has its own seven days
    assert [(s["ShareId"], s["Status"], s["PermissionType"]) for s in emu.shares(workload)] == [
        (share_id, "PENDING", "CONTRIBUTOR")
    ]
    [summary] = wa.list_workload_shares(WorkloadId=workload)["WorkloadShareSummaries"]
    assert summary["PermissionType"] == "CONTRIBUTOR"


def test_an_ended_workload_share_cannot_be_edited(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    workload = emu.create_workload()
    share_id = wa.create_workload_share(
        WorkloadId=workload, SharedWith=PEER, PermissionType="READONLY", ClientRequestToken="s1"
    )["ShareId"]
    emu.advance_clock(WEEK)
    refused(
        lambda: wa.update_workload_share(WorkloadId=workload, ShareId=share_id, PermissionType="CONTRIBUTOR"),
        "ConflictException",
        409,
    )
    refused(
        lambda: wa.update_workload_share(WorkloadId=workload, ShareId="f" * 32, PermissionType="CONTRIBUTOR"),
        "ResourceNotFoundException",
        404,
    )


def test_resources_are_created_read_listed_and_deleted_through_the_api(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, refused: Refused
) -> None:
    profile = wa.create_profile(
        ProfileName="Startup",
        ProfileDescription="Fast growth",
        ProfileQuestions=[{"QuestionId": "prio", "SelectedChoiceIds": ["speed"]}],
        ClientRequestToken="p",
    )["ProfileArn"]
    template = wa.create_review_template(
        TemplateName="Baseline", Description="Common answers", Lenses=["wellarchitected"], ClientRequestToken="t"
    )["TemplateArn"]
    workload = wa.create_workload(
        WorkloadName="Payments",
        Description="Card payments",
        Environment="PRODUCTION",
        Lenses=["wellarchitected"],
        AwsRegions=["us-east-1"],
        ClientRequestToken="w",
    )["WorkloadId"]
    assert wa.get_profile(ProfileArn=profile)["Profile"]["ProfileQuestions"] == [
        {"QuestionId": "prio", "SelectedChoiceIds": ["speed"]}
    ]
    assert wa.get_review_template(TemplateArn=template)["ReviewTemplate"]["Lenses"] == ["wellarchitected"]
    assert wa.get_workload(WorkloadId=workload)["Workload"]["AwsRegions"] == ["us-east-1"]
    assert [p["ProfileArn"] for p in wa.list_profiles(ProfileOwnerType="SELF")["ProfileSummaries"]] == [profile]
    assert [t["TemplateArn"] for t in wa.list_review_templates()["ReviewTemplates"]] == [template]
    assert [w["WorkloadId"] for w in wa.list_workloads(WorkloadNamePrefix="Pay")["WorkloadSummaries"]] == [workload]
    assert peer.list_workloads()["WorkloadSummaries"] == []
    refused(lambda: peer.get_profile(ProfileArn=profile), "AccessDeniedException", 403)
    refused(lambda: peer.delete_workload(WorkloadId=workload, ClientRequestToken="d"), "AccessDeniedException", 403)
    BY_NAME["WORKLOAD"].share(wa, workload, SharedWith=PEER, ClientRequestToken="s")
    wa.delete_workload(WorkloadId=workload, ClientRequestToken="d")
    wa.delete_profile(ProfileArn=profile, ClientRequestToken="d")
    wa.delete_review_template(TemplateArn=template, ClientRequestToken="d")
    assert (emu.shares(), emu.invitations()) == ([], [])
    refused(lambda: wa.get_workload(WorkloadId=workload), "ResourceNotFoundException", 404)


def test_shares_of_every_kind_are_listed_together_and_by_kind(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient
) -> None:
    created = {kind.name: kind.create(emu, "Shared thing") for kind in KINDS}
    for kind in KINDS:
        kind.share(wa, created[kind.name], SharedWith=PEER, ClientRequestToken=kind.name)
    assert [share["Kind"] for share in emu.shares()] == ["LENS", "PROFILE", "TEMPLATE", "WORKLOAD"]
    [workload] = emu.shares(kind="WORKLOAD")
    assert (workload["WorkloadId"], workload["PermissionType"]) == (created["WORKLOAD"], "READONLY")
    assert "PermissionType" not in emu.shares(created["LENS"])[0]


def test_dump_and_load_keep_every_kind(emu: WellArchitectedEmulator, wa: WellArchitectedClient) -> None:
    emu.set_behaviour("delete-gone", "ok")
    for kind in KINDS:
        kind.share(wa, kind.create(emu, "Shared thing"), SharedWith=PEER, ClientRequestToken=kind.name)
    held, invitations, data = emu.shares(), emu.invitations(), emu.dump()
    emu.reset()
    emu.load(data)
    assert (emu.shares(), emu.invitations(), emu.behaviour()["delete-gone"]) == (held, invitations, "ok")
    workload = emu.shares(kind="WORKLOAD")[0]
    wa.update_workload_share(
        WorkloadId=workload["WorkloadId"], ShareId=workload["ShareId"], PermissionType="CONTRIBUTOR"
    )
    assert emu.shares(kind="WORKLOAD")[0]["PermissionType"] == "CONTRIBUTOR"


def test_status_controls_reach_every_kind(emu: WellArchitectedEmulator, wa: WellArchitectedClient, kind: Kind) -> None:
    emu.set_organization_sharing(True)
    ident = kind.create(emu, "Shared thing")
    organization = kind.share(wa, ident, SharedWith=ORGANIZATION, ClientRequestToken="org")["ShareId"]
    account = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="peer")["ShareId"]
    emu.set_share_status(organization, "FAILED", "Trusted access was turned off")
    emu.delete_share(account)
    [summary] = kind.listing(wa, ident)[kind.summaries]
    assert (summary["ShareId"], summary["Status"], summary["StatusMessage"]) == (
        organization,
        "FAILED",
        "Trusted access was turned off",
    )
    assert emu.invitations() == []
