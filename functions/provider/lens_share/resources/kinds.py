"""The kinds of share: each a short description of itself. What they have in common is resources/shares.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lens_share import physical_ids, properties
from lens_share.aws import wellarchitected
from lens_share.aws.wellarchitected import ShareApi
from lens_share.properties import PrincipalKind

# Every kind is shared with accounts, users, organizations and OUs (user guide: lenses-sharing,
# sharing-profiles, CreateTemplateShare, CreateWorkloadShare); roles as 1.x has always taken them for lenses.
ALL_PRINCIPALS = frozenset(PrincipalKind)


@dataclass(frozen=True)
class ShareKind:
    resource_type: str  # the Custom:: type a template declares
    noun: str  # how reasons name what is shared
    api: ShareApi
    prop: str  # the property naming what is shared
    attribute: str  # the Fn::GetAtt attribute that gives it back
    invitation_type: str  # its ShareResourceType in ListShareInvitations
    # Checks a value naming what is shared (value, place, name=property): the provider's own, in its Region.
    identifier: Callable[..., str]
    principals: frozenset[PrincipalKind]
    quota: str  # the limit ServiceQuotaExceeded met
    create_hint: str  # what to do when it does not exist
    # How a physical ID names what is shared, and the pattern that reads the identifier back out of it.
    references: re.Pattern[str]
    reference: Callable[[str], str] = str
    permission: bool = False  # a workload share's PermissionType, changed in place

    def identify(self, reference: str) -> str | None:
        """The identifier a physical ID's reference names, if it is one of this kind."""
        match = self.references.match(reference)
        return match.group("id") if match else None


LENS = ShareKind(
    resource_type="Custom::LensShare",
    noun="lens",
    api=wellarchitected.LENS,
    prop="LensAlias",
    attribute="LensArn",
    invitation_type="LENS",
    identifier=properties.lens_arn,
    principals=ALL_PRINCIPALS,
    quota="300 per lens, not adjustable",
    create_hint="create and publish it first (AWS::WellArchitected::Lens) and pass !GetAtt <Lens>.LensArn",
    references=re.compile(r"^(?P<id>arn:[^/\s]+:lens/[0-9a-f]{32})$"),
)
PROFILE = ShareKind(
    resource_type="Custom::ProfileShare",
    noun="profile",
    api=wellarchitected.PROFILE,
    prop="ProfileArn",
    attribute="ProfileArn",
    invitation_type="PROFILE",
    identifier=lambda value, place, name="ProfileArn": properties.owned_arn(
        value, place, properties.PROFILE_ARN, properties.PROFILE_ARN_FORM, name=name, noun="profile"
    ),
    principals=ALL_PRINCIPALS,
    quota="the service's limit of shares per profile, which AWS does not publish",
    create_hint="create it first (AWS::WellArchitected::Profile) and pass !Ref <Profile>",
    references=re.compile(r"^(?P<id>arn:[^/\s]+:profile/[a-z0-9]+)$"),
)
TEMPLATE = ShareKind(
    resource_type="Custom::ReviewTemplateShare",
    noun="review template",
    api=wellarchitected.TEMPLATE,
    prop="TemplateArn",
    attribute="TemplateArn",
    invitation_type="TEMPLATE",
    identifier=lambda value, place, name="TemplateArn": properties.owned_arn(
        value, place, properties.TEMPLATE_ARN, properties.TEMPLATE_ARN_FORM, name=name, noun="review template"
    ),
    principals=ALL_PRINCIPALS,
    quota="the service's limit of shares per review template, which AWS does not publish",
    create_hint="create it first (AWS::WellArchitected::ReviewTemplate) and pass !GetAtt <Template>.TemplateArn",
    references=re.compile(r"^(?P<id>arn:[^/\s]+:review-template/[0-9a-f]{32})$"),
)
WORKLOAD = ShareKind(
    resource_type="Custom::WorkloadShare",
    noun="workload",
    api=wellarchitected.WORKLOAD,
    prop="WorkloadId",
    attribute="WorkloadId",
    invitation_type="WORKLOAD",
    identifier=properties.workload_id,
    principals=ALL_PRINCIPALS,
    quota="20 account or user shares per workload",
    create_hint="create it first (AWS::WellArchitected::Workload) and pass !GetAtt <Workload>.WorkloadId",
    references=re.compile(rf"^{physical_ids.WORKLOADS}(?P<id>[0-9a-f]{{32}})$"),
    reference=physical_ids.workload,
    permission=True,
)
KINDS = (LENS, PROFILE, TEMPLATE, WORKLOAD)
BY_INVITATION_TYPE = {kind.invitation_type: kind for kind in KINDS}
