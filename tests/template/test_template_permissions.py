"""The provider's and the health check's IAM roles, as deployed after the SAM transform: exactly the actions
each function's code calls, each on its narrowest resource."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.template.harness import ALL, HEALTH_FUNCTION, READERS, Statement, Template, as_list, grants, shared


def own(resource_type: str) -> dict[str, str]:
    """Every resource of a type in the account and Region: lens, profile, review-template or workload."""
    prefix = "arn:${AWS::Partition}:wellarchitected:${AWS::Region}:${AWS::AccountId}"
    return {"Fn::Sub": f"{prefix}:{resource_type}/*"}


WELL_ARCHITECTED_ROLE = {
    "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/"
    "wellarchitected.amazonaws.com/AWSServiceRoleForWellArchitected"
}
OWN_STACKS = {"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*/*"}

# The resource types of the Service Authorization Reference, with each kind's share actions.
SHARE_ACTIONS = {
    "lens": ["CreateLensShare", "DeleteLensShare", "ListLensShares"],
    "profile": ["CreateProfileShare", "DeleteProfileShare", "ListProfileShares"],
    "review-template": ["CreateTemplateShare", "DeleteTemplateShare", "ListTemplateShares"],
    "workload": ["CreateWorkloadShare", "DeleteWorkloadShare", "ListWorkloadShares", "UpdateWorkloadShare"],
}

ALWAYS: dict[str, Any] = {
    **{
        f"wellarchitected:{action}": own(resource_type)
        for resource_type, actions in SHARE_ACTIONS.items()
        for action in actions
    },
    **{f"wellarchitected:{action}": shared(resource_type) for resource_type, action in READERS.items()},
    # No resource type in IAM for these: "*" is the only way to name them.
    "wellarchitected:GetGlobalSettings": ALL,
    "wellarchitected:ListShareInvitations": ALL,
    "wellarchitected:UpdateShareInvitation": ALL,
}
# OrganizationSharing=enabled (the default): turning organization sharing on, and what
# UpdateGlobalSettings(ENABLED) does on the caller's behalf, each held to Well-Architected below.
ORGANIZATION_SHARING: dict[str, Any] = {
    "wellarchitected:UpdateGlobalSettings": ALL,
    "iam:CreateServiceLinkedRole": WELL_ARCHITECTED_ROLE,
    "organizations:EnableAWSServiceAccess": ALL,
}
# The health check only reads: what the account owns, each one's shares, and the stacks' resources.
HEALTH: dict[str, Any] = {
    "wellarchitected:ListLenses": ALL,
    "wellarchitected:ListProfiles": ALL,
    "wellarchitected:ListReviewTemplates": ALL,
    "wellarchitected:ListWorkloads": ALL,
    "cloudformation:ListStacks": ALL,
    **{f"wellarchitected:{actions[2]}": own(resource_type) for resource_type, actions in SHARE_ACTIONS.items()},
    "cloudformation:ListStackResources": OWN_STACKS,
}
GUARD: dict[str, Any] = {
    "organizations:DescribeOrganization": ALL,
    "organizations:DescribeAccount": {"Fn::Sub": "arn:${AWS::Partition}:organizations::*:account/o-*/*"},
    "organizations:DescribeOrganizationalUnit": {"Fn::Sub": "arn:${AWS::Partition}:organizations::*:ou/o-*/ou-*"},
}
CONDITIONS = {
    "iam:CreateServiceLinkedRole": {"StringEquals": {"iam:AWSServiceName": "wellarchitected.amazonaws.com"}},
    "organizations:EnableAWSServiceAccess": {
        "StringEquals": {"organizations:ServicePrincipal": "wellarchitected.amazonaws.com"}
    },
}
SETTINGS = {
    "ANY": ALWAYS | ORGANIZATION_SHARING,
    "ORGANIZATION": ALWAYS | ORGANIZATION_SHARING | GUARD,
    "111111111111,ou-ab12-abcd1234": ALWAYS | ORGANIZATION_SHARING,
}


@pytest.mark.parametrize(("setting", "expected"), SETTINGS.items(), ids=list(SETTINGS))
def test_role_grants_exactly_the_intended_actions(
    statements: Callable[[str], list[Statement]], setting: str, expected: dict[str, Any]
) -> None:
    assert sorted(grants(statements(setting))) == sorted(expected)


@pytest.mark.parametrize(("setting", "expected"), SETTINGS.items(), ids=list(SETTINGS))
def test_each_action_is_granted_on_its_narrowest_resource_only(
    statements: Callable[[str], list[Statement]], setting: str, expected: dict[str, Any]
) -> None:
    granted = grants(statements(setting))
    for action, resource in expected.items():
        assert granted[action] == [resource], action


@pytest.mark.parametrize("setting", SETTINGS)
def test_organization_sharing_permissions_serve_well_architected_only(
    statements: Callable[[str], list[Statement]], setting: str
) -> None:
    for statement in statements(setting):
        actions = as_list(statement["Action"])
        conditioned = [action for action in actions if action in CONDITIONS]
        if conditioned:
            assert actions == conditioned
            assert statement.get("Condition") == CONDITIONS[actions[0]]
        else:
            assert "Condition" not in statement, actions


@pytest.mark.parametrize("setting", SETTINGS)
def test_statements_allow_named_actions_only(statements: Callable[[str], list[Statement]], setting: str) -> None:
    for statement in statements(setting):
        assert statement["Effect"] == "Allow"
        assert not {"NotAction", "NotResource", "NotPrincipal", "Principal"} & set(statement)
        for action in as_list(statement["Action"]):
            assert isinstance(action, str)
            assert "*" not in action, action
            assert "?" not in action, action


@pytest.mark.parametrize("setting", SETTINGS)
def test_role_grants_nothing_crhelper_polling_would_use(
    statements: Callable[[str], list[Statement]], setting: str
) -> None:
    # crhelper's polling mode adds a Lambda permission and an EventBridge rule; this provider never polls.
    services = {action.split(":", 1)[0] for action in grants(statements(setting))}
    assert services == {"wellarchitected", "iam", "organizations"}


@pytest.mark.parametrize("setting", SETTINGS)
def test_logs_come_from_the_basic_execution_policy_alone(
    deployed_role: Callable[[str], Template], setting: str
) -> None:
    role = deployed_role(setting)
    managed = role.get("ManagedPolicyArns", [])
    assert len(managed) == 1
    assert str(managed[0]).endswith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}}
    ]


@pytest.mark.parametrize("setting", SETTINGS)
def test_organizations_guard_is_read_only_and_only_with_organization(
    statements: Callable[[str], list[Statement]], setting: str
) -> None:
    granted = set(grants(statements(setting)))
    guard = {action for action in granted if action.startswith("organizations:")} - {
        "organizations:EnableAWSServiceAccess"
    }
    assert guard == (set(GUARD) if setting == "ORGANIZATION" else set())
    assert all(action.split(":", 1)[1].startswith(("Describe", "List")) for action in guard)


@pytest.mark.parametrize("function", ["LensShareFunction", HEALTH_FUNCTION])
def test_no_resource_names_a_fixed_partition_region_or_account(
    statements: Callable[..., list[Statement]], function: str
) -> None:
    for statement in statements("ORGANIZATION", function):
        for resource in as_list(statement["Resource"]):
            if resource != ALL:
                arn = resource["Fn::Sub"]
                assert arn.startswith("arn:${AWS::Partition}:"), arn
                assert not any(character.isdigit() for character in arn), arn


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_provider_keeps_no_health_check_action(statements: Callable[[str], list[Statement]], setting: str) -> None:
    reads_only = set(HEALTH) - {f"wellarchitected:{actions[2]}" for actions in SHARE_ACTIONS.values()}
    assert not reads_only & set(grants(statements(setting)))


@pytest.mark.parametrize("setting", ["ANY", "ORGANIZATION"])
def test_the_health_check_role_grants_exactly_its_reads_each_on_its_narrowest_resource(
    statements: Callable[..., list[Statement]], setting: str
) -> None:
    granted = grants(statements(setting, HEALTH_FUNCTION))
    assert granted == {action: [resource] for action, resource in HEALTH.items()}
    assert all(action.split(":", 1)[1].startswith("List") for action in granted)


def test_the_health_check_logs_come_from_the_basic_execution_policy_alone(
    deployed_role: Callable[..., Template],
) -> None:
    role = deployed_role("ANY", HEALTH_FUNCTION)
    [managed] = role["ManagedPolicyArns"]
    assert str(managed).endswith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}}
    ]


@pytest.mark.parametrize(("setting", "expected"), [("ANY", ALWAYS), ("ORGANIZATION", ALWAYS | GUARD)])
def test_without_organization_sharing_the_role_cannot_turn_it_on(
    statements: Callable[..., list[Statement]], setting: str, expected: dict[str, Any]
) -> None:
    granted = grants(statements(setting, organization_sharing="disabled"))
    assert granted == {action: [resource] for action, resource in expected.items()}
