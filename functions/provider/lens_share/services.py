"""What the provider works with: the Environment, made once per Lambda environment, and per invocation the
Services a resource may use, every call bound to that invocation's deadline."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lens_share import errors, guard
from lens_share.aws import clients, retry
from lens_share.aws.calls import Caller, Observer, ignore
from lens_share.aws.organizations import Organizations
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.owners import Owners
from lens_share.properties import Place, Principal

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient
    from mypy_boto3_wellarchitected import WellArchitectedClient


@dataclass(frozen=True)
class Environment:
    wellarchitected: WellArchitectedClient
    guard: guard.Guard
    region: str
    # How retries wait: real time in Lambda; tests may pass a Backoff with their own sleep and seeded generator.
    backoff: Callable[[], retry.Backoff] = retry.Backoff
    organizations: Callable[[], OrganizationsClient] = clients.organizations
    # The member template's AllowedOwners; the whole provider accepts invitations from every owner.
    owners: Owners = field(default_factory=Owners)
    # The template's OrganizationSharing parameter: without it the role cannot turn organization sharing on.
    organization_sharing: bool = True

    @classmethod
    def load(cls) -> Environment:
        client = clients.wellarchitected()
        setting = os.environ.get("ALLOWED_PRINCIPALS", guard.ANYONE)
        return cls(
            client,
            guard.from_setting(setting),
            client.meta.region_name,
            owners=Owners.from_setting(os.environ.get("ALLOWED_OWNERS", "")),
            organization_sharing=os.environ.get("ORGANIZATION_SHARING", "enabled") == "enabled",
        )


def load_environment() -> Environment | Exception:
    """This Lambda environment's Environment, or why it could not be made: each invocation then says so."""
    try:
        return Environment.load()
    except Exception as error:  # noqa: BLE001 - every invocation is still answered, with this error as the reason
        return error


class Services:
    """What a resource may use. Clients come on first use, so a Delete that needs no call succeeds even when
    the provider could not start."""

    def __init__(self, environment: Environment | BaseException, context: Any, observe: Observer = ignore) -> None:
        self._environment = environment
        self._context = context
        self._observe = observe
        arn = str(getattr(context, "invoked_function_arn", "")).split(":")
        account = arn[4] if len(arn) > 4 and arn[4].isdigit() else None
        if isinstance(environment, Environment):
            region = environment.region
        else:
            region = arn[3] if len(arn) > 3 and arn[3] else os.environ.get("AWS_REGION", "")
        self.place = Place(region, account)

    def _ready(self) -> Environment:
        if isinstance(self._environment, Environment):
            return self._environment
        raise errors.startup(self._environment) from self._environment

    @cached_property
    def call(self) -> Caller:
        deadline = retry.Deadline(self._context.get_remaining_time_in_millis)
        return Caller(deadline, self._ready().backoff(), self._observe)

    @cached_property
    def wellarchitected(self) -> WellArchitected:
        return WellArchitected(self._ready().wellarchitected, self.call)

    @cached_property
    def organizations(self) -> Organizations:
        return Organizations(self._ready().organizations(), self.call)

    def check_principal(self, principal: Principal) -> None:
        """The provider owners' AllowedPrincipals rule, before anything is shared."""
        self._ready().guard.check(principal, lambda: self.organizations)

    def check_owner(self, shared_by: str, noun: str, identifier: str) -> None:
        """The member stack's AllowedOwners rule, before an invitation is accepted."""
        self._ready().owners.check(shared_by, noun, identifier)

    @property
    def organization_sharing(self) -> bool:
        return self._ready().organization_sharing
