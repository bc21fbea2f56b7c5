"""The principal guard: whom the provider's owners allow resources to be shared with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from lens_share.aws.codes import error_code
from lens_share.aws.retry import OutOfTime
from lens_share.errors import ProviderError
from lens_share.properties import Principal, PrincipalKind

if TYPE_CHECKING:
    from lens_share.aws.organizations import Organizations

ANYONE = "ANY"
ORGANIZATION = "ORGANIZATION"
NOT_MEMBERS = frozenset({"AccountNotFoundException", "OrganizationalUnitNotFoundException"})


class Guard(Protocol):
    def check(self, principal: Principal, organizations: Callable[[], Organizations]) -> None: ...


class Anyone:
    """AllowedPrincipals=ANY: every principal Well-Architected accepts."""

    def check(self, principal: Principal, organizations: Callable[[], Organizations]) -> None:
        return None


@dataclass(frozen=True)
class Listed:
    """AllowedPrincipals=<IDs>: accounts (users and roles by their account), organizations and OUs, exactly."""

    allowed: frozenset[str]

    def check(self, principal: Principal, organizations: Callable[[], Organizations]) -> None:
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

    _organization_id: str = field(default="")

    def check(self, principal: Principal, organizations: Callable[[], Organizations]) -> None:
        try:
            inside = self._inside(principal, organizations())
        except (ClientError, BotoCoreError, OutOfTime) as error:
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

    def _inside(self, principal: Principal, organizations: Organizations) -> bool:
        if not self._organization_id:
            self._organization_id = organizations.organization_id()
        if principal.kind is PrincipalKind.ORGANIZATION:
            return principal.value == self._organization_id
        try:
            if principal.kind is PrincipalKind.ORGANIZATIONAL_UNIT:
                organizations.describe_organizational_unit(principal.value)
            else:
                organizations.describe_account(principal.account or "")
        except ClientError as error:
            if error_code(error) in NOT_MEMBERS:
                return False
            raise
        return True


def from_setting(setting: str) -> Guard:
    """The guard for the AllowedPrincipals parameter: ANY, ORGANIZATION or a comma-separated list of IDs."""
    value = setting.strip()
    if not value or value.upper() == ANYONE:
        return Anyone()
    if value.upper() == ORGANIZATION:
        return InOrganization()
    return Listed(frozenset(part.strip() for part in value.split(",") if part.strip()))
