"""Metrics in CloudWatch's embedded metric format: printed with the logs, no API calls."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lens_share.request import Outcome, Request

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "LensShareProvider")
metrics = Metrics(namespace=NAMESPACE)

SHARE_ACTIONS = {
    "created": "SharesCreated",
    "replaced": "SharesReplaced",
    "adopted": "SharesAdopted",
    "reinvited": "SharesReinvited",
    "deleted": "SharesDeleted",
}
SHARE_TYPES = frozenset({"Custom::LensShare", "AWS::CloudFormation::CustomResource"})


def observe_call(operation: str, seconds: float, _outcome: str) -> None:
    """The latency of each Well-Architected call, one metric per operation."""
    metrics.add_metric(name=f"{operation}Latency", unit=MetricUnit.Milliseconds, value=round(seconds * 1000, 3))


def record(request: Request, outcome: Outcome) -> None:
    name = SHARE_ACTIONS.get(outcome.action)
    if name and request.resource_type in SHARE_TYPES:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def record_failure(request: Request, kind: str) -> None:
    """A failed share, in a line of its own so that its FailureKind dimension touches nothing else."""
    if request.resource_type not in SHARE_TYPES:
        return
    failure = EphemeralMetrics(namespace=NAMESPACE)
    failure.add_dimension(name="FailureKind", value=kind)
    failure.add_metric(name="SharesFailed", unit=MetricUnit.Count, value=1)
    failure.flush_metrics()


def status_metric(status: str) -> str:
    """The health check's gauge of a share status: Shares + the status in PascalCase, except FAILED, because
    SharesFailed already counts share resources that failed (dimension FailureKind)."""
    return "SharesStatusFailed" if status == "FAILED" else f"Shares{status.capitalize()}"


def record_lens_health(lens_arn: str, counts: Mapping[str, int], missing: int, unmanaged: int) -> None:
    """One lens's shares by status, and its declared shares that are gone and shares no stack declares."""
    gauges = EphemeralMetrics(namespace=NAMESPACE)
    gauges.add_dimension(name="LensArn", value=lens_arn)
    for status, count in counts.items():
        gauges.add_metric(name=status_metric(status), unit=MetricUnit.Count, value=count)
    gauges.add_metric(name="SharesMissing", unit=MetricUnit.Count, value=missing)
    gauges.add_metric(name="SharesUnmanaged", unit=MetricUnit.Count, value=unmanaged)
    gauges.flush_metrics()


def record_share_problems(total: int) -> None:
    """Every lens's expired, rejected, failed and missing shares in one metric without LensArn, for one alarm."""
    gauge = EphemeralMetrics(namespace=NAMESPACE)
    gauge.add_metric(name="ShareProblems", unit=MetricUnit.Count, value=total)
    gauge.flush_metrics()


def flush() -> None:
    """Print what this invocation recorded; nothing at all when it recorded nothing."""
    if metrics.metric_set:
        metrics.flush_metrics()
