"""Custom::ShareInvitation (and its lens case, Custom::LensShareInvitation): a recipient account accepts the
invitation to a lens, profile, review template or workload shared with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from lens_share import errors, properties
from lens_share.aws.codes import error_code
from lens_share.aws.retry import ATTEMPT_S, OutOfTime
from lens_share.errors import ProviderError
from lens_share.kinds import KINDS, LENS
from lens_share.outcome import Outcome
from lens_share.physical_ids import InvitationRef

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lens_share.kinds import ShareKind
    from lens_share.request import Request
    from lens_share.services import Services

FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 15.0
# An invitation may appear seconds after the share is made; until this much time has passed, a resource the
# account can already read is not taken as needing nothing: access kept after an old share was deleted is
# not acceptance of a new one.
SETTLE_S = 5.0
UNREADABLE = frozenset({"ResourceNotFoundException", "AccessDeniedException", "ValidationException"})
NOTHING_TO_ACCEPT = (
    "No invitation was needed: this account already reaches the {noun} (through an organization or OU share, "
    "or an invitation accepted earlier)."
)


@dataclass(frozen=True)
class Target:
    kind: ShareKind
    identifier: str
    invitation_round: str

    @property
    def reference(self) -> str:
        return self.kind.physical_name(self.identifier)


@dataclass(frozen=True)
class InvitationResource:
    resource_type: str
    kinds: tuple[ShareKind, ...]

    def target(self, values: Mapping[str, object], services: Services) -> Target:
        found = properties.strings(self.resource_type, values)
        given = [kind for kind in self.kinds if found.get(kind.attribute)]
        if len(given) != 1:
            names = ", ".join(kind.attribute for kind in self.kinds)
            raise properties.PropertyError(
                f"{self.resource_type} needs exactly one of {names}; got "
                f"{', '.join(kind.attribute for kind in given) or 'none'}."
            )
        kind = given[0]
        # What is shared belongs to the sharing account, not to this one: only its Region must match.
        place = properties.Place(services.place.region, None)
        identifier = kind.check(found[kind.attribute], place, name=kind.attribute)
        return Target(kind, identifier, found.get("InvitationRound", ""))

    def create(self, request: Request, services: Services) -> Outcome:
        target = self.target(request.properties, services)
        try:
            return self._accept(target, services)
        except (ClientError, OutOfTime) as error:
            # The reason names the call that failed: listing, reading or accepting.
            raise errors.failure(target.identifier, error) from error

    def update(self, request: Request, services: Services) -> Outcome:
        target = self.target(request.properties, services)
        current = InvitationRef.parse(request.physical_id)
        if current is None or current.resource != target.reference:
            return self.create(request, services)
        unchanged = _outcome(target, current.invitation_id, "unchanged")
        if self._old_round(request.old_properties, services) == target.invitation_round:
            return unchanged
        # The owner's new InvitationRound: accept the invitation it sent, if the share needed one.
        outcome = self.create(request, services)
        return outcome if outcome.data["ShareInvitationId"] else unchanged

    def delete(self, request: Request, services: Services) -> Outcome:
        """Accepting cannot be undone from here, and the share is the owner's: nothing to do."""
        return Outcome(request.physical_id, "left accepted")

    def _old_round(self, old: Mapping[str, object], services: Services) -> str | None:
        try:
            return self.target(old, services).invitation_round
        except properties.PropertyError:
            return None

    def _accept(self, target: Target, services: Services) -> Outcome:
        wellarchitected = services.wellarchitected
        deadline, backoff = services.call.deadline, services.call.backoff
        wait = FIRST_WAIT_S
        waited = 0.0
        while True:
            for invitation in wellarchitected.share_invitations(target.kind):
                if invitation.get(target.kind.attribute) == target.identifier and "ShareInvitationId" in invitation:
                    services.check_owner(invitation.get("SharedBy", ""), target.kind.noun, target.identifier)
                    wellarchitected.accept_share_invitation(invitation["ShareInvitationId"])
                    return _outcome(target, invitation["ShareInvitationId"], "accepted")
            out_of_time = deadline.left() < wait + ATTEMPT_S
            if (waited >= SETTLE_S or out_of_time) and self._readable(target, services):
                outcome = _outcome(target, "", "nothing to accept")
                outcome.note = NOTHING_TO_ACCEPT.format(noun=target.kind.noun)
                return outcome
            if out_of_time:
                account = services.place.account or "this account"
                raise ProviderError(
                    f"No pending share invitation for {target.kind.noun} {target.identifier} reached account "
                    f"{account} within {waited:.0f} s, and the account cannot read it yet; have the owner share it "
                    f"with this account ({target.kind.resource_type}) first, then retry. An invitation expires 7 "
                    "days after it is sent; a share with this account's organization or OU needs no invitation, "
                    "but reaches the account only once Well-Architected has associated it.",
                    "NoInvitation",
                )
            # The settle window ends on time: the pause before it closes is cut to what is left of it.
            pause = min(wait, SETTLE_S - waited) if waited < SETTLE_S else wait
            backoff.sleep(pause)
            waited += pause
            wait = min(wait * 2, LONGEST_WAIT_S)

    def _readable(self, target: Target, services: Services) -> bool:
        try:
            services.wellarchitected.read(target.kind, target.identifier)
        except ClientError as error:
            if error_code(error) in UNREADABLE:
                return False
            raise
        return True


def _outcome(target: Target, invitation_id: str, action: str) -> Outcome:
    ref = InvitationRef(target.reference, invitation_id)
    return Outcome(
        ref.physical_id, action, {"ShareInvitationId": invitation_id, target.kind.attribute: target.identifier}
    )


SHARE_INVITATION = InvitationResource("Custom::ShareInvitation", KINDS)
LENS_SHARE_INVITATION = InvitationResource("Custom::LensShareInvitation", (LENS,))
