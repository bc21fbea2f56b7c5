"""How CloudFormation reaches a custom resource's handler: an event with a fresh ResponseURL, the invocation, and
the first answer stored for it; no answer in time is CloudFormation's ServiceTimeout failure, without the hour."""

from __future__ import annotations

import copy
import secrets
import string
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from local.answers import Answer
from local.events import RESOURCE_TYPE, LambdaContext, function_name, make_event
from local.receiver import ResponseReceiver
from local.records import Outcome, Request

Handler = Callable[[dict[str, Any], Any], object]
DEFAULT_SERVICE_TIMEOUT_S = 3600
_AFTER_ERROR_WAIT_S = 0.2


def provider_token(region: str, account: str) -> str:
    """The ServiceToken of the provider function, as the recorded events name it."""
    return f"arn:aws:lambda:{region}:{account}:function:{function_name()}"


@dataclass(frozen=True)
class Invocation:
    """One call of the handler: what it was given, what escaped it, and what CloudFormation got back."""

    event: dict[str, Any]
    context: LambdaContext
    error: BaseException | None
    answer: Answer
    started_at: float  # when the handler was called, on the receiver's clock

    @property
    def answered_after_s(self) -> float | None:
        """Seconds from the call to the answer CloudFormation took; None when it took none."""
        received = self.answer.received_at
        return None if received is None else received - self.started_at


class Transport:
    """Invokes `handler(event, context)` in-process and takes the request's first stored answer: none within
    `answer_wait_s` after the handler returns (a fifth of a second after an invocation error), or one stored after
    the Lambda deadline, counts as no answer. `explains_failures` adds how the invocation failed to that reason,
    which AWS would only show in the function's log."""

    def __init__(
        self,
        handler: Handler,
        receiver: ResponseReceiver,
        *,
        stack_name: str,
        stack_id: str,
        service_token: str,
        lambda_timeout_s: float,
        answer_wait_s: float,
        explains_failures: bool = False,
    ) -> None:
        self.handler = handler
        self.receiver = receiver
        self.stack_name = stack_name
        self.stack_id = stack_id
        self.service_token = service_token
        self.lambda_timeout_s = lambda_timeout_s
        self.answer_wait_s = answer_wait_s
        self.explains_failures = explains_failures
        self.invocations: list[Invocation] = []

    def new_event(
        self,
        request_type: str,
        logical_id: str,
        properties: Mapping[str, Any],
        *,
        physical_id: str | None = None,
        old_properties: Mapping[str, Any] | None = None,
        resource_type: str = RESOURCE_TYPE,
        request_id: str | None = None,
        raw: bool = False,
    ) -> dict[str, Any]:
        """An event of this stack with a fresh ResponseURL, for `send()`."""
        request_id = request_id or str(uuid.uuid4())
        return make_event(
            request_type,
            logical_id=logical_id,
            properties=properties,
            response_url=self.receiver.new_url(self.stack_id, logical_id, request_id),
            resource_type=resource_type,
            physical_id=physical_id,
            old_properties=old_properties,
            stack_id=self.stack_id,
            request_id=request_id,
            service_token=self.service_token,
            raw=raw,
        )

    def send(self, event: dict[str, Any]) -> Answer:
        """Invoke the handler with `event` as is and return CloudFormation's view of the answer; the call is
        recorded in `invocations`."""
        request_id = str(event["RequestId"])
        already = len(self.receiver.answers(request_id))  # a duplicate delivery must not see the earlier answer
        # The deadline runs on the clock the receiver stamps answers with, so that a late answer reads as late.
        context = LambdaContext(
            timeout_s=self.lambda_timeout_s,
            invoked_function_arn=str(event.get("ServiceToken", "")),
            clock=self.receiver.clock.now,
        )
        error: BaseException | None = None
        started_at = self.receiver.clock.now()
        try:
            self.handler(copy.deepcopy(event), context)
        # Lambda turns whatever escapes the handler, sys.exit included, into an invocation error
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            error = exc
        # A handler's answer PUT returns before the handler does: after an invocation error, nothing more will come
        wait_s = self.answer_wait_s if error is None else min(self.answer_wait_s, _AFTER_ERROR_WAIT_S)
        answer = self._answer(event, request_id, already, context, wait_s)
        self.invocations.append(Invocation(copy.deepcopy(event), context, error, answer, started_at))
        if error is None or answer.delivered or not self.explains_failures:
            return answer
        return Answer.missing(request_id, f"{answer.failure_reason}; the function failed: {error}")

    @property
    def sent_events(self) -> list[dict[str, Any]]:
        """Every event sent to the handler, in order."""
        return [invocation.event for invocation in self.invocations]

    def answers_since(self, mark: int) -> list[Answer]:
        """The answers to the invocations from index `mark` on."""
        return [invocation.answer for invocation in self.invocations[mark:]]

    def perform(self, request: Request) -> Outcome:
        """One request sent as its event; the answer as the resource's outcome."""
        answer = self.send(
            self.new_event(
                request.request_type,
                request.logical_id,
                request.properties,
                physical_id=request.physical_id,
                old_properties=request.old_properties,
                resource_type=request.resource_type,
                raw=True,  # properties were stringified once, when they entered the stack
            )
        )
        if answer.succeeded:
            physical_id = request.physical_id if request.request_type == "Delete" else answer.physical_id
            return Outcome(True, physical_id or "", answer.data)
        # CloudFormation makes up an ID when a failed Create gave none it could use; the rollback Delete carries it
        physical_id = answer.physical_id if answer.valid else (request.physical_id or self._made_up_id(request))
        return Outcome(False, physical_id, reason=answer.failure_reason)

    def _answer(
        self, event: dict[str, Any], request_id: str, index: int, context: LambdaContext, wait_s: float
    ) -> Answer:
        timeout = event.get("ResourceProperties", {}).get("ServiceTimeout", DEFAULT_SERVICE_TIMEOUT_S)
        missing = f"No answer from the custom resource: CloudFormation would fail it after {timeout} s"
        try:
            answer = self.receiver.wait_for(request_id, timeout=wait_s, index=index)
        except TimeoutError:
            return Answer.missing(request_id, missing)
        if answer.received_at is not None and answer.received_at > context.deadline:
            return Answer.missing(request_id, f"{missing} (the only answer came after the Lambda timeout)")
        return answer

    def _made_up_id(self, request: Request) -> str:
        suffix = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(12))
        return f"{self.stack_name}-{request.logical_id}-{suffix}"
