"""Every example that uses the registry types, parsed as its tool parses it and checked against the types'
schemas: a type the registration registers, every required property set, no property the schema lacks."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest
from cfnlint.decode import decode_str

from build_types import permissions, schema
from lens_share_types.kinds import BY_NAME, DEFAULT_NAMESPACE, TYPES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCHEMAS = {share_type.name: schema(share_type, DEFAULT_NAMESPACE) for share_type in TYPES}


def template(name: str) -> dict[str, Any]:
    document, problems = decode_str((EXAMPLES / name).read_text(encoding="utf-8"))
    assert not problems, problems
    return dict(document)


def check(name: str, given: set[str]) -> None:
    """The properties a template, program or configuration gives one type."""
    described = SCHEMAS[name]
    writable = set(described["properties"]) - {p.removeprefix("/properties/") for p in described["readOnlyProperties"]}
    assert set(described["required"]) <= given, f"{name} misses {set(described['required']) - given}"
    assert given <= writable, f"{name} has no {given - writable}"


def test_the_cloudformation_example_uses_every_type_as_its_schema_says() -> None:
    resources = template("registry-types.yaml")["Resources"]
    used: dict[str, set[str]] = {}
    for resource in resources.values():
        prefix = f"{DEFAULT_NAMESPACE}::WellArchitected::"
        if resource["Type"].startswith(prefix):
            used[resource["Type"].removeprefix(prefix)] = set(resource["Properties"])

    assert set(used) == set(BY_NAME)
    for name, given in used.items():
        check(name, given)


def test_the_terraform_example_drives_every_type_through_cloud_control() -> None:
    parsed = hcl2.loads((EXAMPLES / "terraform" / "main.tf").read_text(encoding="utf-8"))
    resources = [
        body
        for block in parsed["resource"]
        for kind, named in block.items()
        if kind.strip('"') == "aws_cloudcontrolapi_resource"
        for body in named.values()
    ]
    used: dict[str, set[str]] = {}
    for body in resources:
        type_name = body["type_name"].strip('"')
        assert type_name.startswith("${var.namespace}::WellArchitected::")
        used[type_name.rsplit("::", 1)[1]] = set(re.findall(r"(\w+) = ", body["desired_state"]))

    assert set(used) == set(BY_NAME)
    for name, given in used.items():
        check(name, given)


def test_the_pulumi_example_drives_every_type_as_an_extension_resource() -> None:
    program = ast.parse((EXAMPLES / "pulumi" / "__main__.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(program)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "share"
    ]
    used: dict[str, set[str]] = {}
    for call in calls:
        type_node, shared = call.args
        assert isinstance(type_node, ast.Constant)
        assert isinstance(shared, ast.Dict)
        keys = {str(key.value) for key in shared.keys if isinstance(key, ast.Constant)}
        used[str(type_node.value)] = keys | {"SharedWith"}
    [extension] = [
        node.func
        for node in ast.walk(program)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "ExtensionResource"
    ]

    assert isinstance(extension.value, ast.Name)
    assert extension.value.id == "aws_native"
    assert set(used) == set(BY_NAME)
    for name, given in used.items():
        check(name, given)


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_the_registration_gives_each_type_exactly_its_handlers_permissions(name: str) -> None:
    resources = template("registry-types-registration.yaml")["Resources"]
    [policy] = resources[f"{name}ExecutionRole"]["Properties"]["Policies"]
    granted = [
        action
        for statement in policy["PolicyDocument"]["Statement"]
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
    ]
    version = resources[f"{name}Version"]["Properties"]

    assert sorted(granted) == sorted({a for actions in permissions(BY_NAME[name]).values() for a in actions})
    assert version["ExecutionRoleArn"] == {"Fn::GetAtt": [f"{name}ExecutionRole", "Arn"]}
    assert "LoggingConfig" in version
    assert resources[f"{name}DefaultVersion"]["Properties"]["TypeVersionArn"] == {"Ref": f"{name}Version"}


def test_the_stackset_deploys_the_registration_everywhere() -> None:
    stack_set = template("registry-types-stackset.yaml")["Resources"]["RegistryTypes"]["Properties"]
    registration = template("registry-types-registration.yaml")["Parameters"]

    assert stack_set["PermissionModel"] == "SERVICE_MANAGED"
    assert stack_set["AutoDeployment"]["Enabled"] is True
    passed = {parameter["ParameterKey"] for parameter in stack_set["Parameters"]}
    required = {name for name, parameter in registration.items() if "Default" not in parameter}
    assert required <= passed <= set(registration)
