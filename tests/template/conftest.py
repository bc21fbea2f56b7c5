"""template.yaml as CloudFormation reads it, and as the SAM transform turns it into plain CloudFormation.

The transform runs offline: aws-sam-translator in process, with a stub for the one thing it could ask
AWS for (the account's managed policy names), which this template never needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"
FUNCTION = "LensShareFunction"
HEALTH_FUNCTION = "HealthCheckFunction"
ROLE = f"{FUNCTION}Role"
# Any packaged location will do: the translator only refuses a local path.
PACKAGED_CODE = "s3://lens-share-provider-artifacts/provider.zip"

Template = dict[str, Any]
Statement = dict[str, Any]


class NoManagedPolicyNames:
    """SAM looks managed policies up by name only for names in Policies; the template lists none."""

    def load(self) -> dict[str, str]:
        raise AssertionError("template.yaml names no managed policy, so nothing should be looked up")


def load_template(path: Path) -> Template:
    """cfn-lint's loader understands the short forms (!Sub, !If...); JSON makes its nodes plain dicts."""
    loaded: Template = json.loads(json.dumps(cfn_yaml.load(str(path))))
    return loaded


def parameter_values(template: Template, overrides: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: spec["Default"] for name, spec in template.get("Parameters", {}).items() if "Default" in spec
    }
    values.update(overrides)
    return values


def evaluate_condition(node: Any, template: Template, values: dict[str, Any]) -> bool:
    """The condition functions CloudFormation evaluates before anything else, on parameter values."""
    if isinstance(node, dict) and len(node) == 1:
        (function, argument), *_ = node.items()
        if function == "Fn::Equals":
            left, right = (resolve_value(item, values) for item in argument)
            return bool(left == right)
        if function == "Fn::Not":
            return not evaluate_condition(argument[0], template, values)
        if function == "Fn::And":
            return all(evaluate_condition(item, template, values) for item in argument)
        if function == "Fn::Or":
            return any(evaluate_condition(item, template, values) for item in argument)
        if function == "Condition":
            return evaluate_condition(template["Conditions"][argument], template, values)
    raise AssertionError(f"unexpected condition {node!r}")


def resolve_value(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, dict) and set(node) == {"Ref"}:
        return values[node["Ref"]]
    return node


def conditions(template: Template, values: dict[str, Any]) -> dict[str, bool]:
    return {name: evaluate_condition(node, template, values) for name, node in template.get("Conditions", {}).items()}


def apply_conditions(node: Any, truth: dict[str, bool]) -> Any:
    """What CloudFormation deploys: each Fn::If replaced by its branch, AWS::NoValue dropped."""
    no_value = {"Ref": "AWS::NoValue"}
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, when_true, when_false = node["Fn::If"]
            return apply_conditions(when_true if truth[name] else when_false, truth)
        resolved = {key: apply_conditions(value, truth) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value != no_value}
    if isinstance(node, list):
        items = [apply_conditions(item, truth) for item in node]
        return [item for item in items if item != no_value]
    return node


def settings(allowed_principals: str, organization_sharing: str) -> dict[str, str]:
    return {"AllowedPrincipals": allowed_principals, "OrganizationSharing": organization_sharing}


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template(TEMPLATE_PATH)


@pytest.fixture(scope="session")
def region() -> Iterator[None]:
    """The translator fills AWS::Region from a boto3 session; no credentials or network are involved."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.delenv("AWS_PROFILE", raising=False)
        yield


@pytest.fixture(scope="session")
def transformed(template: Template, region: None) -> Callable[..., Template]:
    """The SAM-transformed template for an AllowedPrincipals (and OrganizationSharing) setting, as CloudFormation
    would receive it."""

    @cache
    def for_setting(allowed_principals: str, organization_sharing: str = "enabled") -> Template:
        source: Template = json.loads(json.dumps(template))
        for resource in source["Resources"].values():
            if resource["Type"] == "AWS::Serverless::Function":
                resource["Properties"]["CodeUri"] = PACKAGED_CODE
        values = parameter_values(template, settings(allowed_principals, organization_sharing))
        result: Template = transform(source, values, NoManagedPolicyNames())
        return result

    return for_setting


@pytest.fixture(scope="session")
def deployed_role(template: Template, transformed: Callable[..., Template]) -> Callable[..., Template]:
    """A function's IAM role properties (the provider's unless another function is named) once CloudFormation
    has evaluated the template's conditions."""

    def for_setting(
        allowed_principals: str, function: str = FUNCTION, organization_sharing: str = "enabled"
    ) -> Template:
        result = transformed(allowed_principals, organization_sharing)
        truth = conditions(result, parameter_values(template, settings(allowed_principals, organization_sharing)))
        role: Template = apply_conditions(result["Resources"][f"{function}Role"]["Properties"], truth)
        return role

    return for_setting


@pytest.fixture(scope="session")
def statements(deployed_role: Callable[..., Template]) -> Callable[..., list[Statement]]:
    """Every statement of a function's role's inline policies, for an AllowedPrincipals setting."""

    def for_setting(
        allowed_principals: str, function: str = FUNCTION, organization_sharing: str = "enabled"
    ) -> list[Statement]:
        policies = deployed_role(allowed_principals, function, organization_sharing).get("Policies", [])
        return [statement for policy in policies for statement in policy["PolicyDocument"]["Statement"]]

    return for_setting
