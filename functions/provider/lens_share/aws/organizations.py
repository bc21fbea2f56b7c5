"""The AWS Organizations calls of the ORGANIZATION guard, each a typed boto3 method through the one Caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lens_share.aws.calls import Caller

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient


@dataclass
class Organizations:
    client: OrganizationsClient
    call: Caller

    def organization_id(self) -> str:
        return self.call(self.client.describe_organization)["Organization"]["Id"]

    def describe_account(self, account_id: str) -> None:
        self.call(self.client.describe_account, AccountId=account_id)

    def describe_organizational_unit(self, ou_id: str) -> None:
        self.call(self.client.describe_organizational_unit, OrganizationalUnitId=ou_id)
