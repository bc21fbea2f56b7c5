"""The receiver behaves like the S3 bucket behind ResponseURLs and judges answers like CloudFormation."""

from __future__ import annotations

import http.client
import json
import re
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lens_share import response
from lens_share.aws.retry import Backoff
from local.cloudformation import ResponseReceiver

STACK_ID = "arn:aws:cloudformation:us-east-1:111111111111:stack/platform-lens/5b4f6a10-8c2e-11ef-9a1b-0affe3c2d4e1"
REQUEST_ID = "2c9a1e0f-4b7d-4e61-9f3a-7d2b8c5e1a90"

Put = Callable[[str, bytes], int]


def answer(**changes: Any) -> dict[str, Any]:
    valid = {
        "Status": "SUCCESS",
        "PhysicalResourceId": "share-1",
        "StackId": STACK_ID,
        "RequestId": REQUEST_ID,
        "LogicalResourceId": "PlatformLensShare",
        "Data": {"ShareId": "1"},
    }
    return {key: value for key, value in (valid | changes).items() if value is not None}


def new_url(receiver: ResponseReceiver) -> str:
    return receiver.new_url(STACK_ID, "PlatformLensShare", REQUEST_ID)


def test_urls_look_presigned_and_are_secrets(receiver: ResponseReceiver) -> None:
    first, second = new_url(receiver), new_url(receiver)

    pattern = (
        rf"https://127\.0\.0\.1:{receiver.bound_port}/arn%3Aaws%3Acloudformation%3Aus-east-1%3A111111111111%3Astack"
        rf"/platform-lens/5b4f6a10-8c2e-11ef-9a1b-0affe3c2d4e1%7CPlatformLensShare%7C{REQUEST_ID}"
        r"\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA[A-Z0-9]{16}%2F\d{8}%2Fus-east-1%2Fs3%2Faws4_request"
        r"&X-Amz-Date=\d{8}T\d{6}Z&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&X-Amz-Signature=([0-9a-f]{64})"
    )
    matches = [re.fullmatch(pattern, url) for url in (first, second)]
    signatures = {match[1] for match in matches if match}
    assert len(signatures) == 2  # both match, each with its own signature
    for url in (first, second):
        assert {url, urlsplit(url).query, url.rsplit("=", 1)[1]} <= set(receiver.secrets())


def test_stores_a_valid_answer(receiver: ResponseReceiver, put: Put) -> None:
    body = json.dumps(answer()).encode()

    assert put(new_url(receiver), body) == 200

    stored = receiver.wait_for(REQUEST_ID, timeout=1)
    assert receiver.answers(REQUEST_ID) == [stored]
    assert stored == answer()
    assert (stored.body, stored.problems, stored.valid, stored.succeeded) == (body, [], True, True)
    assert stored.headers["Content-Length"] == str(len(body))
    assert stored.path == urlsplit(new_url(receiver)).path
    assert (stored.physical_id, stored.data) == ("share-1", {"ShareId": "1"})


def test_refuses_what_s3_would_refuse(receiver: ResponseReceiver, put: Put) -> None:
    url = new_url(receiver)
    other = receiver.new_url(STACK_ID, "OtherShare", "another-request")
    body = json.dumps(answer()).encode()

    assert put(url[:-64] + "0" * 64, body) == 403
    assert put(urlsplit(url)._replace(query=urlsplit(other).query).geturl(), body) == 403
    assert put(url.split("?")[0], body) == 403
    tls = ssl.create_default_context(cafile=receiver.ca_file)
    connection = http.client.HTTPSConnection(urlsplit(url).netloc, context=tls, timeout=5)
    connection.request("GET", url.split(urlsplit(url).netloc, 1)[1])
    refused = connection.getresponse()
    assert (refused.status, b"SignatureDoesNotMatch" in refused.read()) == (403, True)
    connection.close()

    assert receiver.answers(REQUEST_ID) == []
    assert [p.http_status for p in receiver.puts()] == [403, 403, 403]
    with pytest.raises(TimeoutError):
        receiver.wait_for(REQUEST_ID, timeout=0.05)


def test_refuses_a_put_without_content_length(receiver: ResponseReceiver) -> None:
    url = urlsplit(new_url(receiver))
    tls = ssl.create_default_context(cafile=receiver.ca_file)
    connection = http.client.HTTPSConnection(url.netloc, context=tls, timeout=5)
    connection.putrequest("PUT", f"{url.path}?{url.query}")
    connection.endheaders()

    assert connection.getresponse().status == 411
    connection.close()
    assert [(p.http_status, p.request_id) for p in receiver.puts()] == [(411, REQUEST_ID)]
    assert receiver.answers(REQUEST_ID) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (json.dumps(answer(Data={"Blob": "x" * 4096})), "Response object is too long"),
        ("{not json", "not valid JSON"),
        ("[]", "not a JSON object"),
        (json.dumps(answer(Status="OK")), "Invalid Status"),
        (json.dumps(answer(PhysicalResourceId="")), "Invalid PhysicalResourceId"),
        (json.dumps(answer(PhysicalResourceId=None)), "Invalid PhysicalResourceId"),
        (json.dumps(answer(PhysicalResourceId="é" * 513)), "PhysicalResourceId is too long"),
        (json.dumps(answer(Status="FAILED")), "Reason is required"),
        (json.dumps(answer(Status="FAILED", Reason="")), "Reason is required"),
        (json.dumps(answer(RequestId="someone-else")), "RequestId 'someone-else' does not match"),
        (json.dumps(answer(StackId="arn:other")), "StackId"),
        (json.dumps(answer(LogicalResourceId="Other")), "LogicalResourceId"),
        (json.dumps(answer(Data=["x"])), "Data must be a JSON object"),
    ],
)
def test_judges_answers_like_cloudformation(receiver: ResponseReceiver, put: Put, body: str, problem: str) -> None:
    assert put(new_url(receiver), body.encode()) == 200  # S3 stores anything; CloudFormation judges it

    stored = receiver.wait_for(REQUEST_ID, timeout=1)
    assert stored.delivered
    assert not stored.valid
    assert not stored.succeeded
    assert len(stored.problems) == 1
    assert problem in stored.problems[0]
    assert stored.failure_reason == stored.problems[0]


def test_a_failed_answer_with_its_reason_is_valid(receiver: ResponseReceiver, put: Put) -> None:
    put(new_url(receiver), json.dumps(answer(Status="FAILED", Reason="lens not published")).encode())

    stored = receiver.wait_for(REQUEST_ID, timeout=1)
    assert (stored.valid, stored.succeeded, stored.failure_reason) == (True, False, "lens not published")


def test_fail_next_answers_an_error_then_stores(receiver: ResponseReceiver, put: Put) -> None:
    receiver.fail_next(2, status=503)
    body = json.dumps(answer()).encode()

    assert [put(new_url(receiver), body) for _ in range(3)] == [503, 503, 200]

    assert [p.http_status for p in receiver.puts()] == [503, 503, 200]
    assert receiver.puts()[0].failure_reason == "answer not stored (HTTP 503)"
    assert len(receiver.answers(REQUEST_ID)) == 1
    with pytest.raises(ValueError, match="999"):
        receiver.fail_next(1, status=999)


def test_reset_next_drops_the_connection(receiver: ResponseReceiver, put: Put) -> None:
    receiver.reset_next(1)
    body = json.dumps(answer()).encode()

    with pytest.raises(http.client.RemoteDisconnected):
        put(new_url(receiver), body)
    assert put(new_url(receiver), body) == 200

    assert [p.http_status for p in receiver.puts()] == [None, 200]
    assert len(receiver.answers(REQUEST_ID)) == 1


def test_wait_for_an_answer_by_index(receiver: ResponseReceiver, put: Put) -> None:
    put(new_url(receiver), json.dumps(answer(PhysicalResourceId="first")).encode())
    put(new_url(receiver), json.dumps(answer(PhysicalResourceId="second")).encode())

    assert receiver.wait_for(REQUEST_ID, timeout=1).physical_id == "first"
    assert receiver.wait_for(REQUEST_ID, timeout=1, index=1).physical_id == "second"
    with pytest.raises(TimeoutError):
        receiver.wait_for(REQUEST_ID, timeout=0.05, index=2)


def test_the_provider_answer_path_reaches_it_through_ssl_cert_file(
    receiver: ResponseReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", receiver.ca_file)
    # What response.default_tls() builds once per Lambda environment, built here for this receiver's CA.
    tls = ssl.create_default_context()

    status = response.put(new_url(receiver), response.encode(answer()), lambda: 30.0, Backoff(), context=tls)

    assert status == 200
    assert receiver.wait_for(REQUEST_ID, timeout=1) == answer()


def test_needs_starting_and_cleans_up() -> None:
    receiver = ResponseReceiver()
    with pytest.raises(RuntimeError, match="not started"):
        new_url(receiver)
    with receiver:
        ca_file = Path(receiver.ca_file)
        assert ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert not ca_file.exists()
    receiver.stop()  # stopping twice is harmless
