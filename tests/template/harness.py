"""template.yaml and member/template.yaml as CloudFormation deploys them, through the local CloudFormation's own
transform (local.template: the SAM transform offline, the conditions, each Fn::If's branch), and reading the IAM
statements of a role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from local.template import Transformed, chosen_branches, transform

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"
FUNCTION = "LensShareFunction"
HEALTH_FUNCTION = "HealthCheckFunction"
PSEUDO = {
    "AWS::AccountId": "111111111111",
    "AWS::Region": "us-east-1",
    "AWS::StackName": "lens-share-provider",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NotificationARNs": [],
}
ALL = "*"
# The resource types of the Service Authorization Reference, with the action that reads one of each.
READERS = {
    "lens": "GetLens",
    "profile": "GetProfile",
    "review-template": "GetReviewTemplate",
    "workload": "GetWorkload",
}

Template = dict[str, Any]
Statement = dict[str, Any]


def transformed(path: Path, **overrides: str) -> Transformed:
    """The template after the SAM transform, for these parameter values, as CloudFormation would receive it."""
    return transform(path, overrides, PSEUDO)


def deployed(template: Transformed) -> dict[str, Template]:
    """The resources CloudFormation creates: those whose condition holds, each Fn::If resolved to its branch."""
    return {
        name: chosen_branches(resource, template.conditions)
        for name, resource in template.body["Resources"].items()
        if template.conditions.get(resource.get("Condition", ""), True)
    }


def role_statements(role: Template) -> list[Statement]:
    """Every statement of a role's inline policies."""
    return [statement for policy in role.get("Policies", []) for statement in policy["PolicyDocument"]["Statement"]]


def shared(resource_type: str) -> dict[str, str]:
    """Resources of a type any account owns: Custom::ShareInvitation reads what another account shared."""
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:wellarchitected:${{AWS::Region}}:*:{resource_type}/*"}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def grants(statements: list[Statement]) -> dict[str, list[Any]]:
    """Each action with every resource some statement grants it on."""
    granted: dict[str, list[Any]] = {}
    for statement in statements:
        for action in as_list(statement["Action"]):
            granted.setdefault(action, []).extend(as_list(statement["Resource"]))
    return granted
