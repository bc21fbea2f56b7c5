"""The landing-zone examples: the fields each tool's documentation names (Landing Zone Accelerator's
customizations-config.yaml, Customizations for Control Tower's manifest.yaml), and what they describe deployed
through local stacks and StackSets with the same targets and Regions, asserting on what each account holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from emulator import WellArchitectedEmulator
from local.cloud import LocalCloud
from local.organization import Organization, local_organization
from local.stacksets import StackSets, Targets
from tests.local.cloud_helpers import EXAMPLES, ROOT

ACCELERATOR = EXAMPLES / "landing-zone-accelerator" / "customizations-config.yaml"
CONTROL_TOWER = EXAMPLES / "customizations-for-control-tower" / "manifest.yaml"
# The placeholders the examples carry, replaced by the local organization's own IDs.
PLACEHOLDER_UNIT, PLACEHOLDER_OWNER = "ou-ab12-cd34ef56", "111111111111"
ORGANIZATION_ID = "o-a1b2c3d4e5"
PACKAGED = {
    "lens-share-provider/packaged.yaml": ROOT / "template.yaml",
    "lens-share-provider/member.yaml": ROOT / "member" / "template.yaml",
}


def load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def example_template(reference: str) -> Path:
    """A template the configuration names by its folder in the tool's repository (cloudformation/, templates/)."""
    path = EXAMPLES / Path(reference).name
    assert path.is_file(), reference
    return path


def test_the_accelerator_config_has_the_fields_its_documentation_names() -> None:
    customizations = load(ACCELERATOR)["customizations"]
    assert set(customizations) == {"cloudFormationStacks", "cloudFormationStackSets"}
    for stack in customizations["cloudFormationStacks"]:
        assert set(stack) <= {"name", "description", "template", "deploymentTargets", "regions", "runOrder",
                              "parameters", "terminationProtection"}  # fmt: skip
        assert {"name", "template", "deploymentTargets", "regions", "runOrder", "terminationProtection"} <= set(stack)
    for stack_set in customizations["cloudFormationStackSets"]:
        assert set(stack_set) <= {"name", "description", "template", "deploymentTargets", "regions", "parameters",
                                  "capabilities", "operationPreferences", "dependsOn"}  # fmt: skip
        assert {"name", "template", "deploymentTargets", "regions"} <= set(stack_set)
        assert set(stack_set["operationPreferences"]) <= {
            "failureToleranceCount", "failureTolerancePercentage", "maxConcurrentCount", "maxConcurrentPercentage",
        }  # fmt: skip
    for entry in [*customizations["cloudFormationStacks"], *customizations["cloudFormationStackSets"]]:
        assert set(entry["deploymentTargets"]) <= {"accounts", "organizationalUnits"}
        assert all(set(parameter) == {"name", "value"} for parameter in entry.get("parameters", []))
        example_template(entry["template"])


def test_the_control_tower_manifest_has_the_fields_its_documentation_names() -> None:
    manifest = load(CONTROL_TOWER)
    assert set(manifest) == {"region", "version", "resources"}
    for resource in manifest["resources"]:
        assert set(resource) <= {"name", "description", "resource_file", "deploy_method", "deployment_targets",
                                 "regions", "parameters", "parameter_file", "export_outputs"}  # fmt: skip
        assert resource["deploy_method"] == "stack_set"
        assert set(resource["deployment_targets"]) <= {"accounts", "organizational_units"}
        assert all(set(parameter) == {"parameter_key", "parameter_value"} for parameter in resource["parameters"])
        example_template(resource["resource_file"])


def test_both_tools_describe_the_same_rollout() -> None:
    customizations = load(ACCELERATOR)["customizations"]
    accelerator = [*customizations["cloudFormationStacks"], *customizations["cloudFormationStackSets"]]
    control_tower = load(CONTROL_TOWER)["resources"]
    assert [(e["name"], Path(e["template"]).name, e["regions"]) for e in accelerator] == [
        (r["name"], Path(r["resource_file"]).name, r["regions"]) for r in control_tower
    ]


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[LocalCloud]:
    with LocalCloud(tmp_path / "state") as started:
        yield started


@pytest.fixture
def organization(cloud: LocalCloud) -> Iterator[Organization]:
    with local_organization(cloud.state_dir) as held:
        yield held


def test_the_accelerator_rollout_deploys_with_its_targets_and_regions(
    cloud: LocalCloud, organization: Organization
) -> None:
    customizations = load(ACCELERATOR)["customizations"]
    [owner_stack] = customizations["cloudFormationStacks"]
    [member_set] = customizations["cloudFormationStackSets"]
    workloads = organization.create_unit("Workloads")
    members = [organization.create_account(f"workload-{n}", workloads) for n in range(2)]
    management = organization.management_account
    names = {"Management": management}
    ids = {PLACEHOLDER_UNIT: workloads, PLACEHOLDER_OWNER: management}
    for member in members:
        cloud.emulator.add_organization_member(member, ORGANIZATION_ID, [workloads])

    def parameters(entry: dict[str, Any]) -> dict[str, str]:
        return {p["name"]: ids.get(str(p["value"]), str(p["value"])) for p in entry.get("parameters", [])}

    prefix = parameters(owner_stack)["ArtifactBucketPrefix"]
    for region in {*owner_stack["regions"], *member_set["regions"]}:
        for key, path in PACKAGED.items():
            cloud.upload(path, f"https://{prefix}-{region}.s3.{region}.amazonaws.com/{key}")

    lenses = {}
    for account in [names[name] for name in owner_stack["deploymentTargets"]["accounts"]]:
        for region in owner_stack["regions"]:
            template = example_template(owner_stack["template"])
            stack = cloud.deploy(
                f"{owner_stack['name']}-{region}", template, parameters(owner_stack), account, region=region
            )
            assert stack.status == "CREATE_COMPLETE", stack.events_table()
            lenses[region] = stack.outputs["LensArn"]["value"]
    sets = StackSets(cloud, organization)
    units = tuple(ids.get(unit, workloads) for unit in member_set["deploymentTargets"]["organizationalUnits"])
    operation = sets.create(
        member_set["name"],
        example_template(member_set["template"]),
        parameters(member_set),
        Targets(units=units),
        member_set["regions"],
    )

    assert operation.status == "SUCCEEDED", operation.table()
    assert {(r.account, r.region) for r in operation.results} == {
        (member, region) for member in members for region in member_set["regions"]
    }
    emulator: WellArchitectedEmulator = cloud.emulator
    for region, lens in lenses.items():
        assert lens.split(":")[3:5] == [region, management]
        assert [(share["SharedWith"], share["Status"]) for share in emulator.shares(lens)] == [
            (workloads, "ASSOCIATED")
        ]
        for member in members:
            assert cloud.client("wellarchitected", member, region).get_lens(LensAlias=lens)["Lens"]["LensArn"] == lens
    for instance in sets.get(member_set["name"]).instances:
        deployed = cloud.stack(instance.stack_name)
        assert deployed is not None
        [acceptance] = cloud.nested(deployed)
        token = deployed.outputs["ServiceToken"]["value"]
        assert token.startswith(f"arn:aws:lambda:{instance.region}:{instance.account}:function:")
        assert acceptance.parameters["AllowedOwners"] == management
