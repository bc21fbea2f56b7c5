"""What the CDK's bundled provider takes from template.yaml, so that the two cannot drift: each function's settings
and policy statements as written (provider.generated.ts), and each role as the SAM transform makes it
(cdk/test/roles.generated.json, which the Jest tests compare the synthesized roles with)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

from local.template import read

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
FUNCTIONS = {"PROVIDER_FUNCTION": "LensShareFunction", "HEALTH_CHECK_FUNCTION": "HealthCheckFunction"}
PARAMETERS = ("AllowedPrincipals", "OrganizationSharing", "LogRetentionInDays", "HealthCheckSchedule", "AlarmEmail")
# Every setting of the parameters that decide a role's statements.
SETTINGS = [(principals, sharing) for principals in ("ANY", "ORGANIZATION") for sharing in ("enabled", "disabled")]
_NO_VALUE = {"Ref": "AWS::NoValue"}
_PSEUDO = {
    "AWS::AccountId": "111111111111",
    "AWS::Region": "us-east-1",
    "AWS::StackName": "provider",
    "AWS::StackId": "arn:aws:cloudformation:us-east-1:111111111111:stack/provider/1",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NotificationARNs": [],
}


def _source() -> dict[str, Any]:
    """template.yaml before the transform, as cfn-lint decodes it."""
    decoded: dict[str, Any] = json.loads(json.dumps(cfn_yaml.load(str(TEMPLATE))))
    return decoded


def _policies(policies: list[Any]) -> list[dict[str, Any]]:
    """Each policy's statements and the condition it is under, if any (an Fn::If with AWS::NoValue otherwise)."""
    groups = []
    for policy in policies:
        if "Fn::If" in policy:
            condition, statements, otherwise = policy["Fn::If"]
            if otherwise != _NO_VALUE:
                raise ValueError("template.yaml: a policy's Fn::If must leave AWS::NoValue otherwise")
            groups.append({"condition": condition, "statements": statements["Statement"]})
        else:
            groups.append({"condition": None, "statements": policy["Statement"]})
    return groups


def _function(properties: dict[str, Any]) -> dict[str, Any]:
    (layer,) = properties["Layers"]
    (architecture,) = properties["Architectures"]
    variables = properties["Environment"]["Variables"]
    return {
        "handler": properties["Handler"],
        "runtime": properties["Runtime"],
        "architecture": architecture,
        "memorySize": properties["MemorySize"],
        "timeout": properties["Timeout"],
        "layer": layer["Fn::Sub"],
        "environment": {name: value for name, value in variables.items() if isinstance(value, str)},
        "parameters": {name: value["Ref"] for name, value in variables.items() if isinstance(value, dict)},
        "policies": _policies(properties["Policies"]),
    }


def _properties(source: dict[str, Any], logical_id: str) -> dict[str, Any]:
    properties: dict[str, Any] = source["Resources"][logical_id]["Properties"]
    return properties


def module() -> str:
    """provider.generated.ts: the functions' settings, statements and the parameters' defaults."""
    source = _source()
    functions = "".join(
        f"export const {name}: FunctionSpec = {json.dumps(_function(_properties(source, logical_id)), indent=2)};\n\n"
        for name, logical_id in FUNCTIONS.items()
    )
    defaults = {name: str(source["Parameters"][name]["Default"]) for name in PARAMETERS}
    return (
        "import { FunctionSpec } from './function-spec';\n\n"
        + functions
        + "/** template.yaml's parameters' defaults, which the bundled provider's props default to. */\n"
        + f"export const PARAMETER_DEFAULTS: {{ [name: string]: string }} = {json.dumps(defaults, indent=2)};\n"
    )


def _chosen(node: Any, truth: dict[str, bool]) -> Any:
    """What CloudFormation deploys of a node: each Fn::If replaced by its branch, AWS::NoValue dropped."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, when_true, when_false = node["Fn::If"]
            return _chosen(when_true if truth[name] else when_false, truth)
        kept = {key: _chosen(value, truth) for key, value in node.items()}
        return {key: value for key, value in kept.items() if value != _NO_VALUE}
    if isinstance(node, list):
        return [item for item in (_chosen(each, truth) for each in node) if item != _NO_VALUE]
    return node


def roles() -> dict[str, Any]:
    """Each function's role after the SAM transform and CloudFormation's conditions, for every setting."""
    found: dict[str, Any] = {}
    for principals, sharing in SETTINGS:
        overrides = {"AllowedPrincipals": principals, "OrganizationSharing": sharing}
        template = read(TEMPLATE, overrides, {}, _PSEUDO)
        for name, logical_id in FUNCTIONS.items():
            role = _chosen(template.resources[f"{logical_id}Role"]["Properties"], template.conditions)
            found[f"{name} {principals} {sharing}"] = {
                "AssumeRolePolicyDocument": role["AssumeRolePolicyDocument"],
                "ManagedPolicyArns": role["ManagedPolicyArns"],
                "Statements": [each for policy in role["Policies"] for each in policy["PolicyDocument"]["Statement"]],
            }
    return found


def timeout() -> int:
    """The provider function's timeout in seconds, from which the shares' ServiceTimeout is counted."""
    value: int = _properties(_source(), FUNCTIONS["PROVIDER_FUNCTION"])["Timeout"]
    return value
