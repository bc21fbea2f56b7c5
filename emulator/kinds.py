"""The four kinds of shareable resource, each a short description; the share rules in sharing.py serve them all."""

from __future__ import annotations

from dataclasses import dataclass

LENS_SHARE_QUOTA = 300  # documented for lenses; profiles and templates publish none, so they take the lens figure
WORKLOAD_SHARE_QUOTA = 20  # documented: "up to 20 different AWS accounts and users"


@dataclass(frozen=True)
class Kind:
    name: str  # ShareResourceType
    key: str  # the member naming the resource in summaries and invitations
    label: str  # the URI label of its share operations
    noun: str  # for messages
    name_member: str  # the resource's name in a ShareInvitationSummary
    name_prefix: str  # the ListShareInvitations filter on that name
    create_share: str
    delete_share: str
    list_shares: str
    summaries: str
    quota: int
    quota_code: str
    keeps_access: bool  # a recipient keeps using it after the owner deletes the share
    quota_counts_organizations: bool  # False where the documented quota counts accounts and users only
    arn_path: str  # the ARN's resource part: arn:aws:wellarchitected:REGION:ACCOUNT:<arn_path>/<32 hex>
    addressed_by_id: bool = False  # the API names it by the 32 hex digits rather than by its ARN
    first_version: str | None = None  # a lens has none until CreateLensVersion publishes it


LENS = Kind(
    "LENS",
    "LensArn",
    "LensAlias",
    "Lens",
    "LensName",
    "LensNamePrefix",
    "CreateLensShare",
    "DeleteLensShare",
    "ListLensShares",
    "LensShareSummaries",
    LENS_SHARE_QUOTA,
    "shares-per-lens",
    keeps_access=True,
    quota_counts_organizations=True,
    arn_path="lens",
)
PROFILE = Kind(
    "PROFILE",
    "ProfileArn",
    "ProfileArn",
    "Profile",
    "ProfileName",
    "ProfileNamePrefix",
    "CreateProfileShare",
    "DeleteProfileShare",
    "ListProfileShares",
    "ProfileShareSummaries",
    LENS_SHARE_QUOTA,
    "shares-per-profile",
    keeps_access=True,
    quota_counts_organizations=True,
    arn_path="profile",
    first_version="1",
)
TEMPLATE = Kind(
    "TEMPLATE",
    "TemplateArn",
    "TemplateArn",
    "Review template",
    "TemplateName",
    "TemplateNamePrefix",
    "CreateTemplateShare",
    "DeleteTemplateShare",
    "ListTemplateShares",
    "TemplateShareSummaries",
    LENS_SHARE_QUOTA,
    "shares-per-review-template",
    keeps_access=True,
    quota_counts_organizations=True,
    arn_path="review-template",
)
WORKLOAD = Kind(
    "WORKLOAD",
    "WorkloadId",
    "WorkloadId",
    "Workload",
    "WorkloadName",
    "WorkloadNamePrefix",
    "CreateWorkloadShare",
    "DeleteWorkloadShare",
    "ListWorkloadShares",
    "WorkloadShareSummaries",
    WORKLOAD_SHARE_QUOTA,
    "shares-per-workload",
    keeps_access=False,  # documented: shared access lasts until the share is deleted
    quota_counts_organizations=False,
    arn_path="workload",
    addressed_by_id=True,
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (LENS, PROFILE, TEMPLATE, WORKLOAD)}
