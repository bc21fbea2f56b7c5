"""Metrics in CloudWatch's embedded metric format: printed with the logs, no API calls."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

if TYPE_CHECKING:
    from lens_share.outcome import Outcome

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "LensShareProvider")
metrics = Metrics(namespace=NAMESPACE)

SHARE_ACTIONS = {
    "created": "SharesCreated",
    "replaced": "SharesReplaced",
    "adopted": "SharesAdopted",
    "reinvited": "SharesReinvited",
    "updated": "SharesUpdated",
    "deleted": "SharesDeleted",
}


def observe_call(operation: str, seconds: float, _outcome: str) -> None:
    """The latency of each Well-Architected call, one metric per operation."""
    metrics.add_metric(name=f"{operation}Latency", unit=MetricUnit.Milliseconds, value=round(seconds * 1000, 3))


def record(kind: str, outcome: Outcome) -> None:
    """What a share resource of a kind (LENS, PROFILE, TEMPLATE, WORKLOAD) did: the total over every kind, and
    again with the kind as a dimension."""
    name = SHARE_ACTIONS.get(outcome.action)
    if name:
        _count(name, [{"Kind": kind}, {}])


def record_failure(kind: str, failure: str) -> None:
    """A failed share, by why it failed and by its kind."""
    _count("SharesFailed", [{"FailureKind": failure}, {"Kind": kind}])


def _count(name: str, dimension_sets: list[dict[str, str]]) -> None:
    """One count under each set of dimensions (each beside `service`): a line of Powertools' own per set."""
    for dimensions in dimension_sets:
        line = EphemeralMetrics(namespace=NAMESPACE)
        for dimension, value in dimensions.items():
            line.add_dimension(name=dimension, value=value)
        line.add_metric(name=name, unit=MetricUnit.Count, value=1)
        line.flush_metrics()


def status_metric(status: str) -> str:
    """The health check's gauge of a share status: Shares + the status in PascalCase, except FAILED, because
    SharesFailed already counts share resources that failed (dimension FailureKind)."""
    return "SharesStatusFailed" if status == "FAILED" else f"Shares{status.capitalize()}"


def record_resource_health(
    dimension: str, resource: str, counts: Mapping[str, int], missing: int, unmanaged: int
) -> None:
    """One shared resource's shares by status, its declared shares that are gone and shares no stack declares;
    dimension is LensArn, ProfileArn, TemplateArn or WorkloadId."""
    gauges = EphemeralMetrics(namespace=NAMESPACE)
    gauges.add_dimension(name=dimension, value=resource)
    for status, count in counts.items():
        gauges.add_metric(name=status_metric(status), unit=MetricUnit.Count, value=count)
    gauges.add_metric(name="SharesMissing", unit=MetricUnit.Count, value=missing)
    gauges.add_metric(name="SharesUnmanaged", unit=MetricUnit.Count, value=unmanaged)
    gauges.flush_metrics()


def record_share_problems(total: int, by_kind: Mapping[str, int]) -> None:
    """Every resource's expired, rejected, failed and missing shares in one metric without a resource, for one
    alarm, and the same per kind of share."""
    gauge = EphemeralMetrics(namespace=NAMESPACE)
    gauge.add_metric(name="ShareProblems", unit=MetricUnit.Count, value=total)
    gauge.flush_metrics()
    for kind, count in by_kind.items():
        per_kind = EphemeralMetrics(namespace=NAMESPACE)
        per_kind.add_dimension(name="Kind", value=kind)
        per_kind.add_metric(name="ShareProblems", unit=MetricUnit.Count, value=count)
        per_kind.flush_metrics()


def flush() -> None:
    """Print what this invocation recorded; nothing at all when it recorded nothing."""
    if metrics.metric_set:
        metrics.flush_metrics()
