"""What every kind of share has in common: one resource shares one thing with one principal, and never
deletes, adopts or changes a share it did not make. Each kind is described in kinds.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from lens_share import errors, physical_ids, properties, tokens
from lens_share.aws.codes import error_code
from lens_share.aws.retry import OutOfTime
from lens_share.aws.wellarchitected import LISTINGS
from lens_share.errors import ProviderError
from lens_share.outcome import Outcome
from lens_share.physical_ids import ShareRef
from lens_share.properties import ShareProperties

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lens_share.kinds import ShareKind
    from lens_share.request import Request
    from lens_share.services import Services

# Shares the recipient turned down or let lapse no longer stand in the way of a new one.
INACTIVE = frozenset({"REJECTED", "EXPIRED", "REVOKED"})
# Shares a new InvitationRound replaces: the recipient cannot use them.
STALE = frozenset({"REJECTED", "EXPIRED", "FAILED"})


@dataclass(frozen=True)
class ShareResource:
    """The Create, Update and Delete of one kind of share resource."""

    kind: ShareKind

    def properties(self, values: Mapping[str, object], place: properties.Place) -> ShareProperties:
        found = properties.strings(self.kind.resource_type, values)
        resource = self.kind.check(found[self.kind.prop], place)
        principal = properties.principal(found["SharedWith"], self.kind.principals, noun=self.kind.noun)
        properties.not_own_account(principal, place, self.kind.noun)
        return ShareProperties(resource, principal, found.get("InvitationRound", ""), found.get("PermissionType", ""))

    def create(self, request: Request, services: Services) -> Outcome:
        props = self.properties(request.properties, services.place)
        services.check_principal(props.shared_with)
        share_id = self._create(services, props, request.request_id, own=())
        return self._outcome(props, share_id, "created")

    def update(self, request: Request, services: Services) -> Outcome:
        props = self.properties(request.properties, services.place)
        current = self._current(request.physical_id)
        if current and self.kind.identifier_in(current.resource) == props.resource:
            old = self._old(request.old_properties, services)
            if old is not None and old.target == props.target:
                if old.invitation_round != props.invitation_round:
                    return self._reinvite(request, services, props, current)
                return self._keep(services, props, current, changed=old.permission_type != props.permission_type)
            # A rollback asks for the share this physical ID already holds: keep it.
            held = self._find(services, props, share_id=current.share_id)
            if held is not None:
                return self._keep(services, props, current, changed=self._permission_differs(props, held))
        services.check_principal(props.shared_with)
        # Only shares this physical ID names may be taken back: the one it holds (a listing that lagged behind
        # it), or the one it held before its replacement (by a rollback).
        own = (current.share_id, current.replaces) if current else ()
        share_id = self._create(services, props, request.request_id, own=own)
        if current and share_id == current.share_id:
            return self._outcome(props, share_id, "unchanged", replaces=current.replaces)
        if current and share_id == current.replaces:
            return self._outcome(props, share_id, "adopted")
        return self._outcome(props, share_id, "replaced", replaces=current.share_id if current else "")

    def delete(self, request: Request, services: Services) -> Outcome:
        current = self._current(request.physical_id)
        if current is None:
            return self._settle_unconfirmed(request, services)
        resource = self.kind.identifier_in(current.resource) or ""
        token = tokens.derived(request.request_id, "delete", current.share_id)
        deleted = self._delete(services, resource, current.share_id, token)
        return Outcome(request.physical_id, "deleted" if deleted else "gone")

    def _current(self, physical_id: str) -> ShareRef | None:
        """The share a physical ID names, if it is a share of this kind."""
        ref = ShareRef.parse(physical_id)
        return ref if ref and self.kind.identifier_in(ref.resource) else None

    def _outcome(self, props: ShareProperties, share_id: str, action: str, *, replaces: str = "") -> Outcome:
        ref = ShareRef(self.kind.physical_name(props.resource), share_id, replaces)
        data = {"ShareId": share_id, self.kind.attribute: props.resource, "SharedWith": props.shared_with.value}
        if self.kind.permission:
            data["PermissionType"] = props.permission_type
        return Outcome(ref.physical_id, action, data)

    def _keep(self, services: Services, props: ShareProperties, current: ShareRef, *, changed: bool) -> Outcome:
        """The same share; a workload share's PermissionType is changed in place (a new invitation, same ShareId)."""
        outcome = self._outcome(props, current.share_id, "unchanged", replaces=current.replaces)
        if not (self.kind.permission and changed):
            return outcome
        try:
            services.wellarchitected.update_workload_share(props.resource, current.share_id, props.permission_type)
        except (ClientError, OutOfTime) as error:
            raise errors.failure(props.resource, error) from error
        outcome.action = "updated"
        return outcome

    def _permission_differs(self, props: ShareProperties, held: Mapping[str, Any]) -> bool:
        return self.kind.permission and held.get("PermissionType") != props.permission_type

    def _reinvite(self, request: Request, services: Services, props: ShareProperties, current: ShareRef) -> Outcome:
        """A new InvitationRound: a fresh share where the recipient cannot use this one, else nothing at all."""
        held = self._find(services, props, share_id=current.share_id, expected=True)
        if held is not None and held.get("Status") not in STALE:
            return self._keep(services, props, current, changed=self._permission_differs(props, held))
        services.check_principal(props.shared_with)
        if held is not None:
            # The stale share goes first: whether the service would let a new share stand beside it is undocumented.
            token = tokens.derived(request.request_id, "delete", current.share_id)
            self._delete(services, props.resource, current.share_id, token)
        share_id = self._create(services, props, request.request_id, own=())
        return self._outcome(props, share_id, "reinvited")

    def _delete(self, services: Services, resource: str, share_id: str, token: str) -> bool:
        """Delete<Kind>Share; False when the share was already gone."""
        try:
            return services.wellarchitected.delete_held_share(self.kind, resource, share_id, token)
        except (OutOfTime, ClientError) as error:
            raise errors.failure(resource, error) from error

    def _settle_unconfirmed(self, request: Request, services: Services) -> Outcome:
        """A Create cut off by the deadline may have made its share: replaying its token tells whether it is ours."""
        token = physical_ids.unconfirmed_token(request.physical_id)
        if token is None:
            return Outcome(request.physical_id, "skipped")
        try:
            props = self.properties(request.properties, services.place)
            existing = self._find(services, props, expected=True)
            if existing is None:
                return Outcome(request.physical_id, "skipped")
            # The same token and parameters answer with the share it made; someone else's share answers Conflict.
            replayed = services.wellarchitected.create_share(
                self.kind, props.resource, props.shared_with.value, token, props.permission_type
            )
            if replayed != existing["ShareId"]:
                return Outcome(request.physical_id, "skipped")
            self._delete(services, props.resource, replayed, tokens.derived(request.request_id, "delete", replayed))
        except (properties.PropertyError, ProviderError, ClientError, OutOfTime):
            return Outcome(request.physical_id, "skipped")
        return Outcome(request.physical_id, "deleted")

    def _old(self, old: Mapping[str, object], services: Services) -> ShareProperties | None:
        """What the old properties asked for, if they were valid."""
        try:
            return self.properties(old, services.place)
        except properties.PropertyError:
            return None

    def _find(
        self,
        services: Services,
        props: ShareProperties,
        *,
        share_id: str = "",
        any_status: bool = False,
        expected: bool = False,
    ) -> dict[str, Any] | None:
        """The share with exactly this principal: the one with share_id, else an active one, else (any_status)
        an inactive one. An expected share is looked for again a few times, since listings may lag writes."""
        principal = props.shared_with.value
        looks = LISTINGS if expected else 1
        for listing in services.wellarchitected.listings(self.kind, props.resource, principal, looks):
            mine = [share for share in listing if share.get("SharedWith") == principal]
            if share_id:
                found = next((share for share in mine if share.get("ShareId") == share_id), None)
            else:
                active = [share for share in mine if share.get("Status") not in INACTIVE]
                candidates = active or (mine if any_status else [])
                found = candidates[0] if candidates else None
            if found is not None:
                return found
        return None

    def _create(self, services: Services, props: ShareProperties, token: str, *, own: tuple[str, ...]) -> str:
        """A new share's ID; on Conflict, a share of `own` (named by this resource's physical ID) is taken back
        and any other refused."""
        resource, principal = props.target
        try:
            return services.wellarchitected.create_share(self.kind, resource, principal, token, props.permission_type)
        except OutOfTime as error:
            raise errors.out_of_time(error) from error
        except ClientError as error:
            if error_code(error) != "ConflictException":
                raise self._explain(services, props, error) from error
            try:
                existing = self._find(services, props, any_status=True, expected=True)
            except (ClientError, OutOfTime):
                existing = None
            if existing is None:
                raise errors.refused(error) from error
            if existing["ShareId"] in own:
                return str(existing["ShareId"])
            raise self._already_shared(props, existing) from error

    def _already_shared(self, props: ShareProperties, existing: Mapping[str, Any]) -> ProviderError:
        resource, principal = props.target
        share_id, status = existing["ShareId"], existing.get("Status", "")
        command = (
            f"aws wellarchitected delete-{_flag(self.kind.noun_in_api)}-share "
            f"--{_flag(self.kind.parameter)} {resource} --share-id {share_id}"
        )
        if status in INACTIVE:
            return ProviderError(
                f"{self.kind.noun.capitalize()} {resource} has a {status} share with {principal} (ShareId "
                f"{share_id}), made outside this resource, and Well-Architected will not share again past it. "
                f"Delete that share ({command}) and retry.",
                "AlreadyShared",
            )
        return ProviderError(
            f"{self.kind.noun.capitalize()} {resource} is already shared with {principal} (ShareId {share_id}), "
            f"outside this resource. To manage it here, delete that share ({command}) and retry; if another "
            "stack owns it, remove this resource instead.",
            "AlreadyShared",
        )

    def _explain(self, services: Services, props: ShareProperties, error: ClientError) -> Exception:
        code = error_code(error)
        resource, principal = props.target
        noun = self.kind.noun
        if code == "ResourceNotFoundException":
            return ProviderError(
                f"{noun.capitalize()} {resource} ({self.kind.prop}) does not exist in this account and Region; "
                f"{self.kind.create_hint}.",
                f"{self.kind.noun_in_api}NotFound",
            )
        if code == "ServiceQuotaExceededException":
            return ProviderError(
                f"{noun.capitalize()} {resource} already has the most shares Well-Architected allows "
                f"({self.kind.quota}); delete shares no longer needed, or replace account shares with one share "
                "to their OU or organization.",
                "QuotaExceeded",
            )
        if props.shared_with.kind.needs_organization_sharing and _organization_sharing_off(services):
            return ProviderError(
                f"Sharing {noun} {resource} with {props.shared_with.kind.value} {principal} needs "
                "Well-Architected organization sharing, which is off in this account; turn it on with a "
                "Custom::WellArchitectedOrganizationSharing resource that this share DependsOn (or aws "
                "wellarchitected update-global-settings --organization-sharing-status ENABLED).",
                "OrganizationSharingOff",
            )
        if code == "AccessDeniedException":
            return errors.access_denied(resource, error)
        return errors.refused(error)


def _flag(key: str) -> str:
    """The CLI flag of an API parameter: LensAlias -> lens-alias."""
    return "".join(f"-{char.lower()}" if char.isupper() else char for char in key).lstrip("-")


def _organization_sharing_off(services: Services) -> bool:
    try:
        return services.wellarchitected.organization_sharing_status() != "ENABLED"
    except (ClientError, OutOfTime):
        return False
