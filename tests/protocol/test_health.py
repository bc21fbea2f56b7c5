"""The health check through its real handler: a rollout's shares of every kind against the stacks, read over
CloudFormation's API, with Well-Architected on the emulator."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from emulator.cloudformation import CloudFormationEmulator, StackResource
from lens_share.aws import clients
from lens_share.health import app as health_app
from lens_share.health.__main__ import main as health_main
from lens_share.health.check import RESERVE_S
from lens_share.health.model import STATUSES
from local.cloudformation import LambdaContext, ResponseReceiver, Stack
from tests.protocol.harness import MEMBER, OWNER, LambdaFunction, answer_invitation, client_of, writes

SHARING = "Custom::WellArchitectedOrganizationSharing"
GENERIC = "AWS::CloudFormation::CustomResource"
WEEK = 7 * 24 * 3600
ORGANIZATION, UNIT = "o-a1b2c3d4e5", "ou-ab12-cd34ef56"
AUDITOR = "arn:aws:iam::666666666666:user/auditor"
READS = {"ListLenses", "ListLensShares", "ListProfiles", "ListReviewTemplates", "ListWorkloads"}
EMPTY: dict[str, list[Any]] = {"Profiles": [], "ReviewTemplates": [], "Workloads": []}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cloudformation() -> Iterator[CloudFormationEmulator]:
    """CloudFormation's ListStacks and ListStackResources over HTTP, where the provider's client looks for them."""
    with CloudFormationEmulator() as server:
        os.environ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = server.url
        clients.cloudformation.cache_clear()
        yield server
        os.environ.pop("AWS_ENDPOINT_URL_CLOUDFORMATION")
        clients.cloudformation.cache_clear()


@pytest.fixture
def cfn(cloudformation: CloudFormationEmulator) -> Iterator[CloudFormationEmulator]:
    cloudformation.reset()
    yield cloudformation
    cloudformation.reset()


def check(app: LambdaFunction, context: LambdaContext | None = None, workers: int = 10) -> dict[str, Any]:
    """The scheduled invocation of the health check's own function, built on the provider's Environment."""
    return health_app.build_handler(app.environment, workers)({"Action": "HealthCheck"}, context or LambdaContext())


def publish(cfn: CloudFormationEmulator, *stacks: Stack) -> None:
    """Each stack as CloudFormation's API shows it: its status and its resources' physical IDs."""
    for stack in stacks:
        resources = [
            StackResource(r.logical_id, r.physical_id, r.resource_type, r.status) for r in stack.resources.values()
        ]
        cfn.put_stack(stack.name, stack.status or "CREATE_COMPLETE", resources, stack_id=stack.stack_id)


def metric_blobs(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if '"_aws"' in line]


def value(blob: dict[str, Any], name: str) -> float:
    """A metric's value in an EMF line, which Powertools writes as a list of one."""
    found = blob[name]
    return float(found[0] if isinstance(found, list) else found)


def share_id(stack: Stack, logical_id: str) -> str:
    return str(stack.resources[logical_id].data["ShareId"])


def test_the_report_logs_and_metrics_name_exactly_the_shares_that_never_took_or_changed_behind_the_stacks(
    app: LambdaFunction,
    receiver: ResponseReceiver,
    emu: WellArchitectedEmulator,
    cfn: CloudFormationEmulator,
    stack: Stack,
    lens: str,
    owner_client: Any,
    log_lines: io.StringIO,
    capsys: pytest.CaptureFixture[str],
) -> None:
    quiet_lens = emu.create_lens(name="Quiet lens")
    assert stack.create("OrganizationSharing", {}, resource_type=SHARING).succeeded
    for logical_id, principal in [
        ("ShareAccepted", "222222222222"),
        ("ShareRejected", "333333333333"),
        ("ShareExpired", "444444444444"),
        ("ShareDeletedByHand", "555555555555"),
        ("ShareOrganization", ORGANIZATION),
        ("ShareUnit", UNIT),
    ]:
        assert stack.create(logical_id, {"LensAlias": lens, "SharedWith": principal}).succeeded
    team = Stack(app.handler, receiver, name="team-audit")
    assert team.create("ShareAuditor", {"LensAlias": lens, "SharedWith": AUDITOR}, resource_type=GENERIC).succeeded
    answer_invitation(emu, "222222222222", "ACCEPT")
    answer_invitation(emu, "666666666666", "ACCEPT")
    answer_invitation(emu, "333333333333", "REJECT")
    emu.advance_clock(WEEK + 1)
    emu.set_share_status(share_id(stack, "ShareOrganization"), "FAILED", "Trusted access was turned off")
    emu.delete_share(share_id(stack, "ShareDeletedByHand"))
    by_hand = owner_client.create_lens_share(LensAlias=lens, SharedWith="777777777777", ClientRequestToken="by-hand")
    publish(cfn, stack, team)
    # A deleted stack still lists its resources, but declares nothing any more.
    gone = f"{lens}/shares/{'f' * 32}"
    cfn.put_stack(
        "old-rollout", "DELETE_COMPLETE", [StackResource("Old", gone, "Custom::LensShare", "DELETE_COMPLETE")]
    )
    writes_before = writes(emu)
    calls_before = len(emu.calls())
    capsys.readouterr()

    report = check(app)

    def problem(kind: str, logical_id: str, shared_with: str, status: str, message: str = "") -> dict[str, str]:
        return {
            "Kind": kind,
            "ResourceType": "Custom::LensShare",
            "ShareId": share_id(stack, logical_id),
            "SharedWith": shared_with,
            "Status": status,
            "StatusMessage": message,
            "StackName": stack.name,
            "LogicalResourceId": logical_id,
        }

    expected_problems = [
        problem(
            "EXPIRED",
            "ShareExpired",
            "444444444444",
            "EXPIRED",
            "The share invitation expired 7 days after it was sent",
        ),
        problem("REJECTED", "ShareRejected", "333333333333", "REJECTED"),
        problem("FAILED", "ShareOrganization", ORGANIZATION, "FAILED", "Trusted access was turned off"),
        {**problem("MISSING", "ShareDeletedByHand", "", ""), "SharedWith": ""},
        {
            "Kind": "UNMANAGED",
            "ResourceType": "Custom::LensShare",
            "ShareId": by_hand["ShareId"],
            "SharedWith": "777777777777",
            "Status": "PENDING",
            "StatusMessage": "",
            "StackName": "",
            "LogicalResourceId": "",
        },
    ]
    zero = dict.fromkeys(STATUSES, 0)
    expected: dict[str, Any] = {
        "Lenses": [
            {
                "LensArn": lens,
                "Counts": {
                    **zero,
                    "PENDING": 1,
                    "ACCEPTED": 2,
                    "REJECTED": 1,
                    "EXPIRED": 1,
                    "ASSOCIATED": 1,
                    "FAILED": 1,
                },
                "Problems": expected_problems,
            },
            {"LensArn": quiet_lens, "Counts": zero, "Problems": []},
        ],
        **EMPTY,
        "Partial": False,
    }
    assert report == expected

    records = [json.loads(line) for line in log_lines.getvalue().splitlines() if line.strip()]
    lines = [record for record in records if record["message"] == "Share problem"]
    assert [{key: line[key] for key in expected_problems[0]} for line in lines] == expected_problems
    assert [line["level"] for line in lines] == ["WARNING"] * 4 + ["INFO"]
    # Nothing from the CloudFormation events this warm environment served before.
    assert not any("RequestId" in record or "StackId" in record for record in lines)
    assert all(line["LensArn"] == lens for line in lines)
    [summary] = [record for record in records if record["message"] == "Health check"]
    assert (summary["Lenses"], summary["Workloads"], summary["Problems"], summary["Partial"]) == (2, 0, 4, False)

    blobs = metric_blobs(capsys.readouterr().out)
    per_lens = {blob["LensArn"]: blob for blob in blobs if "LensArn" in blob}
    gauges = {
        "SharesPending": 1,
        "SharesAccepted": 2,
        "SharesRejected": 1,
        "SharesRevoked": 0,
        "SharesExpired": 1,
        "SharesAssociating": 0,
        "SharesAssociated": 1,
        "SharesStatusFailed": 1,
        "SharesMissing": 1,
        "SharesUnmanaged": 1,
    }
    for arn, values in ((lens, gauges), (quiet_lens, dict.fromkeys(gauges, 0))):
        directive = per_lens[arn]["_aws"]["CloudWatchMetrics"][0]
        assert directive["Namespace"] == "LensShareProvider"
        assert directive["Dimensions"] == [["LensArn", "service"]] or directive["Dimensions"] == [
            ["service", "LensArn"]
        ]
        assert {metric["Name"]: value(per_lens[arn], metric["Name"]) for metric in directive["Metrics"]} == values
    [total] = [blob for blob in blobs if "ShareProblems" in blob and "Kind" not in blob]
    assert value(total, "ShareProblems") == 4
    assert total["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service"]]
    per_kind = {blob["Kind"]: value(blob, "ShareProblems") for blob in blobs if "Kind" in blob}
    assert per_kind == {"LENS": 4, "PROFILE": 0, "TEMPLATE": 0, "WORKLOAD": 0}
    assert len(blobs) == 2 + 1 + 4

    assert writes(emu) == writes_before
    assert {operation for operation, _status, _account in emu.calls()[calls_before:]} == READS
    assert set(cfn.calls()) == {"ListStacks", "ListStackResources"}


def test_a_check_past_its_deadline_is_partial_and_reports_only_what_it_could_see_whole(
    app: LambdaFunction, emu: WellArchitectedEmulator, cfn: CloudFormationEmulator, owner_client: Any
) -> None:
    lenses = [emu.create_lens(name=f"Lens {number}") for number in range(3)]
    declared: list[StackResource] = []
    for number, lens_arn in enumerate(lenses):
        for recipient in range(5 + 20 * number):  # one page for the first lens, three for the others
            account = f"{number + 1}{recipient:011d}"
            made = owner_client.create_lens_share(LensAlias=lens_arn, SharedWith=account, ClientRequestToken=account)
            declared.append(
                StackResource(f"Share{number}x{recipient}", f"{lens_arn}/shares/{made['ShareId']}", GENERIC)
            )
        declared.append(StackResource(f"Gone{number}", f"{lens_arn}/shares/{number:032x}", "Custom::LensShare"))
    cfn.put_stack("rollout", "UPDATE_COMPLETE", declared)
    writes_before = writes(emu)
    emu.set_rate_limit(0.5, burst=5)  # the four listings of what the account owns, then one page of shares
    context = LambdaContext(timeout_s=RESERVE_S + 10)

    report = check(app, context)

    assert context.get_remaining_time_in_millis() > 0
    assert report["Partial"] is True
    assert report["PartialReason"].startswith("The deadline came before the shares of ")
    checked = [lens["LensArn"] for lens in report["Lenses"]]
    assert report["UncheckedLenses"]
    assert sorted(checked + report["UncheckedLenses"]) == sorted(lenses)
    for lens in report["Lenses"]:
        number = lenses.index(lens["LensArn"])
        assert lens["Counts"]["PENDING"] == len(emu.shares(lens["LensArn"]))
        assert [(p["Kind"], p["ShareId"]) for p in lens["Problems"]] == [("MISSING", f"{number:032x}")]
    assert writes(emu) == writes_before


def test_the_command_line_prints_the_report_as_a_table_or_json_and_exits_1_on_problems(
    emu: WellArchitectedEmulator, cfn: CloudFormationEmulator, lens: str, owner_client: Any
) -> None:
    made = owner_client.create_lens_share(LensAlias=lens, SharedWith="222222222222", ClientRequestToken="one")
    gone = "0" * 32
    cfn.put_stack(
        "rollout",
        "CREATE_COMPLETE",
        [
            StackResource("Share", f"{lens}/shares/{made['ShareId']}", "Custom::LensShare"),
            StackResource("Gone", f"{lens}/shares/{gone}", "Custom::LensShare"),
        ],
    )
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "functions" / "provider"),
        "AWS_ENDPOINT_URL_WELLARCHITECTED": emu.url,
        "AWS_ENDPOINT_URL_CLOUDFORMATION": cfn.url,
    }

    def command(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "lens_share.health", *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    table = command()
    raw = command("--json")
    owner = command("--json", "--account", OWNER)

    assert (table.returncode, table.stderr) == (1, "")
    assert table.stdout.splitlines() == [
        f"Lens {lens}",
        "  1 share: PENDING 1",
        "  Kind     SharedWith  ShareId                           Status  Stack    LogicalResourceId",
        f"  MISSING  -           {gone}  -       rollout  Gone",
        "",
        "1 lens, 0 profiles, 0 review templates, 0 workloads; 1 problem.",
    ]
    assert raw.returncode == 1
    assert json.loads(raw.stdout)["Lenses"][0]["Problems"][0]["ShareId"] == gone
    assert json.loads(owner.stdout) == json.loads(raw.stdout)
    assert writes(emu) == ["CreateLensShare"]


# One recipient account per kind: an account's invitations are answered one by one.
KINDS = [
    ("Custom::ProfileShare", "ProfileArn", "Profiles", "PROFILE", "212121212121"),
    ("Custom::ReviewTemplateShare", "TemplateArn", "ReviewTemplates", "TEMPLATE", "232323232323"),
    ("Custom::WorkloadShare", "WorkloadId", "Workloads", "WORKLOAD", "242424242424"),
]


def shared_resources(emu: WellArchitectedEmulator) -> dict[str, str]:
    return {
        "ProfileArn": emu.create_profile(),
        "TemplateArn": emu.create_review_template(),
        "WorkloadId": emu.create_workload(),
    }


def test_profiles_review_templates_and_workloads_are_checked_as_lenses_are_each_problem_naming_its_type(
    app: LambdaFunction,
    receiver: ResponseReceiver,
    emu: WellArchitectedEmulator,
    cfn: CloudFormationEmulator,
    stack: Stack,
    owner_client: Any,
    log_lines: io.StringIO,
    capsys: pytest.CaptureFixture[str],
) -> None:
    resources = shared_resources(emu)
    for resource_type, prop, _key, _kind, account in KINDS:
        for logical_id, principal in [("Accepted", account), ("Expired", "999999999999"), ("Gone", "888888888888")]:
            properties = {prop: resources[prop], "SharedWith": principal}
            assert stack.create(f"{prop}{logical_id}", properties, resource_type=resource_type).succeeded
        answer_invitation(emu, account, "ACCEPT")
    emu.advance_clock(WEEK + 1)  # the invitations to 999999999999 expire
    for _type, prop, _key, _kind, _account in KINDS:
        emu.delete_share(share_id(stack, f"{prop}Gone"))
    by_hand = {
        "ProfileArn": owner_client.create_profile_share(
            ProfileArn=resources["ProfileArn"], SharedWith="777777777777", ClientRequestToken="by-hand-profile"
        ),
        "TemplateArn": owner_client.create_template_share(
            TemplateArn=resources["TemplateArn"], SharedWith="777777777777", ClientRequestToken="by-hand-template"
        ),
        "WorkloadId": owner_client.create_workload_share(
            WorkloadId=resources["WorkloadId"],
            SharedWith="777777777777",
            PermissionType="READONLY",
            ClientRequestToken="by-hand-workload",
        ),
    }
    publish(cfn, stack)
    writes_before = writes(emu)
    capsys.readouterr()

    report = check(app)

    assert (report["Lenses"], report["Partial"]) == ([], False)
    for resource_type, prop, key, _kind, account in KINDS:

        def problem(kind: str, logical_id: str, shared_with: str, status: str, message: str = "") -> dict[str, str]:
            return {
                "Kind": kind,
                "ResourceType": resource_type,  # noqa: B023 - used within this iteration
                "ShareId": share_id(stack, f"{prop}{logical_id}"),  # noqa: B023
                "SharedWith": shared_with,
                "Status": status,
                "StatusMessage": message,
                "StackName": stack.name,
                "LogicalResourceId": f"{prop}{logical_id}",  # noqa: B023
            }

        expired = problem(
            "EXPIRED", "Expired", "999999999999", "EXPIRED", "The share invitation expired 7 days after it was sent"
        )
        unmanaged = {
            **problem("UNMANAGED", "Gone", "777777777777", "PENDING"),
            "ShareId": by_hand[prop]["ShareId"],
            "StackName": "",
            "LogicalResourceId": "",
        }
        assert report[key] == [
            {
                prop: resources[prop],
                "Counts": {**dict.fromkeys(STATUSES, 0), "ACCEPTED": 1, "EXPIRED": 1, "PENDING": 1},
                "Problems": [expired, problem("MISSING", "Gone", "", ""), unmanaged],
            }
        ], key
        assert account in {share["SharedWith"] for share in emu.shares(resources[prop])}

    records = [json.loads(line) for line in log_lines.getvalue().splitlines() if line.strip()]
    lines = [record for record in records if record["message"] == "Share problem"]
    assert sorted((line["ResourceType"], line["Kind"]) for line in lines) == sorted(
        (resource_type, kind) for resource_type, *_ in KINDS for kind in ("EXPIRED", "MISSING", "UNMANAGED")
    )
    named = {resource_type: prop for resource_type, prop, *_ in KINDS}
    assert all(line[named[line["ResourceType"]]] == resources[named[line["ResourceType"]]] for line in lines)
    blobs = metric_blobs(capsys.readouterr().out)
    for _type, prop, _key, kind, _account in KINDS:
        [gauges] = [blob for blob in blobs if prop in blob]
        assert gauges[prop] == resources[prop]
        assert (value(gauges, "SharesExpired"), value(gauges, "SharesMissing"), value(gauges, "SharesUnmanaged")) == (
            1,
            1,
            1,
        )
        [per_kind] = [blob for blob in blobs if blob.get("Kind") == kind]
        assert value(per_kind, "ShareProblems") == 2  # EXPIRED and MISSING; UNMANAGED raises no alarm
    [total] = [blob for blob in blobs if "ShareProblems" in blob and "Kind" not in blob]
    assert value(total, "ShareProblems") == 6
    assert writes(emu) == writes_before
    listed = {operation for operation, _status, _account in emu.calls()}
    assert {"ListProfileShares", "ListTemplateShares", "ListWorkloadShares"} <= listed


def test_what_other_accounts_own_and_shared_with_this_one_is_left_out(
    app: LambdaFunction, emu: WellArchitectedEmulator, cfn: CloudFormationEmulator
) -> None:
    """ListReviewTemplates and ListWorkloads also list what was shared with the account; only owners list shares."""
    theirs = {
        "TemplateArn": emu.create_review_template(name="Their template", account=MEMBER),
        "WorkloadId": emu.create_workload(name="Their workload", account=MEMBER),
    }
    member = client_of(emu, MEMBER)
    member.create_template_share(TemplateArn=theirs["TemplateArn"], SharedWith=OWNER, ClientRequestToken="t")
    member.create_workload_share(
        WorkloadId=theirs["WorkloadId"], SharedWith=OWNER, PermissionType="READONLY", ClientRequestToken="w"
    )
    for invitation in emu.invitations(OWNER):
        client_of(emu, OWNER).update_share_invitation(
            ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction="ACCEPT"
        )
    mine = emu.create_workload(name="Our workload")
    owner = client_of(emu, OWNER)
    assert {w["WorkloadId"] for w in owner.list_workloads()["WorkloadSummaries"]} == {mine, theirs["WorkloadId"]}

    report = check(app)

    assert [workload["WorkloadId"] for workload in report["Workloads"]] == [mine]
    assert (report["ReviewTemplates"], report["Partial"]) == ([], False)


def test_one_worker_gives_the_same_report_as_ten(
    app: LambdaFunction, stack: Stack, emu: WellArchitectedEmulator, cfn: CloudFormationEmulator, lens: str
) -> None:
    """The check once waited, inside its pool, on listings queued behind it: with one worker it never ended.
    It runs in a process of its own here, so that a check that hangs fails the test instead of the run."""
    resources = shared_resources(emu)
    assert stack.create("LensShare", {"LensAlias": lens, "SharedWith": "222222222222"}).succeeded
    for resource_type, prop, *_ in KINDS:
        properties = {prop: resources[prop], "SharedWith": "333333333333"}
        assert stack.create(f"{prop}Share", properties, resource_type=resource_type).succeeded
    publish(cfn, stack)
    script = (
        "import json\n"
        "from lens_share.health import app\n"
        "from lens_share.services import Environment\n"
        "from local.cloudformation import LambdaContext\n"
        "handler = app.build_handler(Environment.load(), workers=1)\n"
        "print(json.dumps(handler({'Action': 'HealthCheck'}, LambdaContext(timeout_s=60))))\n"
    )
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions" / "provider"), str(ROOT)]),
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }

    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=90, check=False
    )

    assert done.returncode == 0, done.stderr
    one_worker = json.loads(done.stdout.splitlines()[-1])
    assert one_worker == check(app)
    assert [len(one_worker[key]) for key in ("Lenses", "Profiles", "ReviewTemplates", "Workloads")] == [1, 1, 1, 1]
    assert one_worker["Partial"] is False


def test_the_command_reports_each_region_it_is_given(
    emu: WellArchitectedEmulator, cfn: CloudFormationEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    east = emu.create_lens("East lens")
    west = emu.create_lens("West lens", region="eu-west-1")

    code = health_main(["--json", "--regions", "us-east-1,eu-west-1", "--account", OWNER])

    report = json.loads(capsys.readouterr().out)["Regions"]
    assert code == 0
    assert {region: [lens["LensArn"] for lens in result["Lenses"]] for region, result in report.items()} == {
        "us-east-1": [east],
        "eu-west-1": [west],
    }
