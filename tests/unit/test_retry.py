"""Retries: transient failures again while time allows, everything else at once."""

from __future__ import annotations

import random

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from botocore.stub import Stubber

from lens_share.aws import retry
from lens_share.aws.calls import Caller
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.kinds import LENS as LENS_API

LENS = "arn:aws:wellarchitected:us-east-1:111111111111:lens/6f1c2b3a4d5e6f708192a3b4c5d6e7f8"
SHARE = "0f8e7d6c5b4a39281706f5e4d3c2b1a0"
CREATE = {"LensAlias": LENS, "SharedWith": "222222222222", "ClientRequestToken": "token"}


def gateway(remaining_ms: int, pauses: list[float]) -> tuple[WellArchitected, Stubber]:
    client = boto3.client("wellarchitected", region_name="us-east-1")
    backoff = retry.Backoff(sleep=pauses.append, rng=random.Random(7))
    return WellArchitected(client, Caller(retry.Deadline(lambda: remaining_ms), backoff)), Stubber(client)


@pytest.mark.parametrize(
    ("code", "status"),
    [("ThrottlingException", 429), ("InternalServerException", 500), ("ServiceUnavailable", 503)],
)
def test_transient_errors_are_retried_with_growing_jittered_pauses(code: str, status: int) -> None:
    pauses: list[float] = []
    wellarchitected, stub = gateway(300_000, pauses)
    for _ in range(3):
        stub.add_client_error("create_lens_share", code, http_status_code=status, expected_params=CREATE)
    stub.add_response("create_lens_share", {"ShareId": SHARE}, CREATE)
    with stub:
        assert wellarchitected.create_share(LENS_API, LENS, "222222222222", "token") == SHARE
    stub.assert_no_pending_responses()
    assert len(pauses) == 3
    assert all(0 <= pause <= min(retry.Backoff().cap_s, 0.25 * 2**n) for n, pause in enumerate(pauses, 1))


def test_a_refusal_is_not_retried() -> None:
    pauses: list[float] = []
    wellarchitected, stub = gateway(300_000, pauses)
    stub.add_client_error("create_lens_share", "ValidationException", http_status_code=400)
    with stub, pytest.raises(ClientError):
        wellarchitected.create_share(LENS_API, LENS, "222222222222", "token")
    assert pauses == []


def test_retries_stop_when_the_next_attempt_would_not_end_before_the_answer_is_due() -> None:
    pauses: list[float] = []
    # Just under the answer reserve plus one attempt: no time for a second try.
    wellarchitected, stub = gateway(int((retry.ANSWER_RESERVE_S + retry.ATTEMPT_S) * 1000), pauses)
    stub.add_client_error("create_lens_share", "ThrottlingException", http_status_code=429)
    with stub, pytest.raises(retry.OutOfTime) as stopped:
        wellarchitected.create_share(LENS_API, LENS, "222222222222", "token")
    assert stopped.value.attempts == 1
    assert "ThrottlingException" in str(stopped.value)


@pytest.mark.parametrize(
    "error",
    [EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), ReadTimeoutError(endpoint_url="http://127.0.0.1:1")],
)
def test_connection_errors_and_read_timeouts_are_transient(error: Exception) -> None:
    assert retry.is_transient(error)
    assert not retry.is_transient(ValueError("no"))
