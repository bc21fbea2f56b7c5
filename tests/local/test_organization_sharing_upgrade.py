"""Least privilege by default (1.4.0): a provider deployed with template.yaml's defaults cannot turn organization
sharing on, and Custom::WellArchitectedOrganizationSharing then fails naming the parameter and the CDK prop. A
1.3.0 deployment (OrganizationSharing=enabled, 1.3.0's default) upgraded to the new default keeps its shares, its
organization and OU shares and its organization-sharing resource, and the stacks that use it go on updating and
deleting with nothing failing."""

from __future__ import annotations

from pathlib import Path

from local.cloud import LocalCloud
from tests.local.cloud_helpers import EXAMPLES, OWNER, PROVIDER, ROOT, principals, write

OU, NEW_OU = "ou-ab12-cd34ef56", "ou-ab12-ef56gh78"
SHARING = """\
    Resources:
      OrganizationSharing:
        Type: Custom::WellArchitectedOrganizationSharing
        Properties:
          ServiceToken: !ImportValue lens-share-provider-ServiceToken
          DisableOnDelete: "{disable}"
    """


def provider(cloud: LocalCloud, overrides: dict[str, str]) -> None:
    stack = cloud.deploy(PROVIDER, ROOT / "template.yaml", overrides, OWNER)
    assert stack.status in {"CREATE_COMPLETE", "UPDATE_COMPLETE"}, stack.events_table()


def test_a_new_provider_cannot_turn_organization_sharing_on_and_says_what_to_set(cloud: LocalCloud) -> None:
    provider(cloud, {})
    lens = cloud.emulator.create_lens()

    parameters = {"LensArn": lens, "AccountIds": "555555555555", "OrganizationalUnitIds": OU}

    stack = cloud.deploy("rollout", EXAMPLES / "organization-rollout.yaml", parameters)

    assert stack.status == "ROLLBACK_COMPLETE"
    (failed,) = [event for event in stack.events if event.status == "CREATE_FAILED"]
    assert failed.logical_id == "OrganizationSharing"
    assert "OrganizationSharing=enabled" in failed.reason
    assert "organizationSharing: true" in failed.reason
    assert cloud.emulator.organization_sharing(OWNER) == "DISABLED"
    assert cloud.emulator.shares(lens) == []


def test_a_1_3_0_provider_upgraded_to_the_new_default_keeps_every_share_and_its_stacks_keep_working(
    cloud: LocalCloud, tmp_path: Path
) -> None:
    provider(cloud, {"OrganizationSharing": "enabled"})  # what 1.3.0 deployed by default
    lens = cloud.emulator.create_lens()
    rollout = {"LensArn": lens, "AccountIds": "555555555555", "OrganizationalUnitIds": OU}
    stack = cloud.deploy("rollout", EXAMPLES / "organization-rollout.yaml", rollout)
    sharing = cloud.deploy("sharing", write(tmp_path, "sharing.yaml", SHARING.format(disable="false")), {})
    assert (stack.status, sharing.status) == ("CREATE_COMPLETE", "CREATE_COMPLETE"), stack.events_table()
    before = {share["SharedWith"]: share["ShareId"] for share in cloud.emulator.shares(lens)}

    # The new default, given as `aws cloudformation update-stack` without the parameter would give it.
    provider(cloud, {"OrganizationSharing": "disabled"})

    assert {share["SharedWith"]: share["ShareId"] for share in cloud.emulator.shares(lens)} == before
    assert cloud.emulator.organization_sharing(OWNER) == "ENABLED"
    cloud.deploy("rollout", EXAMPLES / "organization-rollout.yaml", {"OrganizationalUnitIds": f"{OU},{NEW_OU}"})
    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert principals(cloud, lens) == {"555555555555": "PENDING", OU: "ASSOCIATED", NEW_OU: "ASSOCIATED"}
    # An Update of the organization-sharing resource finds the setting on and needs no power to change it.
    cloud.deploy("sharing", write(tmp_path, "sharing.yaml", SHARING.format(disable="true")), {})
    assert sharing.status == "UPDATE_COMPLETE", sharing.events_table()

    cloud.delete("sharing")
    cloud.delete("rollout")

    assert (sharing.status, stack.status) == ("DELETE_COMPLETE", "DELETE_COMPLETE")
    assert cloud.emulator.shares(lens) == []
    # Without the power to turn it off, its Delete leaves the setting on rather than fail.
    assert cloud.emulator.organization_sharing(OWNER) == "ENABLED"
