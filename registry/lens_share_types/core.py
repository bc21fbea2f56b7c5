"""The one place the registry types import the provider's share core from: a rename there is fixed here alone."""

from lens_share import errors, guard, properties, rules
from lens_share.aws.calls import Caller
from lens_share.aws.clients import CLIENT_CONFIG
from lens_share.aws.organizations import Organizations
from lens_share.aws.retry import Backoff, Deadline, OutOfTime, describe, is_transient
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.errors import ProviderError, Unsettled
from lens_share.kinds import KINDS, ShareKind
from lens_share.properties import Place, PropertyError

__all__ = [
    "CLIENT_CONFIG",
    "KINDS",
    "Backoff",
    "Caller",
    "Deadline",
    "Organizations",
    "OutOfTime",
    "Place",
    "PropertyError",
    "ProviderError",
    "ShareKind",
    "Unsettled",
    "WellArchitected",
    "describe",
    "errors",
    "guard",
    "is_transient",
    "properties",
    "rules",
]
