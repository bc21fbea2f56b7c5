"""The share rules decided once (lens_share.rules), held over both fronts, the Custom:: resources and the
registry types, for every kind: asserted on what the emulator holds afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import pytest

from emulator import WellArchitectedEmulator
from emulator.controls import MAKERS
from lens_share import kinds as product
from lens_share_types.kinds import TYPES
from local.cloudformation import ResponseReceiver, Stack
from tests.protocol.harness import OWNER, LambdaFunction, share_by_hand
from tests.registry.harness import Driver

FIRST, OU = "210000000001", "ou-ab12-cd34ef56"
KINDS = list(product.KINDS)
REGISTRY_TYPES = {share_type.kind.key: share_type for share_type in TYPES}


@dataclass(frozen=True)
class Answer:
    succeeded: bool
    share_id: str
    message: str


class Front(Protocol):
    def create(self, resource: str, principal: str, round_: str = "") -> Answer: ...
    def create_again(self) -> Answer: ...
    def new_round(self, resource: str, principal: str, before: str, after: str) -> Answer: ...


@dataclass
class CustomFront:
    """A Custom:: share resource of one stack."""

    stack: Stack
    kind: product.ShareKind

    def properties(self, resource: str, principal: str, round_: str) -> dict[str, str]:
        permission = {"PermissionType": "READONLY"} if self.kind.permission else {}
        return {self.kind.prop: resource, "SharedWith": principal, "InvitationRound": round_, **permission}

    def create(self, resource: str, principal: str, round_: str = "") -> Answer:
        properties = self.properties(resource, principal, round_)
        return self.answer(self.stack.create("Share", properties, resource_type=self.kind.resource_type))

    def create_again(self) -> Answer:
        """The same event delivered again, as Lambda's retries may."""
        return self.answer(self.stack.send(self.stack.sent_events[-1]))

    def new_round(self, resource: str, principal: str, before: str, after: str) -> Answer:
        return self.answer(self.stack.update("Share", self.properties(resource, principal, after)))

    @staticmethod
    def answer(answer: Any) -> Answer:
        return Answer(answer.status == "SUCCESS", answer.data.get("ShareId", ""), answer.reason)


@dataclass
class RegistryFront:
    """A registry type's resource, keyed by what is shared and the principal."""

    driver: Driver
    token: str = "request-1"
    last: tuple[str, str, str] = ("", "", "")

    def properties(self, resource: str, principal: str, round_: str) -> dict[str, str]:
        permission = {"PermissionType": "READONLY"} if self.driver.share_type.kind.permission else {}
        return {self.driver.share_type.prop: resource, "SharedWith": principal, "InvitationRound": round_, **permission}

    def create(self, resource: str, principal: str, round_: str = "") -> Answer:
        self.last = (resource, principal, round_)
        return self.answer(self.driver.run("CREATE", self.properties(*self.last), token=self.token))

    def create_again(self) -> Answer:
        """The same request again: CloudFormation's retry of the operation keeps its client request token."""
        return self.answer(self.driver.run("CREATE", self.properties(*self.last), token=self.token))

    def new_round(self, resource: str, principal: str, before: str, after: str) -> Answer:
        previous, desired = self.properties(resource, principal, before), self.properties(resource, principal, after)
        return self.answer(self.driver.run("UPDATE", desired, previous))

    @staticmethod
    def answer(answer: Any) -> Answer:
        return Answer(answer.status == "SUCCESS", answer.model.get("ShareId", ""), answer.message)


@pytest.fixture(params=["Custom", "registry"])
def front_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=KINDS, ids=lambda kind: kind.key)
def kind(request: pytest.FixtureRequest) -> product.ShareKind:
    chosen: product.ShareKind = request.param
    return chosen


@pytest.fixture
def front(
    front_name: str, kind: product.ShareKind, app: LambdaFunction, receiver: ResponseReceiver, emu: object
) -> Front:
    if front_name == "Custom":
        return CustomFront(Stack(app.handler, receiver), kind)
    # The registry type calls as the owner account, whose resources the emulator holds by default.
    return RegistryFront(Driver(REGISTRY_TYPES[kind.key], account=OWNER))


def held(emu: WellArchitectedEmulator, resource: str) -> list[tuple[str, str, str]]:
    return [(share["SharedWith"], share["ShareId"], share["Status"]) for share in emu.shares(resource)]


def test_a_share_made_elsewhere_is_named_and_left_as_it_was(
    front: Front, kind: product.ShareKind, emu: WellArchitectedEmulator
) -> None:
    resource = MAKERS[kind.key](emu)
    theirs = share_by_hand(emu, kind, resource, FIRST)

    answer = front.create(resource, FIRST)

    assert not answer.succeeded
    assert theirs in answer.message
    assert f"delete-{kind.noun_in_api.lower()}-share" in answer.message
    assert held(emu, resource) == [(FIRST, theirs, "PENDING")]
    assert emu.calls(f"Delete{kind.noun_in_api}Share") == []


def test_a_retried_create_replays_its_token_and_makes_one_share(
    front: Front, kind: product.ShareKind, emu: WellArchitectedEmulator
) -> None:
    resource = MAKERS[kind.key](emu)
    emu.set_behaviour("token-scope", "account")

    first = front.create(resource, FIRST)
    again = front.create_again()

    assert first.succeeded, first.message
    assert again.succeeded, again.message
    assert first.share_id == again.share_id
    assert held(emu, resource) == [(FIRST, first.share_id, "PENDING")]


def test_a_failed_organization_share_is_lapsed_and_a_new_round_replaces_it(
    front: Front, kind: product.ShareKind, emu: WellArchitectedEmulator
) -> None:
    resource = MAKERS[kind.key](emu)
    emu.set_organization_sharing(True)
    first = front.create(resource, OU, round_="1")
    emu.set_share_status(first.share_id, "FAILED", "The organization share could not be associated")

    answer = front.new_round(resource, OU, "1", "2")

    assert answer.succeeded, answer.message
    assert answer.share_id != first.share_id
    [(principal, share_id, _status)] = held(emu, resource)
    assert (principal, share_id) == (OU, answer.share_id)
