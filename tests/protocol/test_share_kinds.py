"""Profiles, review templates and workloads are shared with the guarantees lenses have: each point of the
Custom::LensShare contract, run for every kind through the real handler and the emulator."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from emulator.controls import MAKERS
from lens_share import guard
from lens_share import kinds as product
from local.cloudformation import Stack
from tests.protocol.harness import MEMBER, LambdaFunction, writes

FIRST, SECOND = "210000000001", "210000000002"
WEEK_S = 7 * 24 * 3600.0


@dataclasses.dataclass(frozen=True)
class Kind:
    resource_type: str
    prop: str  # the property naming what is shared
    noun: str  # Lens, Profile, Template or Workload, as the API's operation names have it
    make: Callable[[WellArchitectedEmulator], str]
    extra: tuple[tuple[str, str], ...] = ()
    attribute: str = ""  # the Fn::GetAtt attribute giving it back, also Custom::ShareInvitation's property

    def properties(self, resource: str, principal: str, **more: str) -> dict[str, str]:
        return {self.prop: resource, "SharedWith": principal, **dict(self.extra), **more}


# The product's own kinds: a new one gets every contract test below.
KINDS = [
    Kind(
        kind.resource_type,
        kind.prop,
        kind.noun_in_api,
        MAKERS[kind.key],
        (("PermissionType", "CONTRIBUTOR"),) if kind.permission else (),
        kind.attribute,
    )
    for kind in product.KINDS
]


def by_id(kind: Kind) -> str:
    return kind.resource_type.removeprefix("Custom::")


def held(emu: WellArchitectedEmulator, resource: str) -> dict[str, tuple[str, str]]:
    return {entry["SharedWith"]: (entry["ShareId"], entry["Status"]) for entry in emu.shares(resource)}


@pytest.mark.parametrize("kind", KINDS, ids=by_id)
def test_create_with_the_request_id_as_token_then_replace_roll_back_both_ways_and_delete(
    stack: Stack, emu: WellArchitectedEmulator, kind: Kind
) -> None:
    resource = kind.make(emu)
    emu.set_behaviour("token-scope", "account")  # no token may serve two calls

    created = stack.create("Share", kind.properties(resource, FIRST), resource_type=kind.resource_type)
    again = stack.send(stack.sent_events[-1])
    replaced = stack.update("Share", kind.properties(resource, SECOND))
    rollback_update_first = stack.rollback_after_replacement("Share")
    replaced_again = stack.update("Share", kind.properties(resource, SECOND))
    rollback_delete_only = stack.rollback_after_replacement("Share", update_first=False)
    kept = held(emu, resource)
    deleted = stack.delete("Share")

    answers = [created, again, replaced, *rollback_update_first, replaced_again, *rollback_delete_only, deleted]
    assert [answer.status for answer in answers] == ["SUCCESS"] * len(answers), [a.reason for a in answers]
    assert created.data["ShareId"] == again.data["ShareId"]
    assert created.data[kind.prop if kind.prop != "LensAlias" else "LensArn"] == resource
    assert created.data["SharedWith"] == FIRST
    assert kept == {FIRST: (created.data["ShareId"], "PENDING")}
    assert emu.shares(resource) == []
    # Five creates (the duplicate and the rollback's Update replay or meet their share), one share at a time.
    assert len(emu.calls(f"Create{kind.noun}Share")) == 5


@pytest.mark.parametrize("kind", KINDS, ids=by_id)
def test_a_share_made_by_hand_is_never_taken_over(
    stack: Stack, emu: WellArchitectedEmulator, owner_client: Any, kind: Kind
) -> None:
    resource = kind.make(emu)
    create = getattr(owner_client, f"create_{kind.noun.lower()}_share")
    theirs = create(**{kind.prop: resource, "SharedWith": FIRST, "ClientRequestToken": "console", **dict(kind.extra)})

    refused = stack.create("Share", kind.properties(resource, FIRST), resource_type=kind.resource_type)
    rolled_back = stack.rollback()

    assert refused.status == "FAILED"
    assert f"is already shared with {FIRST} (ShareId {theirs['ShareId']})" in refused.reason
    assert f"delete-{kind.noun.lower()}-share" in refused.reason
    assert all(answer.succeeded for answer in rolled_back)
    assert held(emu, resource) == {FIRST: (theirs["ShareId"], "PENDING")}


@pytest.mark.parametrize("kind", KINDS, ids=by_id)
def test_a_new_invitation_round_reshares_exactly_a_share_the_recipient_cannot_use(
    stack: Stack, emu: WellArchitectedEmulator, kind: Kind
) -> None:
    resource = kind.make(emu)
    expired = stack.create("Expired", kind.properties(resource, FIRST), resource_type=kind.resource_type)
    emu.advance_clock(WEEK_S + 1)
    pending = stack.create("Pending", kind.properties(resource, SECOND), resource_type=kind.resource_type)
    writes_before = len(writes(emu))

    reinvited = stack.update("Expired", kind.properties(resource, FIRST, InvitationRound="2"))
    unchanged = stack.update("Pending", kind.properties(resource, SECOND, InvitationRound="2"))
    stack.cleanup()

    assert (reinvited.status, unchanged.status) == ("SUCCESS", "SUCCESS")
    assert unchanged.physical_id == pending.physical_id
    assert reinvited.data["ShareId"] != expired.data["ShareId"]
    assert held(emu, resource) == {
        FIRST: (reinvited.data["ShareId"], "PENDING"),
        SECOND: (pending.data["ShareId"], "PENDING"),
    }
    assert sorted(writes(emu)[writes_before:]) == [
        f"Create{kind.noun}Share",
        f"Delete{kind.noun}Share",
        f"Delete{kind.noun}Share",
    ]


@pytest.mark.parametrize("kind", KINDS, ids=by_id)
def test_the_allowed_principals_guard_refuses_before_any_call(
    app: LambdaFunction, stack: Stack, emu: WellArchitectedEmulator, monkeypatch: pytest.MonkeyPatch, kind: Kind
) -> None:
    resource = kind.make(emu)
    monkeypatch.setattr(app, "environment", dataclasses.replace(app.environment, guard=guard.from_setting(SECOND)))

    refused = stack.create("Share", kind.properties(resource, FIRST), resource_type=kind.resource_type)

    assert refused.status == "FAILED"
    assert refused.reason.startswith(f"SharedWith '{FIRST}' is refused by the provider's AllowedPrincipals rule")
    assert writes(emu) == []


@pytest.mark.parametrize("kind", KINDS, ids=by_id)
def test_throttling_is_retried_within_the_deadline_and_denial_names_the_action(
    stack: Stack, emu: WellArchitectedEmulator, kind: Kind
) -> None:
    resource = kind.make(emu)
    operation = f"Create{kind.noun}Share"
    emu.inject_fault("error", operation=operation, count=3, status=429, code="ThrottlingException")
    created = stack.create("Throttled", kind.properties(resource, FIRST), resource_type=kind.resource_type)
    emu.inject_fault("error", operation=operation, count=1, status=403, code="AccessDeniedException")
    denied = stack.create("Denied", kind.properties(resource, SECOND), resource_type=kind.resource_type)

    assert created.status == "SUCCESS", created.reason
    assert [status for _operation, status, _account in emu.calls(operation)][:4] == [429, 429, 429, 200]
    assert denied.status == "FAILED"
    assert f"may not call wellarchitected:{operation} on {resource}" in denied.reason


@pytest.mark.parametrize("kind", KINDS, ids=by_id)
def test_metrics_name_the_kind(
    stack: Stack, emu: WellArchitectedEmulator, capsys: pytest.CaptureFixture[str], kind: Kind
) -> None:
    resource = kind.make(emu)
    stack.create("Share", kind.properties(resource, FIRST), resource_type=kind.resource_type)

    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    created = [blob for blob in blobs if "SharesCreated" in blob]
    assert [blob.get("Kind") for blob in created] == [kind.noun.upper(), None]
    dimensions = [blob["_aws"]["CloudWatchMetrics"][0]["Dimensions"] for blob in created]
    assert [[sorted(each) for each in sets] for sets in dimensions] == [[["Kind", "service"]], [["service"]]]


@pytest.mark.parametrize(
    ("kind", "principal", "accepted"),
    [
        (KINDS[1], "arn:aws:iam::222222222222:user/reviewer", True),
        (KINDS[1], "ou-ab12-cd34ef56", True),
        (KINDS[1], "not-a-principal", False),
        (KINDS[3], "arn:aws:iam::222222222222:group/reviewers", False),
        (KINDS[2], "arn:aws:iam::222222222222:user/reviewer", True),
        (KINDS[3], "arn:aws:iam::222222222222:user/reviewer", True),
        (KINDS[3], "o-a1b2c3d4e5", True),
    ],
    ids=lambda value: value if isinstance(value, str) else by_id(value) if isinstance(value, Kind) else str(value),
)
def test_each_kind_takes_the_principals_its_api_documents(
    stack: Stack, emu: WellArchitectedEmulator, kind: Kind, principal: str, accepted: bool
) -> None:
    emu.set_organization_sharing(True)
    resource = kind.make(emu)

    answer = stack.create("Share", kind.properties(resource, principal), resource_type=kind.resource_type)

    assert answer.succeeded is accepted, answer.reason
    if not accepted:
        noun = "profile" if kind is KINDS[1] else "workload"
        assert answer.reason.startswith(f"SharedWith '{principal}' is not a principal a {noun} can be shared with")
        assert writes(emu) == []


def test_a_workload_share_changes_its_permission_in_place_and_back_on_rollback(
    stack: Stack, emu: WellArchitectedEmulator
) -> None:
    workload = emu.create_workload()
    created = stack.create(
        "Share", {"WorkloadId": workload, "SharedWith": FIRST}, resource_type="Custom::WorkloadShare"
    )
    changed = stack.update("Share", {"WorkloadId": workload, "SharedWith": FIRST, "PermissionType": "CONTRIBUTOR"})
    after_change = emu.shares(workload)
    # A later failure in the stack rolls this update back: an Update with the old and new properties swapped.
    rolled_back = [stack.update("Share", {"WorkloadId": workload, "SharedWith": FIRST})]

    assert created.data["PermissionType"] == "READONLY"  # the schema's default
    assert changed.status == "SUCCESS", changed.reason
    assert changed.physical_id == created.physical_id
    assert changed.data == {**created.data, "PermissionType": "CONTRIBUTOR"}
    assert [(e["ShareId"], e["PermissionType"]) for e in after_change] == [(created.data["ShareId"], "CONTRIBUTOR")]
    assert [answer.status for answer in rolled_back] == ["SUCCESS"]
    assert [(e["ShareId"], e["PermissionType"]) for e in emu.shares(workload)] == [
        (created.data["ShareId"], "READONLY")
    ]
    assert emu.calls("UpdateWorkloadShare")
    assert len(emu.calls("CreateWorkloadShare")) == 1


def test_a_full_workload_says_it_holds_twenty_shares(stack: Stack, emu: WellArchitectedEmulator) -> None:
    workload = emu.create_workload()
    emu.set_share_quota(0, kind="WORKLOAD")

    refused = stack.create(
        "Share", {"WorkloadId": workload, "SharedWith": FIRST}, resource_type="Custom::WorkloadShare"
    )

    assert refused.status == "FAILED"
    assert "20 account or user shares per workload" in refused.reason


@pytest.mark.parametrize("kind", KINDS, ids=by_id)
def test_the_recipient_accepts_every_kind_with_custom_share_invitation(
    stack: Stack, member_stack: Stack, emu: WellArchitectedEmulator, kind: Kind
) -> None:
    resource = kind.make(emu)
    shared = stack.create("Share", kind.properties(resource, MEMBER), resource_type=kind.resource_type)
    attribute = kind.attribute

    accepted = member_stack.create("Accept", {attribute: resource}, resource_type="Custom::ShareInvitation")

    assert accepted.status == "SUCCESS", accepted.reason
    assert accepted.data[attribute] == resource
    assert accepted.data["ShareInvitationId"]
    assert held(emu, resource) == {MEMBER: (shared.data["ShareId"], "ACCEPTED")}


def test_an_invitation_resource_names_exactly_one_shared_resource(
    member_stack: Stack, emu: WellArchitectedEmulator
) -> None:
    profile, workload = emu.create_profile(), emu.create_workload()

    both = member_stack.create(
        "Accept", {"ProfileArn": profile, "WorkloadId": workload}, resource_type="Custom::ShareInvitation"
    )
    none = member_stack.create("None", {}, resource_type="Custom::ShareInvitation")

    assert both.reason == (
        "Custom::ShareInvitation needs exactly one of LensArn, ProfileArn, TemplateArn, WorkloadId; "
        "got ProfileArn, WorkloadId."
    )
    assert none.status == "FAILED"
    assert emu.calls("ListShareInvitations") == []
