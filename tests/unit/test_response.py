"""The answer body: always within CloudFormation's 4096 bytes."""

from __future__ import annotations

import json

from lens_share import response

BASE = {
    "Status": "FAILED",
    "PhysicalResourceId": "not-created-1",
    "StackId": "arn:aws:cloudformation:us-east-1:111111111111:stack/s/" + "a" * 36,
    "RequestId": "r",
    "LogicalResourceId": "Share",
    "NoEcho": False,
    "Data": {},
}


def test_a_small_answer_is_sent_as_it_is() -> None:
    body = response.encode({**BASE, "Reason": "short"})
    assert json.loads(body)["Reason"] == "short"


def test_a_long_reason_is_cut_to_fit_and_keeps_its_beginning() -> None:
    body = response.encode({**BASE, "Reason": "Lens x is refused. " + "é" * 5000})
    assert len(body) <= response.MAX_BODY_BYTES
    decoded = json.loads(body)
    assert decoded["Reason"].startswith("Lens x is refused.")
    assert decoded["Reason"].endswith(response.CUT)
    assert len(body) > response.MAX_BODY_BYTES - 64


def test_attributes_that_cannot_fit_turn_the_answer_into_a_failure() -> None:
    body = response.encode({**BASE, "Status": "SUCCESS", "Reason": "", "Data": {"Big": "x" * 5000}})
    decoded = json.loads(body)
    assert len(body) <= response.MAX_BODY_BYTES
    assert decoded["Status"] == "FAILED"
    assert decoded["Data"] == {}
    assert "4096-byte" in decoded["Reason"]
