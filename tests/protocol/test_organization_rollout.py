"""Organization sharing as a resource, and the principal guard (Organizations served by moto over HTTP)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from emulator import WellArchitectedEmulator
from emulator.moto_server import moto_server
from lens_share import guard
from local.cloudformation import Stack
from tests.protocol.harness import LambdaFunction, writes

SHARING = "Custom::WellArchitectedOrganizationSharing"


def test_organization_sharing_is_turned_on_and_left_on_by_default_when_deleted(
    stack: Stack, emu: WellArchitectedEmulator, lens: str
) -> None:
    answer = stack.create("OrgSharing", {}, resource_type=SHARING)
    assert answer.status == "SUCCESS"
    assert answer.data == {"OrganizationSharingStatus": "ENABLED"}
    assert emu.organization_sharing() == "ENABLED"

    share = stack.create("OuShare", {"LensAlias": lens, "SharedWith": "ou-ab12-cd34ef56"})
    assert share.status == "SUCCESS"

    assert stack.delete("OrgSharing").status == "SUCCESS"
    assert emu.organization_sharing() == "ENABLED"
    assert writes(emu) == ["UpdateGlobalSettings", "CreateLensShare"]


def test_disable_on_delete_turns_organization_sharing_off(stack: Stack, emu: WellArchitectedEmulator) -> None:
    assert stack.create("OrgSharing", {"DisableOnDelete": "true"}, resource_type=SHARING).status == "SUCCESS"
    assert stack.delete("OrgSharing").status == "SUCCESS"
    assert emu.organization_sharing() == "DISABLED"


def test_organization_sharing_refuses_a_bad_flag(stack: Stack, emu: WellArchitectedEmulator) -> None:
    answer = stack.create("OrgSharing", {"DisableOnDelete": "maybe"}, resource_type=SHARING)
    assert answer.status == "FAILED"
    assert "DisableOnDelete 'maybe' must be 'true' or 'false'" in answer.reason
    assert emu.calls() == []
    assert stack.rollback()[0].status == "SUCCESS"


@pytest.fixture(scope="module")
def organization() -> Iterator[dict[str, Any]]:
    """An organization in moto's Organizations: the provider's, two member accounts and an OU."""
    with moto_server() as url:
        client = boto3.client("organizations", region_name="us-east-1", endpoint_url=url)
        organization_id = client.create_organization(FeatureSet="ALL")["Organization"]["Id"]
        root = client.list_roots()["Roots"][0]["Id"]
        unit = client.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
        member = client.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"]
        yield {"organization": organization_id, "unit": unit, "member": member["AccountId"], "client": client}


@pytest.fixture
def guarded(app: LambdaFunction, organization: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The provider as deployed with a given AllowedPrincipals setting, its Organizations client on moto."""

    def with_setting(setting: str) -> None:
        environment = dataclasses.replace(
            app.environment, guard=guard.from_setting(setting), organizations=lambda: organization["client"]
        )
        monkeypatch.setattr(app, "environment", environment)

    return with_setting


def test_the_organization_guard_allows_members_and_refuses_outsiders_without_calling_well_architected(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, organization: dict[str, str], guarded: Any
) -> None:
    guarded("ORGANIZATION")
    emu.set_organization_sharing(True)
    inside = [organization["member"], organization["unit"], organization["organization"]]
    for number, principal in enumerate(inside):
        answer = stack.create(f"Inside{number}", {"LensAlias": lens, "SharedWith": principal})
        assert answer.status == "SUCCESS", answer.reason
    calls_before = len(emu.calls())

    for number, principal in enumerate(["999999999999", "o-zzzzzzzzzz", "arn:aws:iam::999999999999:user/eve"]):
        answer = stack.create(f"Outside{number}", {"LensAlias": lens, "SharedWith": principal})
        assert answer.status == "FAILED"
        assert "refused by the provider's AllowedPrincipals rule ORGANIZATION" in answer.reason
        assert organization["organization"] in answer.reason

    assert len(emu.calls()) == calls_before
    assert sorted(share["SharedWith"] for share in emu.shares(lens)) == sorted(inside)


def test_a_listed_guard_allows_only_the_listed_principals(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, guarded: Any
) -> None:
    guarded("222222222222, ou-ab12-cd34ef56")
    assert stack.create("Listed", {"LensAlias": lens, "SharedWith": "222222222222"}).status == "SUCCESS"
    user = stack.create("ListedUser", {"LensAlias": lens, "SharedWith": "arn:aws:iam::222222222222:user/alice"})
    assert user.status == "SUCCESS"

    refused = stack.create("Other", {"LensAlias": lens, "SharedWith": "333333333333"})

    assert refused.status == "FAILED"
    assert refused.reason.startswith("SharedWith '333333333333' is refused by the provider's AllowedPrincipals rule")
    assert "222222222222, ou-ab12-cd34ef56" in refused.reason
    assert writes(emu) == ["CreateLensShare", "CreateLensShare"]


def test_a_guard_refusal_on_update_keeps_the_original_share(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, guarded: Any
) -> None:
    guarded("222222222222")
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})

    refused = stack.update("Share", {"LensAlias": lens, "SharedWith": "333333333333"})

    assert refused.status == "FAILED"
    assert refused.physical_id == created.physical_id
    assert stack.rollback()[0].status == "SUCCESS"
    assert [share["SharedWith"] for share in emu.shares(lens)] == ["222222222222"]
