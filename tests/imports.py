"""Which of a package's modules import which: the graph the no-circle tests sort."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of the package (by dotted name) and the package's modules it imports, at any depth;
    `from package import module` counts as importing that module."""
    paths = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for path in (ROOT / package).rglob("*.py")
    }
    imports: dict[str, set[str]] = {}
    for module, path in paths.items():
        found = imports.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
                named = {f"{node.module}.{alias.name}" for alias in node.names} & paths.keys()
                found.update(named or {str(node.module)})
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.split(".")[0] == package)
    return imports
