"""The health check's parts on their own: physical IDs of every kind, what a partial check may claim, what the
account owns, metric names, the report's shape and the table."""

from __future__ import annotations

from typing import Any

import boto3
import botocore.session
import pytest
from botocore.stub import Stubber

from lens_share import telemetry
from lens_share.aws import clients, retry
from lens_share.aws.calls import Caller
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.health import check as health
from lens_share.health.__main__ import exit_code
from lens_share.health.check import Listings, Stacks, assemble, declared_share
from lens_share.health.model import STATUSES, Declaration
from lens_share.health.table import table
from lens_share.kinds import LENS, PROFILE, TEMPLATE, WORKLOAD

ACCOUNT, OTHER_ACCOUNT = "111111111111", "999999999999"
LENS_ARN = f"arn:aws:wellarchitected:us-east-1:{ACCOUNT}:lens/" + "a" * 32
OTHER_LENS = f"arn:aws:wellarchitected:us-east-1:{ACCOUNT}:lens/" + "b" * 32
CHINA_LENS = f"arn:aws-cn:wellarchitected:cn-north-1:{ACCOUNT}:lens/" + "c" * 32
PROFILE_ARN = f"arn:aws:wellarchitected:us-east-1:{ACCOUNT}:profile/" + "d" * 32
TEMPLATE_ARN = f"arn:aws:wellarchitected:us-east-1:{ACCOUNT}:review-template/" + "e" * 32
WORKLOAD_ID = "f" * 32
SHARE, OLD_SHARE, GONE = "1" * 32, "2" * 32, "3" * 32


@pytest.mark.parametrize(
    ("resource_type", "physical_id", "expected"),
    [
        ("Custom::LensShare", f"{LENS_ARN}/shares/{SHARE}", (LENS, LENS_ARN, SHARE)),
        ("Custom::LensShare", f"{LENS_ARN}/shares/{SHARE}/replaces/{OLD_SHARE}", (LENS, LENS_ARN, SHARE)),
        ("Custom::LensShare", f"{CHINA_LENS}/shares/{SHARE}", (LENS, CHINA_LENS, SHARE)),
        ("AWS::CloudFormation::CustomResource", f"{LENS_ARN}/shares/{SHARE}", (LENS, LENS_ARN, SHARE)),
        ("Custom::ProfileShare", f"{PROFILE_ARN}/shares/{SHARE}", (PROFILE, PROFILE_ARN, SHARE)),
        ("Custom::ReviewTemplateShare", f"{TEMPLATE_ARN}/shares/{SHARE}", (TEMPLATE, TEMPLATE_ARN, SHARE)),
        ("Custom::WorkloadShare", f"workloads/{WORKLOAD_ID}/shares/{SHARE}", (WORKLOAD, WORKLOAD_ID, SHARE)),
        (
            "Custom::WorkloadShare",
            f"workloads/{WORKLOAD_ID}/shares/{SHARE}/replaces/{OLD_SHARE}",
            (WORKLOAD, WORKLOAD_ID, SHARE),
        ),
        # A physical ID of another kind than its type shares is no share of that type.
        ("Custom::ProfileShare", f"{LENS_ARN}/shares/{SHARE}", None),
        ("Custom::LensShare", f"{LENS_ARN}/shares/{SHARE}x", None),
        ("Custom::ShareInvitation", f"{LENS_ARN}/invitations/{SHARE}", None),
        ("Custom::LensShareInvitation", f"{LENS_ARN}/shares/{SHARE}", None),
        ("AWS::S3::Bucket", f"{LENS_ARN}/shares/{SHARE}", None),
        ("Custom::LensShare", "not-created-0f0e8e6c-2c53-4b6e-9d5f-4a1f1e0c9b7a", None),
        ("Custom::WorkloadShare", "unconfirmed-0f0e8e6c-2c53-4b6e-9d5f-4a1f1e0c9b7a", None),
        ("Custom::LensShare", "", None),
    ],
)
def test_a_declared_share_is_read_from_each_physical_id_format_of_each_share_type(
    resource_type: str, physical_id: str, expected: tuple[Any, str, str] | None
) -> None:
    assert declared_share(resource_type, physical_id) == expected


def test_every_share_status_of_the_model_is_counted() -> None:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    assert set(STATUSES) == set(model.shape_for("ShareStatus").enum)  # type: ignore[attr-defined]


def test_gauges_are_named_shares_and_the_status_and_failed_does_not_collide_with_the_failure_count() -> None:
    names = [telemetry.status_metric(status) for status in STATUSES]
    assert names == [
        "SharesPending",
        "SharesAccepted",
        "SharesRejected",
        "SharesRevoked",
        "SharesExpired",
        "SharesAssociating",
        "SharesAssociated",
        "SharesStatusFailed",
    ]
    assert "SharesFailed" not in names


def listed(*shares: tuple[str, str, str]) -> list[Any]:
    return [{"ShareId": share_id, "SharedWith": who, "Status": status} for share_id, who, status in shares]


def everything_listed(owned: dict[Any, list[str]], shares: dict[tuple[Any, str], list[Any]]) -> Listings:
    """Every kind listed: the ones not given own nothing."""
    return Listings({kind: owned.get(kind, []) for kind in (LENS, PROFILE, TEMPLATE, WORKLOAD)}, shares)


def test_a_complete_check_names_declared_shares_that_are_gone_and_shares_no_stack_declares() -> None:
    stacks = Stacks(
        {
            (LENS, LENS_ARN, SHARE): Declaration("rollout", "Expired"),
            (LENS, LENS_ARN, GONE): Declaration("rollout", "Gone"),
        },
        complete=True,
    )
    shares = listed((SHARE, "222222222222", "EXPIRED"), (OLD_SHARE, "333333333333", "ACCEPTED"))

    result = assemble(everything_listed({LENS: [LENS_ARN]}, {(LENS, LENS_ARN): shares}), stacks)

    assert not result.partial_reason
    [lens] = result.resources
    assert [(p.kind, p.share_id, p.as_dict()["StackName"], p.resource_type) for p in lens.problems] == [
        ("EXPIRED", SHARE, "rollout", "Custom::LensShare"),
        ("MISSING", GONE, "rollout", "Custom::LensShare"),
        ("UNMANAGED", OLD_SHARE, "", "Custom::LensShare"),
    ]
    assert result.alarmed == 2
    assert result.alarmed_by_kind() == {"LENS": 2, "PROFILE": 0, "TEMPLATE": 0, "WORKLOAD": 0}


@pytest.mark.parametrize(
    ("kind", "identifier", "key", "attribute", "resource_type"),
    [
        (LENS, LENS_ARN, "Lenses", "LensArn", "Custom::LensShare"),
        (PROFILE, PROFILE_ARN, "Profiles", "ProfileArn", "Custom::ProfileShare"),
        (TEMPLATE, TEMPLATE_ARN, "ReviewTemplates", "TemplateArn", "Custom::ReviewTemplateShare"),
        (WORKLOAD, WORKLOAD_ID, "Workloads", "WorkloadId", "Custom::WorkloadShare"),
    ],
)
def test_each_kind_has_its_list_in_the_report_in_the_shape_of_lenses(
    kind: Any, identifier: str, key: str, attribute: str, resource_type: str
) -> None:
    declared = {(kind, identifier, SHARE): Declaration("rollout", "Rejected")}
    stacks = Stacks({**declared, (kind, identifier, GONE): Declaration("rollout", "Gone")}, complete=True)
    shares = {(kind, identifier): listed((SHARE, "222222222222", "REJECTED"))}

    report = assemble(everything_listed({kind: [identifier]}, shares), stacks).as_dict()

    common = {"Status": "", "StatusMessage": "", "ResourceType": resource_type}
    assert report[key] == [
        {
            attribute: identifier,
            "Counts": {**dict.fromkeys(STATUSES, 0), "REJECTED": 1},
            "Problems": [
                {
                    **common,
                    "Kind": "REJECTED",
                    "ShareId": SHARE,
                    "SharedWith": "222222222222",
                    "Status": "REJECTED",
                    "StackName": "rollout",
                    "LogicalResourceId": "Rejected",
                },
                {**common, "Kind": "MISSING", "ShareId": GONE, "SharedWith": "", "StackName": "rollout"}
                | {"LogicalResourceId": "Gone"},
            ],
        }
    ]
    others = {"Lenses", "Profiles", "ReviewTemplates", "Workloads"} - {key}
    assert {other: report[other] for other in others} == {other: [] for other in others}
    assert report["Partial"] is False
    assert set(report) == {"Lenses", "Profiles", "ReviewTemplates", "Workloads", "Partial"}


def test_without_every_stack_read_nothing_is_called_unmanaged_but_statuses_still_are() -> None:
    stacks = Stacks(
        {(LENS, LENS_ARN, GONE): Declaration("rollout", "Gone")},
        complete=False,
        unread="the resources of 1 of 2 stacks",
    )
    shares = listed((SHARE, "222222222222", "REJECTED"), (OLD_SHARE, "333333333333", "ACCEPTED"))

    result = assemble(everything_listed({LENS: [LENS_ARN]}, {(LENS, LENS_ARN): shares}), stacks)

    assert [(p.kind, p.share_id) for p in result.resources[0].problems] == [("REJECTED", SHARE), ("MISSING", GONE)]
    assert result.partial_reason.startswith("The deadline came before the resources of 1 of 2 stacks were read")
    assert result.as_dict()["Partial"] is True


def test_a_resource_whose_shares_were_not_all_listed_is_unchecked_not_missing_its_shares() -> None:
    stacks = Stacks(
        {
            (LENS, LENS_ARN, SHARE): Declaration("a", "A"),
            (LENS, OTHER_LENS, GONE): Declaration("b", "B"),
            (WORKLOAD, WORKLOAD_ID, GONE): Declaration("c", "C"),
        },
        complete=True,
    )
    owned = {LENS: [LENS_ARN, OTHER_LENS], WORKLOAD: [WORKLOAD_ID]}

    result = assemble(everything_listed(owned, {(LENS, LENS_ARN): listed((SHARE, "2" * 12, "ACCEPTED"))}), stacks)

    assert [(resource.identifier, resource.problems) for resource in result.resources] == [(LENS_ARN, [])]
    report = result.as_dict()
    assert (report["UncheckedLenses"], report["UncheckedWorkloads"]) == ([OTHER_LENS], [WORKLOAD_ID])
    assert (report["UncheckedProfiles"], report["UncheckedReviewTemplates"]) == ([], [])
    assert "the shares of 1 of 2 lenses and the shares of 1 of 1 workloads" in result.partial_reason


def test_the_shares_a_stack_declares_of_a_resource_that_is_gone_are_missing() -> None:
    stacks = Stacks(
        {(LENS, OTHER_LENS, GONE): Declaration("b", "B"), (PROFILE, PROFILE_ARN, GONE): Declaration("p", "P")},
        complete=True,
    )

    result = assemble(everything_listed({LENS: [LENS_ARN]}, {(LENS, LENS_ARN): []}), stacks)

    assert [(each.identifier, [p.kind for p in each.problems]) for each in result.resources] == [
        (LENS_ARN, []),
        (OTHER_LENS, ["MISSING"]),
        (PROFILE_ARN, ["MISSING"]),
    ]
    assert result.resources[1].counts == dict.fromkeys(STATUSES, 0)


def test_a_kind_whose_own_listing_was_cut_is_not_reported_at_all() -> None:
    stacks = Stacks({(WORKLOAD, WORKLOAD_ID, GONE): Declaration("w", "W")}, complete=True)
    listings = Listings({LENS: [], PROFILE: [], TEMPLATE: []}, {})

    result = assemble(listings, stacks)

    assert result.resources == []
    assert result.partial_reason.startswith("The deadline came before the account's workloads were read")


def test_no_time_at_all_gives_an_empty_partial_report_without_a_call() -> None:
    def unreachable(**_kwargs: Any) -> Any:
        raise AssertionError("no call may start without time to finish it")

    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="y", region_name="us-east-1")
    client = session.client("wellarchitected", endpoint_url="http://127.0.0.1:9")
    cloudformation = session.client("cloudformation", endpoint_url="http://127.0.0.1:9")
    client.meta.events.register("before-send", unreachable)
    cloudformation.meta.events.register("before-send", unreachable)
    deadline = retry.Deadline(lambda: int(retry.ATTEMPT_S * 1000), reserve_s=0.5)

    result = health.check(WellArchitected(client, Caller(deadline, retry.Backoff())), cloudformation, ACCOUNT)

    assert result.as_dict() == {
        "Lenses": [],
        "Profiles": [],
        "ReviewTemplates": [],
        "Workloads": [],
        "Partial": True,
        "PartialReason": "The deadline came before the account's lenses, profiles, review templates and workloads "
        "and the account's stacks were read; MISSING is reported only for resources whose shares were all listed, "
        "UNMANAGED only when every stack was read.",
        "UncheckedLenses": [],
        "UncheckedProfiles": [],
        "UncheckedReviewTemplates": [],
        "UncheckedWorkloads": [],
    }


@pytest.mark.parametrize(
    ("kind", "method", "items", "key", "base", "params"),
    [
        (TEMPLATE, "list_review_templates", "ReviewTemplates", "TemplateArn", TEMPLATE_ARN[:-32], {}),
        (WORKLOAD, "list_workloads", "WorkloadSummaries", "WorkloadId", "", {}),
        (PROFILE, "list_profiles", "ProfileSummaries", "ProfileArn", PROFILE_ARN[:-32], {"ProfileOwnerType": "SELF"}),
        (LENS, "list_lenses", "LensSummaries", "LensArn", LENS_ARN[:-32], {"LensType": "CUSTOM_SELF"}),
    ],
)
def test_only_what_the_account_owns_is_checked_page_after_page(
    kind: Any, method: str, items: str, key: str, base: str, params: dict[str, str]
) -> None:
    client = boto3.client("wellarchitected", region_name="us-east-1")
    mine, theirs, later = (base + digit * 32 for digit in "123")
    with Stubber(client) as stub:
        first = [{key: mine, "Owner": ACCOUNT}, {key: theirs, "Owner": OTHER_ACCOUNT}]
        stub.add_response(method, {items: first, "NextToken": "next"}, {"MaxResults": 10, **params})
        second = {items: [{key: later, "Owner": ACCOUNT}]}
        stub.add_response(method, second, {"MaxResults": 10, "NextToken": "next", **params})
        caller = Caller(retry.Deadline(lambda: 60_000), retry.Backoff())

        owned = list(WellArchitected(client, caller).owned(kind, ACCOUNT))

        stub.assert_no_pending_responses()
    assert owned == [mine, later]


@pytest.mark.parametrize(
    ("kinds", "partial", "code"),
    [([], False, 0), (["UNMANAGED"], False, 0), (["MISSING"], False, 1), (["EXPIRED"], True, 1), ([], True, 3)],
)
@pytest.mark.parametrize("key", ["Lenses", "Workloads"])
def test_the_exit_status_says_whether_a_stack_needs_attention(
    kinds: list[str], partial: bool, code: int, key: str
) -> None:
    result = {key: [{"Problems": [{"Kind": kind} for kind in kinds]}], "Partial": partial}
    assert exit_code(result) == code


def problem(kind: str, share_id: str, shared_with: str, status: str, stack: str, logical_id: str) -> dict[str, str]:
    return {
        "Kind": kind,
        "ResourceType": "Custom::LensShare",
        "ShareId": share_id,
        "SharedWith": shared_with,
        "Status": status,
        "StatusMessage": "",
        "StackName": stack,
        "LogicalResourceId": logical_id,
    }


def test_the_table_has_a_counts_line_per_resource_of_every_kind_and_a_row_per_problem() -> None:
    zero = dict.fromkeys(STATUSES, 0)
    result = {
        "Lenses": [
            {
                "LensArn": LENS_ARN,
                "Counts": {**zero, "ACCEPTED": 2, "EXPIRED": 1},
                "Problems": [
                    problem("EXPIRED", SHARE, "222222222222", "EXPIRED", "rollout", "ShareWithTeam"),
                    problem("MISSING", GONE, "", "", "rollout", "Gone"),
                ],
            },
            {"LensArn": OTHER_LENS, "Counts": zero, "Problems": []},
        ],
        "Profiles": [],
        "ReviewTemplates": [{"TemplateArn": TEMPLATE_ARN, "Counts": {**zero, "ACCEPTED": 1}, "Problems": []}],
        "Workloads": [
            {
                "WorkloadId": WORKLOAD_ID,
                "Counts": {**zero, "PENDING": 1},
                "Problems": [problem("UNMANAGED", OLD_SHARE, "333333333333", "PENDING", "", "")],
            }
        ],
        "Partial": True,
        "PartialReason": "The deadline came before the shares of 1 of 3 lenses were read.",
        "UncheckedLenses": [CHINA_LENS],
        "UncheckedProfiles": [],
        "UncheckedReviewTemplates": [],
        "UncheckedWorkloads": [],
    }

    assert table(result).splitlines() == [
        f"Lens {LENS_ARN}",
        "  3 shares: ACCEPTED 2, EXPIRED 1",
        "  Kind     SharedWith    ShareId                           Status   Stack    LogicalResourceId",
        f"  EXPIRED  222222222222  {SHARE}  EXPIRED  rollout  ShareWithTeam",
        f"  MISSING  -             {GONE}  -        rollout  Gone",
        "",
        f"Lens {OTHER_LENS}",
        "  0 shares",
        "",
        f"Review template {TEMPLATE_ARN}",
        "  1 share: ACCEPTED 1",
        "",
        f"Workload {WORKLOAD_ID}",
        "  1 share: PENDING 1",
        "  Kind       SharedWith    ShareId                           Status   Stack  LogicalResourceId",
        f"  UNMANAGED  333333333333  {OLD_SHARE}  PENDING  -      -",
        "",
        "2 lenses, 0 profiles, 1 review template, 1 workload; 3 problems.",
        "PARTIAL: The deadline came before the shares of 1 of 3 lenses were read.",
        f"  not checked: lens {CHINA_LENS}",
    ]


def test_stacks_are_read_where_the_endpoint_setting_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", "http://127.0.0.1:3333")
    clients.cloudformation.cache_clear()
    try:
        client = clients.cloudformation("eu-west-1")
        assert (client.meta.endpoint_url, client.meta.region_name) == ("http://127.0.0.1:3333", "eu-west-1")
    finally:
        clients.cloudformation.cache_clear()
