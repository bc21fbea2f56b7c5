"""The health check's report: per shared resource its shares counted by status and its problems, per kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lens_share.kinds import KINDS, ShareKind

# The model's ShareStatus values. Every one is counted, zeros included, so that each gauge gets a value on
# every check and an alarm sees a problem clear instead of missing data.
STATUSES = ("PENDING", "ACCEPTED", "REJECTED", "REVOKED", "EXPIRED", "ASSOCIATING", "ASSOCIATED", "FAILED")
# Problem kinds in the order they are reported; all but UNMANAGED are the stacks' own and raise the alarm.
PROBLEMS = ("EXPIRED", "REJECTED", "FAILED", "MISSING", "UNMANAGED")
ALARMED = frozenset(PROBLEMS) - {"UNMANAGED"}


# Each kind's section of the report, in KINDS' order.
SECTIONS = {kind: kind.section for kind in KINDS}


@dataclass(frozen=True)
class Declaration:
    stack_name: str
    logical_id: str


@dataclass(frozen=True)
class Problem:
    kind: str
    share_id: str
    resource_type: str  # the share type that serves this kind, e.g. Custom::WorkloadShare
    shared_with: str = ""
    status: str = ""
    status_message: str = ""
    declaration: Declaration | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            "Kind": self.kind,
            "ResourceType": self.resource_type,
            "ShareId": self.share_id,
            "SharedWith": self.shared_with,
            "Status": self.status,
            "StatusMessage": self.status_message,
            "StackName": self.declaration.stack_name if self.declaration else "",
            "LogicalResourceId": self.declaration.logical_id if self.declaration else "",
        }

    def sort_key(self) -> tuple[int, str, str, str]:
        declared = self.declaration or Declaration("", "")
        return (PROBLEMS.index(self.kind), declared.stack_name, declared.logical_id, self.shared_with)


@dataclass
class ResourceHealth:
    """One shared resource: a lens, profile or review template by its ARN, a workload by its ID."""

    kind: ShareKind
    identifier: str
    counts: dict[str, int]
    problems: list[Problem]

    def count(self, problem: str) -> int:
        return sum(1 for each in self.problems if each.kind == problem)

    @property
    def alarmed(self) -> int:
        return sum(1 for each in self.problems if each.kind in ALARMED)

    def as_dict(self) -> dict[str, Any]:
        return {
            self.kind.attribute: self.identifier,
            "Counts": dict(self.counts),
            "Problems": [problem.as_dict() for problem in self.problems],
        }


@dataclass
class Report:
    resources: list[ResourceHealth] = field(default_factory=list)
    unchecked: list[tuple[ShareKind, str]] = field(default_factory=list)
    partial_reason: str = ""

    def of(self, kind: ShareKind) -> list[ResourceHealth]:
        return [resource for resource in self.resources if resource.kind == kind]

    @property
    def alarmed(self) -> int:
        return sum(resource.alarmed for resource in self.resources)

    def alarmed_by_kind(self) -> dict[str, int]:
        """Alarmed problems per kind (LENS, PROFILE, TEMPLATE, WORKLOAD), zeros included."""
        return {kind.key: sum(each.alarmed for each in self.of(kind)) for kind in SECTIONS}

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            section.key: [resource.as_dict() for resource in self.of(kind)] for kind, section in SECTIONS.items()
        }
        result["Partial"] = bool(self.partial_reason)
        if self.partial_reason:
            result["PartialReason"] = self.partial_reason
            for kind, section in SECTIONS.items():
                result[section.unchecked] = [identifier for each, identifier in self.unchecked if each == kind]
        return result


def problems(result: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every problem of a report as as_dict gives it, over every kind."""
    return [
        problem
        for section in SECTIONS.values()
        for resource in result.get(section.key, [])
        for problem in resource["Problems"]
    ]
