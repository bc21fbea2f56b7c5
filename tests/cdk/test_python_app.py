"""The construct library's Python package (the jsii-pacmak wheel, in .venv-cdk) in a Python CDK app: synthesized,
then deployed, updated and deleted on the local CloudFormation, with the shares the emulator holds asserted. Its
Bundled stack names no provider: one provider function per stack, from the library's file asset, deployed from
cdk.out through `python -m local` and deleted clean."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local import assets
from local.cli import main
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
    # AWS's built-in CloudFormation validation changes nothing synthesized (what it finds is a warning) and took
    # three quarters of the synthesis's CPU: the Jest tests hold every construct's template to it.
    environment = os.environ | {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CDK_VALIDATION": "false"}
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
    first, second, _, _ = templates
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


SHARES = ("Custom::LensShare", "Custom::WorkloadShare")


def resources(template: Path, resource_type: str) -> dict[str, dict[str, Any]]:
    body: dict[str, Any] = json.loads(template.read_text(encoding="utf-8"))
    return {name: each for name, each in body["Resources"].items() if each["Type"] == resource_type}


def actions(role: dict[str, Any]) -> list[str]:
    statements = [each for policy in role["Properties"]["Policies"] for each in policy["PolicyDocument"]["Statement"]]
    found = [each["Action"] for each in statements]
    return [action for each in found for action in ([each] if isinstance(each, str) else each)]


def test_the_app_synthesizes_one_provider_function_from_a_file_asset_of_its_stack(templates: list[Path]) -> None:
    bundled = templates[3]

    (function,) = resources(bundled, "AWS::Lambda::Function").values()

    properties = function["Properties"]
    assert properties["Runtime"] == "python3.13"
    code = assets.code_directory(bundled, properties["Code"])
    assert code is not None, "the function's code is not a file asset of the stack"
    assert (code / "lens_share" / "app.py").is_file()
    assert (code / "crhelper" / "__init__.py").is_file()
    (role,) = resources(bundled, "AWS::IAM::Role").values()
    assert properties["Role"] == {"Fn::GetAtt": [next(iter(resources(bundled, "AWS::IAM::Role"))), "Arn"]}
    granted = actions(role)
    assert granted, "the role grants nothing"
    assert [action for action in granted if "*" in action] == []
    assert "organizations:EnableAWSServiceAccess" not in granted


def test_each_share_has_a_service_timeout_beyond_the_functions_timeout(templates: list[Path]) -> None:
    bundled = templates[3]
    (function,) = resources(bundled, "AWS::Lambda::Function").values()

    shares = [share for kind in SHARES for share in resources(bundled, kind).values()]

    assert len(shares) == 2
    timeouts = {int(share["Properties"]["ServiceTimeout"]) for share in shares}
    assert timeouts == {function["Properties"]["Timeout"] + 60}


def test_the_app_deploys_from_cdk_out_through_the_cli_with_exactly_its_shares_and_deletes_clean(
    templates: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = ["--state-dir", str(tmp_path / "state")]

    deployed = main([*state, "deploy", "--template-file", str(templates[3]), "--stack-name", "bundled"])

    assert deployed == 0, capsys.readouterr().out
    with LocalCloud(tmp_path / "state") as cloud:
        held = {(share["SharedWith"], share["Status"]) for share in cloud.emulator.shares()}
        assert held == {(MEMBER, "PENDING"), (REVIEWER, "PENDING")}
        assert len(cloud.emulator.shares()) == 2

    assert main([*state, "delete", "--stack-name", "bundled"]) == 0, capsys.readouterr().out
    with LocalCloud(tmp_path / "state") as cloud:
        assert cloud.emulator.shares() == []
        assert cloud.stacks() == []
