"""The contract every share type keeps, for each of the four: create, read, update, list and delete, asserted on
what the emulator holds afterwards."""

from __future__ import annotations

from emulator import WellArchitectedEmulator
from tests.registry.harness import FIRST, SECOND, Driver, Kind, held


def test_create_read_list_delete_then_not_found(emu: WellArchitectedEmulator, kind: Kind, driver: Driver) -> None:
    resource = kind.make(emu)
    wanted = kind.properties(resource, InvitationRound="1")

    created = driver.run("CREATE", wanted)
    [(share_id, status)] = held(emu, resource).values()
    read = driver.run("READ", kind.properties(resource))
    listed = driver.run("LIST", {kind.prop: resource})
    deleted = driver.run("DELETE", wanted)
    after = [driver.run(action, wanted).code for action in ("READ", "DELETE", "UPDATE")]

    assert created.status == "SUCCESS", created.message
    assert created.model == {**kind.properties(resource), "ShareId": share_id, "Status": "PENDING"}
    assert status == "PENDING"
    assert read.model == created.model
    assert listed.last["resourceModels"] == [{kind.prop: resource, "SharedWith": FIRST}]
    assert listed.last.get("nextToken") is None
    assert deleted.status == "SUCCESS", deleted.message
    assert emu.shares(resource) == []
    assert after == ["NotFound", "NotFound", "NotFound"]


def test_create_uses_the_request_token_and_a_second_resource_is_refused(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver
) -> None:
    resource = kind.make(emu)
    first = driver.run("CREATE", kind.properties(resource), token="token-1")
    replayed = driver.run("CREATE", kind.properties(resource), token="token-1")
    second = driver.run("CREATE", kind.properties(resource), token="token-2")

    assert first.status == replayed.status == "SUCCESS"
    assert replayed.model["ShareId"] == first.model["ShareId"]
    assert second.code == "AlreadyExists"
    assert first.model["ShareId"] in second.message
    assert "import" in second.message
    assert held(emu, resource) == {FIRST: (first.model["ShareId"], "PENDING")}


def test_list_names_every_principal_of_the_resource(emu: WellArchitectedEmulator, kind: Kind, driver: Driver) -> None:
    resource = kind.make(emu)
    for principal in (FIRST, SECOND):
        assert driver.run("CREATE", kind.properties(resource, principal)).status == "SUCCESS"

    listed = driver.run("LIST", {kind.prop: resource})

    assert sorted(m["SharedWith"] for m in listed.last["resourceModels"]) == [FIRST, SECOND]
