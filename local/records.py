"""What a stack keeps: its resources and events, the requests CloudFormation makes of one resource, and how each
request ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Resource:
    logical_id: str
    resource_type: str
    physical_id: str
    properties: dict[str, Any]
    status: str
    data: dict[str, Any] = field(default_factory=dict)
    depends_on: list[str] = field(default_factory=list)
    deletion_policy: str = "Delete"


@dataclass(frozen=True)
class StackEvent:
    timestamp: datetime
    logical_id: str
    status: str
    reason: str = ""
    physical_id: str = ""
    resource_type: str = ""


@dataclass(frozen=True)
class Request:
    request_type: str
    logical_id: str
    resource_type: str
    physical_id: str | None
    properties: dict[str, Any]
    old_properties: dict[str, Any] | None = None


@dataclass
class Outcome:
    """How one Create, Update or Delete ended: the physical ID (Ref), the attributes (Fn::GetAtt), and a reason
    when it failed or a note for its event."""

    succeeded: bool
    physical_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    note: str = ""


class Failed(Exception):
    """A resource operation that failed, with the status reason for its event."""
