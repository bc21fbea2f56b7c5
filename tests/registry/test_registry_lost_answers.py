"""A lost answer is not a no, for the registry types too: a create never ends FAILED while a share it made
remains, and the rules the Custom:: resources follow (statuses, a new InvitationRound) hold here alike."""

from __future__ import annotations

import pytest

from build_types import invitation_round, schema
from emulator import WellArchitectedEmulator
from lens_share import rules
from lens_share_types import handlers
from lens_share_types.kinds import BY_NAME
from tests.registry.harness import ACCOUNT, FIRST, Answer, Driver, Kind, held, lapse

OU = "ou-ab12-cd34ef56"

# Each invocation retries for about four seconds of the session's clock, and a create gets one callback: what a
# lost answer does when its rounds run out. The settling round still has time to look at the listing three times
# (pauses of 1 and 2 s, each look with a whole attempt's time before it).
INVOCATION_S, ROUNDS = 12.0, 1


@pytest.fixture
def few_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handlers, "INVOCATION_S", INVOCATION_S)
    monkeypatch.setattr(handlers, "RETRY_ROUNDS", ROUNDS)


def create(kind: Kind) -> str:
    return f"Create{kind.share_type.kind.noun_in_api}Share"


def create_losing(emu: WellArchitectedEmulator, kind: Kind, driver: Driver, count: int) -> tuple[str, Answer]:
    """A resource, and its create with `count` answers lost after the change was made."""
    resource = kind.make(emu)
    emu.inject_fault("lost", operation=create(kind), count=count, status=500, code="InternalServerException")
    return resource, driver.run("CREATE", kind.properties(resource))


@pytest.mark.usefixtures("few_rounds")
def test_a_create_lost_until_its_rounds_run_out_ends_with_the_share_it_made(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver
) -> None:
    resource, created = create_losing(emu, kind, driver, 10_000)

    [(share_id, _status)] = held(emu, resource).values()
    assert created.status == "SUCCESS", created.message
    assert created.model["ShareId"] == share_id
    assert created.events[-2]["callbackContext"]["Settle"] is True

    emu.clear_faults()
    deleted = driver.run("DELETE", kind.properties(resource))

    assert deleted.status == "SUCCESS", deleted.message
    assert emu.shares(resource) == []


@pytest.mark.usefixtures("few_rounds")
def test_a_create_whose_writes_made_nothing_fails_and_leaves_nothing(emu: WellArchitectedEmulator) -> None:
    kind = Kind(BY_NAME["LensShare"])
    driver = Driver(kind.share_type)
    resource = kind.make(emu)
    emu.inject_fault("error", operation=create(kind), count=10_000, status=500, code="InternalServerException")

    created = driver.run("CREATE", kind.properties(resource))

    assert created.status == "FAILED"
    assert created.code == "ServiceInternalError"
    assert "nothing was made" in created.message
    assert emu.shares(resource) == []


@pytest.mark.usefixtures("few_rounds")
def test_a_create_lost_once_is_proven_by_its_token_on_the_callback(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver
) -> None:
    resource, created = create_losing(emu, kind, driver, 1)

    assert created.status == "SUCCESS", created.message
    assert held(emu, resource) == {FIRST: (created.model["ShareId"], "PENDING")}
    assert len(emu.calls(create(kind))) == 2


@pytest.mark.parametrize("status", sorted(rules.LAPSED))
def test_a_new_round_shares_again_exactly_where_the_description_says(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, status: str
) -> None:
    resource = kind.make(emu)
    # Only an organization or OU share fails to associate; account shares expire or are rejected.
    principal = OU if status == "FAILED" else FIRST
    emu.set_organization_sharing(True, account=ACCOUNT)
    first = driver.run("CREATE", kind.properties(resource, principal, InvitationRound="1"))
    if status == "FAILED":
        emu.set_share_status(first.model["ShareId"], "FAILED", "could not associate")
    else:
        lapse(emu, FIRST, status)

    updated = driver.run(
        "UPDATE",
        kind.properties(resource, principal, InvitationRound="2"),
        kind.properties(resource, principal, InvitationRound="1"),
    )

    assert updated.status == "SUCCESS", updated.message
    assert updated.model["ShareId"] != first.model["ShareId"]
    [(share_id, _status)] = held(emu, resource).values()
    assert share_id == updated.model["ShareId"]
    assert status in schema(kind.share_type, "Acme")["properties"]["InvitationRound"]["description"]


def test_a_new_round_never_makes_again_a_share_that_is_gone(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver
) -> None:
    """A REVOKED share is read as gone too (rules.REVOKED); the emulator has no way to revoke one."""
    resource = kind.make(emu)
    first = driver.run("CREATE", kind.properties(resource, InvitationRound="1"))
    emu.delete_share(first.model["ShareId"])
    writes = len(emu.calls(create(kind)))

    updated = driver.run(
        "UPDATE", kind.properties(resource, InvitationRound="2"), kind.properties(resource, InvitationRound="1")
    )

    assert updated.code == "NotFound"
    assert len(emu.calls(create(kind))) == writes
    assert "NotFound" in invitation_round()
    assert rules.REVOKED in invitation_round()
