"""The rules of a share's life, written once: the Custom:: resources (crhelper) and the registry types
(python-lib) are adapters over them, and this module knows neither. docs/behaviour.md says each rule in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from lens_share import errors, properties
from lens_share.aws.codes import error_code
from lens_share.aws.retry import OutOfTime
from lens_share.aws.wellarchitected import LISTINGS
from lens_share.errors import ProviderError

if TYPE_CHECKING:
    from lens_share.aws.wellarchitected import WellArchitected
    from lens_share.kinds import ShareKind
    from lens_share.properties import Place, Principal

# The recipient can use these, or soon will: they hold the principal, and a new InvitationRound leaves them be.
ACTIVE = frozenset({"PENDING", "ACCEPTED", "ASSOCIATING", "ASSOCIATED"})
# The recipient cannot use these, yet the service still lists them and may refuse a new share past them
# (reshare-inactive): they are still read as the resource's share, and a new InvitationRound replaces its own.
LAPSED = frozenset({"REJECTED", "EXPIRED", "FAILED"})
# Taken back: no longer held, so never read as a resource's share; a new InvitationRound replaces it as well.
REVOKED = "REVOKED"


def token(request_token: str, purpose: str, subject: str) -> str:
    """The token of the write `purpose` on `subject` (a share ID) within one request. A create uses the
    request's own token; every other write derives one from it, so that no token serves two calls (the service
    may scope tokens to the account) and a retried request replays exactly the same calls."""
    return f"{request_token}-{purpose}-{subject}"


def replaced_by_new_round(status: str) -> bool:
    """Whether a new InvitationRound replaces a share of this status: one the recipient cannot use."""
    return status not in ACTIVE


@dataclass(frozen=True)
class Target:
    """What one share resource asks for: what is shared, with whom, and how."""

    kind: ShareKind
    resource: str
    shared_with: Principal
    # A new value asks for a fresh invitation where the share lapsed, was revoked or is gone.
    invitation_round: str = ""
    # A workload share's PermissionType; empty for the kinds that have none.
    permission_type: str = ""
    # The property naming what is shared, where a front calls it otherwise than the Custom:: type does.
    name: str = ""

    @property
    def principal_id(self) -> str:
        return self.shared_with.value

    @property
    def target(self) -> tuple[str, str]:
        return (self.resource, self.shared_with.value)

    @classmethod
    def parse(cls, kind: ShareKind, values: Mapping[str, object], place: Place, *, name: str = "") -> Target:
        """The properties, checked against the kind's schema; `name` is the property naming what is shared where
        a front calls it otherwise than the Custom:: type does (a registry LensShare's LensArn)."""
        name = name or kind.prop
        if name != kind.prop:
            for each in (name, "SharedWith"):
                if not values.get(each):
                    raise properties.PropertyError(
                        f"Property {each!r} is required and must not be empty; a share is named by {name} and "
                        "SharedWith."
                    )
            values = {kind.prop if key == name else key: value for key, value in values.items()}
        found = properties.strings(kind.resource_type, values)
        resource = kind.check(found[kind.prop], place, name=name)
        principal = properties.principal(found["SharedWith"], kind.principals, noun=kind.noun)
        properties.not_own_account(principal, place, kind.noun)
        invitation_round, permission_type = found.get("InvitationRound", ""), found.get("PermissionType", "")
        return cls(kind, resource, principal, invitation_round, permission_type, "" if name == kind.prop else name)


@dataclass
class Shares:
    """The shares of one kind, through one request's calls."""

    kind: ShareKind
    aws: WellArchitected

    def principal_shares(self, target: Target) -> list[dict[str, Any]]:
        """Every listed share with exactly this principal, whatever its status: one look."""
        return _mine(self.aws.shares(self.kind, target.resource, target.principal_id), target)

    def find(
        self,
        target: Target,
        *,
        share_id: str = "",
        revoked: bool = False,
        expected: bool = False,
        excluding: frozenset[str] = frozenset(),
    ) -> dict[str, Any] | None:
        """The share with exactly this principal, none of `excluding`: the one with share_id, else an active one,
        else a lapsed one, else (revoked) a revoked one. An expected share is looked for again, since listings
        may lag writes."""
        for listing in self.aws.listings(self.kind, target.resource, target.principal_id, LISTINGS if expected else 1):
            found = pick(_mine(listing, target, excluding), share_id, revoked=revoked)
            if found is not None:
                return found
        return None

    def create(self, target: Target, request_token: str, *, own: tuple[str, ...] = ()) -> str:
        """A new share's ID. On Conflict the share in the way is named: one of `own` (the shares the resource
        already holds) is taken back, any other refused. After a lost answer, only the token can tell."""
        try:
            return self.aws.create_share(
                self.kind, target.resource, target.principal_id, request_token, target.permission_type
            )
        except OutOfTime as error:
            if error.lost:
                raise errors.lost(target.resource, target.principal_id, error) from error
            raise errors.out_of_time(error) from error
        except ClientError as error:
            if error_code(error) != "ConflictException":
                raise self.explain(target, error) from error
            try:
                existing = self.find(target, revoked=True, expected=True)
            except (ClientError, OutOfTime):
                existing = None
            if existing is None:
                raise errors.refused(error) from error
            if existing["ShareId"] in own:
                return str(existing["ShareId"])
            raise already_shared(target, existing) from error

    def delete(self, resource: str, share_id: str, delete_token: str) -> bool:
        """Delete<Kind>Share; False when the share was already gone, however the service says so."""
        try:
            return self.aws.delete_held_share(self.kind, resource, share_id, delete_token)
        except (OutOfTime, ClientError) as error:
            raise errors.failure(resource, error) from error

    def settle_lost(self, target: Target, request_token: str) -> bool:
        """Deletes the share a create whose answer was lost made, proven by replaying its token (the service
        answers the same token with the share it made, and someone else's share with Conflict); False when it
        made none. Only an active share is looked into: a lapsed one gives the recipient nothing."""
        try:
            found = self.find(target, expected=True)
            if found is None or found.get("Status") not in ACTIVE:
                return False
            made = self.aws.create_share(
                self.kind, target.resource, target.principal_id, request_token, target.permission_type
            )
        except ClientError as error:
            if error_code(error) in ("ConflictException", "ResourceNotFoundException"):
                return False
            raise errors.unsettled(target.resource, target.principal_id, error) from error
        except OutOfTime as error:
            raise errors.unsettled(target.resource, target.principal_id, error) from error
        try:
            self.aws.delete_held_share(self.kind, target.resource, made, token(request_token, "delete", made))
        except (OutOfTime, ClientError) as error:
            raise errors.unsettled(target.resource, target.principal_id, error, share_id=made) from error
        return True

    def explain(self, target: Target, error: ClientError) -> ProviderError:
        """A refused create (or the listing before one) as a reason a person can act on, with its failure kind."""
        code, noun, kind = error_code(error), self.kind.noun, self.kind
        if code == "ResourceNotFoundException":
            return ProviderError(
                f"{noun.capitalize()} {target.resource} ({target.name or kind.prop}) does not exist in this account "
                f"and Region; {kind.create_hint}.",
                f"{kind.noun_in_api}NotFound",
            )
        if code == "ServiceQuotaExceededException":
            return ProviderError(
                f"{noun.capitalize()} {target.resource} already has the most shares Well-Architected allows "
                f"({kind.quota}); delete shares no longer needed, or replace account shares with one share "
                "to their OU or organization.",
                "QuotaExceeded",
            )
        if target.shared_with.kind.needs_organization_sharing and self._organization_sharing_off():
            return ProviderError(
                f"Sharing {noun} {target.resource} with {target.shared_with.kind.value} {target.principal_id} needs "
                "Well-Architected organization sharing, which is off in this account; turn it on with a "
                "Custom::WellArchitectedOrganizationSharing resource that this share DependsOn (or aws "
                "wellarchitected update-global-settings --organization-sharing-status ENABLED).",
                "OrganizationSharingOff",
            )
        if code == "AccessDeniedException":
            return errors.access_denied(target.resource, error)
        return errors.refused(error)

    def _organization_sharing_off(self) -> bool:
        try:
            return self.aws.organization_sharing_status() != "ENABLED"
        except (ClientError, OutOfTime):
            return False


def _mine(
    listing: Iterable[dict[str, Any]], target: Target, excluding: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The shares of a listing with exactly the target's principal, but those of `excluding`."""
    return [s for s in listing if s.get("SharedWith") == target.principal_id and s.get("ShareId") not in excluding]


def pick(mine: list[dict[str, Any]], share_id: str = "", *, revoked: bool = False) -> dict[str, Any] | None:
    """Of one principal's shares: the one with share_id, else an active one, else a lapsed one, else (revoked)
    a revoked one."""
    if share_id:
        return next((share for share in mine if share.get("ShareId") == share_id), None)
    for statuses in (ACTIVE, LAPSED, frozenset({REVOKED}) if revoked else frozenset()):
        found = next((share for share in mine if share.get("Status") in statuses), None)
        if found is not None:
            return found
    return None


class AlreadyShared(ProviderError):
    """A share of the principal that the resource did not make, in the way of its own."""

    def __init__(self, message: str, existing: Mapping[str, Any]) -> None:
        super().__init__(message, "AlreadyShared")
        self.existing = existing


def already_shared(target: Target, existing: Mapping[str, Any], remedy: str = "") -> AlreadyShared:
    """A share of the principal that this resource did not make: named, with the command that deletes it."""
    kind = target.kind
    share_id, status = existing["ShareId"], existing.get("Status", "")
    command = (
        f"aws wellarchitected delete-{_flag(kind.noun_in_api)}-share "
        f"--{_flag(kind.parameter)} {target.resource} --share-id {share_id}"
    )
    remedy = remedy or "if another stack owns it, remove this resource instead"
    if status not in ACTIVE:
        return AlreadyShared(
            f"{kind.noun.capitalize()} {target.resource} has a {status} share with {target.principal_id} (ShareId "
            f"{share_id}), made outside this resource, and Well-Architected may not share again past it. "
            f"Delete that share ({command}) and retry; {remedy}.",
            existing,
        )
    return AlreadyShared(
        f"{kind.noun.capitalize()} {target.resource} is already shared with {target.principal_id} (ShareId "
        f"{share_id}), outside this resource. To manage it here, delete that share ({command}) and retry; "
        f"{remedy}.",
        existing,
    )


def _flag(key: str) -> str:
    """The CLI flag of an API parameter: LensAlias -> lens-alias."""
    return "".join(f"-{char.lower()}" if char.isupper() else char for char in key).lstrip("-")
