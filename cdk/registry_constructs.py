"""registry.generated.ts: a typed construct for each `<Namespace>::WellArchitected::*Share` registry type, from the
type's schema as `make registry` writes it (registry/<kind>-share/), with its namespace a prop."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "registry"))

from cdk.typescript import camel, doc, shared  # noqa: E402
from lens_share import properties  # noqa: E402
from lens_share_types.kinds import DEFAULT_NAMESPACE, TYPES, ShareType  # noqa: E402


def _schema(share_type: ShareType) -> dict[str, Any]:
    path = ROOT / "registry" / share_type.folder / f"{share_type.type_name().replace('::', '-').lower()}.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _read_only(document: dict[str, Any]) -> list[str]:
    return [pointer.rsplit("/", 1)[-1] for pointer in document.get("readOnlyProperties", [])]


def _inputs(document: dict[str, Any]) -> list[str]:
    return [name for name in document["properties"] if name not in _read_only(document)]


def _name(share_type: ShareType) -> str:
    return f"Registry{share_type.name}"


def _descriptor(share_type: ShareType, document: dict[str, Any]) -> str:
    kind = share_type.kind
    enums = {
        name: {"values": spec["enum"], "default": None}
        for name, spec in document["properties"].items()
        if name in _inputs(document) and "enum" in spec
    }
    value = {
        "typeName": document["typeName"],
        "properties": {camel(name): name for name in _inputs(document)},
        "enums": enums,
        "oneOf": [],
        "noun": kind.noun,
        "principals": [each.value for each in properties.PrincipalKind if each in kind.principals],
        "shared": shared(kind, camel(share_type.prop), share_type.prop),
    }
    return f"const {_constant(share_type)}: ResourceSchema = {json.dumps(value, indent=2)};\n"


def _constant(share_type: ShareType) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", share_type.name).upper() + "_TYPE"


def _props(share_type: ShareType, document: dict[str, Any]) -> str:
    members = [
        doc(
            [
                "The namespace the registry type is registered under (`make registry NAMESPACE=...`).",
                f"@default '{DEFAULT_NAMESPACE}'",
            ],
            "  ",
        )
        + "  readonly namespace?: string;\n"
    ]
    for name in _inputs(document):
        spec = document["properties"][name]
        lines = [spec["description"], "", f"CloudFormation property `{name}`."]
        if "enum" in spec:
            lines.append(f"One of {', '.join(repr(value) for value in spec['enum'])}.")
        required = name in document.get("required", [])
        if not required:
            lines.append("@default - none")
        members.append(doc(lines, "  ") + f"  readonly {camel(name)}{'' if required else '?'}: string;\n")
    type_name = document["typeName"].replace(DEFAULT_NAMESPACE, "<Namespace>", 1)
    summary = [f"Properties of a `{_name(share_type)}`: `{type_name}`.", "", document["description"]]
    return doc(summary, "") + f"export interface {_name(share_type)}Props {{\n" + "\n".join(members) + "}\n"


def _class(share_type: ShareType, document: dict[str, Any]) -> str:
    read_only = _read_only(document)
    fields = "".join(
        doc([document["properties"][name]["description"], "", f"Fn::GetAtt `{name}`.", "@attribute"], "  ")
        + f"  public readonly attr{name}: string;\n\n"
        for name in read_only
    )
    assigned = "".join(f"    this.attr{name} = Token.asString(this.getAtt('{name}'));\n" for name in read_only)
    type_name = document["typeName"].replace(DEFAULT_NAMESPACE, "<Namespace>", 1)
    description = document["description"]
    return (
        doc(
            [
                f"A `{type_name}` registry type: {description[0].lower()}{description[1:]}",
                "",
                "The type must be registered in the account and Region first (docs/registry-types.md).",
            ],
            "",
        )
        + f"export class {_name(share_type)} extends CfnResource {{\n"
        + fields
        + f"  public constructor(scope: Construct, id: string, props: {_name(share_type)}Props) {{\n"
        + f"    super(scope, id, registryResourceProps('{share_type.name}', {_constant(share_type)}, props));\n"
        + f"    registryDeclared(this, {_constant(share_type)}, props);\n"
        + assigned
        + "  }\n}\n"
    )


def module(header: str) -> str:
    parts = []
    for share_type in TYPES:
        document = _schema(share_type)
        parts += [_descriptor(share_type, document), _props(share_type, document), _class(share_type, document)]
    return (
        header.replace("provider's schemas", "registry types' schemas")
        + "import { CfnResource, Token } from 'aws-cdk-lib';\n"
        + "import { Construct } from 'constructs';\n"
        + "import { registryDeclared, registryResourceProps } from './registry';\n"
        + "import { ResourceSchema } from './resource';\n\n"
        + "\n".join(parts)
    )
