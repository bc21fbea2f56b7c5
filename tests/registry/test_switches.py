"""The handlers under each emulator switch that can change their outcome, and under the service's refusals:
asserted on what the emulator holds afterwards."""

from __future__ import annotations

import pytest

from emulator import WellArchitectedEmulator
from tests.registry.harness import ACCOUNT, FIRST, SECOND, Driver, Kind, held, lapse

WRITES = ("Create", "Delete", "Update")


def writes(emu: WellArchitectedEmulator) -> list[str]:
    return [operation for operation, _status, _account in emu.calls() if operation.startswith(WRITES)]


@pytest.mark.parametrize("delete_gone", ["not-found", "validation", "ok"])
@pytest.mark.parametrize("lag", ["0", "1"])
def test_a_share_deleted_by_hand_is_not_found_by_delete(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, delete_gone: str, lag: str
) -> None:
    resource = kind.make(emu)
    created = driver.run("CREATE", kind.properties(resource))
    emu.set_behaviour("delete-gone", delete_gone)
    emu.set_behaviour("listing-lag", lag)
    emu.delete_share(created.model["ShareId"])

    deleted = driver.run("DELETE", kind.properties(resource))

    assert deleted.code == "NotFound", deleted.message
    assert emu.shares(resource) == []


@pytest.mark.parametrize("lag", ["0", "2"])
def test_create_and_delete_wait_for_a_lagging_listing(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, lag: str
) -> None:
    emu.set_behaviour("listing-lag", lag)
    resource = kind.make(emu)

    created = driver.run("CREATE", kind.properties(resource))
    read = driver.run("READ", kind.properties(resource))
    deleted = driver.run("DELETE", kind.properties(resource))
    after = driver.run("READ", kind.properties(resource))

    assert created.status == "SUCCESS", created.message
    assert read.model == created.model
    assert deleted.status == "SUCCESS", deleted.message
    assert after.code == "NotFound"
    assert emu.shares(resource) == []


@pytest.mark.parametrize("reshare", ["replace", "conflict", "keep-both"])
@pytest.mark.parametrize("stale", ["EXPIRED", "REJECTED"])
def test_a_new_invitation_round_reshares_a_stale_share(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, reshare: str, stale: str
) -> None:
    emu.set_behaviour("reshare-inactive", reshare)
    resource = kind.make(emu)
    created = driver.run("CREATE", kind.properties(resource, InvitationRound="1"))
    lapse(emu, FIRST, stale)

    updated = driver.run(
        "UPDATE", kind.properties(resource, InvitationRound="2"), kind.properties(resource, InvitationRound="1")
    )

    [(share_id, status)] = held(emu, resource).values()
    assert updated.status == "SUCCESS", updated.message
    assert share_id != created.model["ShareId"]
    assert status == "PENDING"
    assert updated.model["ShareId"] == share_id


@pytest.mark.parametrize("status", ["PENDING", "ACCEPTED"])
def test_a_new_invitation_round_leaves_a_usable_share_alone(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, status: str
) -> None:
    resource = kind.make(emu)
    created = driver.run("CREATE", kind.properties(resource, InvitationRound="1"))
    lapse(emu, FIRST, status)
    before = len(writes(emu))

    updated = driver.run(
        "UPDATE", kind.properties(resource, InvitationRound="2"), kind.properties(resource, InvitationRound="1")
    )

    assert updated.status == "SUCCESS", updated.message
    assert held(emu, resource) == {FIRST: (created.model["ShareId"], status)}
    assert len(writes(emu)) == before


def test_update_never_creates_a_share_that_is_gone(emu: WellArchitectedEmulator, kind: Kind, driver: Driver) -> None:
    resource = kind.make(emu)
    created = driver.run("CREATE", kind.properties(resource, InvitationRound="1"))
    emu.delete_share(created.model["ShareId"])

    updated = driver.run(
        "UPDATE", kind.properties(resource, InvitationRound="2"), kind.properties(resource, InvitationRound="1")
    )

    assert updated.code == "NotFound"
    assert emu.shares(resource) == []


@pytest.mark.parametrize("reshare", ["replace", "conflict", "keep-both"])
@pytest.mark.parametrize("lapsed", ["EXPIRED", "REJECTED"])
def test_a_lapsed_share_made_elsewhere_is_never_taken_over(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, reshare: str, lapsed: str
) -> None:
    emu.set_behaviour("reshare-inactive", reshare)
    resource = kind.make(emu)
    outside = driver.run("CREATE", kind.properties(resource)).model["ShareId"]
    lapse(emu, FIRST, lapsed)
    before = len(writes(emu))

    created = driver.run("CREATE", kind.properties(resource))

    assert created.code == "AlreadyExists"
    assert outside in created.message
    assert lapsed in created.message
    assert held(emu, resource) == {FIRST: (outside, lapsed)}
    assert len(writes(emu)) == before


@pytest.mark.parametrize("resource_id", ["share", "absent", "resource"])
def test_an_active_share_made_elsewhere_is_named_whatever_the_conflict_says(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, resource_id: str
) -> None:
    emu.set_behaviour("conflict-resource-id", resource_id)
    resource = kind.make(emu)
    outside = driver.run("CREATE", kind.properties(resource)).model["ShareId"]

    created = driver.run("CREATE", kind.properties(resource))

    assert created.code == "AlreadyExists"
    assert outside in created.message
    assert held(emu, resource) == {FIRST: (outside, "PENDING")}


@pytest.mark.parametrize("scope", ["operation", "account"])
@pytest.mark.parametrize("reuse", ["conflict", "validation", "first-result"])
def test_a_retried_create_replays_its_token_and_delete_never_reuses_it(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, scope: str, reuse: str
) -> None:
    emu.set_behaviour("token-scope", scope)
    emu.set_behaviour("token-reuse", reuse)
    resource = kind.make(emu)

    first = driver.run("CREATE", kind.properties(resource), token="request-1")
    again = driver.run("CREATE", kind.properties(resource), token="request-1")
    deleted = driver.run("DELETE", kind.properties(resource), token="request-1")

    assert first.model["ShareId"] == again.model["ShareId"]
    assert deleted.status == "SUCCESS", deleted.message
    assert emu.shares(resource) == []


@pytest.mark.parametrize("own_account", ["refused", "accepted"])
def test_the_own_account_is_refused_before_any_call(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, own_account: str
) -> None:
    emu.set_behaviour("own-account", own_account)
    resource = kind.make(emu)
    before = len(emu.calls())

    created = driver.run("CREATE", kind.properties(resource, ACCOUNT))

    assert created.code == "InvalidRequest"
    assert "SharedWith" in created.message
    assert len(emu.calls()) == before


def test_the_type_configuration_guards_principals_before_any_call(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver
) -> None:
    resource = kind.make(emu)
    driver.configuration = {"AllowedPrincipals": SECOND}

    refused = driver.run("CREATE", kind.properties(resource, FIRST))
    allowed = driver.run("CREATE", kind.properties(resource, SECOND))

    assert refused.code == "InvalidRequest"
    assert "AllowedPrincipals" in refused.message
    assert allowed.status == "SUCCESS", allowed.message
    assert set(held(emu, resource)) == {SECOND}


@pytest.mark.parametrize("quota_counts", ["all", "accounts-and-users"])
def test_the_quota_is_service_limit_exceeded_naming_the_limit(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, quota_counts: str
) -> None:
    emu.set_behaviour("quota-counts", quota_counts)
    emu.set_share_quota(1)
    resource = kind.make(emu)
    driver.run("CREATE", kind.properties(resource, FIRST))

    refused = driver.run("CREATE", kind.properties(resource, SECOND))

    assert refused.code == "ServiceLimitExceeded"
    assert kind.share_type.kind.quota in refused.message
    assert set(held(emu, resource)) == {FIRST}


def test_access_denied_names_the_iam_action(emu: WellArchitectedEmulator, kind: Kind, driver: Driver) -> None:
    resource = kind.make(emu)
    create = f"Create{kind.share_type.kind.noun_in_api}Share"
    emu.inject_fault("error", operation=create, status=403, code="AccessDeniedException")

    refused = driver.run("CREATE", kind.properties(resource))

    assert refused.code == "AccessDenied"
    assert f"wellarchitected:{create}" in refused.message
    assert emu.shares(resource) == []


def test_a_missing_resource_says_how_to_make_it(emu: WellArchitectedEmulator, kind: Kind, driver: Driver) -> None:
    resource = kind.make(emu)
    emu.reset()

    refused = driver.run("CREATE", kind.properties(resource))

    assert refused.code == "NotFound"
    assert kind.share_type.kind.create_hint in refused.message


@pytest.mark.parametrize("code", ["ThrottlingException", "InternalServerException"])
def test_throttling_and_5xx_are_retried_then_handed_back_as_callbacks(
    emu: WellArchitectedEmulator, kind: Kind, driver: Driver, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lens_share_types import handlers

    # An invocation budget of one attempt: the retries left over go to CloudFormation's callbacks.
    monkeypatch.setattr(handlers, "INVOCATION_S", 9.0)
    resource = kind.make(emu)
    create = f"Create{kind.share_type.kind.noun_in_api}Share"
    emu.inject_fault("error", operation=create, count=3, status=429 if code.startswith("Thr") else 500, code=code)

    created = driver.run("CREATE", kind.properties(resource))

    assert created.status == "SUCCESS", created.message
    assert any(event["status"] == "IN_PROGRESS" and event.get("callbackDelaySeconds") for event in created.events)
    assert [status for _share, status in held(emu, resource).values()] == ["PENDING"]


def test_workload_permission_changes_in_place(emu: WellArchitectedEmulator) -> None:
    from lens_share_types.kinds import BY_NAME

    driver = Driver(BY_NAME["WorkloadShare"])
    workload = emu.create_workload(account=ACCOUNT)
    base = {"WorkloadId": workload, "SharedWith": FIRST}
    created = driver.run("CREATE", {**base, "PermissionType": "READONLY"})

    updated = driver.run("UPDATE", {**base, "PermissionType": "CONTRIBUTOR"}, {**base, "PermissionType": "READONLY"})

    [share] = emu.shares(workload)
    assert updated.status == "SUCCESS", updated.message
    assert share["ShareId"] == created.model["ShareId"]
    assert share["PermissionType"] == "CONTRIBUTOR"
    assert updated.model["PermissionType"] == "CONTRIBUTOR"
