"""Fixtures for the local CloudFormation's own tests: a local cloud in a fresh state directory, a receiver, and fake
providers answering it."""

from __future__ import annotations

import http.client
import json
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from local.cloud import LocalCloud
from local.cloudformation import Handler, ResponseReceiver

Put = Callable[[str, bytes], int]
Respond = Callable[[dict[str, Any]], dict[str, Any] | bytes | None]


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def cloud(state: Path) -> Iterator[LocalCloud]:
    with LocalCloud(state) as started:
        yield started


@pytest.fixture
def receiver() -> Iterator[ResponseReceiver]:
    with ResponseReceiver() as started:
        yield started


@pytest.fixture
def put(receiver: ResponseReceiver) -> Put:
    """PUT a body to a URL the way a provider answers: over HTTPS, trusting only the receiver's CA."""

    def put_body(url: str, body: bytes) -> int:
        parts = urlsplit(url)
        tls = ssl.create_default_context(cafile=receiver.ca_file)
        connection = http.client.HTTPSConnection(parts.netloc, context=tls, timeout=5)
        try:
            connection.request("PUT", f"{parts.path}?{parts.query}", body=body, headers={"Content-Type": ""})
            return connection.getresponse().status
        finally:
            connection.close()

    return put_body


def valid_answer(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "Status": "SUCCESS",
        "PhysicalResourceId": event.get("PhysicalResourceId") or f"share-{event['LogicalResourceId']}",
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "Reason": "",
        "Data": {},
    }


@pytest.fixture
def provider(put: Put) -> Callable[..., Handler]:
    """Build a fake provider: `respond(event)` gives fields laid over a valid SUCCESS answer, raw bytes,
    or None for no answer; `retries` re-sends an answer that was not stored (a 5xx, a dropped connection)."""

    def build(respond: Respond = lambda event: {}, *, retries: int = 0) -> Handler:
        def handler(event: dict[str, Any], context: object) -> None:
            answer = respond(event)
            if answer is None:
                return
            body = answer if isinstance(answer, bytes) else json.dumps(valid_answer(event) | answer).encode()
            for _ in range(retries + 1):
                try:
                    if put(event["ResponseURL"], body) == 200:
                        return
                except (OSError, http.client.HTTPException):
                    continue

        return handler

    return build
