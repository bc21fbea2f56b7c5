"""What every local resource type shares: the stack services it may use (Host), and the names CloudFormation
makes up; the request it is given and the outcome it gives back are local.records'."""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Container, Mapping
from pathlib import Path
from typing import Any, Protocol

from local.handler_calls import HandlerCalls
from local.records import Outcome, Request, Resource
from local.template import Template
from local.transport import Transport


class ChildStack(Protocol):
    """A stack as a nested-stack resource sees its child."""

    @property
    def name(self) -> str: ...

    @property
    def stack_id(self) -> str: ...

    @property
    def status(self) -> str | None: ...

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

    account: str
    region: str
    template_path: str
    transport: Transport  # how a custom resource's request reaches its function

    @property
    def name(self) -> str: ...

    @property
    def stack_id(self) -> str: ...

    @property
    def cloud(self) -> Cloud: ...

    @property
    def template(self) -> Template | None: ...

    @property
    def resources(self) -> Mapping[str, Resource]: ...


class ResourceType(Protocol):
    """One local resource type: `act` makes, changes or deletes one resource of it."""

    type_names: tuple[str, ...]

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
