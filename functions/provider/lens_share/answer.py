"""crhelper's CfnResource, made with its documented arguments and driven through its decorators, Data,
PhysicalResourceId, Status and Reason. Its answer goes out through response.py instead: `_send` is the one
private method replaced (tests/unit/test_crhelper_seam.py holds it to crhelper's), because crhelper's own
sender truncates reasons to their last 240 characters, retries a failed PUT forever, counts a 5xx as
delivered and speaks HTTPS alone. Its safety timer is moved earlier from outside, through the context, and its
answer is known as the timer's by the thread that sends it."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crhelper import CfnResource

from lens_share import response
from lens_share.aws.retry import Backoff
from lens_share.physical_ids import not_created, unconfirmed

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

SUCCESS = "SUCCESS"
FAILED = "FAILED"
REQUEST_TYPES = ("Create", "Update", "Delete")
# What CloudFormation always sends, and crhelper reads before any resource function runs.
REQUIRED = ("RequestType", "ResponseURL", "StackId", "RequestId", "LogicalResourceId")
# The safety timer's answer leaves this long before the Lambda is stopped: time for the PUT and a retry of it.
TIMER_MARGIN_S = 4.0
# crhelper's timer fires this long before the time its context reports...
CRHELPER_TIMER_S = 0.5
# ...so the context it is given (and every resource function with it) reports this much less than Lambda's.
EARLIER_S = TIMER_MARGIN_S - CRHELPER_TIMER_S
# The log key that says what a resource did; the handler sets it, the answer's log line carries it.
ACTION = "Action"
TIMED_OUT = (
    "The provider ran out of time before Well-Architected answered; retry the stack operation "
    "(raise the provider's Timeout if this repeats)."
)


class Earlier:
    """A Lambda context that reports the time left less EARLIER_S, and is otherwise the context itself."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def get_remaining_time_in_millis(self) -> int:
        return max(int(self._context.get_remaining_time_in_millis()) - int(EARLIER_S * 1000), 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


@dataclass
class Invocation:
    """One event as it is being answered: at most one answer, whoever (the function or the timer) sends it."""

    event: dict[str, Any]
    context: Any
    started: float = field(default_factory=time.perf_counter)
    thread: int = field(default_factory=threading.get_ident)  # the function's; any other sender is the timer
    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: bool = False

    def take(self) -> bool:
        """True once: the right to answer."""
        with self.lock:
            first, self.answered = not self.answered, True
            return first

    def time_left(self) -> float:
        return float(self.context.get_remaining_time_in_millis()) / 1000.0 if self.context else 0.0

    @property
    def by_timer(self) -> bool:
        return threading.get_ident() != self.thread


@contextmanager
def _without_polling_clients() -> Iterator[None]:
    """crhelper makes Lambda, Events and Logs clients for polling, which the provider never uses, unless
    AWS_SAM_LOCAL is set (held to its source by tests/unit/test_crhelper_seam.py): a tenth of a cold start."""
    before = os.environ.get("AWS_SAM_LOCAL")
    os.environ["AWS_SAM_LOCAL"] = before or "false"
    try:
        yield
    finally:
        if before is None:
            del os.environ["AWS_SAM_LOCAL"]


class Helper(CfnResource):
    def __init__(self, logger: Logger, backoff: Callable[[], Backoff] | None = None) -> None:
        # Set first: crhelper's constructor calls init_failure when its own set-up fails.
        self.logger = logger
        self.backoff = backoff or Backoff  # the answer PUT is paced as AWS calls are (tests inject a faster one)
        self.invocation = Invocation({}, None)
        # crhelper at DEBUG would log the whole event, ResponseURL included.
        with _without_polling_clients():
            super().__init__(json_logging=False, log_level="WARNING", boto_level="WARNING", sleep_on_delete=0)

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        self.invocation = Invocation(event if isinstance(event, dict) else {}, context)
        self.logger.remove_keys([ACTION])
        self.logger.append_keys(
            **{key: self.invocation.event.get(key) for key in ("RequestType", "ResourceType", "LogicalResourceId")},
            StackId=self.invocation.event.get("StackId"),
            RequestId=self.invocation.event.get("RequestId"),
        )
        missing = [key for key in REQUIRED if not self.invocation.event.get(key)]
        request_type = self.invocation.event.get("RequestType")
        if not missing and request_type in REQUEST_TYPES:
            super().__call__(event, Earlier(context) if context is not None else context)
            return
        # Not sent by CloudFormation: answered where it says, and nothing else is done.
        self.logger.append_keys(**{ACTION: "Malformed"})
        self.Data, self.PhysicalResourceId = {}, ""
        found = f"no {', '.join(missing)}" if missing else f"RequestType {request_type!r}"
        self.answer(FAILED, f"The provider could not read the request ({found}); it was not sent by CloudFormation.")

    def generate_physical_id(self, event: dict[str, Any]) -> str:
        return not_created(str(event.get("RequestId", "")))

    def _send(self, status: str | None = None, reason: str = "", send_response: Any = None) -> None:
        """The seam: crhelper's answer, sent by response.put (see the module's docstring)."""
        self.answer(status, reason)

    def answer(self, status: str | None = None, reason: str = "") -> None:
        """The one answer to this event, by the function or by the timer, whichever comes first."""
        invocation = self.invocation
        if not invocation.take():
            return
        event = invocation.event
        if invocation.by_timer and not self.PhysicalResourceId:
            # The timer, while the resource function is still at work: a Create cut off may have made its share,
            # which the rollback Delete must look for.
            if event.get("RequestType") == "Create":
                self.PhysicalResourceId = unconfirmed(str(event.get("RequestId", "")))
            self.logger.append_keys(**{ACTION: "timed out"})
            status, reason = FAILED, TIMED_OUT
        elif invocation.by_timer:
            status = None  # the function had finished: its own answer goes out
        if status:
            self.Status, self.Reason = status, reason
        physical_id = str(
            self.PhysicalResourceId or event.get("PhysicalResourceId") or self.generate_physical_id(event)
        )
        answer = {
            "Status": self.Status or FAILED,
            "Reason": self.Reason or ("" if self.Status == SUCCESS else "The provider failed without a reason."),
            "PhysicalResourceId": physical_id[: response.MAX_PHYSICAL_ID_BYTES],
            "StackId": event.get("StackId", ""),
            "RequestId": event.get("RequestId", ""),
            "LogicalResourceId": event.get("LogicalResourceId", ""),
            "NoEcho": self.NoEcho,
            "Data": self.Data,
        }
        url = str(event.get("ResponseURL", ""))
        delivered = response.put(url, response.encode(answer), invocation.time_left, self.backoff()) if url else 0
        self.logger.info(
            "Answered CloudFormation",
            extra={
                "Status": answer["Status"],
                "Reason": answer["Reason"],
                "PhysicalResourceId": answer["PhysicalResourceId"],
                "ResponseStatusCode": delivered,
                "DurationMs": round((time.perf_counter() - invocation.started) * 1000, 1),
            },
        )
