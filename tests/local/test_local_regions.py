"""The local CloudFormation deploys to a Region: the stack, its functions and its lenses live there, apart from
the same templates deployed in another Region."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from local.cli import main
from local.cloud import LocalCloud
from tests.local.cloud_helpers import EXAMPLES, MEMBER, OWNER, ROOT

WEST = "eu-west-1"
SHARES = {
    "MemberAccountId": MEMBER,
    "OrganizationalUnitId": "ou-ab12-cd34ef56",
    "OrganizationId": "o-a1b2c3d4e5",
    "IamUserArn": "arn:aws:iam::444444444444:user/platform/auditor",
}


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[LocalCloud]:
    with LocalCloud(tmp_path / "state") as started:
        yield started


def test_the_same_templates_deploy_in_two_regions_each_with_its_own_lens_and_shares(cloud: LocalCloud) -> None:
    stacks = {}
    for region in ("us-east-1", WEST):
        sharing = {"OrganizationSharing": "enabled"}  # lens-shares.yaml turns organization sharing on
        cloud.deploy(f"lens-share-provider-{region}", ROOT / "template.yaml", sharing, region=region)
        parameters = SHARES | {"ProviderStackName": f"lens-share-provider-{region}"}
        stacks[region] = cloud.deploy(
            f"platform-lens-{region}", EXAMPLES / "lens-shares.yaml", parameters, region=region
        )

    lenses = {region: stack.outputs["LensArn"]["value"] for region, stack in stacks.items()}
    assert {region: lens.split(":")[3] for region, lens in lenses.items()} == {"us-east-1": "us-east-1", WEST: WEST}
    for region, lens in lenses.items():
        assert stacks[region].status == "CREATE_COMPLETE", stacks[region].events_table()
        assert stacks[region].region == region
        assert {share["SharedWith"] for share in cloud.emulator.shares(lens)} >= {MEMBER}
    west_invitations = cloud.emulator.invitations(MEMBER, region=WEST)
    assert {invitation["LensArn"] for invitation in west_invitations} == {lenses[WEST]}
    for region in ("us-east-1", WEST):
        listing = boto3.client(
            "cloudformation",
            region_name=region,
            endpoint_url=cloud.cloudformation_url(OWNER),
            aws_access_key_id=f"AKIDLOCAL{OWNER}",
            aws_secret_access_key="local",
        ).list_stacks()["StackSummaries"]
        assert sorted(summary["StackName"] for summary in listing) == [
            f"lens-share-provider-{region}",
            f"platform-lens-{region}",
        ]
    provider = cloud.stack(f"lens-share-provider-{WEST}")
    assert provider is not None
    assert provider.outputs["ServiceToken"]["value"].startswith(f"arn:aws:lambda:{WEST}:")


def test_the_command_takes_a_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = ["--state-dir", str(tmp_path / "state")]
    lens = ["--template-file", str(EXAMPLES / "lens-shares.yaml"), "--stack-name", "west-lens", "--region", WEST]

    provider = ["--template-file", str(ROOT / "template.yaml"), "--stack-name", "p", "--region", WEST]
    sharing = ["--parameter-overrides", "OrganizationSharing=enabled"]  # lens-shares.yaml turns it on

    assert main([*state, "deploy", *provider, *sharing]) == 0
    overrides = [f"{key}={value}" for key, value in (SHARES | {"ProviderStackName": "p"}).items()]
    assert main([*state, "deploy", *lens, "--parameter-overrides", *overrides]) == 0
    assert main([*state, "describe", "--stack-name", "west-lens"]) == 0

    described = capsys.readouterr().out
    assert f"  Region {WEST}" in described
    assert f"arn:aws:wellarchitected:{WEST}:" in described
