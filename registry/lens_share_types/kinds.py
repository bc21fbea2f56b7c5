"""The four registry types, one per kind of share the core describes: what each adds is its name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lens_share_types.core import KINDS, ShareKind

DEFAULT_NAMESPACE = "LensShareProvider"
# Organizations the registry keeps for itself.
RESERVED_NAMESPACES = frozenset({"AWS", "Amazon", "Alexa", "ASK", "AWSQuickStart", "Custom", "Dev"})
NAMESPACE = re.compile(r"^[A-Za-z0-9]{2,64}$")


@dataclass(frozen=True)
class ShareType:
    name: str  # LensShare, ProfileShare, ReviewTemplateShare or WorkloadShare
    kind: ShareKind

    @property
    def prop(self) -> str:
        """The property naming what is shared; a lens is named by its ARN, as its Custom:: attribute is."""
        return self.kind.attribute

    @property
    def folder(self) -> str:
        """registry/<folder>: LensShare -> lens-share."""
        return re.sub(r"(?<!^)(?=[A-Z])", "-", self.name).lower()

    def type_name(self, namespace: str = DEFAULT_NAMESPACE) -> str:
        return f"{namespace}::WellArchitected::{self.name}"

    def package(self, namespace: str = DEFAULT_NAMESPACE) -> str:
        """The handler package the CloudFormation CLI derives from the type name."""
        return self.type_name(namespace).replace("::", "_").lower()


TYPES = tuple(ShareType(kind.resource_type.removeprefix("Custom::"), kind) for kind in KINDS)
BY_NAME = {share_type.name: share_type for share_type in TYPES}


def check_namespace(namespace: str) -> str:
    if not NAMESPACE.match(namespace) or namespace in RESERVED_NAMESPACES:
        reserved = ", ".join(sorted(RESERVED_NAMESPACES))
        raise ValueError(
            f"namespace {namespace!r} must be 2 to 64 letters and digits and not one the registry reserves ({reserved})"
        )
    return namespace
