"""Bad input and service refusals: a FAILED answer a user can act on, nothing created, nothing lost."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from local.cloudformation import Stack, make_event

LENS_FORM = "arn:<partition>:wellarchitected:<region>:<account>:lens/<32 hex>"


def create_raw(stack: Stack, properties: dict[str, Any], request_id: str) -> Any:
    event = make_event(
        "Create",
        logical_id="Share",
        properties=properties,
        response_url=stack.receiver.new_url(stack.stack_id, "Share", request_id),
        request_id=request_id,
        stack_id=stack.stack_id,
        raw=True,
    )
    return stack.send(event)


@pytest.mark.parametrize(
    ("properties", "reason"),
    [
        (
            {"LensAlias": "{lens}", "SharedWIth": "222222222222"},
            "Unknown property 'SharedWIth' (did you mean 'SharedWith'?); "
            "Custom::LensShare accepts LensAlias, SharedWith, InvitationRound.",
        ),
        ({"LensAlias": "{lens}"}, "Property 'SharedWith' is required"),
        ({"LensAlias": "{lens}", "SharedWith": ["222222222222"]}, "Property 'SharedWith' must be a string, got list"),
        ({"LensAlias": "{lens}", "SharedWith": 222222222222}, "Property 'SharedWith' must be a string, got int"),
        ({"LensAlias": "{lens}", "SharedWith": "12345"}, "SharedWith '12345' is not a principal a lens can be shared"),
        (
            {"LensAlias": "wellarchitected", "SharedWith": "222222222222"},
            "LensAlias 'wellarchitected' names an AWS official lens, and official lenses cannot be shared",
        ),
        (
            {"LensAlias": "arn:aws:wellarchitected:us-east-1::lens/serverless", "SharedWith": "222222222222"},
            "official lenses cannot be shared",
        ),
        ({"LensAlias": "arn:aws:s3:::my-bucket", "SharedWith": "222222222222"}, f"expected {LENS_FORM}"),
    ],
)
def test_bad_input_fails_naming_the_property_and_calls_nothing(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, properties: dict[str, Any], reason: str
) -> None:
    given = {
        name: value.replace("{lens}", lens) if isinstance(value, str) else value for name, value in properties.items()
    }

    answer = create_raw(stack, given, "bad-input")

    assert answer.status == "FAILED"
    assert reason in answer.reason
    assert answer.physical_id.startswith("not-created-")
    assert answer.problems == []
    assert emu.calls() == []
    assert emu.shares(lens) == []


def test_an_unknown_resource_type_fails_its_create_and_succeeds_its_delete(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    answer = stack.create("Thing", {"LensAlias": lens}, resource_type="Custom::Unknown")
    assert answer.status == "FAILED"
    assert "ResourceType 'Custom::Unknown' is not served here" in answer.reason
    assert stack.rollback()[0].status == "SUCCESS"
    assert emu.calls() == []


def test_a_lens_that_does_not_exist_is_named(stack: Stack, emu: WellArchitectedEmulator) -> None:
    missing = "arn:aws:wellarchitected:us-east-1:111111111111:lens/00000000000000000000000000000000"

    answer = stack.create("Share", {"LensAlias": missing, "SharedWith": "222222222222"})

    assert answer.status == "FAILED"
    assert answer.reason.startswith(f"Lens {missing} (LensAlias) does not exist")


def test_a_principal_already_shared_outside_the_stack_is_named_with_its_share_id(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any
) -> None:
    existing = owner_client.create_lens_share(LensAlias=lens, SharedWith="222222222222", ClientRequestToken="by-hand")

    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    assert answer.status == "FAILED"
    assert f"already shared with 222222222222 (ShareId {existing['ShareId']})" in answer.reason
    assert "delete-lens-share" in answer.reason
    assert [share["ShareId"] for share in emu.shares(lens)] == [existing["ShareId"]]
    assert stack.rollback()[0].status == "SUCCESS"
    assert [share["ShareId"] for share in emu.shares(lens)] == [existing["ShareId"]]


def test_the_share_quota_is_explained(stack: Stack, emu: WellArchitectedEmulator, lens: str) -> None:
    emu.set_share_quota(1)
    assert stack.create("First", {"LensAlias": lens, "SharedWith": "222222222222"}).status == "SUCCESS"

    answer = stack.create("Second", {"LensAlias": lens, "SharedWith": "333333333333"})

    assert answer.status == "FAILED"
    assert "300 per lens, not adjustable" in answer.reason
    assert len(emu.shares(lens)) == 1


@pytest.mark.parametrize("principal", ["o-a1b2c3d4e5", "ou-ab12-cd34ef56"])
def test_organization_sharing_off_says_how_to_turn_it_on(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, principal: str
) -> None:
    answer = stack.create("Share", {"LensAlias": lens, "SharedWith": principal})

    assert answer.status == "FAILED"
    assert "organization sharing, which is off in this account" in answer.reason
    assert "Custom::WellArchitectedOrganizationSharing" in answer.reason
    assert emu.shares(lens) == []


def test_any_other_refusal_carries_the_service_message(stack: Stack, emu: WellArchitectedEmulator) -> None:
    draft = emu.create_lens(name="Draft lens", published=False)

    answer = stack.create("Share", {"LensAlias": draft, "SharedWith": "222222222222"})

    assert answer.status == "FAILED"
    assert answer.reason.startswith("Well-Architected refused CreateLensShare: ValidationException: ")
    assert emu.shares(draft) == []
