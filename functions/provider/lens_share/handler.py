"""The CloudFormation side of the function: build_handler gives the Lambda handler for one Environment. An
event is read once into a Request, dispatched once (crhelper by RequestType, then REGISTRY by ResourceType)
and its Outcome answered as it is."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

from lens_share import telemetry
from lens_share.answer import ACTION, FAILED, Helper
from lens_share.errors import Unsettled, explain
from lens_share.outcome import Outcome
from lens_share.physical_ids import not_created, unconfirmed
from lens_share.properties import PropertyError
from lens_share.request import Request
from lens_share.resources import REGISTRY, SHARE_KINDS, Resource
from lens_share.services import Environment, Services

Handler = Callable[[dict[str, Any], Any], None]

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "lens-share-provider"))
# crhelper's own lines go out as JSON too, and never below WARNING: at DEBUG it logs the whole event.
copy_config_to_registered_loggers(source_logger=logger, include={"crhelper"}, log_level="WARNING")


def build_handler(environment: Environment | Exception) -> Handler:
    """A handler answering CloudFormation for every type in the registry, with this environment's clients."""
    # A failure to start is each resource's to answer (Services): a Delete that needs no call still succeeds.
    helper = Helper(logger, environment.backoff if isinstance(environment, Environment) else None)

    def serve(event: dict[str, Any], context: Any, step: Callable[[Resource], Callable[..., Outcome]]) -> str:
        """The physical ID for CloudFormation; attributes go to helper.Data, failures to helper.Reason."""
        request = Request.from_event(event)
        kind = SHARE_KINDS.get(request.resource_type)
        resource = REGISTRY.get(request.resource_type)
        try:
            if resource is None:
                if request.request_type == "Delete":
                    return request.physical_id
                accepted = ", ".join(name for name in REGISTRY if name.startswith("Custom::"))
                raise PropertyError(
                    f"ResourceType {request.resource_type!r} is not served here; use one of {accepted}."
                )
            outcome = step(resource)(request, Services(environment, context, telemetry.observe_call))
        except PropertyError as error:
            return failed(request, str(error), "InvalidProperty")
        # The last resort: no raw error text or traceback reaches CloudFormation, whatever call failed.
        except Exception as error:
            failure = explain(error, request)
            if failure.kind == "Unexpected":
                logger.exception("Unexpected failure", extra={"Reason": str(failure)})
            return failed(request, str(failure), failure.kind, lost=isinstance(failure, Unsettled))
        helper.Data.update(outcome.data)
        helper.Reason = outcome.note
        logger.append_keys(**{ACTION: outcome.action})
        if kind:
            telemetry.record(kind.key, outcome)
        return outcome.physical_id

    def failed(request: Request, reason: str, failure: str, *, lost: bool = False) -> str:
        """A failed Create whose write may have happened answers an unconfirmed ID: its rollback settles it."""
        helper.Status, helper.Reason = FAILED, reason
        logger.append_keys(**{ACTION: failure})
        kind = SHARE_KINDS.get(request.resource_type)
        if kind:
            telemetry.record_failure(kind.key, failure)
        return request.physical_id or (unconfirmed if lost else not_created)(request.request_id)

    @helper.create
    def create(event: dict[str, Any], context: Any) -> str:
        return serve(event, context, lambda resource: resource.create)

    @helper.update
    def update(event: dict[str, Any], context: Any) -> str:
        return serve(event, context, lambda resource: resource.update)

    @helper.delete
    def delete(event: dict[str, Any], context: Any) -> str:
        return serve(event, context, lambda resource: resource.delete)

    def handler(event: dict[str, Any], context: Any) -> None:
        try:
            helper(event, context)
        finally:
            telemetry.flush()

    return handler
