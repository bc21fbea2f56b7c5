"""The handlers of a share type as cloudformation-cli-python-lib calls them: each invocation gets its calls, bound
to a time budget, and every failure becomes a registry error code with a message a person can act on."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

import boto3
from botocore.config import Config
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
    CONNECT_TIMEOUT_S,
    READ_TIMEOUT_S,
    Backoff,
    Caller,
    Deadline,
    Organizations,
    OutOfTime,
    Place,
    PropertyError,
    ProviderError,
    WellArchitected,
    describe,
    error_code,
    guard,
    is_transient,
    service_message,
)
from lens_share_types.kinds import BY_NAME, ShareType
from lens_share_types.operations import Invocation, Operation, Refusal

LOG = logging.getLogger(__name__)

# Retries are ours, paced to the invocation's budget; botocore's would ignore it.
CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S, retries={"total_max_attempts": 1}
)
# An invocation spends at most this long on calls and retries, then hands back a callback: well inside the
# handler's Lambda timeout, so that CloudFormation, not a timed-out Lambda, does the waiting.
INVOCATION_S = 30.0
# Throttled or unavailable: CloudFormation calls back after a delay growing with each round, up to this many.
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
# The IAM action a denied call needs, by the service's operation name.
OTHER_SERVICES = dict.fromkeys(
    ("DescribeOrganization", "DescribeAccount", "DescribeOrganizationalUnit"), "organizations"
)


def new_backoff() -> Backoff:
    """How retries wait; tests hand in a quicker one."""
    return Backoff()


def bind(resource: Resource, name: str) -> None:
    """Registers the five handlers of the share type `name` (LensShare, ...) on a type's Resource."""
    share_type = BY_NAME[name]
    model_class = resource._model_cls
    for action, operation in OPERATIONS.items():
        resource.handler(action)(_handler(share_type, action, operation, model_class))


def _handler(
    share_type: ShareType, action: Action, operation: Operation, model_class: Any
) -> Callable[[SessionProxy | None, BaseResourceHandlerRequest, MutableMapping[str, Any]], ProgressEvent]:
    def handle(
        session: SessionProxy | None, request: BaseResourceHandlerRequest, context: MutableMapping[str, Any]
    ) -> ProgressEvent:
        context = dict(context or {})
        try:
            run = invocation(share_type, session, request, context)
            desired = values(request.desiredResourceState)
            progress = operation(run, desired, values(request.previousResourceState))
        except Exception as error:  # noqa: BLE001 - every failure is answered with a registry error code
            progress = failure(share_type, action, error, context)
        progress.resourceModel = _typed(model_class, progress.resourceModel)
        if progress.resourceModels is not None:
            progress.resourceModels = [_typed(model_class, each) for each in progress.resourceModels]
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
    started = time.monotonic()
    deadline = Deadline(lambda: int((INVOCATION_S - (time.monotonic() - started)) * 1000), reserve_s=0.0)
    call = Caller(deadline, new_backoff())
    # The entrypoint's session has no Region of its own: the request names it.
    region = request.region
    client = _client(session, "wellarchitected", region)
    configuration = values(request.typeConfiguration)
    return Invocation(
        share_type=share_type,
        wellarchitected=WellArchitected(client, call),
        organizations=lambda: Organizations(
            _client(session, "organizations", region),
            call,
        ),
        guard=guard.from_setting(str(configuration.get("AllowedPrincipals") or guard.ANYONE)),
        place=Place(client.meta.region_name, request.awsAccountId or None),
        token=request.clientRequestToken,
        context=context,
    )


def _client(session: SessionProxy, service: str, region: str | None) -> Any:
    """A client for the caller's credentials, made once per warm Lambda environment: making one loads the
    service's model again, a third of a second of every invocation."""
    found = session.session.get_credentials()
    if found is None:
        raise Refusal(HandlerErrorCode.InvalidCredentials, "The request carried no caller credentials.")
    credentials = found.get_frozen_credentials()
    return _cached_client(service, region, credentials.access_key, credentials.secret_key, credentials.token)


@functools.lru_cache(maxsize=16)
def _cached_client(service: str, region: str | None, access_key: str, secret_key: str, token: str | None) -> Any:
    session = boto3.session.Session(access_key, secret_key, token, region_name=region)
    return session.client(service, config=CLIENT_CONFIG)  # type: ignore[call-overload]


def values(model: Any) -> dict[str, Any]:
    """A generated model's values, without the ones left unset."""
    if model is None:
        return {}
    if isinstance(model, Mapping):
        return dict(model)
    return dict(model._serialize())


def _typed(model_class: Any, model: Any) -> Any:
    return model_class._deserialize(model) if isinstance(model, Mapping) else model


def failure(
    share_type: ShareType, action: Action, error: Exception, context: MutableMapping[str, Any]
) -> ProgressEvent:
    """Every failure as a registry answer; throttling and outages as callbacks while rounds remain."""
    known = explained(error)
    if known is not None:
        return ProgressEvent.failed(*known)
    if isinstance(error, OutOfTime):
        why = f"{error.operation} was still refused after {error.attempts} attempts ({describe(error.last)})"
        return retriable(action, context, why)
    if isinstance(error, BotoCoreError) and is_transient(error):
        return retriable(action, context, f"Well-Architected could not be reached ({type(error).__name__})")
    if isinstance(error, ClientError):
        return refused(share_type, error)
    LOG.exception("unexpected failure of %s %s", share_type.name, action.name)
    return ProgressEvent.failed(
        HandlerErrorCode.InternalFailure,
        f"The {share_type.name} handler failed unexpectedly ({type(error).__name__}); its log has the details. "
        "Retry, and report it if it repeats.",
    )


def explained(error: Exception) -> tuple[HandlerErrorCode, str] | None:
    """The failures that carry their own message: refusals, bad properties and the AllowedPrincipals guard's."""
    if isinstance(error, Refusal):
        return error.code, str(error)
    if isinstance(error, PropertyError):
        return HandlerErrorCode.InvalidRequest, str(error)
    if isinstance(error, ProviderError):
        refused_principal = error.kind == "PrincipalRefused"
        return HandlerErrorCode.InvalidRequest if refused_principal else HandlerErrorCode.AccessDenied, str(error)
    return None


def retriable(action: Action, context: MutableMapping[str, Any], why: str) -> ProgressEvent:
    """A callback after a growing delay, keeping what the operation has done so far in its context."""
    rounds = int(context.get("Retries", 0)) + 1
    if action not in MUTATING or rounds > RETRY_ROUNDS:
        return ProgressEvent.failed(HandlerErrorCode.Throttling, f"{why}; retry later.")
    context["Retries"] = rounds
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        message=f"{why}; calling back.",
        callbackContext=dict(context),
        callbackDelaySeconds=min(RETRY_DELAY_CAP_S, RETRY_DELAY_S * rounds),
    )


def refused(share_type: ShareType, error: ClientError) -> ProgressEvent:
    code = error_code(error)
    operation = str(getattr(error, "operation_name", "")) or "a Well-Architected call"
    message = service_message(error)
    kind = share_type.kind
    if code == "AccessDeniedException":
        action = f"{OTHER_SERVICES.get(operation, 'wellarchitected')}:{operation}"
        return ProgressEvent.failed(
            HandlerErrorCode.AccessDenied,
            f"The type's execution role may not call {action} ({message}); allow {action} in it, or check SCPs.",
        )
    if code == "ServiceQuotaExceededException":
        return ProgressEvent.failed(
            HandlerErrorCode.ServiceLimitExceeded,
            f"The {kind.noun} already has the most shares Well-Architected allows ({kind.quota}); delete shares no "
            "longer needed, or share with an OU or organization instead of its accounts.",
        )
    if code == "ResourceNotFoundException":
        return ProgressEvent.failed(
            HandlerErrorCode.NotFound,
            f"The {kind.noun} named by {share_type.prop} does not exist in this account and Region ({message}); "
            f"{kind.create_hint}.",
        )
    if code == "ValidationException":
        return ProgressEvent.failed(
            HandlerErrorCode.InvalidRequest,
            f"Well-Architected refused {operation}: {message}. {share_type.prop} takes the {kind.noun} of this "
            "account and Region; SharedWith an account ID, IAM user or role ARN, organization or OU ID (an "
            "organization or OU needs Well-Architected organization sharing turned on).",
        )
    if code == "ConflictException":
        return ProgressEvent.failed(
            HandlerErrorCode.ResourceConflict, f"Well-Architected refused {operation}: {message}."
        )
    return ProgressEvent.failed(
        HandlerErrorCode.GeneralServiceException,
        f"Well-Architected refused {operation}: {describe(error)}; retry, or see the type's log.",
    )
