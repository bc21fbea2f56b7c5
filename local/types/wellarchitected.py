"""What the AWS::WellArchitected::* types share: calls whose errors become status reasons, deletes that accept
an already-gone resource, and the replacement rule of createOnlyProperties."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from local.records import Failed, Outcome, Request
from local.types.base import Host


def call(operation: Callable[..., Any], **parameters: Any) -> Any:
    """The operation's answer; its error as the status reason CloudFormation would show (code: message)."""
    try:
        return operation(**{name: value for name, value in parameters.items() if value is not None})
    except ClientError as error:
        details = error.response["Error"]
        raise Failed(f"{details.get('Code')}: {details.get('Message')}") from None


def delete_quietly(operation: Callable[..., Any], **parameters: Any) -> None:
    """Delete, where a resource already gone counts as deleted, as CloudFormation's handlers count it."""
    try:
        call(operation, **parameters)
    except Failed as error:
        if not str(error).startswith("ResourceNotFoundException"):
            raise


def replaced(request: Request, create_only: Iterable[str]) -> bool:
    """Whether the request makes a new resource: a Create, or an Update of a createOnly property."""
    old = request.old_properties or {}
    return request.request_type == "Create" or any(
        old.get(name) != request.properties.get(name) for name in create_only
    )


def tags(properties: Mapping[str, Any]) -> dict[str, str] | None:
    """CloudFormation's [{Key, Value}] as the API's map; None when there are none."""
    given = properties.get("Tags") or []
    return {str(tag["Key"]): str(tag["Value"]) for tag in given} or None


def stamp(value: Any) -> str:
    """A time attribute as CloudFormation returns it: ISO 8601 text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


Delete = Callable[[Any, str, str], None]  # the client, the physical ID, a fresh token
Put = Callable[[Any, Request, Host, str], Outcome]  # the client, the request, the stack, a fresh token


@dataclass
class WellArchitectedType:
    """The act of every AWS::WellArchitected::* type: the owner account's client, a fresh token, and a delete that
    accepts a resource already gone; each type gives how it deletes and how it creates or updates."""

    type_names: tuple[str, ...]
    delete: Delete
    put: Put

    def act(self, request: Request, host: Host) -> Outcome:
        client = host.cloud.client("wellarchitected", host.account, host.region)
        token = str(uuid.uuid4())
        if request.request_type == "Delete":
            self.delete(client, request.physical_id or "", token)
            return Outcome(True, request.physical_id or "")
        return self.put(client, request, host, token)
