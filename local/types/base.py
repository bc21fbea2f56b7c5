"""What every local resource type shares: the request it is given, the outcome it gives back, and the stack
services it may use (Host)."""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from local.answers import Answer
from local.handler_calls import HandlerCalls
from local.stack import Request, Resource
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


class ChildStack(Protocol):
    """A stack as a nested-stack resource sees its child."""

    name: str
    stack_id: str
    status: str | None

    @property
    def outputs(self) -> Mapping[str, Mapping[str, str]]: ...


class Cloud(Protocol):
    """What resource types use of the local account: its Region and state folder, clients of the emulator,
    its functions, and its stacks (for nested ones)."""

    region: str
    state_dir: Path

    @property
    def functions(self) -> Container[str]: ...

    @property
    def handlers(self) -> HandlerCalls: ...

    def client(self, service: str, account: str, region: str | None = None) -> Any: ...

    def deploy_function(self, spec: dict[str, Any]) -> None: ...

    def remove_function(self, arn: str) -> None: ...

    def template_file(self, url: str, relative_to: Path) -> Path: ...

    def stack_by_id(self, stack_id: str) -> ChildStack | None: ...

    def deploy(
        self,
        name: str,
        path: Path,
        overrides: Mapping[str, str],
        account: str,
        parent: str | None,
        *,
        region: str | None = None,
    ) -> ChildStack: ...

    def delete(self, name: str) -> ChildStack: ...


class Host(Protocol):
    """The stack a resource type works for."""

    name: str
    stack_id: str
    account: str
    region: str

    @property
    def cloud(self) -> Cloud: ...

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
