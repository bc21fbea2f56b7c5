"""The two arguments CloudFormation, through Lambda, hands the provider: the event and the Lambda context."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"
RESOURCE_TYPE = "Custom::LensShare"
REQUEST_TYPES = ("Create", "Update", "Delete")
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "111111111111"


def load_event(name: str) -> dict[str, Any]:
    """A fresh copy of events/<name>.json, the events CloudFormation sends."""
    event = json.loads((EVENTS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    if not isinstance(event, dict):
        raise TypeError(f"events/{name}.json does not hold a JSON object")
    return event


@cache
def function_name() -> str:
    """The provider function's name, as the recorded events' ServiceToken gives it."""
    return str(load_event("create")["ServiceToken"]).rsplit(":", 1)[1]


def stringify(value: Any) -> Any:
    """What CloudFormation sends for a template value: every scalar a string, lists and maps kept.

    None stands for AWS::NoValue: CloudFormation leaves such a key (or list item) out.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int, and templates spell it lower-case
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): stringify(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [stringify(item) for item in value if item is not None]
    raise TypeError(f"a template cannot hold a {type(value).__name__}: {value!r}")


def resource_properties(properties: Mapping[str, Any], service_token: str, *, raw: bool = False) -> dict[str, Any]:
    """ResourceProperties as sent: ServiceToken first (it is a template property), values stringified unless raw."""
    values = dict(properties) if raw else stringify(properties)
    return {"ServiceToken": service_token, **values}


def make_event(
    request_type: str,
    *,
    logical_id: str,
    properties: Mapping[str, Any],
    response_url: str,
    resource_type: str = RESOURCE_TYPE,
    physical_id: str | None = None,
    old_properties: Mapping[str, Any] | None = None,
    stack_id: str | None = None,
    request_id: str | None = None,
    service_token: str | None = None,
    raw: bool = False,
) -> dict[str, Any]:
    """An event shaped exactly like CloudFormation's, starting from events/<request type>.json.

    `raw=True` sends property values untouched (for tests of bad input); ServiceToken is still added.
    """
    if request_type not in REQUEST_TYPES:
        raise ValueError(f"RequestType must be one of {REQUEST_TYPES}, not {request_type!r}")
    if (physical_id is None) != (request_type == "Create"):
        raise ValueError("Update and Delete carry a PhysicalResourceId, Create does not")
    if (old_properties is None) != (request_type != "Update"):
        raise ValueError("only Update carries OldResourceProperties")
    event = load_event(request_type.lower())
    props = resource_properties(properties, service_token or event["ServiceToken"], raw=raw)
    event.update(
        ServiceToken=props["ServiceToken"],
        ResponseURL=response_url,
        StackId=stack_id or event["StackId"],
        RequestId=request_id or str(uuid.uuid4()),
        LogicalResourceId=logical_id,
        ResourceType=resource_type,
        ResourceProperties=props,
    )
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    if old_properties is not None:
        event["OldResourceProperties"] = resource_properties(old_properties, props["ServiceToken"], raw=raw)
    return event


@dataclass
class LambdaContext:
    """Lambda's context object, with a deadline `timeout_s` from construction.

    memory_limit_in_mb is a string, as the Python runtime reads it from the environment.
    """

    timeout_s: float = 300.0
    function_name: str = field(default_factory=function_name)
    function_version: str = "$LATEST"
    invoked_function_arn: str = ""
    memory_limit_in_mb: str = "256"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)  # tests move their own
    deadline: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.deadline = self.clock() + self.timeout_s
        if not self.invoked_function_arn:
            self.invoked_function_arn = (
                f"arn:aws:lambda:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:function:{self.function_name}"
            )
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        if not self.log_stream_name:
            day = datetime.now(UTC).strftime("%Y/%m/%d")
            self.log_stream_name = f"{day}/[{self.function_version}]{uuid.uuid4().hex}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - self.clock()) * 1000))
