"""The settings a template hands the provider through its environment, driven through the real handler: the
member template's AllowedOwners, and the provider template's OrganizationSharing."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest

from emulator import WellArchitectedEmulator
from lens_share import handler as provider_handler
from lens_share.aws import clients, retry
from lens_share.services import Environment
from local.cloudformation import ResponseReceiver, Stack
from tests.protocol.harness import MEMBER, OWNER, LambdaFunction, client_of, writes

INVITATION = "Custom::LensShareInvitation"
ORGANIZATION_SHARING = "Custom::WellArchitectedOrganizationSharing"
STRANGER = "333333333333"


def loaded(monkeypatch: pytest.MonkeyPatch, app: LambdaFunction, **variables: str) -> Environment:
    """The Environment a Lambda environment with these variables loads, paced like the suite's."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return dataclasses.replace(Environment.load(), backoff=app.environment.backoff)


def member_stack(environment: Environment, receiver: ResponseReceiver) -> Stack:
    """The member template's function in the member account: its client signs with the member's credentials."""
    client = boto3.client(
        "wellarchitected",
        region_name="us-east-1",
        aws_access_key_id=f"AKIDMEMBER{MEMBER}",
        aws_secret_access_key="member-secret",
        config=clients.CLIENT_CONFIG,
    )
    handler = provider_handler.build_handler(dataclasses.replace(environment, wellarchitected=client))
    return Stack(handler, receiver, account=MEMBER, lambda_timeout_s=retry.ANSWER_RESERVE_S + retry.ATTEMPT_S + 6)


def test_an_invitation_from_an_allowed_owner_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
    app: LambdaFunction,
    receiver: ResponseReceiver,
    emu: WellArchitectedEmulator,
    lens: str,
    owner_client: Any,
) -> None:
    owner_client.create_lens_share(LensAlias=lens, SharedWith=MEMBER, ClientRequestToken="owner")
    stack = member_stack(loaded(monkeypatch, app, ALLOWED_OWNERS=f"{STRANGER},{OWNER}"), receiver)

    answer = stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert answer.status == "SUCCESS", answer.reason
    assert [share["Status"] for share in emu.shares(lens)] == ["ACCEPTED"]
    assert emu.invitations(MEMBER) == []


def test_an_invitation_from_another_owner_is_refused_naming_it_and_left_pending(
    monkeypatch: pytest.MonkeyPatch,
    app: LambdaFunction,
    receiver: ResponseReceiver,
    emu: WellArchitectedEmulator,
    lens: str,
    owner_client: Any,
) -> None:
    owner_client.create_lens_share(LensAlias=lens, SharedWith=MEMBER, ClientRequestToken="owner")
    stack = member_stack(loaded(monkeypatch, app, ALLOWED_OWNERS=STRANGER), receiver)

    answer = stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert answer.status == "FAILED"
    assert f"comes from account {OWNER}, which is not in this stack's AllowedOwners ({STRANGER})" in answer.reason
    assert [share["Status"] for share in emu.shares(lens)] == ["PENDING"]
    assert len(emu.invitations(MEMBER)) == 1
    assert "UpdateShareInvitation" not in writes(emu)
    assert [rolled.status for rolled in stack.rollback()] == ["SUCCESS"]


def test_any_owner_is_accepted_when_allowed_owners_is_any(
    monkeypatch: pytest.MonkeyPatch,
    app: LambdaFunction,
    receiver: ResponseReceiver,
    emu: WellArchitectedEmulator,
    owner_client: Any,
) -> None:
    lens = emu.create_lens("Stranger's lens", account=STRANGER)
    client_of(emu, STRANGER).create_lens_share(LensAlias=lens, SharedWith=MEMBER, ClientRequestToken="stranger")
    stack = member_stack(loaded(monkeypatch, app, ALLOWED_OWNERS="ANY"), receiver)

    answer = stack.create("Accept", {"LensArn": lens}, resource_type=INVITATION)

    assert answer.status == "SUCCESS", answer.reason
    assert [share["Status"] for share in emu.shares(lens)] == ["ACCEPTED"]


def test_organization_sharing_disabled_refuses_naming_the_parameter_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator
) -> None:
    stack = Stack(LambdaFunction(loaded(monkeypatch, app, ORGANIZATION_SHARING="disabled")).handler, receiver)

    answer = stack.create("Sharing", {}, resource_type=ORGANIZATION_SHARING)

    assert answer.status == "FAILED"
    assert "OrganizationSharing=enabled" in answer.reason
    assert emu.organization_sharing(OWNER) == "DISABLED"
    assert writes(emu) == []
    assert [rolled.status for rolled in stack.rollback()] == ["SUCCESS"]


def test_a_stack_that_turned_organization_sharing_off_in_its_provider_still_deletes_the_resource(
    monkeypatch: pytest.MonkeyPatch, app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator
) -> None:
    enabled = Stack(LambdaFunction(loaded(monkeypatch, app, ORGANIZATION_SHARING="enabled")).handler, receiver)
    created = enabled.create("Sharing", {"DisableOnDelete": "true"}, resource_type=ORGANIZATION_SHARING)
    assert created.status == "SUCCESS", created.reason
    # The provider stack is updated to OrganizationSharing=disabled; the stack that used it is deleted after.
    enabled.handler = LambdaFunction(loaded(monkeypatch, app, ORGANIZATION_SHARING="disabled")).handler

    assert enabled.delete("Sharing").status == "SUCCESS"
    assert emu.organization_sharing(OWNER) == "ENABLED"
