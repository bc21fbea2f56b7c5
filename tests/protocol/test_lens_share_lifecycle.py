"""Custom::LensShare through create, update, replacement, rollback and delete, as CloudFormation sends them."""

from __future__ import annotations

import re

from emulator import WellArchitectedEmulator
from local.cloudformation import Stack, make_event
from tests.protocol.harness import writes

PHYSICAL_ID = re.compile(r"^arn:aws:wellarchitected:us-east-1:111111111111:lens/[0-9a-f]{32}/shares/[0-9a-f]{32}$")


def only_share(emu: WellArchitectedEmulator, lens: str) -> dict[str, str]:
    shares = emu.shares(lens)
    assert len(shares) == 1, shares
    return shares[0]


def test_create_shares_the_lens_and_returns_every_attribute(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    assert answer.problems == []
    assert answer.status == "SUCCESS"
    assert PHYSICAL_ID.match(answer.physical_id)
    share = only_share(emu, lens)
    assert answer.physical_id == f"{lens}/shares/{share['ShareId']}"
    assert answer.data == {"ShareId": share["ShareId"], "LensArn": lens, "SharedWith": "222222222222"}
    assert share["SharedWith"] == "222222222222"
    assert writes(emu) == ["CreateLensShare"]


def test_every_kind_of_principal_can_be_shared_with(stack: Stack, emu: WellArchitectedEmulator, lens: str) -> None:
    emu.set_organization_sharing(True)
    principals = [
        "222222222222",
        "arn:aws:iam::222222222222:user/platform/alice",
        "arn:aws:iam::333333333333:role/Auditor",
        "o-a1b2c3d4e5",
        "ou-ab12-cd34ef56",
    ]
    for number, principal in enumerate(principals):
        answer = stack.create(f"Share{number}", {"LensAlias": lens, "SharedWith": principal})
        assert answer.status == "SUCCESS", answer.reason
        assert answer.data["SharedWith"] == principal
    assert sorted(share["SharedWith"] for share in emu.shares(lens)) == sorted(principals)


def test_an_update_that_changes_nothing_shared_keeps_the_id_makes_no_call_and_returns_every_attribute(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    calls_before = len(emu.calls())

    updated = stack.update("Share", {"LensAlias": lens, "SharedWith": "222222222222", "ServiceTimeout": "900"})

    assert updated.status == "SUCCESS"
    assert updated.physical_id == created.physical_id
    assert updated.data == created.data
    assert len(emu.calls()) == calls_before
    assert only_share(emu, lens)["ShareId"] == created.data["ShareId"]


def test_changing_the_lens_replaces_the_share(stack: Stack, emu: WellArchitectedEmulator, lens: str) -> None:
    other = emu.create_lens(name="Second lens")
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    updated = stack.update("Share", {"LensAlias": other, "SharedWith": "222222222222"})
    stack.cleanup()

    assert updated.status == "SUCCESS"
    assert updated.physical_id.startswith(other)
    assert updated.physical_id != created.physical_id
    assert emu.shares(lens) == []
    assert only_share(emu, other)["SharedWith"] == "222222222222"


def test_a_failed_update_and_its_rollback_end_with_exactly_the_original_share(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    original = only_share(emu, lens)

    failed = stack.update("Share", {"LensAlias": lens, "SharedWith": "not-a-principal"})
    assert failed.status == "FAILED"
    assert failed.physical_id == created.physical_id
    assert "SharedWith 'not-a-principal'" in failed.reason

    rolled_back = stack.rollback()[0]
    assert rolled_back.status == "SUCCESS", rolled_back.reason
    assert rolled_back.physical_id == created.physical_id
    assert rolled_back.data == created.data
    assert only_share(emu, lens) == original


def test_delete_of_a_share_already_gone_succeeds(stack: Stack, emu: WellArchitectedEmulator, lens: str) -> None:
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    emu.reset()

    answer = stack.delete("Share")

    assert answer.status == "SUCCESS"
    assert answer.physical_id == created.physical_id
    assert writes(emu) == ["DeleteLensShare"]


def test_a_failed_create_answers_a_recognisable_id_and_its_rollback_delete_makes_no_call(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    failed = stack.create("Share", {"LensAlias": lens, "SharedWith": "12345"})

    assert failed.status == "FAILED"
    assert failed.physical_id.startswith("not-created-")
    assert failed.problems == []

    deleted = stack.rollback()[0]
    assert deleted.status == "SUCCESS"
    assert deleted.physical_id == failed.physical_id
    assert emu.calls() == []
    assert emu.shares(lens) == []


def test_delete_with_invalid_properties_still_removes_the_share(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    event = make_event(
        "Delete",
        logical_id="Share",
        properties={"LensAlias": "garbage", "SharedWIth": ["x"]},
        physical_id=created.physical_id,
        response_url=stack.receiver.new_url(stack.stack_id, "Share", "delete-bad-props"),
        request_id="delete-bad-props",
        stack_id=stack.stack_id,
        raw=True,
    )

    answer = stack.send(event)

    assert answer.status == "SUCCESS"
    assert emu.shares(lens) == []


def test_delete_stack_leaves_nothing_behind(stack: Stack, emu: WellArchitectedEmulator, lens: str) -> None:
    for number in range(3):
        stack.create(f"Share{number}", {"LensAlias": lens, "SharedWith": f"22222222222{number}"})

    answers = stack.delete_stack()

    assert [answer.status for answer in answers] == ["SUCCESS"] * 3
    assert emu.shares(lens) == []
