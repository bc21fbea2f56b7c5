"""Every template in examples/ deployed on the local cloud (create, an update, delete) through the real handler,
and what the emulator holds afterwards."""

from __future__ import annotations

import pytest

from local.cloud import LocalCloud
from tests.local.cloud_helpers import (
    EXAMPLES,
    MEMBER,
    OWNER,
    ROOT,
    deploy_provider,
    position,
    principals,
    resource_statuses,
)

OU, NEW_OU = "ou-ab12-cd34ef56", "ou-ab12-ef56gh78"
ORGANIZATION = "o-a1b2c3d4e5"
USER = "arn:aws:iam::444444444444:user/platform/auditor"
LENS_SHARES = {
    "MemberAccountId": MEMBER,
    "OrganizationalUnitId": OU,
    "OrganizationId": ORGANIZATION,
    "IamUserArn": USER,
}


def test_lens_shares_example_publishes_the_lens_shares_it_replaces_and_deletes(cloud: LocalCloud) -> None:
    deploy_provider(cloud)

    stack = cloud.deploy("platform-lens", EXAMPLES / "lens-shares.yaml", LENS_SHARES)

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    lens = stack.outputs["LensArn"]["value"]
    assert lens == stack.resources["PlatformLens"].physical_id
    assert principals(cloud, lens) == {MEMBER: "PENDING", OU: "ASSOCIATED", ORGANIZATION: "ASSOCIATED", USER: "PENDING"}
    shares = {share["SharedWith"]: share["ShareId"] for share in cloud.emulator.shares(lens)}
    assert stack.outputs["UserShareId"]["value"] == shares[USER]
    assert cloud.emulator.organization_sharing(OWNER) == "ENABLED"

    mark = len(stack.events)
    cloud.deploy("platform-lens", EXAMPLES / "lens-shares.yaml", {"MemberAccountId": "333333333333"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert set(principals(cloud, lens)) == {"333333333333", OU, ORGANIZATION, USER}
    assert resource_statuses(stack, "AccountShare", mark) == [
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "DELETE_IN_PROGRESS",  # the replaced share, in the clean-up phase
        "DELETE_COMPLETE",
    ]
    assert resource_statuses(stack, "UserShare", mark) == []  # unchanged: no event

    cloud.delete("platform-lens")

    assert stack.status == "DELETE_COMPLETE"
    assert cloud.stack("platform-lens") is None
    assert cloud.emulator.shares() == []
    assert cloud.emulator.dump()["lenses"] == []  # DeleteLens
    assert cloud.emulator.organization_sharing(OWNER) == "ENABLED"  # DisableOnDelete "false"


def test_organization_rollout_example_follows_changed_lists(cloud: LocalCloud) -> None:
    deploy_provider(cloud)
    lens = cloud.emulator.create_lens()
    parameters = {"LensArn": lens, "AccountIds": "555555555555,666666666666", "OrganizationalUnitIds": OU}

    stack = cloud.deploy("rollout", EXAMPLES / "organization-rollout.yaml", parameters)

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert set(principals(cloud, lens)) == {"555555555555", "666666666666", OU}
    assert set(stack.resources) == {
        "OrganizationSharing",
        "AccountShare555555555555",
        "AccountShare666666666666",
        "OrganizationalUnitShareouab12cd34ef56",  # &{OuId}: the hyphens dropped
    }
    assert set(stack.outputs) == {
        "OrganizationSharingStatus",
        "AccountShareId555555555555",
        "AccountShareId666666666666",
    }

    mark = len(stack.events)
    update = {"AccountIds": "555555555555,777777777777", "OrganizationalUnitIds": f"{OU},{NEW_OU}"}
    cloud.deploy("rollout", EXAMPLES / "organization-rollout.yaml", update)  # LensArn keeps its previous value

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert set(principals(cloud, lens)) == {"555555555555", "777777777777", OU, NEW_OU}
    assert resource_statuses(stack, "AccountShare666666666666", mark) == ["DELETE_IN_PROGRESS", "DELETE_COMPLETE"]
    assert position(stack, "AccountShare666666666666", "DELETE_IN_PROGRESS", mark) > position(
        stack, "rollout", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", mark
    )
    assert resource_statuses(stack, "AccountShare555555555555", mark) == []

    cloud.delete("rollout")

    assert stack.status == "DELETE_COMPLETE"
    assert cloud.emulator.shares(lens) == []


def test_member_acceptance_stackset_instance_accepts_the_owners_share(cloud: LocalCloud) -> None:
    deploy_provider(cloud)
    owner = cloud.deploy("platform-lens", EXAMPLES / "lens-shares.yaml", LENS_SHARES)
    lens = owner.outputs["LensArn"]["value"]
    assert principals(cloud, lens)[MEMBER] == "PENDING"
    cloud.upload(ROOT / "member" / "template.yaml", "s3://artifacts-us-east-1/lens-share-provider/member.yaml")

    member = cloud.deploy(
        "StackSet-member-lens",
        EXAMPLES / "member-acceptance-stackset.yaml",
        {"ArtifactBucketPrefix": "artifacts", "AllowedOwners": OWNER, "LensArn": lens},
        MEMBER,
    )

    assert member.status == "CREATE_COMPLETE", member.events_table()
    assert principals(cloud, lens)[MEMBER] == "ACCEPTED"
    assert member.outputs["LensArn"]["value"] == lens
    (nested,) = cloud.nested(member)
    assert nested.account == MEMBER
    assert member.resources["Acceptance"].physical_id == nested.stack_id
    assert nested.outputs["ServiceToken"]["value"].startswith(f"arn:aws:lambda:us-east-1:{MEMBER}:function:")

    mark = len(member.events)
    cloud.deploy("StackSet-member-lens", EXAMPLES / "member-acceptance-stackset.yaml", {}, MEMBER)
    assert not member.changed  # nothing changed: no events kept
    assert len(member.events) == mark

    cloud.delete("StackSet-member-lens")

    assert member.status == "DELETE_COMPLETE"
    assert cloud.stack(nested.name) is None
    assert principals(cloud, lens)[MEMBER] == "ACCEPTED"  # accepting cannot be undone; the owner's share stays


def test_nested_application_example_runs_the_provider_as_a_nested_stack(cloud: LocalCloud) -> None:
    lens = cloud.emulator.create_lens()
    parameters = {
        "ProviderApplicationId": "arn:aws:serverlessrepo:us-east-1:123456789012:applications/lens-share-provider",
        "LensArn": lens,
        "SharedWith": "555555555555",
    }

    stack = cloud.deploy("app", EXAMPLES / "nested-application.yaml", parameters)

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert stack.resources["LensShareProvider"].resource_type == "AWS::CloudFormation::Stack"
    assert principals(cloud, lens) == {"555555555555": "PENDING"}
    share_id = stack.outputs["ShareId"]["value"]

    cloud.deploy("app", EXAMPLES / "nested-application.yaml", {"SharedWith": "666666666666"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert principals(cloud, lens) == {"666666666666": "PENDING"}
    assert stack.outputs["ShareId"]["value"] != share_id

    cloud.delete("app")

    assert stack.status == "DELETE_COMPLETE"
    assert cloud.emulator.shares(lens) == []
    assert cloud.stacks() == []


@pytest.mark.long
def test_300_account_rollout_creates_the_shares_concurrently(cloud: LocalCloud) -> None:
    """300 shares in one stack, unthrottled: the throttled figure is the rollout benchmark's (make bench)."""
    deploy_provider(cloud)
    lens = cloud.emulator.create_lens()
    accounts = [f"{100000000000 + index:012d}" for index in range(300)]
    parameters = {"LensArn": lens, "AccountIds": ",".join(accounts), "OrganizationalUnitIds": ""}  # no OU

    stack = cloud.deploy("rollout", EXAMPLES / "organization-rollout.yaml", parameters)

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    held = principals(cloud, lens)
    assert set(held) == set(accounts)
    assert len(held) == 300
    # CloudFormation's concurrency: many shares were in progress before the first one completed
    first_complete = next(
        i
        for i, e in enumerate(stack.events)
        if e.logical_id.startswith("AccountShare") and e.status == "CREATE_COMPLETE"
    )
    started_before = [e for e in stack.events[:first_complete] if e.status == "CREATE_IN_PROGRESS"]
    assert len(started_before) > 2

    cloud.delete("rollout")

    assert stack.status == "DELETE_COMPLETE", stack.events_table()
    assert cloud.emulator.shares(lens) == []
