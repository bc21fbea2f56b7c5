"""The local organization: accounts and OUs held in moto's Organizations, served on 127.0.0.1 (so nothing else in
the process is mocked) and kept in the state directory between commands as the journal of the changes made
through moto's API, replayed by the next command: no moto internals are stored, so a moto upgrade reads it too.
Each change is made with moto's random generator seeded by its place in the journal (moto's /moto-api/seed), so
that the replay makes the same organization, OU and account IDs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3

from emulator.moto_server import moto_server, post
from local.errors import StateError

FILE = "organization.json"
# The journal's layout: a state directory holding another is refused, saying how to start afresh.
FORMAT = 1
# What an earlier version kept (moto's backend, pickled), which no version reads any more.
OLD_FILE = "organization.pickle"
_SEED = 1000


class Organization:
    """Reads and changes of the organization through a boto3 client of moto's Organizations."""

    def __init__(self, client: Any, moto_url: str) -> None:
        self.client = client
        self.journal: list[tuple[str, dict[str, Any]]] = []
        self._moto_url = moto_url

    def change(self, operation: str, **parameters: Any) -> dict[str, Any]:
        """A change of the organization through moto's API, kept in the journal."""
        post(f"{self._moto_url}/moto-api/seed?a={_SEED + len(self.journal)}")
        answer: dict[str, Any] = getattr(self.client, operation)(**parameters)
        self.journal.append((operation, parameters))
        return answer

    def replay(self, journal: list[tuple[str, dict[str, Any]]]) -> None:
        for operation, parameters in journal:
            self.change(operation, **parameters)

    def ensure(self) -> None:
        try:
            self.client.describe_organization()
        except self.client.exceptions.AWSOrganizationsNotInUseException:
            self.change("create_organization", FeatureSet="ALL")

    @property
    def management_account(self) -> str:
        return str(self.client.describe_organization()["Organization"]["MasterAccountId"])

    @property
    def root(self) -> str:
        return str(self.client.list_roots()["Roots"][0]["Id"])

    def create_unit(self, name: str, parent: str | None = None) -> str:
        unit = self.change("create_organizational_unit", ParentId=parent or self.root, Name=name)
        return str(unit["OrganizationalUnit"]["Id"])

    def create_account(self, name: str, unit: str | None = None) -> str:
        status = self.change("create_account", AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        account = str(status["AccountId"])
        if unit is not None:
            self.move(account, unit)
        return account

    def parent(self, account: str) -> str:
        return str(self.client.list_parents(ChildId=account)["Parents"][0]["Id"])

    def move(self, account: str, destination: str) -> None:
        source = self.parent(account)
        self.change("move_account", AccountId=account, SourceParentId=source, DestinationParentId=destination)

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


def _journal(state_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    path = state_dir / FILE
    if not path.is_file():
        if (state_dir / OLD_FILE).is_file():
            raise StateError(
                f"{state_dir} holds an organization in an earlier version's form: `python -m local reset` starts afresh"
            )
        return []
    kept = json.loads(path.read_text(encoding="utf-8"))
    if kept.get("format") != FORMAT:
        raise StateError(
            f"{path} is in format {kept.get('format')!r}, this version reads {FORMAT}: "
            "`python -m local reset` starts afresh"
        )
    return [(str(operation), dict(parameters)) for operation, parameters in kept["changes"]]


def forget(state_dir: Path) -> None:
    """No organization kept any more, in this version's form or an earlier one's."""
    for name in (FILE, OLD_FILE):
        (state_dir / name).unlink(missing_ok=True)


@contextmanager
def local_organization(state_dir: Path) -> Iterator[Organization]:
    """moto's Organizations with the organization the state directory keeps; what changed is kept again after.
    One at a time in a process: moto's backends are the process's own."""
    journal = _journal(state_dir)
    with moto_server() as url:
        client = boto3.client(
            "organizations",
            region_name="us-east-1",
            endpoint_url=url,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        organization = Organization(client, url)
        organization.replay(journal)
        organization.ensure()
        yield organization
        state_dir.mkdir(parents=True, exist_ok=True)
        document = {"format": FORMAT, "changes": organization.journal}
        (state_dir / FILE).write_text(json.dumps(document, indent=1), encoding="utf-8")
