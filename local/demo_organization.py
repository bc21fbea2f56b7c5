"""The organization part of the demo: examples/regional-lens-rollout.yaml in the owner's account in two Regions,
the member template through local StackSets to an OU in both, an account that joins the OU getting its
acceptance (its shares become ACCEPTED), the health check over both Regions, and a run with
FailureToleranceCount=0 that stops at the first failed instance."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any, Protocol

from local.cloud import ROOT
from local.organization import local_organization
from local.stacksets import CANCELLED, Operation, Preferences, StackSets, Targets

if TYPE_CHECKING:
    from local.cloud import LocalCloud
    from local.template_stack import TemplateStack


class Expectations(Protocol):
    def expect(self, what: str, holds: bool) -> None: ...


class Demo(Protocol):
    """What the organization part uses of local.demo's player, which runs it (so it is not imported here)."""

    @property
    def cloud(self) -> LocalCloud: ...

    @property
    def checks(self) -> Expectations: ...

    def deploy(
        self, title: str, name: str, template: str, parameters: dict[str, str], **options: str
    ) -> TemplateStack: ...

    def principals(self, resource: str) -> dict[str, str]: ...

    def delete(self, name: str) -> None: ...


OWNER = "111111111111"
REGIONS = ("us-east-1", "eu-west-1")
ORGANIZATION_ID = "o-a1b2c3d4e5"
BUCKETS = "lens-share-artifacts"
STRANGER = "999999999999"
PACKAGED = {
    "lens-share-provider/packaged.yaml": "template.yaml",
    "lens-share-provider/member.yaml": "member/template.yaml",
}


def show(demo: Demo, title: str, operation: Operation) -> Operation:
    print(f"\n== {title}")
    print(operation.table())
    return operation


def play_organization(demo: Demo) -> None:
    cloud, checks = demo.cloud, demo.checks
    for region in REGIONS:
        for key, template in PACKAGED.items():
            cloud.upload(ROOT / template, f"https://{BUCKETS}-{region}.s3.{region}.amazonaws.com/{key}")
    with local_organization(cloud.state_dir) as organization:
        workloads = organization.create_unit("Workloads")
        joining = organization.create_account("joining")
        cloud.emulator.add_organization_member(joining, ORGANIZATION_ID, [workloads])
        lenses = {}
        for region in REGIONS:
            parameters = {
                "ArtifactBucketPrefix": BUCKETS,
                "OrganizationalUnitId": workloads,
                "MemberAccountId": joining,
            }
            stack = demo.deploy(
                f"Deploy examples/regional-lens-rollout.yaml in {region}: provider, lens, shares with {workloads} and "
                f"{joining}",
                f"regional-lens-{region}",
                "examples/regional-lens-rollout.yaml",
                parameters,
                region=region,
            )
            lenses[region] = stack.outputs.get("LensArn", {}).get("value", "")
        checks.expect(
            "each Region holds its own lens",
            [lens.split(":")[3] for lens in lenses.values() if lens] == list(REGIONS),
        )

        sets = StackSets(cloud, organization)
        for region in REGIONS:
            operation = sets.create(
                f"member-acceptance-{region}",
                ROOT / "examples" / "member-acceptance-stackset.yaml",
                {"ArtifactBucketPrefix": BUCKETS, "AllowedOwners": OWNER, "LensArn": lenses[region]},
                Targets(units=(workloads,)),
                (region,),
            )
            show(demo, f"StackSet member-acceptance-{region} to {workloads} (no account yet)", operation)
        organization.move(joining, workloads)
        followed = [
            show(demo, f"{joining} joins {workloads}: automatic deployment", op) for op in sets.follow_organization()
        ]
        checks.expect(
            f"{joining} got the member template in both Regions",
            sorted((r.account, r.region, r.status) for op in followed for r in op.results)
            == sorted((joining, region, "CURRENT") for region in REGIONS),
        )
        checks.expect(
            "and its shares of both Regions' lenses are ACCEPTED",
            all(demo.principals(lens).get(joining) == "ACCEPTED" for lens in lenses.values()),
        )

        report = health_over_regions(demo)
        checks.expect(
            "the health check reports both Regions, each with its lens",
            {region: [lens["LensArn"] for lens in result["Lenses"]] for region, result in report.items()}
            == {region: [lens] for region, lens in lenses.items()},
        )

        strict(demo, sets, organization.create_account("late-1"), organization.create_account("late-2"), lenses)

        for stack_set in [*(f"member-acceptance-{region}" for region in REGIONS), "strict"]:
            held = sets.get(stack_set)
            accounts = tuple(sorted({instance.account for instance in held.instances}))
            show(
                demo,
                f"Delete the instances of {stack_set}",
                sets.delete_instances(stack_set, Targets(accounts=accounts), held.regions),
            )
            sets.delete(stack_set)
        sets.save()
    for region in REGIONS:
        demo.delete(f"regional-lens-{region}")
    checks.expect("no stack left", not cloud.stacks())


def health_over_regions(demo: Demo) -> dict[str, dict[str, Any]]:
    print("\n== The health check over both Regions")
    command = [sys.executable, "-m", "lens_share.health", "--json", "--regions", ",".join(REGIONS)]
    print("$ python -m lens_share.health --regions " + ",".join(REGIONS))
    environment = {
        **os.environ,
        **demo.cloud.account_environment(OWNER),
        "PYTHONPATH": str(ROOT / "functions" / "provider"),
    }
    environment.pop("AWS_PROFILE", None)
    ran = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120, check=False)
    print(ran.stdout.rstrip() or ran.stderr.rstrip())
    try:
        regions: dict[str, dict[str, Any]] = json.loads(ran.stdout)["Regions"]
    except (ValueError, KeyError):
        return {}
    return regions


def strict(demo: Demo, sets: StackSets, first: str, second: str, lenses: dict[str, str]) -> None:
    """Two accounts invited by the owner, a StackSet that trusts another owner, and no failure tolerated."""
    owner = demo.cloud.client("wellarchitected", OWNER, REGIONS[0])
    for account in (first, second):
        owner.create_lens_share(LensAlias=lenses[REGIONS[0]], SharedWith=account, ClientRequestToken=f"demo-{account}")
    operation = show(
        demo,
        f"StackSet strict: AllowedOwners={STRANGER} to {first} and {second}, "
        "MaxConcurrentCount=1, FailureToleranceCount=0",
        sets.create(
            "strict",
            ROOT / "examples" / "member-acceptance-stackset.yaml",
            {"ArtifactBucketPrefix": BUCKETS, "AllowedOwners": STRANGER, "LensArn": lenses[REGIONS[0]]},
            Targets(accounts=(first, second)),
            REGIONS[:1],
            preferences=Preferences(max_concurrent_count=1, failure_tolerance_count=0),
        ),
    )
    first_result, *rest = operation.results
    demo.checks.expect(
        "it stops at the first failed instance, naming the owner; the rest are CANCELLED",
        operation.failed
        and first_result.detailed_status == "FAILED"
        and f"comes from account {OWNER}" in first_result.reason
        and all(r.detailed_status == "CANCELLED" and r.reason == CANCELLED for r in rest),
    )
    demo.checks.expect(
        "both invitations are still PENDING",
        all(demo.principals(lenses[REGIONS[0]]).get(account) == "PENDING" for account in (first, second)),
    )
