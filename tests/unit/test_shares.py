"""The ClientRequestToken of each call, which the emulator does not show: the create keeps the RequestId, every
other call gets one derived from it. What the calls do is tested through the emulator, in tests/protocol."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from lens_share import guard
from lens_share.aws import retry
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
