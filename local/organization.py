"""The local organization: accounts and OUs held in moto's Organizations, served on 127.0.0.1 (so nothing else in
the process is mocked) and kept in the state directory between commands as moto's backend, pickled: the state
directory's own file, written only by this module."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.organizations.models import organizations_backends
from moto.server import ThreadedMotoServer

FILE = "organization.pickle"


class Organization:
    """Reads and changes of the organization through a boto3 client of moto's Organizations."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def ensure(self) -> None:
        try:
            self.client.describe_organization()
        except self.client.exceptions.AWSOrganizationsNotInUseException:
            self.client.create_organization(FeatureSet="ALL")

    @property
    def management_account(self) -> str:
        return str(self.client.describe_organization()["Organization"]["MasterAccountId"])

    @property
    def root(self) -> str:
        return str(self.client.list_roots()["Roots"][0]["Id"])

    def create_unit(self, name: str, parent: str | None = None) -> str:
        unit = self.client.create_organizational_unit(ParentId=parent or self.root, Name=name)
        return str(unit["OrganizationalUnit"]["Id"])

    def create_account(self, name: str, unit: str | None = None) -> str:
        status = self.client.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        account = str(status["AccountId"])
        if unit is not None:
            self.move(account, unit)
        return account

    def parent(self, account: str) -> str:
        return str(self.client.list_parents(ChildId=account)["Parents"][0]["Id"])

    def move(self, account: str, destination: str) -> None:
        source = self.parent(account)
        self.client.move_account(AccountId=account, SourceParentId=source, DestinationParentId=destination)

    def accounts_in(self, unit: str) -> list[str]:
        """Every account in the OU and the OUs below it, as a StackSet targeting the OU reaches them."""
        accounts = [account["Id"] for account in self.client.list_accounts_for_parent(ParentId=unit)["Accounts"]]
        for child in self.client.list_organizational_units_for_parent(ParentId=unit)["OrganizationalUnits"]:
            accounts += self.accounts_in(child["Id"])
        return accounts

    def accounts(self) -> list[dict[str, str]]:
        return [
            {"Id": account["Id"], "Name": account["Name"], "Parent": self.parent(account["Id"])}
            for account in self.client.list_accounts()["Accounts"]
        ]


def _backend() -> Any:
    return organizations_backends[DEFAULT_ACCOUNT_ID]["aws"]


@contextmanager
def local_organization(state_dir: Path) -> Iterator[Organization]:
    """moto's Organizations with the organization the state directory keeps; what changed is kept again after.
    One at a time in a process: moto's backend is the process's own."""
    path = state_dir / FILE
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        _backend().reset()
        if path.is_file():
            _backend().__dict__.update(pickle.loads(path.read_bytes()))
        host, port = server.get_host_and_port()
        client = boto3.client(
            "organizations",
            region_name="us-east-1",
            endpoint_url=f"http://{host}:{port}",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        organization = Organization(client)
        organization.ensure()
        yield organization
        state_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(_backend().__dict__))
    finally:
        server.stop()
