"""Lambda entry point: CloudFormation's events for the lens share resource types, answered by crhelper."""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

from lens_share import invitations, organization_sharing, services, shares, telemetry
from lens_share.errors import explain
from lens_share.physical_ids import not_created
from lens_share.properties import PropertyError
from lens_share.request import HEALTH_CHECK, Request
from lens_share.resource import FAILED, Provider

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "lens-share-provider"))
# crhelper's own lines go out as JSON too, and never below WARNING: at DEBUG it logs the whole event.
copy_config_to_registered_loggers(source_logger=logger, include={"crhelper"}, log_level="WARNING")
helper = Provider(logger)

RESOURCE_TYPES: dict[str, ModuleType] = {
    shares.RESOURCE_TYPE: shares,
    organization_sharing.RESOURCE_TYPE: organization_sharing,
    invitations.RESOURCE_TYPE: invitations,
    # A template may also declare a lens share with CloudFormation's generic type.
    "AWS::CloudFormation::CustomResource": shares,
}

try:
    environment: services.Environment | Exception = services.Environment.load()
except Exception as error:  # noqa: BLE001 - every event is still answered: see Provider.init_failure
    environment = error
    helper.init_failure(error)


def serve(event: dict[str, Any], context: Any) -> str:
    """The physical ID for CloudFormation; attributes go to helper.Data, failures to helper.Reason."""
    request = Request.from_event(event)
    module = RESOURCE_TYPES.get(request.resource_type)
    try:
        if module is None:
            if request.request_type == "Delete":
                return request.physical_id
            accepted = ", ".join(name for name in RESOURCE_TYPES if name.startswith("Custom::"))
            raise PropertyError(f"ResourceType {request.resource_type!r} is not served here; use one of {accepted}.")
        work = services.Services(environment, context, telemetry.observe_call)
        outcome = getattr(module, request.request_type.lower())(request, work)
    except PropertyError as error:
        return _failed(request, str(error), "InvalidProperty")
    # The last resort: no raw error text or traceback reaches CloudFormation, whatever call failed.
    except Exception as error:
        failure = explain(error, request)
        if failure.kind == "Unexpected":
            logger.exception("Unexpected failure", extra={"Reason": str(failure)})
        return _failed(request, str(failure), failure.kind)
    helper.Data.update(outcome.data)
    helper.Action = outcome.action
    telemetry.record(request, outcome)
    return str(outcome.physical_id)


def _failed(request: Request, reason: str, kind: str) -> str:
    helper.Status, helper.Reason, helper.Action = FAILED, reason, kind
    telemetry.record_failure(request, kind)
    return request.physical_id or not_created(request.request_id)


helper.create(serve)
helper.update(serve)
helper.delete(serve)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any] | None:
    if event.get("Action") == HEALTH_CHECK:
        # The scheduled health check, not CloudFormation: its report is the invocation's result. Imported
        # here so that its modules stay out of every CloudFormation event's cold start.
        from lens_share import health  # noqa: PLC0415

        return health.run(environment, context, logger)
    try:
        helper(event, context)
    finally:
        telemetry.flush()
    return None
