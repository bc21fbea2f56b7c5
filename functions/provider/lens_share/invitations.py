"""Custom::LensShareInvitation: a recipient account accepts the invitation to a shared lens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from lens_share import errors, properties
from lens_share.errors import ProviderError
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
                invitation_id = invitation["ShareInvitationId"]
                wellarchitected.accept_share_invitation(invitation_id)
                data = {"ShareInvitationId": invitation_id, "LensArn": lens_arn}
                return Outcome(f"{lens_arn}/invitations/{invitation_id}", "accepted", data)
        if _already_shared(lens_arn, services):
            data = {"ShareInvitationId": "", "LensArn": lens_arn}
            return Outcome(f"{lens_arn}/invitations/accepted", "already accepted", data)
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
        raise errors.failure("UpdateShareInvitation", lens_arn, error) from error


def update(request: Request, services: Services) -> Outcome:
    lens_arn = _lens_arn(request.properties, services)
    if request.physical_id.startswith(f"{lens_arn}/invitations/"):
        invitation_id = request.physical_id.rsplit("/", 1)[1]
        data = {
            "ShareInvitationId": "" if invitation_id == "accepted" else invitation_id,
            "LensArn": lens_arn,
        }
        return Outcome(request.physical_id, "unchanged", data)
    return create(request, services)


def delete(request: Request, services: Services) -> Outcome:
    """Accepting cannot be undone from here, and the share is the owner's: nothing to do."""
    return Outcome(request.physical_id, "left accepted")
