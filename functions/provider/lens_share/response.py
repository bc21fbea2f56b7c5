"""The answer to CloudFormation: at most 4096 bytes, PUT to the pre-signed ResponseURL until it is taken."""

from __future__ import annotations

import http.client
import json
import ssl
import time
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from lens_share.aws.retry import Backoff

MAX_BODY_BYTES = 4096
MAX_PHYSICAL_ID_BYTES = 1024
PUT_TIMEOUT_S = 5.0
PUT_ATTEMPTS = 6
# An attempt shorter than this cannot carry an answer: none is started with less time left.
MIN_ATTEMPT_S = 0.5
CUT = " …"


def _dump(answer: dict[str, Any]) -> bytes:
    return json.dumps(answer, separators=(",", ":")).encode()


def encode(answer: dict[str, Any]) -> bytes:
    """The JSON body, shortening Reason (then dropping Data) so that CloudFormation accepts it."""
    body = _dump(answer)
    if len(body) <= MAX_BODY_BYTES:
        return body
    reason = str(answer.get("Reason", ""))
    # The longest beginning of the reason that fits; JSON escapes make bytes and characters differ.
    low, high = 0, len(reason)
    while low < high:
        middle = (low + high + 1) // 2
        if len(_dump({**answer, "Reason": reason[:middle] + CUT})) <= MAX_BODY_BYTES:
            low = middle
        else:
            high = middle - 1
    if low > 0:
        return _dump({**answer, "Reason": reason[:low] + CUT})
    return _dump(
        {
            **answer,
            "Status": "FAILED",
            "Reason": "The resource's attributes did not fit CloudFormation's 4096-byte answer.",
            "Data": {},
        }
    )


def _connection(scheme: str, netloc: str, context: ssl.SSLContext | None, timeout: float) -> http.client.HTTPConnection:
    if scheme == "http":
        return http.client.HTTPConnection(netloc, timeout=timeout)
    return http.client.HTTPSConnection(netloc, timeout=timeout, context=context or default_tls())


@cache
def default_tls() -> ssl.SSLContext:
    """Loading the CA store costs milliseconds, so a warm Lambda keeps the context it made."""
    return ssl.create_default_context()


def put(
    url: str,
    body: bytes,
    time_left: Callable[[], float],
    backoff: Backoff,
    context: ssl.SSLContext | None = None,
) -> int:
    """PUT body to url, over the scheme it names (S3's https, or the http of a local CloudFormation such as
    LocalStack's); retried on connection errors and 5xx (a 5xx is not delivered), each attempt bounded by the
    time left. Returns the status."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    status = 0
    for attempt in range(1, PUT_ATTEMPTS + 1):
        # The first attempt goes whatever the clock says: an answer late is better than none.
        timeout = min(PUT_TIMEOUT_S, max(time_left(), MIN_ATTEMPT_S))
        try:
            connection = _connection(parts.scheme, parts.netloc, context, timeout)
            try:
                # S3 signs the URL without a content type, so none may be sent.
                connection.request(
                    "PUT", target, body=body, headers={"Content-Type": "", "Content-Length": str(len(body))}
                )
                status = connection.getresponse().status
            finally:
                connection.close()
            if status < 500:
                return status
        except (OSError, http.client.HTTPException):
            status = 0
        pause = backoff.delay(attempt)
        if time_left() < pause + MIN_ATTEMPT_S:
            break
        time.sleep(pause)
    return status
