"""Custom::WellArchitectedOrganizationSharing: turns on sharing with organizations and OUs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from lens_share import errors, physical_ids, properties
from lens_share.aws.retry import OutOfTime
from lens_share.errors import ProviderError
from lens_share.outcome import Outcome

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lens_share.request import Request
    from lens_share.services import Services

RESOURCE_TYPE = "Custom::WellArchitectedOrganizationSharing"


def _disable_on_delete(values: Mapping[str, object]) -> bool:
    return properties.strings(RESOURCE_TYPE, values)["DisableOnDelete"] == "true"


def _physical_id(services: Services) -> str:
    return physical_ids.organization_sharing(services.place.account, services.place.region)


def _enable(services: Services) -> None:
    """Turns the setting on; without the powers to, a setting already on is taken as it is (an upgraded provider)."""
    if services.organization_sharing:
        _set(services, "ENABLED")
        return
    try:
        status = services.wellarchitected.organization_sharing_status()
    except (ClientError, OutOfTime) as error:
        raise errors.failure("the account's Well-Architected settings", error) from error
    if status != "ENABLED":
        raise ProviderError(
            f"{RESOURCE_TYPE} needs organization sharing allowed in its provider: the provider stack's parameter "
            "OrganizationSharing=enabled, or organizationSharing: true on the CDK library's bundled provider, which "
            "gives its role the Organizations and IAM permissions that turning organization sharing on takes; "
            "update the provider with it, then retry.",
            "OrganizationSharingDisabled",
        )


def _set(services: Services, status: str) -> None:
    try:
        services.wellarchitected.set_organization_sharing_status(status)
    except (ClientError, OutOfTime) as error:
        raise errors.failure("the account's Well-Architected settings", error) from error


def create(request: Request, services: Services) -> Outcome:
    _disable_on_delete(request.properties)
    _enable(services)
    return Outcome(_physical_id(services), "enabled", {"OrganizationSharingStatus": "ENABLED"})


def update(request: Request, services: Services) -> Outcome:
    _disable_on_delete(request.properties)
    _enable(services)
    return Outcome(request.physical_id or _physical_id(services), "enabled", {"OrganizationSharingStatus": "ENABLED"})


def delete(request: Request, services: Services) -> Outcome:
    """Leaves the setting on unless DisableOnDelete asks: shares of other stacks may depend on it."""
    if request.physical_id != _physical_id(services):
        return Outcome(request.physical_id, "skipped")
    try:
        disable = _disable_on_delete(request.properties)
    except properties.PropertyError:
        disable = False
    # Without OrganizationSharing the role cannot change the setting, and a Delete must not fail.
    if not disable or not services.organization_sharing:
        return Outcome(request.physical_id, "left enabled")
    _set(services, "DISABLED")
    return Outcome(request.physical_id, "disabled")
