"""What the generators of cdk/src write alike: names, doc comments and patterns as TypeScript spells them, and how
a kind of share's identifier is checked."""

from __future__ import annotations

import re
from typing import Any

from lens_share import kinds


def camel(name: str) -> str:
    return name[0].lower() + name[1:]


def js_pattern(pattern: re.Pattern[str]) -> str:
    """A Python pattern as JavaScript's RegExp reads it: only named groups are spelt differently."""
    return pattern.pattern.replace("(?P<", "(?<")


def doc(lines: list[str], indent: str) -> str:
    body = "\n".join(f"{indent} *{' ' + line if line else ''}" for line in lines)
    return f"{indent}/**\n{body}\n{indent} */\n"


def shared(kind: kinds.ShareKind, prop: str, name: str = "") -> dict[str, Any]:
    """How kinds.ShareKind.check tells a value naming what is shared: its pattern and its messages' words."""
    described = f"custom {kind.noun}" if kind.refused else kind.noun
    return {
        "prop": prop,
        "check": {
            "name": name or kind.prop,
            "pattern": js_pattern(kind.pattern),
            "expected": f"a {described} ARN" if "region" in kind.pattern.groupindex else f"a {described} ID",
            "form": kind.form,
            "refused": js_pattern(kind.refused) if kind.refused else None,
            "refusal": kind.refusal,
        },
    }
