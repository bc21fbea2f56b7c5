"""What the service holds: resources of every kind, their shares and the invitations those send."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Result = dict[str, Any]
Params = dict[str, Any]

INACTIVE = ("REJECTED", "EXPIRED", "REVOKED")
ORGANIZATION_STATUSES = ("ASSOCIATING", "ASSOCIATED", "FAILED")


@dataclass
class Share:
    share_id: str
    kind: str
    resource: str  # the resource's identifier: an ARN, or a workload ID
    shared_with: str
    recipient: str | None  # the account that must accept; None for an organization or OU
    status: str
    seq: int
    status_message: str | None = None
    invitation_id: str | None = None
    permission: str | None = None  # workloads only: READONLY or CONTRIBUTOR
    settles_at: float | None = None  # when a slow organization share becomes ASSOCIATED

    def gives_access(self) -> bool:
        return self.status in ("ACCEPTED", "ASSOCIATED")

    def summary(self) -> Result:
        return compact(
            {
                "ShareId": self.share_id,
                "SharedWith": self.shared_with,
                "PermissionType": self.permission,
                "Status": self.status,
                "StatusMessage": self.status_message,
            }
        )


@dataclass
class Resource:
    kind: str
    ident: str  # how the API addresses it: the ARN, or a workload's ID
    arn: str
    owner: str
    name: str
    created_at: float
    seq: int
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    updated_at: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)  # the kind's other members, as given
    shares: dict[str, Share] = field(default_factory=dict)
    # (SharedWith, recipient) of deleted shares that had given access: their recipients keep it
    former: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class Invitation:
    invitation_id: str
    share: Share
    shared_by: str
    created_at: float
    seq: int
    hidden_for: int = 0  # ListShareInvitations calls by the recipient before it shows


def compact(fields: Result) -> Result:
    """Absent members are left out, as the service does, rather than sent as null."""
    return {key: value for key, value in fields.items() if value is not None}
