"""The Custom:: front of every kind of share: CloudFormation's Create, Update and Delete over the share rules
(rules.py). A resource never deletes, adopts or changes a share it did not make; each kind is described in
kinds.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from lens_share import errors, physical_ids, properties, rules
from lens_share.aws.retry import OutOfTime
from lens_share.outcome import Outcome
from lens_share.physical_ids import ShareRef
from lens_share.rules import Shares, Target

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lens_share.kinds import ShareKind
    from lens_share.request import Request
    from lens_share.services import Services


@dataclass(frozen=True)
class ShareResource:
    """The Create, Update and Delete of one kind of share resource."""

    kind: ShareKind

    def properties(self, values: Mapping[str, object], place: properties.Place) -> Target:
        return Target.parse(self.kind, values, place)

    def create(self, request: Request, services: Services) -> Outcome:
        target = self.properties(request.properties, services.place)
        services.check_principal(target.shared_with)
        share_id = self._shares(services).create(target, request.request_id)
        return self._outcome(target, share_id, "created")

    def update(self, request: Request, services: Services) -> Outcome:
        target = self.properties(request.properties, services.place)
        shares = self._shares(services)
        current = self._current(request.physical_id)
        if current and self.kind.identifier_in(current.resource) == target.resource:
            old = self._old(request.old_properties, services)
            if old is not None and old.target == target.target:
                if old.invitation_round != target.invitation_round:
                    return self._reinvite(request, services, target, current)
                return self._keep(services, target, current, changed=old.permission_type != target.permission_type)
            # A rollback asks for the share this physical ID already holds: keep it.
            held = shares.find(target, share_id=current.share_id)
            if held is not None:
                return self._keep(services, target, current, changed=self._permission_differs(target, held))
        services.check_principal(target.shared_with)
        # Only shares this physical ID names may be taken back: the one it holds (a listing that lagged behind
        # it), or the one it held before its replacement (by a rollback).
        own = (current.share_id, current.replaces) if current else ()
        share_id = shares.create(target, request.request_id, own=own)
        if current and share_id == current.share_id:
            return self._outcome(target, share_id, "unchanged", replaces=current.replaces)
        if current and share_id == current.replaces:
            return self._outcome(target, share_id, "adopted")
        return self._outcome(target, share_id, "replaced", replaces=current.share_id if current else "")

    def delete(self, request: Request, services: Services) -> Outcome:
        current = self._current(request.physical_id)
        if current is None:
            return self._settle_unconfirmed(request, services)
        resource = self.kind.identifier_in(current.resource) or ""
        token = rules.token(request.request_id, "delete", current.share_id)
        deleted = self._shares(services).delete(resource, current.share_id, token)
        return Outcome(request.physical_id, "deleted" if deleted else "gone")

    def _shares(self, services: Services) -> Shares:
        return Shares(self.kind, services.wellarchitected)

    def _current(self, physical_id: str) -> ShareRef | None:
        """The share a physical ID names, if it is a share of this kind."""
        ref = ShareRef.parse(physical_id)
        return ref if ref and self.kind.identifier_in(ref.resource) else None

    def _outcome(self, target: Target, share_id: str, action: str, *, replaces: str = "") -> Outcome:
        ref = ShareRef(self.kind.physical_name(target.resource), share_id, replaces)
        data = {"ShareId": share_id, self.kind.attribute: target.resource, "SharedWith": target.principal_id}
        if self.kind.permission:
            data["PermissionType"] = target.permission_type
        return Outcome(ref.physical_id, action, data)

    def _keep(self, services: Services, target: Target, current: ShareRef, *, changed: bool) -> Outcome:
        """The same share; a workload share's PermissionType is changed in place (a new invitation, same ShareId)."""
        outcome = self._outcome(target, current.share_id, "unchanged", replaces=current.replaces)
        if not (self.kind.permission and changed):
            return outcome
        try:
            services.wellarchitected.update_workload_share(target.resource, current.share_id, target.permission_type)
        except (ClientError, OutOfTime) as error:
            raise errors.failure(target.resource, error) from error
        outcome.action = "updated"
        return outcome

    def _permission_differs(self, target: Target, held: Mapping[str, Any]) -> bool:
        return self.kind.permission and held.get("PermissionType") != target.permission_type

    def _reinvite(self, request: Request, services: Services, target: Target, current: ShareRef) -> Outcome:
        """A new InvitationRound: a fresh share where the recipient cannot use this one, else nothing at all."""
        shares = self._shares(services)
        held = shares.find(target, share_id=current.share_id, expected=True)
        if held is not None and not rules.replaced_by_new_round(str(held.get("Status", ""))):
            return self._keep(services, target, current, changed=self._permission_differs(target, held))
        services.check_principal(target.shared_with)
        if held is not None:
            # The stale share goes first: whether the service would let a new share stand beside it is undocumented.
            token = rules.token(request.request_id, "delete", current.share_id)
            shares.delete(target.resource, current.share_id, token)
        share_id = shares.create(target, request.request_id)
        return self._outcome(target, share_id, "reinvited")

    def _settle_unconfirmed(self, request: Request, services: Services) -> Outcome:
        """A Create whose answer was lost may have made its share: replaying its token proves whether it did."""
        token = physical_ids.unconfirmed_token(request.physical_id)
        if token is None:
            return Outcome(request.physical_id, "skipped")
        try:
            target = self.properties(request.properties, services.place)
        except properties.PropertyError:
            return Outcome(request.physical_id, "skipped")  # nothing is ever made from bad input
        settled = self._shares(services).settle_lost(target, token)
        return Outcome(request.physical_id, "deleted" if settled else "skipped")

    def _old(self, old: Mapping[str, object], services: Services) -> Target | None:
        """What the old properties asked for, if they were valid."""
        try:
            return self.properties(old, services.place)
        except properties.PropertyError:
            return None
