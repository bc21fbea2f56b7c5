"""Retries of throttled and transient failures, paced with jitter and bounded by the Lambda's time."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from lens_share.aws.codes import error_code, service_message

T = TypeVar("T")

# Seconds kept back from the time a resource function's context reports (already answer.EARLIER_S short of the
# Lambda's) so that an answer can always be sent, before the safety timer's.
ANSWER_RESERVE_S = 2.0
# The longest one Well-Architected call may take: the client's connect plus read time-outs.
CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 6.0
ATTEMPT_S = CONNECT_TIMEOUT_S + READ_TIMEOUT_S

TRANSIENT_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "InternalServerException",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)


class OutOfTime(Exception):
    """Retries stopped because the next attempt could not finish before the answer is due. `lost`: an attempt
    got no definite answer (see is_lost), so what it asked for may have been done."""

    def __init__(self, operation: str, attempts: int, last: Exception, *, lost: bool = False) -> None:
        self.operation = operation
        self.attempts = attempts
        self.last = last
        self.lost = lost
        super().__init__(f"{operation} failed {attempts} times: {describe(last)}")


@dataclass
class Deadline:
    """Time left before the answer to CloudFormation must be on its way."""

    remaining_ms: Callable[[], int]
    reserve_s: float = ANSWER_RESERVE_S

    def left(self) -> float:
        return self.remaining_ms() / 1000.0 - self.reserve_s


@dataclass
class Backoff:
    """Full-jitter exponential backoff: callers that were refused together come back spread out."""

    base_s: float = 0.25
    cap_s: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        return self.rng.uniform(0, min(self.cap_s, self.base_s * 2**attempt))


def http_status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def is_transient(error: Exception) -> bool:
    if isinstance(error, (ConnectionError, HTTPClientError)):
        return True
    if isinstance(error, ClientError):
        status = http_status(error)
        return error_code(error) in TRANSIENT_CODES or status == 429 or status >= 500
    return False


def is_lost(error: Exception) -> bool:
    """Whether a failed attempt may still have been carried out: a 5xx, or no answer once the request was sent
    (a read time-out, a connection closed). Throttling and a connection never made are a definite no."""
    if isinstance(error, HTTPClientError):
        return True
    if isinstance(error, ClientError):
        return http_status(error) >= 500
    return False


def describe(error: Exception) -> str:
    if isinstance(error, ClientError):
        return f"{error_code(error) or 'Error'}: {service_message(error)}".rstrip(": ")
    return f"{type(error).__name__}: {error}"


def call(operation: str, fn: Callable[[], T], deadline: Deadline, backoff: Backoff) -> T:
    """fn(), again after each transient failure while another attempt still fits before the deadline."""
    attempt, lost = 0, False
    while True:
        try:
            return fn()
        except (ClientError, ConnectionError, HTTPClientError) as error:
            if not is_transient(error):
                raise
            attempt, lost = attempt + 1, lost or is_lost(error)
            pause = backoff.delay(attempt)
            if deadline.left() < pause + ATTEMPT_S:
                raise OutOfTime(operation, attempt, error, lost=lost) from error
            backoff.sleep(pause)
