"""The health check's parts on their own: physical IDs, what a partial check may claim, metric names, the table."""

from __future__ import annotations

from typing import Any

import boto3
import botocore.session
import pytest

from lens_share import health, report, retry, telemetry
from lens_share.health import Declaration, Stacks
from lens_share.wellarchitected import WellArchitected

LENS = "arn:aws:wellarchitected:us-east-1:111111111111:lens/" + "a" * 32
OTHER_LENS = "arn:aws:wellarchitected:us-east-1:111111111111:lens/" + "b" * 32
CHINA_LENS = "arn:aws-cn:wellarchitected:cn-north-1:111111111111:lens/" + "c" * 32
SHARE, OLD_SHARE, GONE = "1" * 32, "2" * 32, "3" * 32


@pytest.mark.parametrize(
    ("physical_id", "expected"),
    [
        (f"{LENS}/shares/{SHARE}", (LENS, SHARE)),
        (f"{LENS}/shares/{SHARE}/replaces/{OLD_SHARE}", (LENS, SHARE)),
        (f"{CHINA_LENS}/shares/{SHARE}", (CHINA_LENS, SHARE)),
        (f"{LENS}/shares/{SHARE}x", None),
        (f"{LENS}/invitations/{SHARE}", None),
        ("not-created-0f0e8e6c-2c53-4b6e-9d5f-4a1f1e0c9b7a", None),
        ("unconfirmed-0f0e8e6c-2c53-4b6e-9d5f-4a1f1e0c9b7a", None),
        ("", None),
    ],
)
def test_a_share_is_read_from_each_physical_id_format_of_a_lens_share(
    physical_id: str, expected: tuple[str, str] | None
) -> None:
    assert health.share_of(physical_id) == expected


def test_every_share_status_of_the_model_is_counted() -> None:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    assert set(health.STATUSES) == set(model.shape_for("ShareStatus").enum)  # type: ignore[attr-defined]


def test_gauges_are_named_shares_and_the_status_and_failed_does_not_collide_with_the_failure_count() -> None:
    names = [telemetry.status_metric(status) for status in health.STATUSES]
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


def test_a_complete_check_names_declared_shares_that_are_gone_and_shares_no_stack_declares() -> None:
    stacks = Stacks({(LENS, SHARE): Declaration("rollout", "Expired"), (LENS, GONE): Declaration("rollout", "Gone")})
    stacks.complete = True

    result = health._assemble(
        [LENS], {LENS: listed((SHARE, "222222222222", "EXPIRED"), (OLD_SHARE, "333333333333", "ACCEPTED"))}, stacks
    )

    assert not result.partial_reason
    [lens] = result.lenses
    assert [(p.kind, p.share_id, p.as_dict()["StackName"]) for p in lens.problems] == [
        ("EXPIRED", SHARE, "rollout"),
        ("MISSING", GONE, "rollout"),
        ("UNMANAGED", OLD_SHARE, ""),
    ]
    assert result.alarmed == 2


def test_without_every_stack_read_nothing_is_called_unmanaged_but_statuses_still_are() -> None:
    stacks = Stacks(
        {(LENS, GONE): Declaration("rollout", "Gone")}, complete=False, unread="the resources of 1 of 2 stacks"
    )

    result = health._assemble(
        [LENS], {LENS: listed((SHARE, "222222222222", "REJECTED"), (OLD_SHARE, "333333333333", "ACCEPTED"))}, stacks
    )

    assert [(p.kind, p.share_id) for p in result.lenses[0].problems] == [("REJECTED", SHARE), ("MISSING", GONE)]
    assert result.partial_reason.startswith("The deadline came before the resources of 1 of 2 stacks were read")
    assert result.as_dict()["Partial"] is True


def test_a_lens_whose_shares_were_not_all_listed_is_unchecked_not_missing_its_shares() -> None:
    stacks = Stacks({(LENS, SHARE): Declaration("a", "A"), (OTHER_LENS, GONE): Declaration("b", "B")}, complete=True)

    result = health._assemble([LENS, OTHER_LENS], {LENS: listed((SHARE, "222222222222", "ACCEPTED"))}, stacks)

    assert [lens.lens_arn for lens in result.lenses] == [LENS]
    assert result.lenses[0].problems == []
    assert result.as_dict()["UncheckedLenses"] == [OTHER_LENS]
    assert "the shares of 1 of 2 lenses" in result.partial_reason


def test_the_shares_a_stack_declares_of_a_lens_that_is_gone_are_missing() -> None:
    stacks = Stacks({(OTHER_LENS, GONE): Declaration("b", "B")}, complete=True)

    result = health._assemble([LENS], {LENS: []}, stacks)

    assert [(lens.lens_arn, [p.kind for p in lens.problems]) for lens in result.lenses] == [
        (LENS, []),
        (OTHER_LENS, ["MISSING"]),
    ]
    assert result.lenses[1].counts == dict.fromkeys(health.STATUSES, 0)


def test_no_time_at_all_gives_an_empty_partial_report_without_a_call() -> None:
    def unreachable(**_kwargs: Any) -> Any:
        raise AssertionError("no call may start without time to finish it")

    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="y", region_name="us-east-1")
    client = session.client("wellarchitected", endpoint_url="http://127.0.0.1:9")
    cloudformation = session.client("cloudformation", endpoint_url="http://127.0.0.1:9")
    client.meta.events.register("before-send", unreachable)
    cloudformation.meta.events.register("before-send", unreachable)
    deadline = retry.Deadline(lambda: int(retry.ATTEMPT_S * 1000), reserve_s=0.5)

    result = health.check(WellArchitected(client, deadline, retry.Backoff()), cloudformation)

    assert result.as_dict() == {
        "Lenses": [],
        "Partial": True,
        "PartialReason": "The deadline came before the account's lenses were listed.",
        "UncheckedLenses": [],
    }


@pytest.mark.parametrize(
    ("kinds", "partial", "code"),
    [([], False, 0), (["UNMANAGED"], False, 0), (["MISSING"], False, 1), (["EXPIRED"], True, 1), ([], True, 3)],
)
def test_the_exit_status_says_whether_a_stack_needs_attention(kinds: list[str], partial: bool, code: int) -> None:
    result = {"Lenses": [{"Problems": [{"Kind": kind} for kind in kinds]}], "Partial": partial}
    assert health.exit_code(result) == code


def test_the_table_has_a_counts_line_per_lens_and_a_row_per_problem() -> None:
    result = {
        "Lenses": [
            {
                "LensArn": LENS,
                "Counts": {**dict.fromkeys(health.STATUSES, 0), "ACCEPTED": 2, "EXPIRED": 1},
                "Problems": [
                    {
                        "Kind": "EXPIRED",
                        "ShareId": SHARE,
                        "SharedWith": "222222222222",
                        "Status": "EXPIRED",
                        "StatusMessage": "expired",
                        "StackName": "rollout",
                        "LogicalResourceId": "ShareWithTeam",
                    },
                    {
                        "Kind": "MISSING",
                        "ShareId": GONE,
                        "SharedWith": "",
                        "Status": "",
                        "StatusMessage": "",
                        "StackName": "rollout",
                        "LogicalResourceId": "Gone",
                    },
                ],
            },
            {"LensArn": OTHER_LENS, "Counts": dict.fromkeys(health.STATUSES, 0), "Problems": []},
        ],
        "Partial": True,
        "PartialReason": "The deadline came before the shares of 1 of 3 lenses were read.",
        "UncheckedLenses": ["arn:aws:wellarchitected:us-east-1:111111111111:lens/" + "c" * 32],
    }

    assert report.table(result).splitlines() == [
        f"Lens {LENS}",
        "  3 shares: ACCEPTED 2, EXPIRED 1",
        "  Kind     SharedWith    ShareId                           Status   Stack    LogicalResourceId",
        f"  EXPIRED  222222222222  {SHARE}  EXPIRED  rollout  ShareWithTeam",
        f"  MISSING  -             {GONE}  -        rollout  Gone",
        "",
        f"Lens {OTHER_LENS}",
        "  0 shares",
        "",
        "2 lenses, 2 problems.",
        "PARTIAL: The deadline came before the shares of 1 of 3 lenses were read.",
        f"  not checked: arn:aws:wellarchitected:us-east-1:111111111111:lens/{'c' * 32}",
    ]


def test_stacks_are_read_where_the_endpoint_setting_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", "http://127.0.0.1:3333")
    health.cloudformation.cache_clear()
    try:
        client = health.cloudformation("eu-west-1")
        assert (client.meta.endpoint_url, client.meta.region_name) == ("http://127.0.0.1:3333", "eu-west-1")
    finally:
        health.cloudformation.cache_clear()
