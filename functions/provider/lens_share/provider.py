"""crhelper's CfnResource with the traps this provider cannot live with taken out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crhelper import CfnResource

from lens_share import response
from lens_share.aws.retry import Backoff
from lens_share.physical_ids import not_created, unconfirmed

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

SUCCESS = "SUCCESS"
FAILED = "FAILED"
# The safety timer answers this long before the Lambda is stopped, leaving time for the PUT; it must stay
# below retry.ANSWER_RESERVE_S so that it never cuts off a call the retries still let start (a unit test checks).
TIMER_MARGIN_S = 2.5


class Provider(CfnResource):
    """Dispatch, decorators and init_failure stay crhelper's; answering is this class's."""

    def __init__(self, logger: Logger, backoff: Callable[[], Backoff] | None = None) -> None:
        # CfnResource.__init__ is skipped: it makes three boto3 clients for a polling mode this provider never
        # uses (about 25 ms of every cold start). tests/unit/test_crhelper_contract.py keeps these names in step.
        self._logger = logger
        # The answer PUT is retried with the same pacing as AWS calls (tests inject a faster one).
        self._backoff = backoff or Backoff
        self._sleep_on_delete = 0
        self._create_func = self._update_func = self._delete_func = None
        self._poll_create_func = self._poll_update_func = self._poll_delete_func = None
        self._timer: threading.Timer | None = None
        self._init_failed: Exception | None = None
        self._json_logging = True
        self._log_level = self._boto_level = "WARNING"
        self._send_response = False
        self._polling_interval = 0
        self._sam_local = None
        self._region = None
        self._ssl_verify = None
        self.Status = ""
        self.Reason = ""
        self.PhysicalResourceId = ""
        self.StackId = self.RequestId = self.LogicalResourceId = self.RequestType = ""
        self.Data: dict[str, Any] = {}
        self.NoEcho = False
        self.Action = ""
        self._event: dict[str, Any] = {}
        self._context: Any = None
        self._response_url = ""
        self._answer_lock = threading.Lock()
        self._answered = False
        self._started = 0.0

    def init_failure(self, error: Exception) -> None:
        """Logged only: crhelper would answer FAILED to every event, rollback Deletes included, stranding the
        stack. The resource functions fail when they need what could not start, with a reason that says so."""
        self._logger.error("The provider could not start", extra={"Error": f"{type(error).__name__}: {error}"})

    def _log_setup(self, event: dict[str, Any], context: Any) -> None:
        self._started = time.perf_counter()
        self._logger.append_keys(
            RequestType=event.get("RequestType"),
            ResourceType=event.get("ResourceType"),
            LogicalResourceId=event.get("LogicalResourceId"),
            StackId=event.get("StackId"),
            RequestId=event.get("RequestId"),
        )

    def _crhelper_init(self, event: dict[str, Any], context: Any) -> bool:
        with self._answer_lock:
            self._answered = False
        self.Action = ""
        # Set before crhelper reads them, so that even a malformed event is answered where possible.
        self._event, self._context = event, context
        self._response_url = str(event.get("ResponseURL", ""))
        return bool(super()._crhelper_init(event, context))  # type: ignore[misc]

    def _set_timeout(self) -> None:
        seconds = max(self._context.get_remaining_time_in_millis() / 1000.0 - TIMER_MARGIN_S, 0.0)
        self._timer = threading.Timer(seconds, self._timeout)
        self._timer.daemon = True
        self._timer.start()

    def _timeout(self) -> None:
        if not self.PhysicalResourceId and self._event.get("RequestType") == "Create":
            self.PhysicalResourceId = unconfirmed(str(self._event.get("RequestId", "")))
        self.Action = "timed out"
        self._send(
            FAILED,
            "The provider ran out of time before Well-Architected answered; retry the stack operation "
            "(raise the provider's Timeout if this repeats).",
        )

    def generate_physical_id(self, event: dict[str, Any]) -> str:
        return not_created(str(event.get("RequestId", "")))

    def _send(self, status: str | None = None, reason: str = "", send_response: Any = None) -> None:
        with self._answer_lock:
            if self._answered:
                return
            self._answered = True
        if status:
            self.Status, self.Reason = status, reason
        event = self._event
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
        body = response.encode(answer)
        delivered = 0
        if self._response_url:
            delivered = response.put(self._response_url, body, self._time_left, self._backoff())
        self._logger.info(
            "Answered CloudFormation",
            extra={
                "Status": answer["Status"],
                "Reason": answer["Reason"],
                "PhysicalResourceId": answer["PhysicalResourceId"],
                "Action": self.Action,
                "ResponseStatusCode": delivered,
                "DurationMs": round((time.perf_counter() - self._started) * 1000, 1),
            },
        )

    def _time_left(self) -> float:
        if self._context is None:
            return 0.0
        return float(self._context.get_remaining_time_in_millis()) / 1000.0
