"""The health check's report as a table: per lens a line of counts, then one row per problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
    for lens in result["Lenses"]:
        counts = lens["Counts"]
        listed = ", ".join(f"{status} {count}" for status, count in counts.items() if count)
        lines.append(f"Lens {lens['LensArn']}")
        lines.append(f"  {_count(sum(counts.values()), 'share')}" + (f": {listed}" if listed else ""))
        rows = [[str(problem[key]) or "-" for _, key in COLUMNS] for problem in lens["Problems"]]
        problems += len(rows)
        lines += [f"  {line}" for line in _aligned([[title for title, _ in COLUMNS], *rows])] if rows else []
        lines.append("")
    lines.append(f"{_count(len(result['Lenses']), 'lens')}, {_count(problems, 'problem')}.")
    if result["Partial"]:
        lines.append(f"PARTIAL: {result['PartialReason']}")
        lines += [f"  not checked: {arn}" for arn in result["UncheckedLenses"]]
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    plural = "es" if noun.endswith("s") else "s"
    return f"{number} {noun}" if number == 1 else f"{number} {noun}{plural}"


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
