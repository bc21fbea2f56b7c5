"""Failures as one sentence a CloudFormation user can act on."""

from __future__ import annotations

from botocore.exceptions import ClientError

from lens_share.retry import OutOfTime, describe


class ProviderError(Exception):
    """A failure whose message is the reason CloudFormation shows; kind names it for metrics."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def service_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", "")).strip()


def access_denied(action: str, resource: str, error: ClientError) -> ProviderError:
    return ProviderError(
        f"The provider's role may not call wellarchitected:{action} on {resource} ({service_message(error)}); "
        f"allow wellarchitected:{action} in the provider's IAM policy (template.yaml) or check SCPs.",
        "AccessDenied",
    )


def out_of_time(error: OutOfTime) -> ProviderError:
    return ProviderError(
        f"Well-Architected did not accept {error.operation} after {error.attempts} attempts within the "
        f"provider's time limit (last: {describe(error.last)}); retry the stack operation, or deploy fewer "
        "shares at once.",
        "Throttled" if "Throttl" in describe(error.last) else "Unavailable",
    )


def refused(action: str, error: ClientError) -> ProviderError:
    """Anything without a better explanation: the service's own words."""
    return ProviderError(f"Well-Architected refused {action}: {describe(error)}", error_code(error) or "Refused")


def failure(action: str, resource: str, error: ClientError | OutOfTime) -> ProviderError:
    """A failed call as its reason: out of time, access denied, or the service's own words."""
    if isinstance(error, OutOfTime):
        return out_of_time(error)
    if error_code(error) == "AccessDeniedException":
        return access_denied(action, resource, error)
    return refused(action, error)
