"""member/template.yaml, the member accounts' acceptance stack: after the SAM transform its role may list, read
and accept invitations and nothing else, and it carries no schedule, topic, alarm or Organizations permission."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from local.template import decoded
from tests.template.harness import (
    ALL,
    READERS,
    ROOT,
    Template,
    as_list,
    deployed,
    grants,
    role_statements,
    shared,
    transformed,
)

MEMBER_TEMPLATE = ROOT / "member" / "template.yaml"
FUNCTION = "AcceptanceFunction"
# Exactly what resources/invitations.py calls: list and accept invitations, read what was shared.
EXPECTED: dict[str, Any] = {
    "wellarchitected:ListShareInvitations": ALL,
    "wellarchitected:UpdateShareInvitation": ALL,
    **{f"wellarchitected:{action}": shared(resource_type) for resource_type, action in READERS.items()},
}
SETTINGS = {"AllowedOwners": "111111111111"}


@cache
def resources() -> dict[str, Template]:
    return deployed(transformed(MEMBER_TEMPLATE, **SETTINGS))


def role() -> Template:
    properties: Template = resources()[f"{FUNCTION}Role"]["Properties"]
    return properties


def statements() -> list[dict[str, Any]]:
    return role_statements(role())


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_action_the_acceptance_code_calls_is_granted_on_its_narrowest_resource(action: str) -> None:
    assert grants(statements())[action] == [EXPECTED[action]]


def test_the_role_grants_no_other_action() -> None:
    assert sorted(grants(statements())) == sorted(EXPECTED)


def test_statements_allow_named_actions_without_conditions() -> None:
    for statement in statements():
        assert statement["Effect"] == "Allow"
        assert not {"NotAction", "NotResource", "NotPrincipal", "Principal", "Condition"} & set(statement)
        assert all("*" not in action for action in as_list(statement["Action"]))


def test_logs_come_from_the_basic_execution_policy_alone() -> None:
    [managed] = role()["ManagedPolicyArns"]
    assert str(managed).endswith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert role()["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}}
    ]


def test_the_member_stack_holds_one_function_its_role_and_its_log_and_nothing_scheduled_or_alarmed() -> None:
    types = sorted(resource["Type"] for resource in resources().values())
    assert types == ["AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Logs::LogGroup"]


def test_the_function_runs_the_providers_handler_with_allowed_owners_and_no_organization_sharing() -> None:
    function = resources()[FUNCTION]["Properties"]
    main = decoded(ROOT / "template.yaml")["Resources"]["LensShareFunction"]["Properties"]
    assert (function["Handler"], function["Runtime"]) == (main["Handler"], main["Runtime"])
    variables = function["Environment"]["Variables"]
    assert variables["ALLOWED_OWNERS"] == {"Ref": "AllowedOwners"}
    assert variables["ORGANIZATION_SHARING"] == "disabled"


def test_its_serverless_application_repository_metadata_names_its_own_page_and_the_providers_version() -> None:
    member = decoded(MEMBER_TEMPLATE)["Metadata"]["AWS::ServerlessRepo::Application"]
    main = decoded(ROOT / "template.yaml")["Metadata"]["AWS::ServerlessRepo::Application"]
    assert member["Name"] != main["Name"]
    assert member["SemanticVersion"] == main["SemanticVersion"]
    assert (MEMBER_TEMPLATE.parent / member["ReadmeUrl"]).resolve().is_file()
    assert (MEMBER_TEMPLATE.parent / member["LicenseUrl"]).resolve().is_file()
