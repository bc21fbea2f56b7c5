"""Each resource type's schema (schemas/*.json, in CloudFormation registry form): the one source of its
properties, their defaults and allowed values, its Fn::GetAtt attributes and its reference docs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DIRECTORY = Path(__file__).parent / "schemas"


def _names(pointers: list[str]) -> frozenset[str]:
    return frozenset(pointer.removeprefix("/properties/") for pointer in pointers)


@dataclass(frozen=True)
class Schema:
    type_name: str
    description: str
    properties: dict[str, dict[str, Any]]
    required: tuple[str, ...]
    read_only: frozenset[str]
    write_only: frozenset[str]

    @property
    def inputs(self) -> tuple[str, ...]:
        """What a template may set, in the schema's order."""
        return tuple(name for name in self.properties if name not in self.read_only)

    @property
    def attributes(self) -> tuple[str, ...]:
        """What Fn::GetAtt reads: every property the provider answers with."""
        return tuple(name for name in self.properties if name not in self.write_only)


def file_name(type_name: str) -> str:
    return type_name.replace("::", "-").lower() + ".json"


@cache
def load(type_name: str) -> Schema:
    document = json.loads((DIRECTORY / file_name(type_name)).read_text(encoding="utf-8"))
    return Schema(
        type_name=document["typeName"],
        description=document["description"],
        properties=document["properties"],
        required=tuple(document.get("required", ())),
        read_only=_names(document.get("readOnlyProperties", [])),
        write_only=_names(document.get("writeOnlyProperties", [])),
    )
