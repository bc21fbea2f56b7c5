"""What CloudFormation asks and what the provider answers, independent of crhelper."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Request:
    request_type: str
    request_id: str
    logical_id: str
    stack_id: str
    resource_type: str
    properties: Mapping[str, object]
    old_properties: Mapping[str, object]
    physical_id: str

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> Request:
        return cls(
            request_type=str(event.get("RequestType", "")),
            request_id=str(event.get("RequestId", "")),
            logical_id=str(event.get("LogicalResourceId", "")),
            stack_id=str(event.get("StackId", "")),
            resource_type=str(event.get("ResourceType", "")),
            properties=_mapping(event.get("ResourceProperties")),
            old_properties=_mapping(event.get("OldResourceProperties")),
            physical_id=str(event.get("PhysicalResourceId") or ""),
        )


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}
