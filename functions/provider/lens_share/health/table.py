"""The health check's report as a table: per shared resource a line of counts, then one row per problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lens_share.health.model import SECTIONS

COLUMNS = (
    ("Kind", "Kind"),
    ("SharedWith", "SharedWith"),
    ("ShareId", "ShareId"),
    ("Status", "Status"),
    ("Stack", "StackName"),
    ("LogicalResourceId", "LogicalResourceId"),
)


def table(result: Mapping[str, Any]) -> str:
    lines: list[str] = []
    problems = 0
    for kind, section in SECTIONS.items():
        for resource in result[section.key]:
            counts = resource["Counts"]
            listed = ", ".join(f"{status} {count}" for status, count in counts.items() if count)
            lines.append(f"{kind.noun.capitalize()} {resource[kind.attribute]}")
            lines.append(f"  {_count(sum(counts.values()), 'share', 'shares')}" + (f": {listed}" if listed else ""))
            rows = [[str(problem[key]) or "-" for _, key in COLUMNS] for problem in resource["Problems"]]
            problems += len(rows)
            lines += [f"  {line}" for line in _aligned([[title for title, _ in COLUMNS], *rows])] if rows else []
            lines.append("")
    checked = [_count(len(result[section.key]), kind.noun, section.plural) for kind, section in SECTIONS.items()]
    lines.append(f"{', '.join(checked)}; {_count(problems, 'problem', 'problems')}.")
    if result["Partial"]:
        lines.append(f"PARTIAL: {result['PartialReason']}")
        lines += [
            f"  not checked: {kind.noun} {identifier}"
            for kind, section in SECTIONS.items()
            for identifier in result[section.unchecked]
        ]
    return "\n".join(lines)


def _count(number: int, noun: str, plural: str) -> str:
    return f"{number} {noun if number == 1 else plural}"


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
