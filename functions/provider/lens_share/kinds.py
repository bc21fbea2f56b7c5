"""The kinds of share, each described once: its resource type, what names what it shares, the principals it
takes, its calls, its physical-ID form and its place in the health report. Everything else reads KINDS, and a
new kind is one more description here (tests/unit/test_kinds.py walks every use)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from lens_share.properties import PrincipalKind, PropertyError, shown

if TYPE_CHECKING:
    from lens_share.aws.wellarchitected import WellArchitected
    from lens_share.properties import Place

# Every kind is shared with accounts, users, organizations and OUs (user guide: lenses-sharing,
# sharing-profiles, CreateTemplateShare, CreateWorkloadShare); roles as 1.x has always taken them for lenses.
ALL_PRINCIPALS = frozenset(PrincipalKind)
_ARN = r"^arn:(?P<partition>aws[a-z-]*):wellarchitected:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"


class ShareCalls(Protocol):
    """One kind's Well-Architected calls, each a typed boto3 method through the one wrapper."""

    def create(self, aws: WellArchitected, resource: str, shared_with: str, token: str, permission: str) -> str: ...
    def delete(self, aws: WellArchitected, resource: str, share_id: str, token: str) -> None: ...
    def shares(self, aws: WellArchitected, resource: str, prefix: str) -> Iterator[dict[str, Any]]: ...
    def read(self, aws: WellArchitected, resource: str) -> None: ...
    def owned(self, aws: WellArchitected) -> Iterator[tuple[str, str]]: ...


@dataclass(frozen=True)
class Section:
    """Where a kind's resources stand in the health report, and how its table and summary name them."""

    key: str  # the report's list of this kind
    unchecked: str  # the list of its resources whose shares the deadline cut off
    plural: str


@dataclass(frozen=True)
class ShareKind:
    resource_type: str  # the Custom:: type a template declares
    key: str  # its ShareResourceType (LENS, PROFILE, TEMPLATE, WORKLOAD): metrics' Kind, invitations' filter
    noun: str  # how reasons name what is shared
    noun_in_api: str  # how operation names name it: Create<noun_in_api>Share
    parameter: str  # the API parameter naming what is shared
    prop: str  # the share resource's property naming what is shared
    attribute: str  # the Fn::GetAtt attribute (and invitation property) that gives it back
    pattern: re.Pattern[str]  # what is shared, as the API names it: an ARN of its owner's, or an ID
    form: str  # that pattern in words, for reasons
    example: str  # one value of that pattern, in us-east-1 of account 111111111111
    calls: ShareCalls
    section: Section
    quota: str  # the limit ServiceQuotaExceeded met
    create_hint: str  # what to do when it does not exist
    principals: frozenset[PrincipalKind] = ALL_PRINCIPALS
    physical_prefix: str = ""  # how a physical ID names it: the ARN itself, or workloads/<ID>
    permission: bool = False  # a workload share's PermissionType, changed in place
    refused: re.Pattern[str] | None = None  # values that name something of this noun that cannot be shared
    refusal: str = ""

    @property
    def listing(self) -> str:
        return f"List{self.noun_in_api}Shares"

    def check(self, value: str, place: Place, *, name: str = "") -> str:
        """A value naming what is shared; an ARN must be of the provider's own account and Region."""
        name = name or self.prop
        if self.refused and self.refused.match(value):
            raise PropertyError(
                f"{name} {shown(value)} {self.refusal}; give the ARN of a custom {self.noun}: {self.form}."
            )
        match = self.pattern.match(value)
        if not match:
            described = f"custom {self.noun}" if self.refused else self.noun
            expected = f"a {described} ARN" if "region" in self.pattern.groupindex else f"a {described} ID"
            raise PropertyError(f"{name} {shown(value)} is not {expected}; expected {self.form}.")
        if "region" not in self.pattern.groupindex:
            return value
        if match.group("region") != place.region:
            raise PropertyError(
                f"{name} {shown(value)} is a {self.noun} of Region {match.group('region')}, but this provider serves "
                f"{place.region}; use the ServiceToken of a provider deployed in {match.group('region')}."
            )
        if place.account and match.group("account") != place.account:
            raise PropertyError(
                f"{name} {shown(value)} belongs to account {match.group('account')}, but this provider runs in "
                f"{place.account}; only the {self.noun} owner's account can share it."
            )
        return value

    def physical_name(self, identifier: str) -> str:
        """How a physical ID names what is shared."""
        return f"{self.physical_prefix}{identifier}"

    def identifier_in(self, physical_name: str) -> str | None:
        """What a physical ID's name of a shared resource identifies, if it names one of this kind."""
        if not physical_name.startswith(self.physical_prefix):
            return None
        identifier = physical_name.removeprefix(self.physical_prefix)
        return identifier if self.pattern.match(identifier) else None

    @property
    def physical_form(self) -> str:
        """A regular expression of the names identifier_in reads, for physical_ids."""
        body = self.pattern.pattern.removeprefix("^").removesuffix("$")
        return re.escape(self.physical_prefix) + re.sub(r"\(\?P<\w+>", "(?:", body)


class LensCalls:
    def create(self, aws: WellArchitected, resource: str, shared_with: str, token: str, permission: str) -> str:
        client = aws.client
        return aws.call(client.create_lens_share, LensAlias=resource, SharedWith=shared_with, ClientRequestToken=token)[
            "ShareId"
        ]

    def delete(self, aws: WellArchitected, resource: str, share_id: str, token: str) -> None:
        aws.call(aws.client.delete_lens_share, LensAlias=resource, ShareId=share_id, ClientRequestToken=token)

    def shares(self, aws: WellArchitected, resource: str, prefix: str) -> Iterator[dict[str, Any]]:
        return aws.pages(
            aws.client.list_lens_shares, "LensShareSummaries", LensAlias=resource, SharedWithPrefix=prefix[:100]
        )

    def read(self, aws: WellArchitected, resource: str) -> None:
        aws.call(aws.client.get_lens, LensAlias=resource)

    def owned(self, aws: WellArchitected) -> Iterator[tuple[str, str]]:
        listed = aws.pages(aws.client.list_lenses, "LensSummaries", LensType="CUSTOM_SELF")
        return ((each["LensArn"], each.get("Owner", "")) for each in listed)


class ProfileCalls:
    def create(self, aws: WellArchitected, resource: str, shared_with: str, token: str, permission: str) -> str:
        client = aws.client
        return aws.call(
            client.create_profile_share, ProfileArn=resource, SharedWith=shared_with, ClientRequestToken=token
        )["ShareId"]

    def delete(self, aws: WellArchitected, resource: str, share_id: str, token: str) -> None:
        aws.call(aws.client.delete_profile_share, ProfileArn=resource, ShareId=share_id, ClientRequestToken=token)

    def shares(self, aws: WellArchitected, resource: str, prefix: str) -> Iterator[dict[str, Any]]:
        client = aws.client
        return aws.pages(
            client.list_profile_shares, "ProfileShareSummaries", ProfileArn=resource, SharedWithPrefix=prefix[:100]
        )

    def read(self, aws: WellArchitected, resource: str) -> None:
        aws.call(aws.client.get_profile, ProfileArn=resource)

    def owned(self, aws: WellArchitected) -> Iterator[tuple[str, str]]:
        listed = aws.pages(aws.client.list_profiles, "ProfileSummaries", ProfileOwnerType="SELF")
        return ((each["ProfileArn"], each.get("Owner", "")) for each in listed)


class TemplateCalls:
    def create(self, aws: WellArchitected, resource: str, shared_with: str, token: str, permission: str) -> str:
        client = aws.client
        return aws.call(
            client.create_template_share, TemplateArn=resource, SharedWith=shared_with, ClientRequestToken=token
        )["ShareId"]

    def delete(self, aws: WellArchitected, resource: str, share_id: str, token: str) -> None:
        aws.call(aws.client.delete_template_share, TemplateArn=resource, ShareId=share_id, ClientRequestToken=token)

    def shares(self, aws: WellArchitected, resource: str, prefix: str) -> Iterator[dict[str, Any]]:
        client = aws.client
        return aws.pages(
            client.list_template_shares, "TemplateShareSummaries", TemplateArn=resource, SharedWithPrefix=prefix[:100]
        )

    def read(self, aws: WellArchitected, resource: str) -> None:
        aws.call(aws.client.get_review_template, TemplateArn=resource)

    def owned(self, aws: WellArchitected) -> Iterator[tuple[str, str]]:
        # No owner filter: templates other accounts shared with this one are listed too, with their Owner.
        listed = aws.pages(aws.client.list_review_templates, "ReviewTemplates")
        return ((each["TemplateArn"], each.get("Owner", "")) for each in listed)


class WorkloadCalls:
    def create(self, aws: WellArchitected, resource: str, shared_with: str, token: str, permission: str) -> str:
        client = aws.client
        return aws.call(
            client.create_workload_share,
            WorkloadId=resource,
            SharedWith=shared_with,
            PermissionType=permission,  # type: ignore[arg-type] # the schema's enum, checked at the edge
            ClientRequestToken=token,
        )["ShareId"]

    def delete(self, aws: WellArchitected, resource: str, share_id: str, token: str) -> None:
        aws.call(aws.client.delete_workload_share, WorkloadId=resource, ShareId=share_id, ClientRequestToken=token)

    def shares(self, aws: WellArchitected, resource: str, prefix: str) -> Iterator[dict[str, Any]]:
        client = aws.client
        return aws.pages(
            client.list_workload_shares, "WorkloadShareSummaries", WorkloadId=resource, SharedWithPrefix=prefix[:100]
        )

    def read(self, aws: WellArchitected, resource: str) -> None:
        aws.call(aws.client.get_workload, WorkloadId=resource)

    def owned(self, aws: WellArchitected) -> Iterator[tuple[str, str]]:
        # No owner filter: workloads other accounts shared with this one are listed too, with their Owner.
        listed = aws.pages(aws.client.list_workloads, "WorkloadSummaries")
        return ((each["WorkloadId"], each.get("Owner", "")) for each in listed)


LENS = ShareKind(
    resource_type="Custom::LensShare",
    key="LENS",
    noun="lens",
    noun_in_api="Lens",
    parameter="LensAlias",
    prop="LensAlias",
    attribute="LensArn",
    pattern=re.compile(_ARN + r"lens/(?P<id>[0-9a-f]{32})$"),
    form="arn:<partition>:wellarchitected:<region>:<account>:lens/<32 hex>, e.g. !GetAtt MyLens.LensArn",
    example="arn:aws:wellarchitected:us-east-1:111111111111:lens/" + "a" * 32,
    calls=LensCalls(),
    section=Section("Lenses", "UncheckedLenses", "lenses"),
    quota="300 per lens, not adjustable",
    create_hint="create and publish it first (AWS::WellArchitected::Lens) and pass !GetAtt <Lens>.LensArn",
    # AWS official lenses, by name or by an ARN without an account, cannot be shared (user guide: lenses-sharing).
    refused=re.compile(r"^(arn:aws[a-z-]*:wellarchitected:[a-z0-9-]*::lens/[\w-]+|[\w-]+)$"),
    refusal="names an AWS official lens, and official lenses cannot be shared",
)
PROFILE = ShareKind(
    resource_type="Custom::ProfileShare",
    key="PROFILE",
    noun="profile",
    noun_in_api="Profile",
    parameter="ProfileArn",
    prop="ProfileArn",
    attribute="ProfileArn",
    pattern=re.compile(_ARN + r"profile/(?P<id>[a-z0-9]+)$"),
    form="arn:<partition>:wellarchitected:<region>:<account>:profile/<id>, e.g. !Ref MyProfile",
    example="arn:aws:wellarchitected:us-east-1:111111111111:profile/" + "b" * 32,
    calls=ProfileCalls(),
    section=Section("Profiles", "UncheckedProfiles", "profiles"),
    quota="the service's limit of shares per profile, which AWS does not publish",
    create_hint="create it first (AWS::WellArchitected::Profile) and pass !Ref <Profile>",
)
TEMPLATE = ShareKind(
    resource_type="Custom::ReviewTemplateShare",
    key="TEMPLATE",
    noun="review template",
    noun_in_api="Template",
    parameter="TemplateArn",
    prop="TemplateArn",
    attribute="TemplateArn",
    pattern=re.compile(_ARN + r"review-template/(?P<id>[0-9a-f]{32})$"),
    form="arn:<partition>:wellarchitected:<region>:<account>:review-template/<32 hex>, e.g. !GetAtt "
    "MyTemplate.TemplateArn",
    example="arn:aws:wellarchitected:us-east-1:111111111111:review-template/" + "c" * 32,
    calls=TemplateCalls(),
    section=Section("ReviewTemplates", "UncheckedReviewTemplates", "review templates"),
    quota="the service's limit of shares per review template, which AWS does not publish",
    create_hint="create it first (AWS::WellArchitected::ReviewTemplate) and pass !GetAtt <Template>.TemplateArn",
)
WORKLOAD = ShareKind(
    resource_type="Custom::WorkloadShare",
    key="WORKLOAD",
    noun="workload",
    noun_in_api="Workload",
    parameter="WorkloadId",
    prop="WorkloadId",
    attribute="WorkloadId",
    pattern=re.compile(r"^(?P<id>[0-9a-f]{32})$"),
    form="32 hexadecimal digits, e.g. !GetAtt MyWorkload.WorkloadId",
    example="d" * 32,
    calls=WorkloadCalls(),
    section=Section("Workloads", "UncheckedWorkloads", "workloads"),
    quota="20 account or user shares per workload",
    create_hint="create it first (AWS::WellArchitected::Workload) and pass !GetAtt <Workload>.WorkloadId",
    physical_prefix="workloads/",
    permission=True,
)
# In the health report's order; 1.1.0's report had Lenses alone, and keeps that list as it was.
KINDS = (LENS, PROFILE, TEMPLATE, WORKLOAD)
# The properties that name what a resource shares or accepts, for reasons that name it.
SHARED_RESOURCE_PROPERTIES = tuple(dict.fromkeys(name for kind in KINDS for name in (kind.prop, kind.attribute)))
