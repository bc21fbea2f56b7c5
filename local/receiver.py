"""An HTTPS stand-in for the S3 bucket behind CloudFormation's pre-signed ResponseURLs.

Whoever PUTs an answer must trust `ca_file`: point `SSL_CERT_FILE` at it (OpenSSL reads it when a default
context is built, which is how crhelper's `ssl.create_default_context()` picks it up), or pass it as `cafile`.
"""

from __future__ import annotations

import hashlib
import ssl
import string
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from secrets import choice, token_hex
from typing import Any, cast
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import trustme

from emulator.clock import REAL, Clock
from emulator.loopback import LoopbackServer, LoopbackService, TrackedHandler
from local.answers import Answer, check_answer

_ERROR_CODES = {403: "SignatureDoesNotMatch", 411: "MissingContentLength", 500: "InternalError", 503: "SlowDown"}


@dataclass(frozen=True)
class _Issued:
    url: str
    path: str
    query: str
    params: dict[str, list[str]]
    host: str
    stack_id: str
    logical_id: str
    request_id: str


class _RequestHandler(TrackedHandler):
    timeout = 10  # a stalled client must not hold a worker thread forever

    def do_PUT(self) -> None:
        cast("LoopbackServer[ResponseReceiver]", self.server).owner._handle_put(self)

    def do_GET(self) -> None:
        self.reply(403)  # the method is part of the signature: a URL signed for PUT is refused to anything else

    do_HEAD = do_POST = do_DELETE = do_GET

    def reply(self, status: int, etag: str = "") -> None:
        body = b""
        if status != 200:
            code = _ERROR_CODES.get(status, HTTPStatus(status).phrase.replace(" ", ""))
            body = f"<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>{code}</Code></Error>".encode()
        self.send_response(status)
        if etag:
            self.send_header("ETag", f'"{etag}"')
        if body:
            self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def version_string(self) -> str:
        return "AmazonS3"


class ResponseReceiver(LoopbackService):
    """Records every PUT in order; accepts only PUTs to URLs it issued, with their signature, like S3."""

    handler = _RequestHandler
    thread_name = "cfn-receiver"

    def __init__(self, region: str = "us-east-1", clock: Clock = REAL) -> None:
        super().__init__("127.0.0.1", 0)
        self._region = region
        self.clock = clock  # answers are stamped on it: the clock of the Lambda deadlines they are held to
        self._access_key = "AKIA" + "".join(choice(string.ascii_uppercase + string.digits) for _ in range(16))
        self._changed = threading.Condition()
        self._issued: dict[str, _Issued] = {}
        self._puts: list[Answer] = []
        self._faults: list[int | None] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._ca_file = ""

    def start(self) -> None:
        if self._tmp is not None:
            return
        ca = trustme.CA()
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(self.tls)
        self._tmp = tempfile.TemporaryDirectory(prefix="cfn-receiver-")
        self._ca_file = str(Path(self._tmp.name) / "ca.pem")
        ca.cert_pem.write_to_path(self._ca_file)
        super().start()

    def stop(self) -> None:
        super().stop()
        if self._tmp is not None:
            self._tmp.cleanup()
        self._tmp = None

    @property
    def ca_file(self) -> str:
        """Path of the CA certificate (PEM) behind the server's certificate: what answering clients must trust."""
        self.bound_port  # noqa: B018 - refuses a receiver that is not started
        return self._ca_file

    def new_url(self, stack_id: str, logical_id: str, request_id: str) -> str:
        """A fresh pre-signed-looking ResponseURL for one request; a new signature on every call."""
        host = f"127.0.0.1:{self.bound_port}"
        path = f"/{quote(stack_id, safe='/')}%7C{quote(logical_id, safe='')}%7C{quote(request_id, safe='')}"
        now = datetime.now(UTC)
        signature = token_hex(32)
        query = urlencode(
            [
                ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
                ("X-Amz-Credential", f"{self._access_key}/{now:%Y%m%d}/{self._region}/s3/aws4_request"),
                ("X-Amz-Date", f"{now:%Y%m%dT%H%M%SZ}"),
                ("X-Amz-Expires", "7200"),
                ("X-Amz-SignedHeaders", "host"),
                ("X-Amz-Signature", signature),
            ],
            quote_via=quote,
        )
        url = f"https://{host}{path}?{query}"
        issued = _Issued(url, path, query, parse_qs(query), host, stack_id, logical_id, request_id)
        with self._changed:
            self._issued[signature] = issued
        return url

    def secrets(self) -> list[str]:
        """Strings that must never appear in logs: each issued URL, its query string and its signature."""
        with self._changed:
            return [text for sig, issued in self._issued.items() for text in (issued.url, issued.query, sig)]

    def puts(self) -> list[Answer]:
        """Every PUT received, in order, refused or faulted ones included (see `Answer.http_status`)."""
        with self._changed:
            return list(self._puts)

    def answers(self, request_id: str) -> list[Answer]:
        """The answers stored for a request, in order: what CloudFormation could read."""
        with self._changed:
            return [a for a in self._puts if a.request_id == request_id and a.delivered]

    def wait_for(self, request_id: str, timeout: float = 5.0, index: int = 0) -> Answer:
        """The request's answer number `index` (the first by default); TimeoutError if it does not come."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := self.answers(request_id)) <= index:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer #{index} for request {request_id} within {timeout} s")
                self._changed.wait(left)
            return found[index]

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next `count` well-signed PUTs with `status` instead of storing them."""
        HTTPStatus(status)  # refuse a status code HTTP does not define
        with self._changed:
            self._faults.extend([status] * count)

    def reset_next(self, count: int) -> None:
        """Close the connection of the next `count` well-signed PUTs without answering."""
        with self._changed:
            self._faults.extend([None] * count)

    def _handle_put(self, request: _RequestHandler) -> None:
        target = urlsplit(request.path)
        issued = self._match(target.path, target.query, request.headers.get("Host", ""))
        length = request.headers.get("Content-Length", "")
        body = request.rfile.read(int(length)) if length.isdigit() else b""
        record: dict[str, Any] = {
            "request_id": issued.request_id if issued else "",
            "body": body,
            "path": target.path,
            "headers": dict(request.headers.items()),
            "received_at": self.clock.now(),
        }
        if issued is None or not length.isdigit():
            status = 403 if issued is None else 411
            self._record(Answer({}, http_status=status, **record))
            request.reply(status)
            return
        with self._changed:
            fault, self._faults = self._faults[:1], self._faults[1:]
        if fault:
            self._record(Answer({}, http_status=fault[0], **record))
            if fault[0] is None:
                request.close_connection = True  # the client sees the connection drop with no reply
            else:
                request.reply(fault[0])
            return
        document, problems = check_answer(
            body, stack_id=issued.stack_id, logical_id=issued.logical_id, request_id=issued.request_id
        )
        self._record(Answer(document, problems=problems, **record))
        request.reply(200, etag=hashlib.md5(body, usedforsecurity=False).hexdigest())

    def _match(self, path: str, query: str, host: str) -> _Issued | None:
        params = parse_qs(query, keep_blank_values=True)
        with self._changed:
            issued = self._issued.get(params.get("X-Amz-Signature", [""])[0])
        # S3 signs the method, path, query and host: any difference breaks the signature
        if issued and unquote(path) == unquote(issued.path) and params == issued.params and host == issued.host:
            return issued
        return None

    def _record(self, answer: Answer) -> None:
        with self._changed:
            self._puts.append(answer)
            self._changed.notify_all()
