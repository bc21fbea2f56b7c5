"""Metrics in CloudWatch's embedded metric format: printed with the logs, no API calls."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

if TYPE_CHECKING:
    from lens_share.request import Outcome, Request

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "LensShareProvider")
metrics = Metrics(namespace=NAMESPACE)

SHARE_ACTIONS = {
    "created": "SharesCreated",
    "replaced": "SharesReplaced",
    "adopted": "SharesAdopted",
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


def flush() -> None:
    """Print what this invocation recorded; nothing at all when it recorded nothing."""
    if metrics.metric_set:
        metrics.flush_metrics()
