"""The Well-Architected calls the provider makes, each a typed boto3 method through the one Caller. The calls
of one kind of share are part of its description, in kinds.py; here are those all kinds share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from lens_share.aws.calls import Caller

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient
    from mypy_boto3_wellarchitected.literals import ShareResourceTypeType
    from mypy_boto3_wellarchitected.type_defs import ShareInvitationSummaryTypeDef

    from lens_share.kinds import ShareKind

# The service refuses pages larger than 10, whatever its model says.
PAGE_SIZE = 10
T = TypeVar("T")
P = ParamSpec("P")


@dataclass
class WellArchitected:
    client: WellArchitectedClient
    caller: Caller

    def call(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return self.caller(method, *args, **kwargs)

    def pages(self, method: Callable[P, Any], items: str, *args: P.args, **kwargs: P.kwargs) -> Iterator[Any]:
        return self.caller.pages(method, items, *args, **{"MaxResults": PAGE_SIZE, **kwargs})  # type: ignore[arg-type]

    def create_share(self, kind: ShareKind, resource: str, shared_with: str, token: str, permission: str = "") -> str:
        return str(kind.calls.create(self, resource, shared_with, token, permission))

    def delete_share(self, kind: ShareKind, resource: str, share_id: str, token: str) -> None:
        kind.calls.delete(self, resource, share_id, token)

    def shares(self, kind: ShareKind, resource: str, shared_with_prefix: str = "") -> Iterator[dict[str, Any]]:
        return kind.calls.shares(self, resource, shared_with_prefix)

    def update_workload_share(self, workload_id: str, share_id: str, permission_type: str) -> None:
        self.call(
            self.client.update_workload_share,
            WorkloadId=workload_id,
            ShareId=share_id,
            PermissionType=permission_type,  # type: ignore[arg-type] # the schema's enum, checked at the edge
        )

    def owned(self, kind: ShareKind, account: str | None = None) -> Iterator[str]:
        """The identifiers of every resource of a kind this account owns in the Region: listings without an
        owner filter also show what other accounts shared with this one, so with `account` given only its own
        are kept."""
        return (each for each, owner in kind.calls.owned(self) if account is None or owner in (account, ""))

    def read(self, kind: ShareKind, identifier: str) -> None:
        """Reads a resource shared with this account; fails when this account cannot see it."""
        kind.calls.read(self, identifier)

    def organization_sharing_status(self) -> str:
        return str(self.call(self.client.get_global_settings).get("OrganizationSharingStatus", "DISABLED"))

    def set_organization_sharing_status(self, status: str) -> None:
        self.call(self.client.update_global_settings, OrganizationSharingStatus=status)  # type: ignore[arg-type]

    def share_invitations(self, kind: ShareKind) -> Iterator[ShareInvitationSummaryTypeDef]:
        resource_type: ShareResourceTypeType = kind.key  # type: ignore[assignment] # KINDS hold the API's values
        return self.pages(
            self.client.list_share_invitations, "ShareInvitationSummaries", ShareResourceType=resource_type
        )

    def accept_share_invitation(self, invitation_id: str) -> None:
        self.call(self.client.update_share_invitation, ShareInvitationId=invitation_id, ShareInvitationAction="ACCEPT")
