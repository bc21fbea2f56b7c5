"""Custom::LensShare: one lens shared with one principal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from lens_share import errors, properties
from lens_share.errors import ProviderError
from lens_share.request import UNCONFIRMED, Outcome
from lens_share.retry import OutOfTime

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mypy_boto3_wellarchitected.type_defs import LensShareSummaryTypeDef

    from lens_share.request import Request
    from lens_share.services import Services
    from lens_share.wellarchitected import WellArchitected

RESOURCE_TYPE = "Custom::LensShare"
SHARE_PHYSICAL_ID = re.compile(r"^(?P<lens>arn:[^/]+:lens/[0-9a-f]{32})/shares/(?P<share>[0-9a-f]{32})$")
# Shares the recipient turned down or let lapse no longer stand in the way of a new one.
INACTIVE = frozenset({"REJECTED", "EXPIRED", "REVOKED"})


@dataclass(frozen=True)
class ShareRef:
    lens_arn: str
    share_id: str

    @property
    def physical_id(self) -> str:
        return f"{self.lens_arn}/shares/{self.share_id}"

    @classmethod
    def parse(cls, physical_id: str) -> ShareRef | None:
        match = SHARE_PHYSICAL_ID.match(physical_id)
        return cls(match.group("lens"), match.group("share")) if match else None


def _outcome(props: properties.LensShareProperties, share_id: str, action: str) -> Outcome:
    ref = ShareRef(props.lens_arn, share_id)
    data = {"ShareId": share_id, "LensArn": props.lens_arn, "SharedWith": props.shared_with.value}
    return Outcome(ref.physical_id, action, data)


def create(request: Request, services: Services) -> Outcome:
    props = properties.lens_share(request.properties, services.place)
    services.guard.check(props.shared_with)
    share_id, _ = _create(services.wellarchitected, props, request.request_id, adopt=False)
    return _outcome(props, share_id, "created")


def update(request: Request, services: Services) -> Outcome:
    props = properties.lens_share(request.properties, services.place)
    current = ShareRef.parse(request.physical_id)
    if current and current.lens_arn == props.lens_arn:
        if _target(request.old_properties, services) == props.target:
            return _outcome(props, current.share_id, "unchanged")
        # A rollback asks for the share this physical ID already holds: keep it.
        held = _find(services.wellarchitected, props.lens_arn, share_id=current.share_id)
        if held and held.get("SharedWith") == props.shared_with.value:
            return _outcome(props, current.share_id, "unchanged")
    services.guard.check(props.shared_with)
    share_id, adopted = _create(services.wellarchitected, props, request.request_id, adopt=True)
    return _outcome(props, share_id, "adopted" if adopted else "replaced")


def delete(request: Request, services: Services) -> Outcome:
    current = ShareRef.parse(request.physical_id)
    if current is None:
        return _settle_unconfirmed(request, services)
    try:
        services.wellarchitected.delete_lens_share(current.lens_arn, current.share_id, request.request_id)
    except (ClientError, OutOfTime) as error:
        if isinstance(error, ClientError) and errors.error_code(error) == "ResourceNotFoundException":
            return Outcome(request.physical_id, "gone")
        raise errors.failure("DeleteLensShare", current.lens_arn, error) from error
    return Outcome(request.physical_id, "deleted")


def _settle_unconfirmed(request: Request, services: Services) -> Outcome:
    """A Create cut off by the deadline may have made its share: replaying its token tells whether it is ours."""
    if not request.physical_id.startswith(UNCONFIRMED):
        return Outcome(request.physical_id, "skipped")
    token = request.physical_id.removeprefix(UNCONFIRMED)
    wellarchitected = services.wellarchitected
    try:
        lens, principal = properties.lens_share(request.properties, services.place).target
        existing = _find(wellarchitected, lens, shared_with=principal)
        # The same token answers with the share it made; a share of someone else's answers Conflict.
        if existing is None or wellarchitected.create_lens_share(lens, principal, token) != existing["ShareId"]:
            return Outcome(request.physical_id, "skipped")
        wellarchitected.delete_lens_share(lens, existing["ShareId"], request.request_id)
    except (properties.PropertyError, ClientError, OutOfTime):
        return Outcome(request.physical_id, "skipped")
    return Outcome(request.physical_id, "deleted")


def _target(old: Mapping[str, object], services: Services) -> tuple[str, str] | None:
    """The (lens, principal) the old properties asked for, if they were valid."""
    try:
        return properties.lens_share(old, services.place).target
    except properties.PropertyError:
        return None


def _find(
    wellarchitected: WellArchitected, lens_arn: str, *, share_id: str = "", shared_with: str = ""
) -> LensShareSummaryTypeDef | None:
    for share in wellarchitected.lens_shares(lens_arn, shared_with):
        if share_id and share.get("ShareId") != share_id:
            continue
        if shared_with and (share.get("SharedWith") != shared_with or share.get("Status") in INACTIVE):
            continue
        return share
    return None


def _create(
    wellarchitected: WellArchitected, props: properties.LensShareProperties, token: str, *, adopt: bool
) -> tuple[str, bool]:
    """A new share's ID, or with adopt an existing share of the same lens and principal."""
    lens, principal = props.target
    try:
        return wellarchitected.create_lens_share(lens, principal, token), False
    except OutOfTime as error:
        raise errors.out_of_time(error) from error
    except ClientError as error:
        if errors.error_code(error) != "ConflictException":
            raise _explain(wellarchitected, props, error) from error
        try:
            existing = _find(wellarchitected, lens, shared_with=principal)
        except (ClientError, OutOfTime):
            existing = None
        if existing is None:
            raise errors.refused("CreateLensShare", error) from error
        if adopt:
            return existing["ShareId"], True
        raise _already_shared(props, existing["ShareId"]) from error


def _already_shared(props: properties.LensShareProperties, share_id: str) -> ProviderError:
    lens, principal = props.target
    return ProviderError(
        f"Lens {lens} is already shared with {principal} (ShareId {share_id}), outside this resource. "
        f"To manage it here, delete that share (aws wellarchitected delete-lens-share --lens-alias {lens} "
        f"--share-id {share_id}) and retry; if another stack owns it, remove this resource instead.",
        "AlreadyShared",
    )


def _explain(wellarchitected: WellArchitected, props: properties.LensShareProperties, error: ClientError) -> Exception:
    code = errors.error_code(error)
    lens, principal = props.target
    if code == "ResourceNotFoundException":
        return ProviderError(
            f"Lens {lens} (LensAlias) does not exist in this account and Region; create and publish it "
            "first (AWS::WellArchitected::Lens) and pass !GetAtt <Lens>.LensArn.",
            "LensNotFound",
        )
    if code == "ServiceQuotaExceededException":
        return ProviderError(
            f"Lens {lens} already has the most shares Well-Architected allows (300 per lens, not adjustable); "
            "delete shares no longer needed, or share with an OU or the organization instead of single accounts.",
            "QuotaExceeded",
        )
    if props.shared_with.kind.needs_organization_sharing and _organization_sharing_off(wellarchitected):
        return ProviderError(
            f"Sharing lens {lens} with {props.shared_with.kind.value} {principal} needs Well-Architected "
            "organization sharing, which is off in this account; turn it on with a "
            "Custom::WellArchitectedOrganizationSharing resource that this share DependsOn (or aws "
            "wellarchitected update-global-settings --organization-sharing-status ENABLED).",
            "OrganizationSharingOff",
        )
    if code == "AccessDeniedException":
        return errors.access_denied("CreateLensShare", lens, error)
    return errors.refused("CreateLensShare", error)


def _organization_sharing_off(wellarchitected: WellArchitected) -> bool:
    try:
        return wellarchitected.organization_sharing_status() != "ENABLED"
    except (ClientError, OutOfTime):
        return False
