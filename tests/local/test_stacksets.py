"""Local service-managed StackSets over the local organization (moto's Organizations): one instance per account
and Region in that account, automatic deployment in and out of the targeted OU, failure tolerance, deletion;
asserting on the stacks and lenses each account holds at the end."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from local.cli import main
from local.cloud import LocalCloud
from local.errors import TemplateError
from local.organization import Organization, local_organization
from local.stacksets import CANCELLED, Preferences, StackSets, Targets

REGIONS = ("us-east-1", "eu-west-1")
# A lens in each instance's account and Region; an account named in BrokenIn gets a lens the service refuses.
LENS_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  BrokenIn:
    Type: String
    Default: none
Conditions:
  Broken: !Equals [!Ref BrokenIn, !Ref AWS::AccountId]
Resources:
  Lens:
    Type: AWS::WellArchitected::Lens
    Properties:
      JSONString: !If
        - Broken
        - "not a lens"
        - '{"schemaVersion": "2021-11-01", "name": "Platform lens", "description": "d", "pillars": []}'
Outputs:
  LensArn:
    Value: !Ref Lens
"""


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[LocalCloud]:
    with LocalCloud(tmp_path / "state") as started:
        yield started


@pytest.fixture
def organization(cloud: LocalCloud) -> Iterator[Organization]:
    with local_organization(cloud.state_dir) as held:
        yield held


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "lens.yaml"
    path.write_text(textwrap.dedent(LENS_TEMPLATE), encoding="utf-8")
    return path


def lenses(cloud: LocalCloud, account: str, region: str) -> list[str]:
    """The custom lenses the account owns in the Region, read with its own credentials."""
    client = cloud.client("wellarchitected", account, region)
    return [lens["LensArn"] for lens in client.list_lenses(LensType="CUSTOM_SELF")["LensSummaries"]]


def holdings(cloud: LocalCloud, accounts: list[str]) -> dict[tuple[str, str], int]:
    return {(account, region): len(lenses(cloud, account, region)) for account in accounts for region in REGIONS}


def test_instances_follow_the_ou_as_accounts_join_and_leave(
    cloud: LocalCloud, organization: Organization, template: Path
) -> None:
    members, elsewhere = organization.create_unit("Members"), organization.create_unit("Elsewhere")
    first, second = organization.create_account("first", members), organization.create_account("second", members)
    joining = organization.create_account("joining", elsewhere)
    sets = StackSets(cloud, organization)

    created = sets.create("lenses", template, {}, Targets(units=(members,)), REGIONS)

    assert created.status == "SUCCEEDED", created.table()
    assert sorted((r.account, r.region, r.status) for r in created.results) == sorted(
        (account, region, "CURRENT") for account in (first, second) for region in REGIONS
    )
    assert holdings(cloud, [first, second, joining]) == {
        **{(account, region): 1 for account in (first, second) for region in REGIONS},
        **{(joining, region): 0 for region in REGIONS},
    }
    stack = cloud.stack(sets.get("lenses").instance(first, "eu-west-1").stack_name)  # type: ignore[union-attr]
    assert stack is not None
    assert (stack.account, stack.region) == (first, "eu-west-1")

    organization.move(joining, members)
    organization.move(first, elsewhere)
    followed = sets.follow_organization()

    assert [(operation.action, operation.status) for operation in followed] == [
        ("CREATE", "SUCCEEDED"),
        ("DELETE", "SUCCEEDED"),
    ]
    assert holdings(cloud, [first, second, joining]) == {
        **{(first, region): 0 for region in REGIONS},
        **{(account, region): 1 for account in (second, joining) for region in REGIONS},
    }
    assert sorted({i.account for i in sets.get("lenses").instances}) == sorted([second, joining])


def test_retain_stacks_on_account_removal_keeps_the_stack_outside_the_stackset(
    cloud: LocalCloud, organization: Organization, template: Path
) -> None:
    members, elsewhere = organization.create_unit("Members"), organization.create_unit("Elsewhere")
    leaving = organization.create_account("leaving", members)
    sets = StackSets(cloud, organization)
    sets.create("lenses", template, {}, Targets(units=(members,)), REGIONS[:1], retain_stacks_on_account_removal=True)

    organization.move(leaving, elsewhere)
    [removed] = sets.follow_organization()

    assert [(r.account, r.reason) for r in removed.results] == [(leaving, "stack retained")]
    assert sets.get("lenses").instances == []
    assert len(lenses(cloud, leaving, REGIONS[0])) == 1


def test_failure_tolerance_zero_stops_at_the_first_failed_instance(
    cloud: LocalCloud, organization: Organization, template: Path
) -> None:
    members = organization.create_unit("Members")
    broken = organization.create_account("broken", members)
    others = [organization.create_account(f"member-{n}", members) for n in range(2)]
    sets = StackSets(cloud, organization)

    operation = sets.create(
        "lenses",
        template,
        {"BrokenIn": broken},
        Targets(units=(members,)),
        REGIONS,
        preferences=Preferences(max_concurrent_count=1, failure_tolerance_count=0),
    )

    assert operation.status == "FAILED"
    rows = [(r.account, r.region, r.status, r.detailed_status) for r in operation.results]
    assert rows[0] == (broken, "us-east-1", "OUTDATED", "FAILED")
    assert operation.results[0].reason.startswith("Lens: ")
    assert {row[3] for row in rows[1:]} == {"CANCELLED"}
    assert {r.reason for r in operation.results[1:]} == {CANCELLED}
    assert sum(holdings(cloud, [broken, *others]).values()) == 0


def test_failure_tolerance_lets_the_others_deploy(
    cloud: LocalCloud, organization: Organization, template: Path
) -> None:
    members = organization.create_unit("Members")
    broken = organization.create_account("broken", members)
    other = organization.create_account("other", members)
    sets = StackSets(cloud, organization)

    operation = sets.create(
        "lenses",
        template,
        {"BrokenIn": broken},
        Targets(units=(members,)),
        REGIONS,
        preferences=Preferences(max_concurrent_percentage=100, failure_tolerance_count=1),
    )

    assert operation.status == "SUCCEEDED", operation.table()
    statuses = {(r.account, r.region): r.detailed_status for r in operation.results}
    assert statuses == {
        **{(broken, region): "FAILED" for region in REGIONS},
        **{(other, region): "SUCCEEDED" for region in REGIONS},
    }
    assert holdings(cloud, [broken, other]) == {
        **{(broken, region): 0 for region in REGIONS},
        **{(other, region): 1 for region in REGIONS},
    }


def test_concurrency_above_the_tolerance_is_refused() -> None:
    with pytest.raises(TemplateError, match="FailureToleranceCount"):
        Preferences(max_concurrent_count=3, failure_tolerance_count=1).concurrency(5)


@pytest.mark.long
def test_the_commands_run_a_stackset_and_exit_non_zero_when_its_operation_fails(
    tmp_path: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = ["--state-dir", str(tmp_path / "commands")]
    assert main([*state, "organization", "create-organizational-unit", "--name", "Members"]) == 0
    unit = capsys.readouterr().out.strip()
    assert main([*state, "organization", "create-account", "--account-name", "first", "--parent-id", unit]) == 0
    account = capsys.readouterr().out.split()[0]
    create = ["stackset", "create", "--stack-set-name", "lenses", "--template-file", str(template)]
    targets = ["--deployment-targets", f"OrganizationalUnitIds={unit}", "--regions", *REGIONS]

    assert main([*state, *create, *targets]) == 0
    assert f"{account}  eu-west-1  CURRENT" in capsys.readouterr().out
    assert main([*state, "organization", "create-account", "--account-name", "late", "--parent-id", unit]) == 0
    late = capsys.readouterr().out.split()[0]
    update = ["stackset", "update", "--stack-set-name", "lenses", "--parameter-overrides", f"BrokenIn={late}"]
    assert main([*state, *update]) == 1
    assert f"{late}  us-east-1  OUTDATED  FAILED" in capsys.readouterr().out
    assert main([*state, "stackset", "delete", "--stack-set-name", "lenses"]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert main([*state, "stackset", "delete-stack-instances", "--stack-set-name", "lenses", *targets]) == 0
    assert main([*state, "stackset", "delete", "--stack-set-name", "lenses"]) == 0
    with LocalCloud(tmp_path / "commands") as cloud:
        assert holdings(cloud, [account]) == {(account, region): 0 for region in REGIONS}
        assert not [stack.name for stack in cloud.stacks() if stack.name.startswith("StackSet-lenses-")]
