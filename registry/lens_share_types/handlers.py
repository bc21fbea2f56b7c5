"""The handlers of a share type as cloudformation-cli-python-lib calls them: each invocation gets its calls, bound
to a time budget, and every failure becomes a registry error code with a message a person can act on."""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.interface import (
    Action,
    BaseResourceHandlerRequest,
    HandlerErrorCode,
    OperationStatus,
    ProgressEvent,
)
from cloudformation_cli_python_lib.resource import Resource

from lens_share_types import operations
from lens_share_types.core import (
    CLIENT_CONFIG,
    Backoff,
    Caller,
    Deadline,
    Organizations,
    OutOfTime,
    Place,
    PropertyError,
    ProviderError,
    Unsettled,
    WellArchitected,
    errors,
    guard,
    is_transient,
    rules,
)
from lens_share_types.kinds import BY_NAME, ShareType
from lens_share_types.operations import Invocation, Operation, Refusal

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

LOG = logging.getLogger(__name__)

# An invocation spends at most this long on calls and retries, then hands back a callback: well inside the
# handler's Lambda timeout, so that CloudFormation, not a timed-out Lambda, does the waiting.
INVOCATION_S = 30.0
# Throttled, unavailable or unanswered: CloudFormation calls back after a delay growing with each round, up to
# this many.
RETRY_ROUNDS = 30
RETRY_DELAY_S = 5
RETRY_DELAY_CAP_S = 60

OPERATIONS: dict[Action, Operation] = {
    Action.CREATE: operations.create,
    Action.READ: operations.read,
    Action.UPDATE: operations.update,
    Action.DELETE: operations.delete,
    Action.LIST: operations.list_shares,
}
MUTATING = frozenset({Action.CREATE, Action.UPDATE, Action.DELETE})
# The registry's error code for each failure kind of the share rules (errors.py, rules.py, guard.py).
ERROR_CODES = {
    "AlreadyShared": HandlerErrorCode.AlreadyExists,
    "QuotaExceeded": HandlerErrorCode.ServiceLimitExceeded,
    "AccessDenied": HandlerErrorCode.AccessDenied,
    "OrganizationSharingOff": HandlerErrorCode.InvalidRequest,
    "PrincipalRefused": HandlerErrorCode.InvalidRequest,
    "PrincipalUnverified": HandlerErrorCode.AccessDenied,
    "ValidationException": HandlerErrorCode.InvalidRequest,
    "ConflictException": HandlerErrorCode.ResourceConflict,
    "ResourceNotFoundException": HandlerErrorCode.NotFound,
}
# Out of time or unanswered: worth a callback, not a failure, while rounds remain.
RETRIABLE = frozenset({"Throttled", "Unavailable", "Unsettled"})
# Set once a create's answer was lost: when its rounds run out, one more round settles what appeared.
LOST = "Lost"
# A type's generated ResourceModel: a dataclass of its properties.
Model = type["DataclassInstance"]


def new_backoff() -> Backoff:
    """How retries wait; tests hand in one that waits on their clock."""
    return Backoff()


def now() -> float:
    """The clock an invocation's time is read on; tests hand in theirs, on which retries' pauses pass at once."""
    return time.monotonic()


def bind(resource: Resource, name: str, model: Model) -> None:
    """Registers the five handlers of the share type `name` (LensShare, ...) on a type's Resource, which reads and
    answers that type's ResourceModel."""
    share_type = BY_NAME[name]
    for action, operation in OPERATIONS.items():
        resource.handler(action)(_handler(share_type, action, operation, model))


def _handler(
    share_type: ShareType, action: Action, operation: Operation, model: Model
) -> Callable[[SessionProxy | None, BaseResourceHandlerRequest, MutableMapping[str, Any]], ProgressEvent]:
    def handle(
        session: SessionProxy | None, request: BaseResourceHandlerRequest, context: MutableMapping[str, Any]
    ) -> ProgressEvent:
        context = dict(context or {})
        try:
            run = invocation(share_type, session, request, context)
            progress = operation(run, values(request.desiredResourceState), values(request.previousResourceState))
        except Exception as error:  # noqa: BLE001 - every failure is answered with a registry error code
            progress = failure(share_type, action, error, context)
        progress.resourceModel = typed(model, progress.resourceModel)
        if progress.resourceModels is not None:
            progress.resourceModels = [typed(model, each) for each in progress.resourceModels]
        return progress

    return handle


def invocation(
    share_type: ShareType,
    session: SessionProxy | None,
    request: BaseResourceHandlerRequest,
    context: MutableMapping[str, Any],
) -> Invocation:
    if session is None:
        raise Refusal(HandlerErrorCode.InvalidCredentials, "The request carried no caller credentials.")
    started = now()
    deadline = Deadline(lambda: int((INVOCATION_S - (now() - started)) * 1000), reserve_s=0.0)
    call = Caller(deadline, new_backoff())
    # The entrypoint's session has no Region of its own: the request names it.
    region = request.region
    client = _client(session, "wellarchitected", region)
    configuration = values(request.typeConfiguration)
    return Invocation(
        share_type=share_type,
        shares=rules.Shares(share_type.kind, WellArchitected(client, call)),
        organizations=lambda: Organizations(_client(session, "organizations", region), call),
        guard=guard.from_setting(str(configuration.get("AllowedPrincipals") or guard.ANYONE)),
        place=Place(client.meta.region_name, request.awsAccountId or None),
        token=request.clientRequestToken,
        context=context,
    )


def _client(session: SessionProxy, service: str, region: str | None) -> Any:
    """A client with the caller's credentials, kept while they last in a warm Lambda environment."""
    found = session.session.get_credentials()
    if found is None:
        raise Refusal(HandlerErrorCode.InvalidCredentials, "The request carried no caller credentials.")
    credentials = found.get_frozen_credentials()
    return _cached_client(service, region, credentials.access_key, credentials.secret_key, credentials.token)


# Every caller's clients come from boto3's default session, which reads a service's model once per environment
# (a session per caller read it again, 75 ms of CPU each). Sessions are not thread-safe: one client at a time.
_CLIENT_LOCK = threading.Lock()


@functools.lru_cache(maxsize=16)
def _cached_client(service: str, region: str | None, access_key: str, secret_key: str, token: str | None) -> Any:
    with _CLIENT_LOCK:
        return boto3.client(  # type: ignore[call-overload]
            service,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=token,
            config=CLIENT_CONFIG,
        )


def values(model: Any) -> dict[str, Any]:
    """A model's values, without the ones left unset."""
    if model is None:
        return {}
    found = model if isinstance(model, Mapping) else dataclasses.asdict(model)
    return {name: value for name, value in found.items() if value is not None}


def typed(model: Model, found: Any) -> Any:
    """The type's ResourceModel of the values an operation answered."""
    if not isinstance(found, Mapping):
        return found
    return model(**{field.name: found.get(field.name) for field in dataclasses.fields(model)})


def failure(
    share_type: ShareType, action: Action, error: Exception, context: MutableMapping[str, Any]
) -> ProgressEvent:
    """Every failure as a registry answer; throttling, outages and lost answers as callbacks while rounds remain."""
    if isinstance(error, Refusal):
        return ProgressEvent.failed(error.code, str(error))
    if isinstance(error, PropertyError):
        return ProgressEvent.failed(HandlerErrorCode.InvalidRequest, str(error))
    if isinstance(error, OutOfTime):
        error = errors.out_of_time(error)
    elif isinstance(error, ClientError):
        error = errors.failure(f"the {share_type.kind.noun}", error)
    if isinstance(error, Unsettled):
        context[LOST] = True
    if isinstance(error, ProviderError) and error.kind in RETRIABLE:
        return retriable(action, context, str(error))
    if isinstance(error, ProviderError):
        code = ERROR_CODES.get(error.kind)
        if code is None and error.kind.endswith("NotFound"):
            code = HandlerErrorCode.NotFound
        return ProgressEvent.failed(code or HandlerErrorCode.GeneralServiceException, str(error))
    if isinstance(error, BotoCoreError) and is_transient(error):
        return retriable(action, context, f"Well-Architected could not be reached ({type(error).__name__})")
    LOG.exception("unexpected failure of %s %s", share_type.name, action.name)
    return ProgressEvent.failed(
        HandlerErrorCode.InternalFailure,
        f"The {share_type.name} handler failed unexpectedly ({type(error).__name__}); its log has the details. "
        "Retry, and report it if it repeats.",
    )


def retriable(action: Action, context: MutableMapping[str, Any], why: str) -> ProgressEvent:
    """A callback after a growing delay, keeping what the operation has done so far in its context. A create
    whose answer was lost gets one round more, with a whole budget, to settle what it made."""
    rounds = int(context.get("Retries", 0)) + 1
    if rounds > RETRY_ROUNDS and action is Action.CREATE and context.get(LOST) and not context.get(operations.SETTLE):
        context[operations.SETTLE] = True
    elif action not in MUTATING or rounds > RETRY_ROUNDS:
        return ProgressEvent.failed(HandlerErrorCode.Throttling, f"{why.rstrip('.')}; retry later.")
    context["Retries"] = rounds
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        message=f"{why.rstrip('.')}; calling back.",
        callbackContext=dict(context),
        callbackDelaySeconds=min(RETRY_DELAY_CAP_S, RETRY_DELAY_S * rounds),
    )
