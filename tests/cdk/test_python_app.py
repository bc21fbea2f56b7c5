"""The construct library's Python package (the jsii-pacmak wheel, in .venv-cdk) in a Python CDK app: synthesized,
then deployed, updated and deleted on the local CloudFormation, with the shares the emulator holds asserted."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local.cloud import LocalCloud
from tests.local.cloud_helpers import ROOT, deploy_provider

CDK_PYTHON = ROOT / ".venv-cdk" / "bin" / "python"
MEMBER, REVIEWER, OU = "222222222222", "333333333333", "ou-ab12-cd34ef56"
KEPT, REMOVED, ADDED = "555555555555", "666666666666", "777777777777"

pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="node is missing: the CDK library is not built"),
    pytest.mark.long,
]


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The app's two versions, synthesized by app.synth() in the CDK's environment: no cdk CLI."""
    assert CDK_PYTHON.exists(), "the CDK library's Python environment is missing: run make cdk-python"
    outdir = tmp_path_factory.mktemp("cdk.out")
    environment = os.environ | {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    synthesized = subprocess.run(
        [CDK_PYTHON, Path(__file__).with_name("app.py"), outdir],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
    )
    assert synthesized.returncode == 0, synthesized.stderr
    return [Path(line) for line in synthesized.stdout.split()]


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[LocalCloud]:
    with LocalCloud(tmp_path / "state") as started:
        yield started


def held(cloud: LocalCloud, kind: str) -> dict[str, dict[str, Any]]:
    """What the emulator holds of one kind: principal -> share."""
    return {share["SharedWith"]: share for share in cloud.emulator.shares(kind=kind)}


def test_the_python_app_deploys_updates_and_deletes_exactly_the_declared_shares(
    cloud: LocalCloud, templates: list[Path]
) -> None:
    first, second, _ = templates
    deploy_provider(cloud)

    stack = cloud.deploy("program", first, {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    lenses = held(cloud, "LENS")
    assert {principal: share["Status"] for principal, share in lenses.items()} == {
        MEMBER: "PENDING",
        KEPT: "PENDING",
        REMOVED: "PENDING",
        OU: "ASSOCIATED",
    }
    assert stack.outputs["MemberShareId"]["value"] == lenses[MEMBER]["ShareId"]
    assert {principal: share["Status"] for principal, share in held(cloud, "PROFILE").items()} == {OU: "ASSOCIATED"}
    reviewers = held(cloud, "WORKLOAD")[REVIEWER]
    assert (reviewers["PermissionType"], reviewers["ShareId"]) == (
        "CONTRIBUTOR",
        stack.outputs["ReviewerShareId"]["value"],
    )
    assert cloud.emulator.organization_sharing() == "ENABLED"

    cloud.deploy("program", second, {})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    updated = held(cloud, "LENS")
    assert set(updated) == {MEMBER, KEPT, ADDED, OU}
    # The rollout's shares are keyed by principal: removing one account left the others as they were.
    assert {p: updated[p]["ShareId"] for p in (MEMBER, KEPT, OU)} == {
        p: lenses[p]["ShareId"] for p in (MEMBER, KEPT, OU)
    }
    assert held(cloud, "WORKLOAD")[REVIEWER]["PermissionType"] == "READONLY"
    assert held(cloud, "WORKLOAD")[REVIEWER]["ShareId"] == reviewers["ShareId"]  # changed in place

    cloud.delete("program")

    assert stack.status == "DELETE_COMPLETE", stack.events_table()
    assert cloud.emulator.shares() == []


def test_a_nested_provider_serves_the_shares_of_its_stack(cloud: LocalCloud, templates: list[Path]) -> None:
    stack = cloud.deploy("nested", templates[2], {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    (provider,) = cloud.nested(stack)
    assert provider.parameters["AllowedPrincipals"] == MEMBER
    assert {principal: share["Status"] for principal, share in held(cloud, "LENS").items()} == {MEMBER: "PENDING"}

    cloud.delete("nested")

    assert stack.status == "DELETE_COMPLETE", stack.events_table()
    assert cloud.emulator.shares() == []
    assert cloud.stacks() == []
