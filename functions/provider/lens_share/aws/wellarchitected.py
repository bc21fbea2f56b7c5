"""The Well-Architected calls the provider makes, for every kind of share, each through the one Caller."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore import xform_name

from lens_share.aws.calls import Caller

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient
    from mypy_boto3_wellarchitected.type_defs import ShareInvitationSummaryTypeDef

# The service refuses pages larger than 10, whatever its model says.
PAGE_SIZE = 10


@dataclass(frozen=True)
class ShareApi:
    """How the API names one kind's share operations: Create<noun>Share, keyed by <key>."""

    noun: str  # Lens, Profile, Template or Workload
    key: str  # the parameter naming what is shared: LensAlias, ProfileArn, TemplateArn or WorkloadId

    def operation(self, verb: str) -> str:
        return f"{verb}{self.noun}Share"

    @property
    def listing(self) -> str:
        return f"List{self.noun}Shares"

    @property
    def summaries(self) -> str:
        return f"{self.noun}ShareSummaries"


LENS = ShareApi("Lens", "LensAlias")
PROFILE = ShareApi("Profile", "ProfileArn")
TEMPLATE = ShareApi("Template", "TemplateArn")
WORKLOAD = ShareApi("Workload", "WorkloadId")

# What a recipient calls to read a shared resource, by ShareResourceType, and the parameter naming it.
READERS = {
    "LENS": ("GetLens", "LensAlias"),
    "PROFILE": ("GetProfile", "ProfileArn"),
    "TEMPLATE": ("GetReviewTemplate", "TemplateArn"),
    "WORKLOAD": ("GetWorkload", "WorkloadId"),
}
# The listings of what this account owns, by ShareResourceType, for the health check.
OWN_LISTINGS = {
    "LENS": ("ListLenses", "LensSummaries", "LensArn", {"LensType": "CUSTOM_SELF"}),
    "PROFILE": ("ListProfiles", "ProfileSummaries", "ProfileArn", {"ProfileOwnerType": "SELF"}),
    "TEMPLATE": ("ListReviewTemplates", "ReviewTemplates", "TemplateArn", {}),
    "WORKLOAD": ("ListWorkloads", "WorkloadSummaries", "WorkloadId", {}),
}


@dataclass
class WellArchitected:
    client: WellArchitectedClient
    call: Caller

    def _invoke(self, operation: str, **params: Any) -> Any:
        method = getattr(self.client, xform_name(operation))
        return self.call(operation, lambda: method(**params))

    def _pages(self, operation: str, items: str, **params: Any) -> Iterator[Any]:
        method = getattr(self.client, xform_name(operation))
        return self.call.pages(operation, method, items, MaxResults=PAGE_SIZE, **params)

    def create_share(self, api: ShareApi, resource: str, shared_with: str, token: str, **extra: str) -> str:
        params = {api.key: resource, "SharedWith": shared_with, "ClientRequestToken": token, **extra}
        return str(self._invoke(api.operation("Create"), **params)["ShareId"])

    def delete_share(self, api: ShareApi, resource: str, share_id: str, token: str) -> None:
        self._invoke(api.operation("Delete"), **{api.key: resource, "ShareId": share_id, "ClientRequestToken": token})

    def shares(self, api: ShareApi, resource: str, shared_with_prefix: str = "") -> Iterator[dict[str, Any]]:
        prefix = {"SharedWithPrefix": shared_with_prefix[:100]} if shared_with_prefix else {}
        return self._pages(api.listing, api.summaries, **{api.key: resource}, **prefix)

    def update_workload_share(self, workload_id: str, share_id: str, permission_type: str) -> None:
        self._invoke("UpdateWorkloadShare", WorkloadId=workload_id, ShareId=share_id, PermissionType=permission_type)

    def owned(self, resource_type: str, account: str | None = None) -> Iterator[str]:
        """The identifiers of every resource of a kind this account owns in the Region. ListReviewTemplates and
        ListWorkloads have no owner filter and also list what other accounts shared with this one: with
        `account` given, only its own are kept."""
        operation, items, key, params = OWN_LISTINGS[resource_type]
        listed = self._pages(operation, items, **params)
        return (item[key] for item in listed if account is None or item.get("Owner", account) == account)

    def read(self, resource_type: str, identifier: str) -> None:
        """Reads a resource shared with this account; fails when this account cannot see it."""
        operation, key = READERS[resource_type]
        self._invoke(operation, **{key: identifier})

    def organization_sharing_status(self) -> str:
        return str(self._invoke("GetGlobalSettings").get("OrganizationSharingStatus", "DISABLED"))

    def set_organization_sharing_status(self, status: str) -> None:
        self._invoke("UpdateGlobalSettings", OrganizationSharingStatus=status)

    def share_invitations(self, resource_type: str) -> Iterator[ShareInvitationSummaryTypeDef]:
        return self._pages("ListShareInvitations", "ShareInvitationSummaries", ShareResourceType=resource_type)

    def accept_share_invitation(self, invitation_id: str) -> None:
        self._invoke("UpdateShareInvitation", ShareInvitationId=invitation_id, ShareInvitationAction="ACCEPT")
