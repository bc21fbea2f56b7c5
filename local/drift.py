"""Drift detection, as `aws cloudformation detect-stack-drift` then `describe-stack-resource-drifts` report it:
each registry-type resource read through its type's read handler and compared with the properties the stack
gave it. Custom resources get no drift detection in AWS, and the other types none here: NOT_CHECKED.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from local.handler_calls import Call, HandlerCalls
from local.registry import TYPES, RegistryType
from local.stack import Resource


def differences(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[dict[str, str]]:
    """PropertyDifferences of the properties the stack set: NOT_EQUAL where the values differ, REMOVE where gone."""
    found: list[dict[str, str]] = []
    for name, value in expected.items():
        if name in actual and actual[name] == value:
            continue
        found.append(
            {
                "PropertyPath": f"/{name}",
                "ExpectedValue": _text(value),
                "ActualValue": _text(actual.get(name)) if name in actual else "",
                "DifferenceType": "NOT_EQUAL" if name in actual else "REMOVE",
            }
        )
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def resource_drift(handlers: HandlerCalls, stack_id: str, account: str, resource: Resource) -> dict[str, Any]:
    """One StackResourceDrift: the resource's expected and actual properties, and how they differ."""
    drift: dict[str, Any] = {
        "StackId": stack_id,
        "LogicalResourceId": resource.logical_id,
        "PhysicalResourceId": resource.physical_id,
        "ResourceType": resource.resource_type,
        "Timestamp": datetime.now(UTC).isoformat(),
    }
    kind = TYPES.get(resource.resource_type)
    if kind is None:
        return {**drift, "StackResourceDriftStatus": "NOT_CHECKED"}
    expected = _compared(kind, resource.properties)
    drift["ExpectedProperties"] = json.dumps(expected, sort_keys=True)
    model = {**resource.properties, **kind.identifying_model(resource.physical_id)}
    progress = handlers.run(kind, account, Call("READ", model, logical_id=resource.logical_id, stack_id=stack_id))
    if progress.not_found:
        return {**drift, "StackResourceDriftStatus": "DELETED"}
    if not progress.succeeded:
        return {**drift, "StackResourceDriftStatus": "UNKNOWN", "StatusReason": progress.reason}
    actual = _compared(kind, progress.model)
    found = differences(expected, actual)
    return {
        **drift,
        "ActualProperties": json.dumps(actual, sort_keys=True),
        "PropertyDifferences": found,
        "StackResourceDriftStatus": "MODIFIED" if found else "IN_SYNC",
    }


def _compared(kind: RegistryType, properties: Mapping[str, Any]) -> dict[str, Any]:
    """What drift compares: the properties a read can give back (not the write-only, not the read-only)."""
    left_out = set(kind.write_only) | set(kind.read_only)
    return {name: value for name, value in properties.items() if name not in left_out}
