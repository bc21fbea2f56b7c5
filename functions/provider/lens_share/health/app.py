"""Lambda entry point of the rollout health check, its own function: EventBridge Scheduler invokes it, and the
report is the invocation's result, with a log line per problem and gauges per shared resource."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

from lens_share import services, telemetry
from lens_share.aws import clients
from lens_share.health.check import WORKERS, check, reader
from lens_share.health.model import SECTIONS, Report
from lens_share.services import Environment, Services

HealthHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "lens-share-provider"))


def build_handler(environment: Environment | Exception, workers: int = WORKERS) -> HealthHandler:
    """A handler that checks with this environment's clients; whatever the event, it asks for the check."""

    def handler(_event: dict[str, Any], context: Any) -> dict[str, Any]:
        return run(environment, context, workers)

    return handler


def run(environment: Environment | Exception, context: Any, workers: int = WORKERS) -> dict[str, Any]:
    if isinstance(environment, Exception):
        raise RuntimeError(f"The health check could not start: {environment}") from environment
    started = time.perf_counter()
    wellarchitected = reader(environment, context.get_remaining_time_in_millis)
    account = Services(environment, context).place.account  # from the function's own ARN
    result = check(wellarchitected, clients.cloudformation(environment.region), account, workers)
    publish(result)
    summary: dict[str, Any] = {section.key: len(result.of(kind)) for kind, section in SECTIONS.items()}
    summary |= {"Problems": result.alarmed, "Partial": bool(result.partial_reason)}
    if result.partial_reason:
        summary["PartialReason"] = result.partial_reason
    logger.info("Health check", extra={**summary, "DurationMs": round((time.perf_counter() - started) * 1000)})
    return result.as_dict()


def publish(result: Report) -> None:
    """One log line per problem, each shared resource's gauges, and the problems per kind and in all."""
    logger.clear_state()  # keys another logger of this service appended in this process
    for resource in result.resources:
        for problem in resource.problems:
            log = logger.info if problem.kind == "UNMANAGED" else logger.warning
            log("Share problem", extra={resource.kind.attribute: resource.identifier, **problem.as_dict()})
        telemetry.record_resource_health(
            resource.kind.attribute,
            resource.identifier,
            resource.counts,
            resource.count("MISSING"),
            resource.count("UNMANAGED"),
        )
    telemetry.record_share_problems(result.alarmed, result.alarmed_by_kind())


# A failure to start is raised by each invocation, naming it.
handler = build_handler(services.load_environment())
