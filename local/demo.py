"""The provider's own templates deployed on the local cloud, through the real handler, as a user deploys them:

    python -m local.demo [--state-dir DIR]

template.yaml, then examples/lens-shares.yaml, examples/organization-rollout.yaml and
examples/well-architected-program.yaml (a lens, a profile, a review template and a workload) in the owner's
account, examples/member-acceptance-stackset.yaml as the member account's StackSet instance, accepting every
kind; then the rollout is updated with other account and OU lists; the emulator's clock moves past the
invitations' 7 days and someone deletes the member's profile share by hand, the health check reports the
expired and missing shares, a new InvitationRound re-invites them and the member's StackSet, given the same
round, accepts again. A stack of registry-type shares (local/templates/registry-shares.yaml) follows: one share
is deleted by hand and detect-drift finds it, and one share is created and deleted through the local Cloud
Control API. Every stack is deleted. Then the organization part (local.demo_organization):
examples/regional-lens-rollout.yaml in two Regions, the member template through local StackSets to an OU, an
account joining it, the health check over both Regions and a run with FailureToleranceCount=0.
Each step prints its stack events, outputs and the lens's shares; the demo exits non-zero when any step ends
otherwise than expected.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from local.cli import event_marks, events, outputs_table, shares_table
from local.cloud import ROOT, LocalCloud
from local.demo_organization import play_organization
from local.drift import resource_drift
from local.template_stack import TemplateStack

OWNER, MEMBER = "111111111111", "222222222222"
INVITATION_LIFETIME_S = 7 * 24 * 3600
OU, NEW_OU = "ou-ab12-cd34ef56", "ou-ab12-ef56gh78"
LENS_SHARES = {
    "MemberAccountId": MEMBER,
    "OrganizationalUnitId": OU,
    "OrganizationId": "o-a1b2c3d4e5",
    "IamUserArn": "arn:aws:iam::444444444444:user/platform/auditor",
}
ROLLOUT_ACCOUNTS, NEW_ROLLOUT_ACCOUNTS = "555555555555,666666666666", "555555555555,777777777777"
ROLLOUT_OUS, NEW_ROLLOUT_OUS = "ou-ab12-aaaaaaaa", "ou-ab12-aaaaaaaa,ou-ab12-bbbbbbbb"
LATE = "888888888888"
NEWCOMER = "999999999999"
POLLS = 300  # a Cloud Control request not done after this many looks at its status is reported as it stands
PAUSE = threading.Event()  # never set: waiting on it is the pause between two looks
PROGRAM = {"AccountIds": f"{MEMBER},{LATE}", "OrganizationalUnitId": OU, "ReviewerAccountId": MEMBER}
# The report's list for each kind of shared resource, and the key naming the resource.
SECTIONS = {"Lenses": "LensArn", "Profiles": "ProfileArn", "ReviewTemplates": "TemplateArn", "Workloads": "WorkloadId"}


@dataclass
class Checks:
    failures: list[str] = field(default_factory=list)

    def expect(self, what: str, holds: bool) -> None:
        print(f"  {'ok  ' if holds else 'FAIL'} {what}")
        if not holds:
            self.failures.append(what)


@dataclass
class Demo:
    cloud: LocalCloud
    checks: Checks

    def principals(self, resource: str) -> dict[str, str]:
        """SharedWith -> Status of the shares of a lens, profile or review template ARN, or a workload ID."""
        return {share["SharedWith"]: share["Status"] for share in self.cloud.emulator.shares(resource)}

    def run(self, title: str, operation: Callable[[], TemplateStack], expected: str) -> TemplateStack:
        """One stack operation: its events, outputs and lens shares, and whether it ended `expected`."""
        print(f"\n== {title}")
        marks = event_marks(self.cloud)
        stack = operation()
        print(events(self.cloud, stack, marks))
        if stack.status != "DELETE_COMPLETE":
            print("Outputs")
            print(outputs_table(stack))
            print("Lens shares")
            print(shares_table(self.cloud, stack))
        self.checks.expect(f"stack {stack.name} ended {expected}", stack.status == expected)
        return stack

    def deploy(self, title: str, name: str, template: str, parameters: dict[str, str], **options: str) -> TemplateStack:
        expected = "UPDATE_COMPLETE" if self.cloud.stack(name) else "CREATE_COMPLETE"
        return self.run(title, lambda: self.cloud.deploy(name, ROOT / template, parameters, **options), expected)

    def health(self, title: str) -> dict[str, Any]:
        """The report of the deployed provider's scheduled health check, and the table its command line prints."""
        print(f"\n== {title}")
        provider = self.cloud.stack("lens-share-provider")
        arn = provider.outputs["HealthCheckFunctionArn"]["value"] if provider else ""
        report: dict[str, Any] = self.cloud.functions.call(arn, {"Action": "HealthCheck"})
        print("$ python -m lens_share.health   # the health-check function's invocation returns the same report")
        environment = {
            **os.environ,
            **self.cloud.account_environment(OWNER),
            "PYTHONPATH": str(ROOT / "functions" / "provider"),
        }
        environment.pop("AWS_PROFILE", None)
        command = [sys.executable, "-m", "lens_share.health"]
        table = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120, check=False)
        print(table.stdout.rstrip() or table.stderr.rstrip())
        return report

    def problems(self, report: dict[str, Any], stack: str) -> set[tuple[str, str]]:
        """(Kind, LogicalResourceId) of the report's problems that `stack` declares."""
        return {
            (problem["Kind"], problem["LogicalResourceId"])
            for section in SECTIONS
            for resource in report.get(section, [])
            for problem in resource["Problems"]
            if problem["StackName"] == stack
        }

    def delete(self, name: str) -> None:
        self.run(f"Delete stack {name}", lambda: self.cloud.delete(name), "DELETE_COMPLETE")


def play(demo: Demo) -> None:
    cloud, checks = demo.cloud, demo.checks
    # The examples turn organization sharing on, which the provider's role may do only when asked (1.4.0).
    sharing = {"OrganizationSharing": "enabled"}
    demo.deploy("Deploy template.yaml as stack lens-share-provider", "lens-share-provider", "template.yaml", sharing)

    owner = demo.deploy(
        "Deploy examples/lens-shares.yaml: a published lens, shared with an account, an OU, the organization, a user",
        "platform-lens",
        "examples/lens-shares.yaml",
        LENS_SHARES,
    )
    lens = owner.outputs.get("LensArn", {}).get("value", "")
    checks.expect("the emulator holds the lens's four shares", len(demo.principals(lens)) == 4)

    rollout = {"LensArn": lens, "AccountIds": ROLLOUT_ACCOUNTS, "OrganizationalUnitIds": ROLLOUT_OUS}
    demo.deploy(
        f"Deploy examples/organization-rollout.yaml: accounts {ROLLOUT_ACCOUNTS}, OU {ROLLOUT_OUS}",
        "rollout",
        "examples/organization-rollout.yaml",
        rollout,
    )

    program = demo.deploy(
        "Deploy examples/well-architected-program.yaml: a lens, a profile and a review template shared with an OU "
        f"and accounts {PROGRAM['AccountIds']}, a workload shared with reviewers in {MEMBER} as CONTRIBUTOR",
        "program",
        "examples/well-architected-program.yaml",
        PROGRAM,
    )
    shared = {name: program.outputs.get(name, {}).get("value", "") for name in SECTIONS.values()}
    checks.expect(
        "the lens, the profile and the review template are shared with the OU and both accounts",
        all(
            set(demo.principals(shared[key])) == {OU, MEMBER, LATE} for key in ("LensArn", "ProfileArn", "TemplateArn")
        ),
    )
    workload_shares = cloud.emulator.shares(shared["WorkloadId"])
    checks.expect(
        f"the workload is shared with {MEMBER} as CONTRIBUTOR",
        [(share["SharedWith"], share["PermissionType"]) for share in workload_shares] == [(MEMBER, "CONTRIBUTOR")],
    )

    url = cloud.upload(
        ROOT / "member" / "template.yaml", "s3://lens-share-artifacts-us-east-1/lens-share-provider/member.yaml"
    )
    member = {
        "ArtifactBucketPrefix": "lens-share-artifacts",
        "AllowedOwners": OWNER,
        "LensArn": lens,
        "ProfileArn": shared["ProfileArn"],
        "TemplateArn": shared["TemplateArn"],
        "WorkloadId": shared["WorkloadId"],
    }
    demo.deploy(
        f"Account {MEMBER} deploys examples/member-acceptance-stackset.yaml (its StackSet instance), accepting the "
        f"lens, the program's profile, review template and workload; the member template comes from {url}",
        "StackSet-member-lens",
        "examples/member-acceptance-stackset.yaml",
        member,
        account=MEMBER,
    )
    accepted = (lens, shared["ProfileArn"], shared["TemplateArn"], shared["WorkloadId"])
    checks.expect(
        f"{MEMBER} accepted all four: lens, profile, review template, workload",
        all(demo.principals(resource).get(MEMBER) == "ACCEPTED" for resource in accepted),
    )

    demo.deploy(
        f"Update rollout: accounts {NEW_ROLLOUT_ACCOUNTS}, OUs {NEW_ROLLOUT_OUS}",
        "rollout",
        "examples/organization-rollout.yaml",
        {"AccountIds": NEW_ROLLOUT_ACCOUNTS, "OrganizationalUnitIds": NEW_ROLLOUT_OUS},
    )
    rolled_out = set(demo.principals(lens))
    checks.expect(
        "666666666666 no longer shared; 777777777777 and ou-ab12-bbbbbbbb shared",
        "666666666666" not in rolled_out and {"777777777777", "ou-ab12-bbbbbbbb"} <= rolled_out,
    )

    cloud.emulator.advance_clock(INVITATION_LIFETIME_S + 1)
    profile_share = next(s for s in cloud.emulator.shares(shared["ProfileArn"]) if s["SharedWith"] == MEMBER)
    cloud.emulator.delete_share(profile_share["ShareId"])
    report = demo.health(
        "Seven days later nobody accepted the rollout's invitations, and someone deleted the member's profile "
        "share by hand: the health check"
    )
    expired = {("EXPIRED", "AccountShare555555555555"), ("EXPIRED", "AccountShare777777777777")}
    checks.expect("the report names the rollout's two expired shares", demo.problems(report, "rollout") == expired)
    checks.expect(
        "and the IAM user's share of platform-lens",
        ("EXPIRED", "UserShare") in demo.problems(report, "platform-lens"),
    )
    late = {("EXPIRED", f"{kind}To{LATE}") for kind in ("Lens", "Profile", "Template")}
    # The member's StackSet accepts platform-lens's lens, not the program's: that invitation expired too.
    checks.expect(
        "and the program's expired shares, the member's missing profile share among them",
        demo.problems(report, "program") == late | {("EXPIRED", f"LensTo{MEMBER}"), ("MISSING", f"ProfileTo{MEMBER}")},
    )

    for name, template in (("rollout", "organization-rollout"), ("program", "well-architected-program")):
        demo.deploy(
            f"Re-invite: deploy {name} with InvitationRound=2",
            name,
            f"examples/{template}.yaml",
            {"InvitationRound": "2"},
        )
    demo.deploy(
        f"Account {MEMBER}'s StackSet instance with the owner's InvitationRound=2: it accepts the new invitation",
        "StackSet-member-lens",
        "examples/member-acceptance-stackset.yaml",
        {"InvitationRound": "2"},
        account=MEMBER,
    )
    checks.expect(
        f"{MEMBER}'s new profile share is ACCEPTED without a person acting",
        demo.principals(shared["ProfileArn"]).get(MEMBER) == "ACCEPTED",
    )
    report = demo.health("The health check after the re-invite")
    checks.expect("the rollout has no problem left", demo.problems(report, "rollout") == set())
    checks.expect("nor has the program", demo.problems(report, "program") == set())
    checks.expect(
        "the re-invited shares are PENDING again",
        all(demo.principals(lens).get(account) == "PENDING" for account in ("555555555555", "777777777777")),
    )

    registry_types(demo)
    for name in (
        "registry-shares",
        "StackSet-member-lens",
        "program",
        "rollout",
        "platform-lens",
        "lens-share-provider",
    ):
        demo.delete(name)
    checks.expect("no stack, lens or share left", not cloud.stacks() and not cloud.emulator.shares())


def registry_types(demo: Demo) -> None:
    """The registry types: a stack of workload shares, drift after a share is deleted by hand, and Cloud Control."""
    cloud, checks = demo.cloud, demo.checks
    stack = demo.deploy(
        f"Deploy local/templates/registry-shares.yaml: a workload shared with {MEMBER} and {LATE} by registry types",
        "registry-shares",
        "local/templates/registry-shares.yaml",
        {"ReaderAccountId": MEMBER, "ContributorAccountId": LATE},
    )
    workload = stack.outputs.get("WorkloadId", {}).get("value", "")
    checks.expect("the emulator holds both workload shares", set(demo.principals(workload)) == {MEMBER, LATE})

    cloud.emulator.delete_share(stack.outputs.get("ReaderShareId", {}).get("value", ""))
    print("\n== Someone deletes the reader's share by hand: python -m local detect-drift --stack-name registry-shares")
    drifts = [resource_drift(cloud.handlers, stack.stack_id, stack.account, r) for r in list(stack.resources.values())]
    for drift in drifts:
        print(f"  {drift['LogicalResourceId']:<18} {drift['StackResourceDriftStatus']}")
    checks.expect(
        "drift: ReaderShare DELETED, ContributorShare IN_SYNC, the workload NOT_CHECKED",
        {drift["LogicalResourceId"]: drift["StackResourceDriftStatus"] for drift in drifts}
        == {"Workload": "NOT_CHECKED", "ReaderShare": "DELETED", "ContributorShare": "IN_SYNC"},
    )

    print("\n== Cloud Control, as Terraform's aws_cloudcontrolapi_resource calls it: create, then delete, a share")
    client = boto3.client(
        "cloudcontrol",
        endpoint_url=cloud.cloudcontrol_url(),
        region_name=cloud.region,
        aws_access_key_id=f"AKIDLOCAL{OWNER}",
        aws_secret_access_key="local",
    )
    type_name, desired = (
        "LensShareProvider::WellArchitected::WorkloadShare",
        {"WorkloadId": workload, "SharedWith": NEWCOMER},
    )
    for operation in ("create", "delete"):
        if operation == "create":
            event = client.create_resource(TypeName=type_name, DesiredState=json.dumps(desired))["ProgressEvent"]
        else:
            event = client.delete_resource(TypeName=type_name, Identifier=f"{workload}|{NEWCOMER}")["ProgressEvent"]
        status = event
        for _ in range(POLLS):  # as Terraform polls GetResourceRequestStatus, with a shorter pause
            status = client.get_resource_request_status(RequestToken=event["RequestToken"])["ProgressEvent"]
            if status["OperationStatus"] in ("SUCCESS", "FAILED"):
                break
            PAUSE.wait(0.1)
        print(f"  {status['Operation']} {status['Identifier']}: {status['OperationStatus']}")
        held = NEWCOMER in demo.principals(workload)
        checks.expect(f"Cloud Control {operation}d the share with {NEWCOMER}", held == (operation == "create"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state-dir", type=Path, help="keep the local cloud (state, function logs) here")
    options = parser.parse_args()
    checks = Checks()
    # A fresh local cloud by default: the demo neither reads nor changes the one `python -m local` keeps
    with (
        tempfile.TemporaryDirectory(prefix="lens-share-demo-") as temporary,
        LocalCloud(options.state_dir or Path(temporary)) as cloud,
    ):
        print(f"Local cloud: Well-Architected emulator at {cloud.emulator.url}, state in {cloud.state_dir}")
        demo = Demo(cloud, checks)
        play(demo)
        play_organization(demo)
    print(f"\n{'Demo passed' if not checks.failures else 'Demo FAILED: ' + '; '.join(checks.failures)}")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    gc.freeze()  # the libraries imported live for the whole demo: the collector need not walk them again and again
    sys.exit(main())
