"""The Custom::LensShare domain against a stubbed client: which calls it makes, and in what order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from lens_share import guard
from lens_share.aws import retry
from lens_share.errors import ProviderError
from lens_share.request import Request
from lens_share.resources import REGISTRY
from lens_share.services import Environment, Services
from local.events import LambdaContext

LENS = "arn:aws:wellarchitected:us-east-1:111111111111:lens/6f1c2b3a4d5e6f708192a3b4c5d6e7f8"
SHARE, OTHER = "0f8e7d6c5b4a39281706f5e4d3c2b1a0", "1f8e7d6c5b4a39281706f5e4d3c2b1a1"


@pytest.fixture
def stubbed() -> Iterator[tuple[Services, Stubber]]:
    client = boto3.client("wellarchitected", region_name="us-east-1")
    environment = Environment(client, guard.Anyone(), "us-east-1", lambda: retry.Backoff(sleep=lambda _: None))
    with Stubber(client) as stub:
        yield Services(environment, LambdaContext(), lambda *_: None), stub
        stub.assert_no_pending_responses()


def shares() -> Any:
    return REGISTRY["Custom::LensShare"]


def request(kind: str, shared_with: str, *, physical_id: str = "", old: str = "", rounds: str = "") -> Request:
    """rounds: 'old>new' InvitationRound values."""
    properties: dict[str, Any] = {"LensAlias": LENS, "SharedWith": shared_with}
    old_properties: dict[str, Any] = {"LensAlias": LENS, "SharedWith": old} if old else {}
    if rounds:
        old_properties["InvitationRound"], properties["InvitationRound"] = rounds.split(">")
    return Request(kind, "req-1", "Share", "stack", "Custom::LensShare", properties, old_properties, physical_id)


def listing(*items: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "LensShareSummaries": [
            {"ShareId": share, "SharedWith": principal, "Status": status} for share, principal, status in items
        ]
    }


def test_create_sends_the_request_id_as_token(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    stub.add_response(
        "create_lens_share",
        {"ShareId": SHARE},
        {"LensAlias": LENS, "SharedWith": "222222222222", "ClientRequestToken": "req-1"},
    )

    outcome = shares().create(request("Create", "222222222222"), services)

    assert outcome.physical_id == f"{LENS}/shares/{SHARE}"
    assert outcome.action == "created"


def test_a_conflict_on_create_names_the_active_share_and_skips_rejected_ones(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    stub.add_client_error("create_lens_share", "ConflictException", http_status_code=409)
    stub.add_response(
        "list_lens_shares",
        listing((OTHER, "222222222222", "REJECTED"), (SHARE, "222222222222", "PENDING")),
        {"LensAlias": LENS, "MaxResults": 10, "SharedWithPrefix": "222222222222"},
    )

    with pytest.raises(ProviderError, match=f"ShareId {SHARE}") as refused:
        shares().create(request("Create", "222222222222"), services)
    assert refused.value.kind == "AlreadyShared"


def test_a_rollback_update_keeps_the_share_its_physical_id_holds(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    page = {"LensAlias": LENS, "MaxResults": 10, "SharedWithPrefix": "222222222222"}
    stub.add_response("list_lens_shares", {**listing((OTHER, "2222222222229", "PENDING")), "NextToken": "2"}, page)
    stub.add_response("list_lens_shares", listing((SHARE, "222222222222", "PENDING")), {**page, "NextToken": "2"})

    outcome = shares().update(
        request("Update", "222222222222", physical_id=f"{LENS}/shares/{SHARE}", old="333333333333"), services
    )

    assert outcome.physical_id == f"{LENS}/shares/{SHARE}"
    assert outcome.action == "unchanged"


def test_an_update_that_conflicts_with_a_share_it_never_held_fails(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    stub.add_response("list_lens_shares", listing())
    stub.add_client_error("create_lens_share", "ConflictException", http_status_code=409)
    stub.add_response("list_lens_shares", listing((SHARE, "222222222222", "ACCEPTED")))

    with pytest.raises(ProviderError, match=f"ShareId {SHARE}") as refused:
        shares().update(
            request("Update", "222222222222", physical_id=f"{LENS}/shares/{OTHER}", old="333333333333"), services
        )
    assert refused.value.kind == "AlreadyShared"


def test_a_rollback_after_replacement_takes_back_only_the_share_it_replaced(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    stub.add_response("list_lens_shares", listing())
    stub.add_client_error("create_lens_share", "ConflictException", http_status_code=409)
    stub.add_response("list_lens_shares", listing((SHARE, "222222222222", "ACCEPTED")))

    outcome = shares().update(
        request("Update", "222222222222", physical_id=f"{LENS}/shares/{OTHER}/replaces/{SHARE}", old="333333333333"),
        services,
    )

    assert (outcome.physical_id, outcome.action) == (f"{LENS}/shares/{SHARE}", "adopted")


def test_a_replacement_records_the_share_it_replaces(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    stub.add_response("list_lens_shares", listing())
    stub.add_response("create_lens_share", {"ShareId": OTHER})

    outcome = shares().update(
        request("Update", "333333333333", physical_id=f"{LENS}/shares/{SHARE}", old="222222222222"), services
    )

    assert (outcome.physical_id, outcome.action) == (f"{LENS}/shares/{OTHER}/replaces/{SHARE}", "replaced")


@pytest.mark.parametrize("status", ["ACCEPTED", "PENDING", "ASSOCIATED"])
def test_a_new_invitation_round_leaves_a_usable_share_alone(stubbed: tuple[Services, Stubber], status: str) -> None:
    services, stub = stubbed
    stub.add_response("list_lens_shares", listing((SHARE, "222222222222", status)))

    outcome = shares().update(
        request("Update", "222222222222", physical_id=f"{LENS}/shares/{SHARE}", old="222222222222", rounds="1>2"),
        services,
    )

    assert (outcome.physical_id, outcome.action) == (f"{LENS}/shares/{SHARE}", "unchanged")


def test_a_new_invitation_round_deletes_an_expired_share_then_shares_again(stubbed: tuple[Services, Stubber]) -> None:
    """The create keeps the RequestId as its token; the delete's is derived from it, so no token serves two calls."""
    services, stub = stubbed
    stub.add_response("list_lens_shares", listing((SHARE, "222222222222", "EXPIRED")))
    delete_token = f"req-1-delete-{SHARE}"
    stub.add_response(
        "delete_lens_share", {}, {"LensAlias": LENS, "ShareId": SHARE, "ClientRequestToken": delete_token}
    )
    stub.add_response(
        "create_lens_share",
        {"ShareId": OTHER},
        {"LensAlias": LENS, "SharedWith": "222222222222", "ClientRequestToken": "req-1"},
    )

    outcome = shares().update(
        request("Update", "222222222222", physical_id=f"{LENS}/shares/{SHARE}", old="222222222222", rounds="1>2"),
        services,
    )

    assert (outcome.physical_id, outcome.action) == (f"{LENS}/shares/{OTHER}", "reinvited")


def test_organization_sharing_off_is_found_through_the_global_settings(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    stub.add_client_error("create_lens_share", "ValidationException", http_status_code=400)
    stub.add_response("get_global_settings", {"OrganizationSharingStatus": "DISABLED"})

    with pytest.raises(ProviderError, match="organization sharing, which is off") as refused:
        shares().create(request("Create", "o-a1b2c3d4e5"), services)
    assert refused.value.kind == "OrganizationSharingOff"


def test_delete_of_a_share_already_gone_and_of_a_non_share_id(stubbed: tuple[Services, Stubber]) -> None:
    services, stub = stubbed
    stub.add_client_error("delete_lens_share", "ResourceNotFoundException", http_status_code=404)

    assert (
        shares().delete(request("Delete", "222222222222", physical_id=f"{LENS}/shares/{SHARE}"), services).action
        == "gone"
    )
    assert shares().delete(request("Delete", "x", physical_id="not-created-req-0"), services).action == "skipped"
