"""The cfn-lint rule in cfn-lint-rules/ checks a user's own template against the provider's schemas (make lint holds
every template and example to it)."""

from __future__ import annotations

from pathlib import Path

from cfnlint.api import ManualArgs, lint

ROOT = Path(__file__).resolve().parents[2]
RULES = ManualArgs(append_rules=[str(ROOT / "cfn-lint-rules")], regions=["us-east-1"])
LENS = "arn:aws:wellarchitected:us-east-1:111111111111:lens/0123456789abcdef0123456789abcdef"


def own_rule(template: str) -> list[str]:
    return [match.message for match in lint(template, config=RULES) if match.rule.id == "E9101"]


def share(resource_type: str, properties: str) -> str:
    return f"""
Resources:
  Share:
    Type: {resource_type}
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:111111111111:function:lens-share-provider
{properties}
"""


def test_a_misspelt_property_is_caught_with_a_suggestion() -> None:
    template = share("Custom::LensShare", f"      LensAlias: {LENS}\n      SharedWIth: '222222222222'")

    messages = own_rule(template)

    assert "Custom::LensShare has no property 'SharedWIth' (did you mean 'SharedWith'?)" in messages[0]
    assert any("needs the property 'SharedWith'" in message for message in messages)


def test_a_permission_outside_the_schema_enum_and_a_bad_workload_id_are_caught() -> None:
    template = share(
        "Custom::WorkloadShare",
        "      WorkloadId: not-an-id\n      SharedWith: '222222222222'\n      PermissionType: OWNER",
    )

    messages = own_rule(template)

    assert any("PermissionType must be one of READONLY, CONTRIBUTOR" in message for message in messages)
    assert any("WorkloadId 'not-an-id' does not match" in message for message in messages)


def test_an_invitation_names_exactly_one_shared_resource() -> None:
    assert own_rule(share("Custom::ShareInvitation", "      InvitationRound: '2'")) == [
        "Custom::ShareInvitation needs exactly one of LensArn, ProfileArn, TemplateArn, WorkloadId"
    ]
