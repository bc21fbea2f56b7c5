"""Failures as one sentence a CloudFormation user can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from lens_share.aws.codes import error_code, service_message
from lens_share.aws.retry import OutOfTime, describe
from lens_share.kinds import SHARED_RESOURCE_PROPERTIES

if TYPE_CHECKING:
    from lens_share.request import Request


class ProviderError(Exception):
    """A failure whose message is the reason CloudFormation shows; kind names it for metrics."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


# The calls of services other than Well-Architected, for the IAM action a denial names.
OTHER_SERVICES = {
    "DescribeOrganization": "organizations",
    "DescribeAccount": "organizations",
    "DescribeOrganizationalUnit": "organizations",
}


def operation(error: ClientError | OutOfTime) -> str:
    """The API operation that failed, which is also the IAM action to allow."""
    if isinstance(error, OutOfTime):
        return error.operation
    return str(getattr(error, "operation_name", "")) or "an AWS call"


def access_denied(resource: str, error: ClientError) -> ProviderError:
    name = operation(error)
    action = f"{OTHER_SERVICES.get(name, 'wellarchitected')}:{name}"
    return ProviderError(
        f"The provider's role may not call {action} on {resource} ({service_message(error)}); "
        f"allow {action} in the provider's IAM policy (template.yaml's, or the registry type's execution role) "
        "or check SCPs.",
        "AccessDenied",
    )


def out_of_time(error: OutOfTime) -> ProviderError:
    return ProviderError(
        f"Well-Architected did not accept {error.operation} after {error.attempts} attempts within the "
        f"provider's time limit (last: {describe(error.last)}); retry the stack operation, or deploy fewer "
        "shares at once.",
        "Throttled" if "Throttl" in describe(error.last) else "Unavailable",
    )


class Unsettled(ProviderError):
    """A write whose answer was lost: what it asked for may have been done, and only its token can tell."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "Unsettled")


def _last(error: ClientError | OutOfTime) -> str:
    if isinstance(error, OutOfTime):
        return f"after {error.attempts} attempts (last: {describe(error.last)})"
    return f"({describe(error)})"


def lost(resource: str, shared_with: str, error: OutOfTime) -> Unsettled:
    """A create whose answer was lost: the stack's rollback settles it."""
    return Unsettled(
        f"Well-Architected did not answer {error.operation} {_last(error)}, so a share of {resource} with "
        f"{shared_with} may exist; the rollback deletes it once the service confirms this request made it."
    )


def unsettled(resource: str, shared_with: str, error: ClientError | OutOfTime, *, share_id: str = "") -> Unsettled:
    """A lost create that could not be settled: the share may exist, so the resource is not answered as gone."""
    what = f"share {share_id}" if share_id else "the share"
    return Unsettled(
        f"Could not settle what a create whose answer was lost made: {what} of {resource} with {shared_with} may "
        f"exist, and Well-Architected did not answer {operation(error)} {_last(error)}. Retry the stack operation "
        "once the service answers; only the share this resource's token made is deleted."
    )


def refused(error: ClientError) -> ProviderError:
    """Anything without a better explanation: the service's own words."""
    code = error_code(error) or "Refused"
    return ProviderError(f"Well-Architected refused {operation(error)}: {describe(error)}", code)


def failure(resource: str, error: ClientError | OutOfTime) -> ProviderError:
    """A failed call as its reason: out of time, access denied, or the service's own words."""
    if isinstance(error, OutOfTime):
        return out_of_time(error)
    if error_code(error) == "AccessDeniedException":
        return access_denied(resource, error)
    return refused(error)


def startup(error: BaseException) -> ProviderError:
    return ProviderError(
        f"The provider could not start ({type(error).__name__}: {error}); fix its configuration (for example "
        "AWS_ENDPOINT_URL_WELLARCHITECTED or AllowedPrincipals) and retry the stack operation.",
        "StartupFailed",
    )


def explain(error: Exception, request: Request) -> ProviderError:
    """The last resort: whatever escaped a resource module, as a reason CloudFormation can show."""
    if isinstance(error, ProviderError):
        return error
    if isinstance(error, ClientError | OutOfTime):
        named = next((request.properties[key] for key in SHARED_RESOURCE_PROPERTIES if key in request.properties), "")
        return failure(named if isinstance(named, str) and named else request.logical_id, error)
    if isinstance(error, BotoCoreError):
        return ProviderError(
            f"The provider could not reach AWS ({type(error).__name__}); retry the stack operation.", "Unavailable"
        )
    return ProviderError(
        f"The provider failed unexpectedly ({type(error).__name__}); its log has the details under RequestId "
        f"{request.request_id}. Retry the stack operation, and report it if it repeats.",
        "Unexpected",
    )
