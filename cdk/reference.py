"""Writes docs/cdk-api.md, the construct library's API reference, from its jsii assembly (cdk/.jsii, which
`make cdk` builds): every construct, struct and interface, with its Python and its TypeScript names.

    python -m cdk.reference      (make cdk-docs)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ASSEMBLY = ROOT / "cdk" / ".jsii"
PAGE = ROOT / "docs" / "cdk-api.md"
KINDS = (("class", "Constructs"), ("interface", "Props and interfaces"))


def snake(name: str) -> str:
    """A member's Python name, as jsii-pacmak makes it."""
    return name if name.isupper() else re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def type_name(reference: dict[str, Any], python: bool) -> str:
    if "primitive" in reference:
        primitive = str(reference["primitive"])
        return {"string": "str", "boolean": "bool"}.get(primitive, primitive) if python else primitive
    if "collection" in reference:
        element = type_name(reference["collection"]["elementtype"], python)
        return f"list[{element}]" if python else f"{element}[]"
    return str(reference["fqn"]).rsplit(".", 1)[-1]


def described(docs: dict[str, Any]) -> str:
    text = " ".join(part for part in (docs.get("summary", ""), docs.get("remarks", "")) if part)
    return " ".join(text.split()).replace("|", "\\|")


def struct(fqn: str, types: dict[str, Any]) -> list[dict[str, Any]]:
    return list(types[fqn].get("properties", [])) if fqn in types else []


def initializer(kind: dict[str, Any], types: dict[str, Any]) -> list[str]:
    """Both languages' constructor calls: Python spreads the props struct into keyword arguments."""
    parameters = kind["initializer"]["parameters"]
    positional = [p["name"] for p in parameters if "datatype" not in types.get(p["type"].get("fqn", ""), {})]
    props = next((p for p in parameters if "datatype" in types.get(p["type"].get("fqn", ""), {})), None)
    keywords = (
        [f"{snake(p['name'])}{'=None' if p.get('optional') else ''}" for p in struct(props["type"]["fqn"], types)]
        if props
        else []
    )
    python = ", ".join([*positional, *(["*", *keywords] if keywords else [])])
    typed = (
        [f"{props['name']}{'?' if props.get('optional') else ''}: {type_name(props['type'], False)}"] if props else []
    )
    typescript = ", ".join([*positional, *typed])
    return [
        "```python",
        f"{kind['name']}({python})",
        "```",
        "",
        "```typescript",
        f"new {kind['name']}({typescript})",
        "```",
    ]


def methods(kind: dict[str, Any]) -> list[str]:
    lines = []
    for method in kind.get("methods", []):
        parameters = method.get("parameters", [])
        python = ", ".join(f"{snake(p['name'])}{'=None' if p.get('optional') else ''}" for p in parameters)
        typescript = ", ".join(f"{p['name']}{'?' if p.get('optional') else ''}" for p in parameters)
        returned = type_name(method["returns"]["type"], python=False) if "returns" in method else "void"
        lines += [
            f"- `{kind['name']}.{snake(method['name'])}({python})` / `{kind['name']}.{method['name']}({typescript})`"
            f" → `{returned}`: {described(method['docs'])}",
        ]
    return lines


def members(properties: list[dict[str, Any]], struct_kind: bool) -> list[str]:
    if not properties:
        return []
    heading = (
        "| Python | TypeScript | Type | Required | Default | Description |"
        if struct_kind
        else ("| Python | TypeScript | Type | Description |")
    )
    lines = [heading, "|---" * heading.count(" | ") + "|---|"]
    for prop in properties:
        name = f"`{snake(prop['name'])}`" + (" (static)" if prop.get("static") else "")
        cells = [name, f"`{prop['name']}`", f"`{type_name(prop['type'], python=False)}`"]
        if struct_kind:
            default = prop["docs"].get("default", "")
            cells += ["no" if prop.get("optional") else "yes", default.replace("|", "\\|")]
        cells.append(described(prop["docs"]))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def section(kind: dict[str, Any], types: dict[str, Any]) -> list[str]:
    lines = [f"### {kind['name']}", "", described(kind["docs"]), ""]
    if kind["kind"] == "class":
        base = kind.get("base", "").rsplit(".", 1)[-1]
        lines += [f"Extends `{base}`.", ""] if base else []
        # A class without a public constructor is had from its static methods alone.
        lines += [*initializer(kind, types), ""] if "initializer" in kind else ["No constructor: see its `of`.", ""]
        listed = methods(kind)
        lines += ["Static methods:", "", *listed, ""] if listed else []
        attributes = members(kind.get("properties", []), struct_kind=False)
        lines += ["Attributes:", "", *attributes, ""] if attributes else []
    else:
        lines += [*members(kind.get("properties", []), struct_kind="datatype" in kind), ""]
    return lines


def reference(assembly: dict[str, Any]) -> str:
    types: dict[str, Any] = assembly["types"]
    lines = [
        "# CDK API reference",
        "",
        f"Generated from the jsii assembly of `{assembly['name']}` {assembly['version']} by `cdk/reference.py`"
        " (`make cdk-docs`): do not edit. The guide is [cdk.md](cdk.md).",
        "",
    ]
    for kind_name, title in KINDS:
        lines += [f"## {title}", ""]
        for fqn in sorted(types):
            if types[fqn]["kind"] == kind_name:
                lines += section(types[fqn], types)
    return "\n".join(lines).rstrip() + "\n"


def generated() -> str:
    return reference(json.loads(ASSEMBLY.read_text(encoding="utf-8")))


def main() -> int:
    PAGE.write_text(generated(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
