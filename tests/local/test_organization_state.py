"""The local organization between commands: kept as the journal of its changes through moto's API, with a
format, and replayed into the same IDs; a state directory in another form is refused with what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local.errors import StateError
from local.organization import FILE, FORMAT, OLD_FILE, forget, local_organization


def test_the_next_command_finds_the_same_organization_units_and_accounts(tmp_path: Path) -> None:
    with local_organization(tmp_path) as first:
        unit = first.create_unit("Workloads")
        member = first.create_account("member", unit)
        made = (first.management_account, first.root, unit, member)

    with local_organization(tmp_path) as again:
        assert (again.management_account, again.root) == made[:2]
        assert again.accounts_in(unit) == [member]
        later = again.create_account("later")

    kept = json.loads((tmp_path / FILE).read_text(encoding="utf-8"))
    assert kept["format"] == FORMAT
    assert [operation for operation, _ in kept["changes"]] == [
        "create_organization",
        "create_organizational_unit",
        "create_account",
        "move_account",
        "create_account",
    ]
    with local_organization(tmp_path) as third:
        assert {account["Id"] for account in third.accounts()} >= {member, later}


@pytest.mark.parametrize("kept", ["old-pickle", "other-format"])
def test_a_state_directory_in_another_form_is_refused_until_reset(tmp_path: Path, kept: str) -> None:
    if kept == "old-pickle":
        (tmp_path / OLD_FILE).write_bytes(b"moto internals")
    else:
        (tmp_path / FILE).write_text(json.dumps({"format": FORMAT + 1, "changes": []}), encoding="utf-8")

    with pytest.raises(StateError, match=r"python -m local reset"), local_organization(tmp_path):
        pass

    forget(tmp_path)
    with local_organization(tmp_path) as afresh:
        assert afresh.accounts() == [{"Id": afresh.management_account, "Name": "master", "Parent": afresh.root}]
