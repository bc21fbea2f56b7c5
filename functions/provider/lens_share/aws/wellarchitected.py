"""The Well-Architected calls the provider makes, each a typed boto3 method through the one Caller. The calls
of one kind of share are part of its description, in kinds.py; here are those all kinds share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from botocore.exceptions import ClientError

from lens_share.aws.calls import Caller
from lens_share.aws.codes import error_code
from lens_share.aws.retry import ATTEMPT_S, OutOfTime, is_transient

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient
    from mypy_boto3_wellarchitected.literals import ShareResourceTypeType
    from mypy_boto3_wellarchitected.type_defs import ShareInvitationSummaryTypeDef

    from lens_share.kinds import ShareKind

# The service refuses pages larger than 10, whatever its model says.
PAGE_SIZE = 10
# Listings may lag writes (undocumented): a share that should be listed is looked for this many times, with
# pauses of 1 s, then 2 s between.
LISTINGS = 3
LISTING_PAUSE_S = 1.0
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

    def listings(
        self, kind: ShareKind, resource: str, shared_with_prefix: str = "", looks: int = LISTINGS
    ) -> Iterator[list[dict[str, Any]]]:
        """Up to `looks` listings of the shares, with growing pauses between them, while each still ends before
        the deadline: listings may lag writes."""
        for look in range(looks):
            if look:
                pause = LISTING_PAUSE_S * 2 ** (look - 1)
                if self.caller.deadline.left() < pause + ATTEMPT_S:
                    raise OutOfTime(kind.listing, look, TimeoutError("listing kept lagging"))
                self.caller.backoff.sleep(pause)
            yield list(self.shares(kind, resource, shared_with_prefix))

    def delete_held_share(self, kind: ShareKind, resource: str, share_id: str, token: str) -> bool:
        """Delete<Kind>Share; False when the share was already gone, however the service says so."""
        try:
            self.delete_share(kind, resource, share_id, token)
        except ClientError as error:
            code = error_code(error)
            if code == "ResourceNotFoundException":
                return False
            # Any other answer for a share already gone is undocumented: the listing decides, unless the call
            # was refused for reasons that say nothing of the share.
            if code != "AccessDeniedException" and not is_transient(error) and self.unlisted(kind, resource, share_id):
                return False
            raise
        return True

    def unlisted(self, kind: ShareKind, resource: str, share_id: str) -> bool:
        """Whether a share is gone: absent from a listing, looked at a few times since listings may lag."""
        try:
            return any(all(s.get("ShareId") != share_id for s in listing) for listing in self.listings(kind, resource))
        except ClientError as error:
            return error_code(error) == "ResourceNotFoundException"  # the shared resource itself is gone
        except OutOfTime:
            return False

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
