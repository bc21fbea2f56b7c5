"""Custom::LensShare: one lens shared with one principal, and never a share this resource did not make."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from lens_share import errors, physical_ids, properties
from lens_share.errors import ProviderError
from lens_share.physical_ids import ShareRef
from lens_share.request import Outcome
from lens_share.retry import OutOfTime

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mypy_boto3_wellarchitected.type_defs import LensShareSummaryTypeDef

    from lens_share.request import Request
    from lens_share.services import Services
    from lens_share.wellarchitected import WellArchitected

RESOURCE_TYPE = "Custom::LensShare"
# Shares the recipient turned down or let lapse no longer stand in the way of a new one.
INACTIVE = frozenset({"REJECTED", "EXPIRED", "REVOKED"})
# Shares a new InvitationRound replaces: the recipient cannot use them.
STALE = frozenset({"REJECTED", "EXPIRED", "FAILED"})


def _outcome(props: properties.LensShareProperties, ref: ShareRef, action: str) -> Outcome:
    data = {"ShareId": ref.share_id, "LensArn": props.lens_arn, "SharedWith": props.shared_with.value}
    return Outcome(ref.physical_id, action, data)


def create(request: Request, services: Services) -> Outcome:
    props = properties.lens_share(request.properties, services.place)
    services.guard.check(props.shared_with)
    share_id = _create(services.wellarchitected, props, request.request_id, own="")
    return _outcome(props, ShareRef(props.lens_arn, share_id), "created")


def update(request: Request, services: Services) -> Outcome:
    props = properties.lens_share(request.properties, services.place)
    current = ShareRef.parse(request.physical_id)
    if current and current.lens_arn == props.lens_arn:
        old = _old(request.old_properties, services)
        if old is not None and old.target == props.target:
            if old.invitation_round != props.invitation_round:
                return _reinvite(request, services, props, current)
            return _outcome(props, current, "unchanged")
        # A rollback asks for the share this physical ID already holds: keep it.
        held = _find(services.wellarchitected, props.lens_arn, props.shared_with.value, share_id=current.share_id)
        if held is not None:
            return _outcome(props, current, "unchanged")
    services.guard.check(props.shared_with)
    # Only the share this resource held before its replacement may be taken back, by a rollback.
    own = current.replaces if current else ""
    share_id = _create(services.wellarchitected, props, request.request_id, own=own)
    if current and share_id == own:
        return _outcome(props, ShareRef(props.lens_arn, share_id), "adopted")
    return _outcome(props, ShareRef(props.lens_arn, share_id, current.share_id if current else ""), "replaced")


def delete(request: Request, services: Services) -> Outcome:
    current = ShareRef.parse(request.physical_id)
    if current is None:
        return _settle_unconfirmed(request, services)
    deleted = _delete(services.wellarchitected, current.lens_arn, current.share_id, request.request_id)
    return Outcome(request.physical_id, "deleted" if deleted else "gone")


def _delete(wellarchitected: WellArchitected, lens_arn: str, share_id: str, token: str) -> bool:
    """DeleteLensShare; False when the share was already gone, which is as good."""
    try:
        wellarchitected.delete_lens_share(lens_arn, share_id, token)
    except (ClientError, OutOfTime) as error:
        if isinstance(error, ClientError) and errors.error_code(error) == "ResourceNotFoundException":
            return False
        raise errors.failure(lens_arn, error) from error
    return True


def _reinvite(
    request: Request, services: Services, props: properties.LensShareProperties, current: ShareRef
) -> Outcome:
    """A new InvitationRound: a fresh share where the recipient cannot use this one, else nothing at all."""
    wellarchitected = services.wellarchitected
    held = _find(wellarchitected, props.lens_arn, props.shared_with.value, share_id=current.share_id)
    if held is not None and held.get("Status") not in STALE:
        return _outcome(props, current, "unchanged")
    services.guard.check(props.shared_with)
    if held is not None:
        _delete(wellarchitected, props.lens_arn, current.share_id, request.request_id)
    share_id = _create(wellarchitected, props, request.request_id, own="")
    return _outcome(props, ShareRef(props.lens_arn, share_id), "reinvited")


def _settle_unconfirmed(request: Request, services: Services) -> Outcome:
    """A Create cut off by the deadline may have made its share: replaying its token tells whether it is ours."""
    token = physical_ids.unconfirmed_token(request.physical_id)
    if token is None:
        return Outcome(request.physical_id, "skipped")
    wellarchitected = services.wellarchitected
    try:
        lens, principal = properties.lens_share(request.properties, services.place).target
        existing = _find(wellarchitected, lens, principal)
        # The same token answers with the share it made; a share of someone else's answers Conflict.
        if existing is None or wellarchitected.create_lens_share(lens, principal, token) != existing["ShareId"]:
            return Outcome(request.physical_id, "skipped")
        wellarchitected.delete_lens_share(lens, existing["ShareId"], request.request_id)
    except (properties.PropertyError, ClientError, OutOfTime):
        return Outcome(request.physical_id, "skipped")
    return Outcome(request.physical_id, "deleted")


def _old(old: Mapping[str, object], services: Services) -> properties.LensShareProperties | None:
    """What the old properties asked for, if they were valid."""
    try:
        return properties.lens_share(old, services.place)
    except properties.PropertyError:
        return None


def _find(
    wellarchitected: WellArchitected, lens_arn: str, shared_with: str, *, share_id: str = ""
) -> LensShareSummaryTypeDef | None:
    """The share of lens_arn with exactly shared_with: the one with share_id, or else any still active."""
    for share in wellarchitected.lens_shares(lens_arn, shared_with):
        if share.get("SharedWith") != shared_with:
            continue
        if share_id and share.get("ShareId") == share_id:
            return share
        if not share_id and share.get("Status") not in INACTIVE:
            return share
    return None


def _create(wellarchitected: WellArchitected, props: properties.LensShareProperties, token: str, *, own: str) -> str:
    """A new share's ID; on Conflict, `own` (a share this resource held) is taken back and any other refused."""
    lens, principal = props.target
    try:
        return wellarchitected.create_lens_share(lens, principal, token)
    except OutOfTime as error:
        raise errors.out_of_time(error) from error
    except ClientError as error:
        if errors.error_code(error) != "ConflictException":
            raise _explain(wellarchitected, props, error) from error
        try:
            existing = _find(wellarchitected, lens, principal)
        except (ClientError, OutOfTime):
            existing = None
        if existing is None:
            raise errors.refused(error) from error
        if own and existing["ShareId"] == own:
            return own
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
        return errors.access_denied(lens, error)
    return errors.refused(error)


def _organization_sharing_off(wellarchitected: WellArchitected) -> bool:
    try:
        return wellarchitected.organization_sharing_status() != "ENABLED"
    except (ClientError, OutOfTime):
        return False
