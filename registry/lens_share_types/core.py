"""The one place the registry types import the provider's share core from: a rename there is fixed here alone."""

from lens_share import guard, properties
from lens_share.aws.calls import Caller
from lens_share.aws.codes import error_code, service_message
from lens_share.aws.organizations import Organizations
from lens_share.aws.retry import (
    ATTEMPT_S,
    CONNECT_TIMEOUT_S,
    READ_TIMEOUT_S,
    Backoff,
    Deadline,
    OutOfTime,
    describe,
    is_transient,
)
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.errors import ProviderError
from lens_share.properties import Place, Principal, PropertyError
from lens_share.resources.kinds import KINDS, ShareKind

__all__ = [
    "ATTEMPT_S",
    "CONNECT_TIMEOUT_S",
    "KINDS",
    "READ_TIMEOUT_S",
    "Backoff",
    "Caller",
    "Deadline",
    "Organizations",
    "OutOfTime",
    "Place",
    "Principal",
    "PropertyError",
    "ProviderError",
    "ShareKind",
    "WellArchitected",
    "describe",
    "error_code",
    "guard",
    "is_transient",
    "properties",
    "service_message",
]
