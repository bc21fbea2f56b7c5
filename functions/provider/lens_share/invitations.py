"""Custom::LensShareInvitation: a recipient account accepts the invitation to a shared lens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from lens_share import errors, properties
from lens_share.errors import ProviderError
from lens_share.physical_ids import InvitationRef
from lens_share.request import Outcome
from lens_share.retry import ATTEMPT_S, OutOfTime

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lens_share.request import Request
    from lens_share.services import Services

RESOURCE_TYPE = "Custom::LensShareInvitation"
FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 15.0


def _lens_arn(values: Mapping[str, object], services: Services) -> str:
    found = properties.strings(RESOURCE_TYPE, values, required=("LensArn",))
    # The lens belongs to the sharing account, not to this one: only its Region must match.
    return properties.lens_arn(found["LensArn"], properties.Place(services.place.region, None), name="LensArn")


def _accept(lens_arn: str, services: Services) -> Outcome:
    wellarchitected = services.wellarchitected
    wait = FIRST_WAIT_S
    waited = 0.0
    while True:
        for invitation in wellarchitected.lens_share_invitations():
            if invitation.get("LensArn") == lens_arn and "ShareInvitationId" in invitation:
                ref = InvitationRef(lens_arn, invitation["ShareInvitationId"])
                wellarchitected.accept_share_invitation(ref.invitation_id)
                return _outcome(ref, "accepted")
        if _already_shared(lens_arn, services):
            return _outcome(InvitationRef(lens_arn, ""), "already accepted")
        if wellarchitected.deadline.left() < wait + ATTEMPT_S:
            account = services.place.account or "this account"
            raise ProviderError(
                f"No pending share invitation for lens {lens_arn} reached account {account} "
                f"within {waited:.0f} s; have the lens owner share it with this account (Custom::LensShare) "
                "first, then retry. An invitation expires 7 days after it is sent.",
                "NoInvitation",
            )
        wellarchitected.backoff.sleep(wait)
        waited += wait
        wait = min(wait * 2, LONGEST_WAIT_S)


def _outcome(ref: InvitationRef, action: str) -> Outcome:
    return Outcome(ref.physical_id, action, {"ShareInvitationId": ref.invitation_id, "LensArn": ref.lens_arn})


def _already_shared(lens_arn: str, services: Services) -> bool:
    """The lens is readable from this account, so an earlier invitation was accepted."""
    try:
        services.wellarchitected.lens(lens_arn)
    except ClientError as error:
        if errors.error_code(error) in (
            "ResourceNotFoundException",
            "AccessDeniedException",
            "ValidationException",
        ):
            return False
        raise
    return True


def create(request: Request, services: Services) -> Outcome:
    lens_arn = _lens_arn(request.properties, services)
    try:
        return _accept(lens_arn, services)
    except (ClientError, OutOfTime) as error:
        # The reason names the call that failed: listing, reading the lens or accepting.
        raise errors.failure(lens_arn, error) from error


def update(request: Request, services: Services) -> Outcome:
    lens_arn = _lens_arn(request.properties, services)
    current = InvitationRef.parse(request.physical_id)
    if current is not None and current.lens_arn == lens_arn:
        return _outcome(current, "unchanged")
    return create(request, services)


def delete(request: Request, services: Services) -> Outcome:
    """Accepting cannot be undone from here, and the share is the owner's: nothing to do."""
    return Outcome(request.physical_id, "left accepted")
