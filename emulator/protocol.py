"""The REST-JSON wire format of Well-Architected, read from the botocore service model."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qs, unquote

import botocore.loaders  # type: ignore[import-untyped, unused-ignore]

_MODEL: dict[str, Any] = botocore.loaders.Loader().load_service_model("wellarchitected", "service-2")
_SHAPES: dict[str, dict[str, Any]] = _MODEL["shapes"]
_PYTHON_TYPES: dict[str, type] = {
    "structure": dict,
    "map": dict,
    "list": list,
    "string": str,
    "integer": int,
    "long": int,
    "boolean": bool,
}


class ServiceError(Exception):
    """An error answer; a modelled error code takes its HTTP status from the model."""

    def __init__(self, code: str, message: str, *, status: int | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status: int = status if status is not None else _SHAPES[code]["error"]["httpStatusCode"]
        self.fields = fields

    def body(self, bracketed: bool = False) -> dict[str, Any]:
        """bracketed: the message starts with its kind, as in "[Validation] ..." (the message-prefix switch)."""
        message = f"[{self.code.removesuffix('Exception')}] {self.message}" if bracketed else self.message
        return {"Message": message, **self.fields}


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    segments: tuple[str, ...]

    def match(self, method: str, segments: list[str]) -> dict[str, str] | None:
        if method != self.method or len(segments) != len(self.segments):
            return None
        labels: dict[str, str] = {}
        for template, value in zip(self.segments, segments, strict=True):
            if template.startswith("{"):
                if not value:
                    return None
                labels[template.strip("{+}")] = value
            elif template != value:
                return None
        return labels


def _routes() -> list[_Route]:
    routes = [
        _Route(name, op["http"]["method"], tuple(op["http"]["requestUri"].partition("?")[0].split("/")))
        for name, op in _MODEL["operations"].items()
    ]
    # A literal segment must win over a label in the same place.
    return sorted(routes, key=lambda route: -sum(not s.startswith("{") for s in route.segments))


_ROUTES = _routes()


def match_route(method: str, raw_path: str) -> tuple[str, dict[str, str]] | None:
    """The operation and its URI labels; botocore escapes '/' inside a label, so split before decoding."""
    segments = [unquote(segment) for segment in raw_path.split("/")]
    for route in _ROUTES:
        labels = route.match(method, segments)
        if labels is not None:
            return route.operation, labels
    return None


def parse_input(operation: str, labels: dict[str, str], raw_query: str, body: bytes) -> dict[str, Any]:
    """The operation's input members, each taken from where the model puts it, then validated."""
    ref = _MODEL["operations"][operation].get("input")
    if ref is None:
        return {}
    query = parse_qs(raw_query, keep_blank_values=True)
    document = _json_body(body)
    params: dict[str, Any] = {}
    for name, member in _SHAPES[ref["shape"]]["members"].items():
        location = member.get("location")
        wire_name = member.get("locationName", name)
        if location == "uri":
            value = labels.get(wire_name)
        elif location == "querystring":
            value = _query_value(member["shape"], name, query.get(wire_name))
        elif location is None:
            value = document.get(wire_name)
        else:
            continue  # header members: none of the emulated operations has one
        if value is not None:
            params[name] = value
    _validate(ref["shape"], params)
    return params


def _json_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise ServiceError("ValidationException", "The request body is not a JSON object", Reason="CANNOT_PARSE")
    return document


def _query_value(shape_name: str, name: str, values: list[str] | None) -> Any:
    if not values:
        return None
    kind = _SHAPES[shape_name]["type"]
    if kind == "list":
        return values
    if kind in ("integer", "long"):
        try:
            return int(values[-1])
        except ValueError:
            raise _validation_error([(name, f"Member must be of type {kind}")]) from None
    return values[-1]


def _validate(shape_name: str, params: dict[str, Any]) -> None:
    problems: list[tuple[str, str]] = []
    _check(shape_name, params, "", problems)
    if problems:
        raise _validation_error(problems)


def _validation_error(problems: list[tuple[str, str]]) -> ServiceError:
    details = "; ".join(f"Value at '{name}' failed to satisfy constraint: {text}" for name, text in problems)
    return ServiceError(
        "ValidationException",
        f"{len(problems)} validation error(s) detected: {details}",
        Reason="FIELD_VALIDATION_FAILED",
        Fields=[{"Name": name, "Message": text} for name, text in problems],
    )


def _check(shape_name: str, value: Any, path: str, problems: list[tuple[str, str]]) -> None:
    """Types, lengths, ranges, enums and patterns: what botocore leaves to the service."""
    shape = _SHAPES[shape_name]
    kind = shape["type"]
    expected = _PYTHON_TYPES.get(kind)
    if expected is not None and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
        problems.append((path, f"Member must be of type {kind}"))
        return
    _check_members(shape, value, path, problems)
    if kind in ("string", "list", "map"):
        _check_range(shape, len(value), "length", path, problems)
    elif kind in ("integer", "long"):
        _check_range(shape, value, "value", path, problems)
    if kind == "string":
        _check_string(shape_name, value, path, problems)


def _check_members(shape: dict[str, Any], value: Any, path: str, problems: list[tuple[str, str]]) -> None:
    kind = shape["type"]
    if kind == "structure":
        for name in shape.get("required", []):
            if value.get(name) is None:
                problems.append((_join(path, name), "Member must not be null"))
        for name, member in shape["members"].items():
            if value.get(name) is not None:
                _check(member["shape"], value[name], _join(path, name), problems)
    elif kind == "list":
        for index, item in enumerate(value, start=1):
            _check(shape["member"]["shape"], item, f"{path}.{index}", problems)
    elif kind == "map":
        for key, item in value.items():
            _check(shape["key"]["shape"], key, f"{path}.key", problems)
            _check(shape["value"]["shape"], item, f"{path}.{key}", problems)


def _check_range(shape: dict[str, Any], size: int, what: str, path: str, problems: list[tuple[str, str]]) -> None:
    if "min" in shape and size < shape["min"]:
        problems.append((path, f"Member must have {what} greater than or equal to {shape['min']}"))
    if "max" in shape and size > shape["max"]:
        problems.append((path, f"Member must have {what} less than or equal to {shape['max']}"))


def _check_string(shape_name: str, value: str, path: str, problems: list[tuple[str, str]]) -> None:
    enum = _SHAPES[shape_name].get("enum")
    if enum is not None and value not in enum:
        problems.append((path, f"Member must satisfy enum value set: [{', '.join(enum)}]"))
    pattern = _pattern(shape_name)
    if pattern is not None and not pattern.fullmatch(value):
        problems.append((path, f"Member must satisfy regular expression pattern: {pattern.pattern}"))


@cache
def _pattern(shape_name: str) -> re.Pattern[str] | None:
    source = _SHAPES[shape_name].get("pattern")
    if source is None:
        return None
    try:
        return re.compile(source)
    except re.error:
        return None  # Java-only syntax such as \p{L}: left unchecked rather than guessed


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@cache
def output_members(operation: str) -> frozenset[str]:
    """The members the model gives an operation's answer, so that each kind answers with its own."""
    ref = _MODEL["operations"][operation].get("output")
    return frozenset(_SHAPES[ref["shape"]]["members"]) if ref else frozenset()
