"""The CloudFormation side of the function: build_handler gives the Lambda handler for one Environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

from lens_share import telemetry
from lens_share.errors import explain
from lens_share.physical_ids import not_created
from lens_share.properties import PropertyError
from lens_share.provider import FAILED, Provider
from lens_share.request import Request
from lens_share.resources import REGISTRY, SHARE_KINDS
from lens_share.services import Environment, Services

Handler = Callable[[dict[str, Any], Any], None]

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "lens-share-provider"))
# crhelper's own lines go out as JSON too, and never below WARNING: at DEBUG it logs the whole event.
copy_config_to_registered_loggers(source_logger=logger, include={"crhelper"}, log_level="WARNING")


def build_handler(environment: Environment | Exception) -> Handler:
    """A handler answering CloudFormation for every type in the registry, with this environment's clients."""
    helper = Provider(logger, environment.backoff if isinstance(environment, Environment) else None)
    if isinstance(environment, Exception):
        helper.init_failure(environment)

    def serve(event: dict[str, Any], context: Any) -> str:
        """The physical ID for CloudFormation; attributes go to helper.Data, failures to helper.Reason."""
        request = Request.from_event(event)
        resource = REGISTRY.get(request.resource_type)
        try:
            if resource is None:
                if request.request_type == "Delete":
                    return request.physical_id
                accepted = ", ".join(name for name in REGISTRY if name.startswith("Custom::"))
                raise PropertyError(
                    f"ResourceType {request.resource_type!r} is not served here; use one of {accepted}."
                )
            services = Services(environment, context, telemetry.observe_call)
            outcome = getattr(resource, request.request_type.lower())(request, services)
        except PropertyError as error:
            return failed(request, str(error), "InvalidProperty")
        # The last resort: no raw error text or traceback reaches CloudFormation, whatever call failed.
        except Exception as error:
            failure = explain(error, request)
            if failure.kind == "Unexpected":
                logger.exception("Unexpected failure", extra={"Reason": str(failure)})
            return failed(request, str(failure), failure.kind)
        helper.Data.update(outcome.data)
        helper.Action, helper.Reason = outcome.action, outcome.note
        shared = SHARE_KINDS.get(request.resource_type)
        if shared:
            telemetry.record(shared.invitation_type, outcome)
        return str(outcome.physical_id)

    def failed(request: Request, reason: str, failure: str) -> str:
        helper.Status, helper.Reason, helper.Action = FAILED, reason, failure
        shared = SHARE_KINDS.get(request.resource_type)
        if shared:
            telemetry.record_failure(shared.invitation_type, failure)
        return request.physical_id or not_created(request.request_id)

    helper.create(serve)
    helper.update(serve)
    helper.delete(serve)

    def handler(event: dict[str, Any], context: Any) -> None:
        try:
            helper(event, context)
        finally:
            telemetry.flush()

    return handler
