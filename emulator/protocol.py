"""The REST-JSON wire format of Well-Architected, read from the botocore service model."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qs, unquote

import botocore.loaders  # type: ignore[import-untyped, unused-ignore]

_MODEL: dict[str, Any] = botocore.loaders.Loader().load_service_model("wellarchitected", "service-2")
_SHAPES: dict[str, dict[str, Any]] = _MODEL["shapes"]
# What each shape type is once JSON is parsed; botocore sends and reads timestamps as epoch seconds.
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "timestamp": (int, float),
    "double": (int, float),
    "float": (int, float),
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
    problems = list(shape_problems(shape_name, params))
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


def shape_problems(shape_name: str, value: Any, path: str = "", *, answer: bool = False) -> Iterator[tuple[str, str]]:
    """Where value does not fit the model's shape, and how: types, required members, lengths, ranges, enums and
    patterns (what botocore leaves to the service); in an answer (the JSON sent back) also members the shape lacks."""
    shape = _SHAPES[shape_name]
    kind = shape["type"]
    expected = _JSON_TYPES.get(kind)
    if expected is not None and (not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))):
        yield path, f"Member must be of type {kind}"
        return
    yield from _member_problems(shape_name, shape, value, path, answer)
    if kind in ("string", "list", "map"):
        yield from _range_problems(shape, len(value), "length", path)
    elif kind in ("integer", "long"):
        yield from _range_problems(shape, value, "value", path)
    if kind == "string":
        yield from _string_problems(shape_name, value, path)


def _member_problems(
    shape_name: str, shape: dict[str, Any], value: Any, path: str, answer: bool
) -> Iterator[tuple[str, str]]:
    kind = shape["type"]
    if kind == "structure":
        if answer:
            yield from (
                (_join(path, name), f"Member is not in {shape_name}") for name in value if name not in shape["members"]
            )
        for name in shape.get("required", []):
            if value.get(name) is None:
                yield _join(path, name), "Member must not be null"
        for name, member in shape["members"].items():
            if value.get(name) is not None:
                yield from shape_problems(member["shape"], value[name], _join(path, name), answer=answer)
    elif kind == "list":
        for index, item in enumerate(value, start=1):
            yield from shape_problems(shape["member"]["shape"], item, f"{path}.{index}", answer=answer)
    elif kind == "map":
        for key, item in value.items():
            yield from shape_problems(shape["key"]["shape"], key, f"{path}.key", answer=answer)
            yield from shape_problems(shape["value"]["shape"], item, f"{path}.{key}", answer=answer)


def _range_problems(shape: dict[str, Any], size: int, what: str, path: str) -> Iterator[tuple[str, str]]:
    if "min" in shape and size < shape["min"]:
        yield path, f"Member must have {what} greater than or equal to {shape['min']}"
    if "max" in shape and size > shape["max"]:
        yield path, f"Member must have {what} less than or equal to {shape['max']}"


def _string_problems(shape_name: str, value: str, path: str) -> Iterator[tuple[str, str]]:
    enum = _SHAPES[shape_name].get("enum")
    if enum is not None and value not in enum:
        yield path, f"Member must satisfy enum value set: [{', '.join(enum)}]"
    pattern = _pattern(shape_name)
    if pattern is not None and not pattern.fullmatch(value):
        yield path, f"Member must satisfy regular expression pattern: {pattern.pattern}"


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
