"""The resource types this local cloud makes, one module each, found by the module's TYPE; any other type is
recorded only (local.types.recorded), with the values its CloudFormation schema defines.

Adding a type is adding a module here that defines TYPE, a ResourceType (`type_names`, `act`).
"""

from __future__ import annotations

import importlib
import pkgutil

from local.records import Failed, Outcome
from local.types.base import Host, ResourceType
from local.types.recorded import RECORDED

CUSTOM_TYPE = "AWS::CloudFormation::CustomResource"


def is_custom(resource_type: str) -> bool:
    return resource_type.startswith("Custom::") or resource_type == CUSTOM_TYPE


def _registry() -> dict[str, ResourceType]:
    found: dict[str, ResourceType] = {}
    for module in pkgutil.iter_modules(__path__):
        kind: ResourceType | None = getattr(importlib.import_module(f"{__name__}.{module.name}"), "TYPE", None)
        if kind is not None:  # shared helpers define no TYPE
            found.update(dict.fromkeys(kind.type_names, kind))
    return found


REGISTRY = _registry()


def resource_type(name: str) -> ResourceType:
    """The local type that makes resources of `name`: Custom::* are custom resources, unknown types are recorded."""
    return REGISTRY[CUSTOM_TYPE if is_custom(name) else name] if is_custom(name) or name in REGISTRY else RECORDED


__all__ = ["CUSTOM_TYPE", "REGISTRY", "Failed", "Host", "Outcome", "ResourceType", "is_custom", "resource_type"]
