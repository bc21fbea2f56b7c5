"""What a resource did with one request: the physical ID and attributes CloudFormation is answered with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    """A physical ID, the attributes Fn::GetAtt reads, and what was done (for logs and metrics)."""

    physical_id: str
    action: str
    data: dict[str, str] = field(default_factory=dict)
    # A word for the stack's events on a success that did something other than asked (e.g. nothing to accept).
    note: str = ""
