"""The CloudFormation registry types of this project, as the CloudFormation CLI lays them out: one folder each
under registry/, with a `.rpdk-config` naming the handler entrypoint and a schema whose `typeName` names the type.

What the local CloudFormation needs of a schema lives here: the primary identifier (its values joined by `|`,
the registry's identifier), and the create-only, read-only and write-only properties.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REGISTRY_DIR = ROOT / "registry"
SEPARATOR = "|"  # between the primary identifier's values, as Cloud Control joins them


def _names(pointers: list[str]) -> tuple[str, ...]:
    """`/properties/Name` pointers as top-level property names (the share types have no nested ones)."""
    return tuple(pointer.removeprefix("/properties/") for pointer in pointers)


@dataclass(frozen=True)
class RegistryType:
    type_name: str
    folder: Path
    entrypoint: str  # module.attribute of the handler, as the Lambda function's Handler names it
    schema: Mapping[str, Any]

    @property
    def code_dir(self) -> Path:
        return self.folder / "src"

    @property
    def primary_identifier(self) -> tuple[str, ...]:
        return _names(self.schema.get("primaryIdentifier", []))

    @property
    def create_only(self) -> tuple[str, ...]:
        return _names(self.schema.get("createOnlyProperties", []))

    @property
    def read_only(self) -> tuple[str, ...]:
        return _names(self.schema.get("readOnlyProperties", []))

    @property
    def write_only(self) -> tuple[str, ...]:
        return _names(self.schema.get("writeOnlyProperties", []))

    def identifier(self, model: Mapping[str, Any]) -> str:
        """The registry's identifier of a resource: its primary identifier's values joined by `|`."""
        return SEPARATOR.join(str(model.get(name, "")) for name in self.primary_identifier)

    def identifying_model(self, identifier: str) -> dict[str, Any]:
        """The model a read, update or delete starts from: the primary identifier's properties."""
        values = identifier.split(SEPARATOR, len(self.primary_identifier) - 1)
        if len(values) != len(self.primary_identifier):
            names = SEPARATOR.join(self.primary_identifier)
            raise ValueError(f"Identifier {identifier} of {self.type_name} is not {names}")
        return dict(zip(self.primary_identifier, values, strict=True))

    def replaces(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
        """Whether going from `old` to `new` properties makes a new resource: a createOnly property changed."""
        return any(old.get(name) != new.get(name) for name in self.create_only)


def find_types(registry_dir: Path = REGISTRY_DIR) -> dict[str, RegistryType]:
    """Every type folder's type by name: its .rpdk-config's entrypoint, and the schema whose typeName it gives."""
    found: dict[str, RegistryType] = {}
    for config_file in sorted(registry_dir.glob("*/.rpdk-config")):
        config = json.loads(config_file.read_text(encoding="utf-8"))
        folder, type_name = config_file.parent, str(config.get("typeName", ""))
        for schema_file in sorted(folder.glob("*.json")):
            schema = json.loads(schema_file.read_text(encoding="utf-8"))
            if schema.get("typeName") == type_name and "properties" in schema and "primaryIdentifier" in schema:
                found[type_name] = RegistryType(type_name, folder, str(config["entrypoint"]), schema)
                break
    return found


TYPES = find_types()
