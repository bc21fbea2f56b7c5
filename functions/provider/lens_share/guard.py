"""The principal guard: whom the provider's owners allow lenses to be shared with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from lens_share.errors import ProviderError
from lens_share.properties import Principal, PrincipalKind

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient

ANYONE = "ANY"
ORGANIZATION = "ORGANIZATION"


class Guard(Protocol):
    def check(self, principal: Principal) -> None: ...


class Anyone:
    """AllowedPrincipals=ANY: every principal Well-Architected accepts."""

    def check(self, principal: Principal) -> None:
        return None


@dataclass(frozen=True)
class Listed:
    """AllowedPrincipals=<IDs>: accounts (users and roles by their account), organizations and OUs, exactly."""

    allowed: frozenset[str]

    def check(self, principal: Principal) -> None:
        key = principal.account or principal.value
        if key not in self.allowed:
            listed = ", ".join(sorted(self.allowed))
            raise ProviderError(
                f"SharedWith {principal.value!r} is refused by the provider's AllowedPrincipals rule, which "
                f"allows only {listed}; share with one of those, or have the provider's owners add it.",
                "PrincipalRefused",
            )


@dataclass
class InOrganization:
    """AllowedPrincipals=ORGANIZATION: only the provider account's own organization, checked in Organizations."""

    organizations: Callable[[], OrganizationsClient]
    _organization_id: str = ""

    def check(self, principal: Principal) -> None:
        try:
            inside = self._inside(principal)
        except (ClientError, BotoCoreError) as error:
            raise ProviderError(
                f"SharedWith {principal.value!r} could not be checked against the provider's ORGANIZATION rule "
                f"({error}); the rule needs the provider in the organization's management account or a "
                "delegated administrator account.",
                "PrincipalUnverified",
            ) from error
        if not inside:
            raise ProviderError(
                f"SharedWith {principal.value!r} is refused by the provider's AllowedPrincipals rule ORGANIZATION: "
                f"it is not part of organization {self._organization_id}.",
                "PrincipalRefused",
            )

    def _inside(self, principal: Principal) -> bool:
        client = self.organizations()
        if not self._organization_id:
            self._organization_id = client.describe_organization()["Organization"]["Id"]
        if principal.kind is PrincipalKind.ORGANIZATION:
            return principal.value == self._organization_id
        try:
            if principal.kind is PrincipalKind.ORGANIZATIONAL_UNIT:
                client.describe_organizational_unit(OrganizationalUnitId=principal.value)
            else:
                client.describe_account(AccountId=principal.account or "")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in (
                "AccountNotFoundException",
                "OrganizationalUnitNotFoundException",
            ):
                return False
            raise
        return True


def from_setting(setting: str, organizations: Callable[[], OrganizationsClient]) -> Guard:
    """The guard for the AllowedPrincipals parameter: ANY, ORGANIZATION or a comma-separated list of IDs."""
    value = setting.strip()
    if not value or value.upper() == ANYONE:
        return Anyone()
    if value.upper() == ORGANIZATION:
        return InOrganization(organizations)
    return Listed(frozenset(part.strip() for part in value.split(",") if part.strip()))
