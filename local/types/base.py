"""What every local resource type shares: the request it is given, the outcome it gives back, and the stack
services it may use (Host)."""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from local.answers import Answer
from local.stack import Request, Resource

if TYPE_CHECKING:
    from local.cloud import LocalCloud
    from local.template import Template


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


class Host(Protocol):
    """The stack a resource type works for."""

    name: str
    stack_id: str
    account: str
    region: str
    cloud: LocalCloud
    template_path: str

    @property
    def template(self) -> Template | None: ...

    @property
    def resources(self) -> Mapping[str, Resource]: ...

    def step(self, request: Request) -> Answer: ...

    def made_up_id(self, logical_id: str) -> str: ...


class ResourceType(Protocol):
    """One local resource type: `act` makes, changes or deletes one resource of it.

    `records_events` is True for a type that records its own IN_PROGRESS and COMPLETE/FAILED events (a custom
    resource's come from the protocol player); the engine records the others'.
    """

    type_names: tuple[str, ...]
    records_events: bool

    def act(self, request: Request, host: Host) -> Outcome: ...


def stable_suffix(*parts: str) -> str:
    """The 12 characters CloudFormation appends to a generated name, the same for the same stack and resource."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:12].upper()


def random_suffix() -> str:
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(12))


def generated_name(host: Host, logical_id: str, limit: int = 64) -> str:
    """A name as CloudFormation makes one: stack name, logical ID and a suffix, cut to the type's limit."""
    suffix = stable_suffix(host.stack_id, logical_id)
    room = max(limit - len(suffix) - 2, 2)
    stack_part = host.name[: room // 2]
    return f"{stack_part}-{logical_id[: room - len(stack_part)]}-{suffix}"


def template_folder(host: Host) -> Path:
    template = host.template
    return template.path.parent if template is not None else Path(host.template_path).parent
