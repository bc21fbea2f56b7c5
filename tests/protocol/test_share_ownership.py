"""A resource touches only the share it made: Conflicts with anyone else's share fail, and only a rollback takes
back the share the resource held before its own replacement."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from local.cloudformation import ResponseReceiver, Stack
from tests.protocol.harness import LambdaFunction, writes

FIRST, SECOND, THIRD = "111122223333", "444455556666", "777788889999"


def shares_by_principal(emu: WellArchitectedEmulator, lens: str) -> dict[str, str]:
    return {share["SharedWith"]: share["ShareId"] for share in emu.shares(lens)}


def share(lens: str, principal: str) -> dict[str, str]:
    return {"LensAlias": lens, "SharedWith": principal}


def already_shared(lens: str, principal: str, share_id: str) -> str:
    return (
        f"Lens {lens} is already shared with {principal} (ShareId {share_id}), outside this resource. "
        f"To manage it here, delete that share (aws wellarchitected delete-lens-share --lens-alias {lens} "
        f"--share-id {share_id}) and retry; if another stack owns it, remove this resource instead."
    )


@pytest.fixture
def other_stack(app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator) -> Stack:
    return Stack(app.handler, receiver, name="team-b-lens")


def test_a_second_stack_updated_onto_a_principal_another_stack_holds_fails_and_never_takes_its_share(
    stack: Stack, other_stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    owner = stack.create("Share", share(lens, FIRST))
    own = other_stack.create("Share", share(lens, SECOND))

    failed = other_stack.update("Share", share(lens, FIRST))
    rolled_back = other_stack.rollback()
    deleted = other_stack.delete_stack()

    assert failed.status == "FAILED"
    assert failed.reason == already_shared(lens, FIRST, owner.data["ShareId"])
    assert failed.physical_id == own.physical_id
    assert [answer.status for answer in rolled_back] == ["SUCCESS"]
    assert rolled_back[0].physical_id == own.physical_id
    assert [answer.status for answer in deleted] == ["SUCCESS"]
    assert shares_by_principal(emu, lens) == {FIRST: owner.data["ShareId"]}
    assert stack.resources["Share"].physical_id == f"{lens}/shares/{owner.data['ShareId']}"


def test_a_second_stack_creating_a_share_another_stack_holds_fails_and_its_rollback_touches_nothing(
    stack: Stack, other_stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    owner = stack.create("Share", share(lens, FIRST))

    failed = other_stack.create("Share", share(lens, FIRST))
    writes_before = writes(emu)
    rolled_back = other_stack.rollback()

    assert failed.status == "FAILED"
    assert failed.reason == already_shared(lens, FIRST, owner.data["ShareId"])
    assert failed.physical_id.startswith("not-created-")
    assert [answer.status for answer in rolled_back] == ["SUCCESS"]
    assert writes(emu) == writes_before
    assert shares_by_principal(emu, lens) == {FIRST: owner.data["ShareId"]}


def test_a_share_made_by_hand_is_never_taken_over_by_an_update(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    by_hand = owner_client.create_lens_share(LensAlias=lens, SharedWith=THIRD, ClientRequestToken="console")["ShareId"]
    own = stack.create("Share", share(lens, FIRST))

    failed = stack.update("Share", share(lens, THIRD))
    rolled_back = stack.rollback()
    deleted = stack.delete_stack()

    assert failed.status == "FAILED"
    assert failed.reason == already_shared(lens, THIRD, by_hand)
    assert [answer.status for answer in rolled_back + deleted] == ["SUCCESS", "SUCCESS"]
    assert rolled_back[0].physical_id == own.physical_id
    assert shares_by_principal(emu, lens) == {THIRD: by_hand}


@pytest.mark.parametrize("update_first", [True, False], ids=["update-then-delete", "delete-only"])
def test_a_rollback_after_replacement_ends_with_exactly_the_original_share(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, update_first: bool
) -> None:
    created = stack.create("Share", share(lens, FIRST))
    replaced = stack.update("Share", share(lens, SECOND))
    assert replaced.physical_id == f"{lens}/shares/{replaced.data['ShareId']}/replaces/{created.data['ShareId']}"

    answers = stack.rollback_after_replacement("Share", update_first=update_first)

    assert all(answer.status == "SUCCESS" for answer in answers), [answer.reason for answer in answers]
    if update_first:
        assert (answers[0].physical_id, answers[0].data) == (created.physical_id, created.data)
    assert shares_by_principal(emu, lens) == {FIRST: created.data["ShareId"]}
    assert stack.resources["Share"].physical_id == created.physical_id


def test_a_rollback_after_replacement_of_a_version_1_0_share_takes_it_back(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    # 1.0.0 answered <lens>/shares/<id> and used the Create's RequestId as its token.
    old = owner_client.create_lens_share(LensAlias=lens, SharedWith=FIRST, ClientRequestToken="req-1-0-0")["ShareId"]
    physical_id = f"{lens}/shares/{old}"
    update = stack.new_event(
        "Update", "Share", share(lens, SECOND), physical_id=physical_id, old_properties=share(lens, FIRST)
    )
    replaced = stack.send(update)
    rollback = stack.new_event(
        "Update", "Share", share(lens, FIRST), physical_id=replaced.physical_id, old_properties=share(lens, SECOND)
    )

    rolled_back = stack.send(rollback)
    cleaned_up = stack.send(stack.new_event("Delete", "Share", share(lens, FIRST), physical_id=replaced.physical_id))

    assert replaced.physical_id.endswith(f"/replaces/{old}")
    assert (rolled_back.status, rolled_back.physical_id) == ("SUCCESS", physical_id)
    assert cleaned_up.status == "SUCCESS"
    assert shares_by_principal(emu, lens) == {FIRST: old}


def test_a_version_1_0_physical_id_is_still_deleted_by_this_version(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    old = owner_client.create_lens_share(LensAlias=lens, SharedWith=FIRST, ClientRequestToken="req-1-0-0")["ShareId"]
    other = owner_client.create_lens_share(LensAlias=lens, SharedWith=SECOND, ClientRequestToken="by-hand")["ShareId"]

    deleted = stack.send(stack.new_event("Delete", "Share", share(lens, FIRST), physical_id=f"{lens}/shares/{old}"))

    assert deleted.status == "SUCCESS"
    assert shares_by_principal(emu, lens) == {SECOND: other}


@pytest.mark.parametrize(
    "physical_id",
    [
        "{share}",  # a bare ShareId
        "arn:aws:wellarchitected:us-east-1:111111111111:share/{share}",
        "{lens}/shares/{share}/extra",
        "{lens}/shares/{share}/replaces/nothing",
        "not-created-{share}",
        "team-b-lens-Share-ABCDEFGH1234",
    ],
)
def test_a_hand_written_physical_id_that_names_no_share_of_this_provider_makes_no_call(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any, physical_id: str
) -> None:
    by_hand = owner_client.create_lens_share(LensAlias=lens, SharedWith=FIRST, ClientRequestToken="console")["ShareId"]
    calls_before = len(emu.calls())
    event = stack.new_event(
        "Delete", "Share", share(lens, FIRST), physical_id=physical_id.format(lens=lens, share=by_hand)
    )

    deleted = stack.send(event)

    assert deleted.status == "SUCCESS"
    assert len(emu.calls()) == calls_before
    assert shares_by_principal(emu, lens) == {FIRST: by_hand}


def test_the_rollback_of_an_unconfirmed_create_leaves_a_share_it_did_not_make(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    by_hand = owner_client.create_lens_share(LensAlias=lens, SharedWith=FIRST, ClientRequestToken="console")["ShareId"]

    deleted = stack.send(stack.new_event("Delete", "Share", share(lens, FIRST), physical_id="unconfirmed-lost-create"))

    assert deleted.status == "SUCCESS"
    assert shares_by_principal(emu, lens) == {FIRST: by_hand}
    assert "DeleteLensShare" not in writes(emu)


def _parse(stream_text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream_text.splitlines() if line.startswith("{")]


def test_metrics_and_logs_tell_a_rollback_adoption_from_a_refusal(
    stack: Stack, other_stack: Stack, lens: str, log_lines: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    stack.create("Share", share(lens, FIRST))
    other_stack.create("Share", share(lens, SECOND))
    other_stack.update("Share", share(lens, FIRST))  # refused: stack's share
    other_stack.rollback()
    stack.update("Share", share(lens, THIRD))
    stack.rollback_after_replacement("Share")  # adopted: its own share back

    lines = _parse(capsys.readouterr().out)
    answers = [line for line in _parse(log_lines.getvalue()) if line.get("message") == "Answered CloudFormation"]
    # The counts over every kind: each also has a line of its own with the Kind dimension.
    metrics = [
        name for line in lines if "_aws" in line and "Kind" not in line for name in line if name.startswith("Shares")
    ]
    assert [answer["Action"] for answer in answers if answer["Action"] in ("adopted", "AlreadyShared")] == [
        "AlreadyShared",
        "adopted",
    ]
    assert metrics.count("SharesAdopted") == 1
    assert metrics.count("SharesFailed") == 1
    assert [line["FailureKind"] for line in lines if "SharesFailed" in line and "FailureKind" in line] == [
        "AlreadyShared"
    ]
