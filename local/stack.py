"""One CloudFormation stack played against a provider handler, following CloudFormation's rules for custom resources.

Stack operations run with rollback disabled: a failure leaves the stack *_FAILED until `rollback()`,
the way `--disable-rollback` followed by `aws cloudformation rollback-stack` behaves.
"""

from __future__ import annotations

import copy
import secrets
import string
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from local.answers import Answer
from local.events import RESOURCE_TYPE, LambdaContext, function_name, make_event, resource_properties
from local.receiver import ResponseReceiver

Handler = Callable[[dict[str, Any], Any], object]
STACK_TYPE = "AWS::CloudFormation::Stack"
DEFAULT_SERVICE_TIMEOUT_S = 3600
_AFTER_ERROR_WAIT_S = 0.2


@dataclass
class Resource:
    logical_id: str
    resource_type: str
    physical_id: str
    properties: dict[str, Any]
    status: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StackEvent:
    timestamp: datetime
    logical_id: str
    status: str
    reason: str = ""
    physical_id: str = ""
    resource_type: str = ""


@dataclass(frozen=True)
class Invocation:
    """One call of the handler: what it was given, what escaped it, and what CloudFormation got back."""

    event: dict[str, Any]
    context: LambdaContext
    error: BaseException | None
    answer: Answer
    started_at: float  # time.monotonic() when the handler was called

    @property
    def answered_after_s(self) -> float | None:
        """Seconds from the call to the answer CloudFormation took; None when it took none."""
        received = self.answer.received_at
        return None if received is None else received - self.started_at


@dataclass(frozen=True)
class Request:
    request_type: str
    logical_id: str
    resource_type: str
    physical_id: str | None
    properties: dict[str, Any]
    old_properties: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Replacement:
    old_physical_id: str
    old_properties: dict[str, Any]
    new_physical_id: str
    new_properties: dict[str, Any]


class Stack:
    """Keeps each resource's physical ID, properties and status, and the stack's events, like CloudFormation.

    Each step invokes `handler(event, context)` in-process, then takes the request's first stored answer;
    none within `answer_wait_s` after the handler returns (a fifth of a second after an invocation error), or
    one stored after the Lambda deadline, counts as CloudFormation's ServiceTimeout failure, without waiting the hour.
    """

    def __init__(
        self,
        handler: Handler,
        receiver: ResponseReceiver,
        *,
        name: str = "platform-lens",
        region: str = "us-east-1",
        account: str = "111111111111",
        lambda_timeout_s: float = 300,
        answer_wait_s: float = 1.0,
    ) -> None:
        self.handler = handler
        self.receiver = receiver
        self.name = name
        self.stack_id = f"arn:aws:cloudformation:{region}:{account}:stack/{name}/{uuid.uuid4()}"
        self.service_token = f"arn:aws:lambda:{region}:{account}:function:{function_name()}"
        self.lambda_timeout_s = lambda_timeout_s
        self.answer_wait_s = answer_wait_s
        self.status: str | None = None
        self.resources: dict[str, Resource] = {}
        self.events: list[StackEvent] = []
        self.invocations: list[Invocation] = []
        self._rollbacks: list[Request] = []
        self._cleanups: list[Request] = []
        self._replacements: dict[str, _Replacement] = {}

    # -- transport -----------------------------------------------------------------------------------------

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
        """Invoke the handler with `event` as is and return CloudFormation's view of the answer.

        Resources and stack events are left alone; the call is recorded in `invocations`.
        """
        request_id = str(event["RequestId"])
        already = len(self.receiver.answers(request_id))  # a duplicate delivery must not see the earlier answer
        context = LambdaContext(
            timeout_s=self.lambda_timeout_s, invoked_function_arn=str(event.get("ServiceToken", ""))
        )
        error: BaseException | None = None
        started_at = time.monotonic()
        try:
            self.handler(copy.deepcopy(event), context)
        # Lambda turns whatever escapes the handler, sys.exit included, into an invocation error
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            error = exc
        # A handler's answer PUT returns before the handler does: after an invocation error, nothing more will come
        wait_s = self.answer_wait_s if error is None else min(self.answer_wait_s, _AFTER_ERROR_WAIT_S)
        answer = self._answer(event, request_id, already, context, wait_s)
        self.invocations.append(Invocation(copy.deepcopy(event), context, error, answer, started_at))
        return answer

    @property
    def sent_events(self) -> list[dict[str, Any]]:
        """Every event sent to the handler, in order."""
        return [invocation.event for invocation in self.invocations]

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

    # -- stack operations ----------------------------------------------------------------------------------

    def create(self, logical_id: str, properties: Mapping[str, Any], resource_type: str = RESOURCE_TYPE) -> Answer:
        if logical_id in self.resources:
            raise ValueError(f"{logical_id} already exists in stack {self.name}")
        operation = "CREATE" if self.status is None else "UPDATE"
        self._stack_event(f"{operation}_IN_PROGRESS")
        props = resource_properties(properties, self.service_token)
        answer = self._step(Request("Create", logical_id, resource_type, None, props))
        if answer.succeeded:
            self.resources[logical_id] = Resource(
                logical_id, resource_type, answer.physical_id, props, "CREATE_COMPLETE", answer.data
            )
            self._stack_event(f"{operation}_COMPLETE")
            return answer
        # CloudFormation makes up an ID when the answer gave none it could use; the rollback Delete carries it
        physical_id = answer.physical_id if answer.valid else self._made_up_id(logical_id)
        self.resources[logical_id] = Resource(logical_id, resource_type, physical_id, props, "CREATE_FAILED")
        self._rollbacks.append(Request("Delete", logical_id, resource_type, physical_id, props))
        self._stack_event(f"{operation}_FAILED", f"Resources failed to create: [{logical_id}]")
        return answer

    def update(self, logical_id: str, properties: Mapping[str, Any]) -> Answer:
        resource = self.resources[logical_id]
        new = resource_properties(properties, self.service_token)
        if new == resource.properties:
            raise ValueError("Nothing to update: the properties did not change")
        old, old_id = resource.properties, resource.physical_id
        self._stack_event("UPDATE_IN_PROGRESS")
        answer = self._step(Request("Update", logical_id, resource.resource_type, old_id, new, old))
        if not answer.succeeded:
            resource.status = "UPDATE_FAILED"
            self._rollbacks.append(Request("Update", logical_id, resource.resource_type, old_id, old, new))
            self._stack_event("UPDATE_FAILED", f"Resources failed to update: [{logical_id}]")
            return answer
        resource.properties, resource.status, resource.data = new, "UPDATE_COMPLETE", answer.data
        if answer.physical_id == old_id:
            self._stack_event("UPDATE_COMPLETE")
            return answer
        # A new physical ID is a replacement: the old resource is deleted, with its old properties, at clean-up
        resource.physical_id = answer.physical_id
        self._cleanups.append(Request("Delete", logical_id, resource.resource_type, old_id, old))
        self._replacements[logical_id] = _Replacement(old_id, old, answer.physical_id, new)
        self._stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        return answer

    def delete(self, logical_id: str) -> Answer:
        """Remove one resource from the stack: a stack update that deletes it in the clean-up phase."""
        resource = self.resources[logical_id]
        self._stack_event("UPDATE_IN_PROGRESS")
        self._stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        answer = self._delete(
            Request("Delete", logical_id, resource.resource_type, resource.physical_id, resource.properties)
        )
        self._stack_event("UPDATE_COMPLETE")
        return answer

    def cleanup(self) -> list[Answer]:
        """The UPDATE_COMPLETE_CLEANUP_IN_PROGRESS phase: delete the physical resources that were replaced."""
        requests, self._cleanups = self._cleanups, []
        if not requests:
            return []
        answers = [self._delete(request) for request in requests]
        for request in requests:
            self._replacements.pop(request.logical_id, None)
        self._stack_event("UPDATE_COMPLETE")
        return answers

    def rollback(self) -> list[Answer]:
        """Roll back failed operations: failed Updates get the swapped Update, failed Creates a Delete."""
        requests, self._rollbacks = self._rollbacks, []
        if not requests:
            return []
        prefix = "ROLLBACK" if self.status == "CREATE_FAILED" else "UPDATE_ROLLBACK"
        self._stack_event(f"{prefix}_IN_PROGRESS")
        answers: list[Answer] = []
        for request in (r for r in requests if r.request_type == "Update"):
            answers.append(answer := self._step(request))
            self.resources[request.logical_id].status = "UPDATE_COMPLETE" if answer.succeeded else "UPDATE_FAILED"
            if not answer.succeeded:
                self._stack_event(f"{prefix}_FAILED", f"Failed to roll back {request.logical_id}")
                return answers
        deletes = [r for r in requests if r.request_type == "Delete"]
        if deletes and prefix == "UPDATE_ROLLBACK":
            self._stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        deleted = [self._delete(request) for request in deletes]
        answers += deleted
        # A failed delete fails a create rollback; in an update rollback's clean-up it does not fail the stack
        failed = [r.logical_id for r, a in zip(deletes, deleted, strict=True) if not a.succeeded]
        if failed and prefix == "ROLLBACK":
            self._stack_event("ROLLBACK_FAILED", f"Resources failed to delete: [{', '.join(failed)}]")
        else:
            self._stack_event(f"{prefix}_COMPLETE")
        return answers

    def rollback_after_replacement(self, logical_id: str, *, update_first: bool = True) -> list[Answer]:
        """Roll back a replacement that succeeded, before clean-up: the stack goes back to the old physical ID.

        CloudFormation deletes the new physical resource; whether an Update to it with the old properties
        comes first is not documented, so `update_first` plays either order. The old resource is untouched.
        """
        replacement = self._replacements.pop(logical_id)
        resource = self.resources[logical_id]
        self._cleanups = [
            r for r in self._cleanups if (r.logical_id, r.physical_id) != (logical_id, replacement.old_physical_id)
        ]
        self._stack_event("UPDATE_ROLLBACK_IN_PROGRESS")
        mark = len(self.invocations)
        delete = self._undo_replacement(
            logical_id,
            resource.resource_type,
            replacement.new_physical_id,
            replacement.old_properties,
            replacement.new_properties,
            update_first=update_first,
        )
        if delete is None:
            resource.status = "UPDATE_FAILED"
            self._stack_event("UPDATE_ROLLBACK_FAILED", f"Failed to roll back {logical_id}")
            return [invocation.answer for invocation in self.invocations[mark:]]
        resource.physical_id, resource.properties = replacement.old_physical_id, replacement.old_properties
        resource.status = "UPDATE_COMPLETE"
        self._stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        self._delete(delete)
        self._stack_event("UPDATE_ROLLBACK_COMPLETE")
        return [invocation.answer for invocation in self.invocations[mark:]]

    def _undo_replacement(
        self,
        logical_id: str,
        resource_type: str,
        new_physical_id: str,
        old_properties: dict[str, Any],
        new_properties: dict[str, Any],
        *,
        update_first: bool,
    ) -> Request | None:
        """The rollback of a replacement that succeeded, for both engines: with `update_first`, an Update of the new
        physical resource back to the old properties; then the Delete of it that clean-up sends (None when the
        Update failed, which fails the rollback)."""
        delete_properties = new_properties
        if update_first:
            back = Request("Update", logical_id, resource_type, new_physical_id, old_properties, new_properties)
            if not self._perform(back):
                return None
            delete_properties = old_properties  # the new resource now holds the old properties
        return Request("Delete", logical_id, resource_type, new_physical_id, delete_properties)

    def _perform(self, request: Request) -> bool:
        """One request sent to the resource, with its events; whether it succeeded."""
        return self._step(request).succeeded

    def delete_stack(self) -> list[Answer]:
        """Finish any clean-up, then delete every remaining resource in reverse creation order."""
        self.cleanup()
        self._rollbacks.clear()
        self._replacements.clear()
        self._stack_event("DELETE_IN_PROGRESS")
        answers: list[Answer] = []
        failed: list[str] = []
        for resource in reversed(list(self.resources.values())):
            request = Request(
                "Delete", resource.logical_id, resource.resource_type, resource.physical_id, resource.properties
            )
            answers.append(answer := self._delete(request))
            if not answer.succeeded:
                failed.append(resource.logical_id)
        if failed:
            self._stack_event("DELETE_FAILED", f"Resources failed to delete: [{', '.join(failed)}]")
        else:
            self._stack_event("DELETE_COMPLETE")
        return answers

    # -- rendering -----------------------------------------------------------------------------------------

    def events_table(self, *, newest_first: bool = True, since: int = 0) -> str:
        """Stack events as describe-stack-events lists them (newest first): time, logical ID, status, reason.

        `since` leaves out the events before that index, for the events of one operation.
        """
        rows = [("Timestamp", "Logical ID", "Status", "Status reason")]
        events = reversed(self.events[since:]) if newest_first else iter(self.events[since:])
        rows += [
            (
                e.timestamp.strftime("%Y-%m-%d %H:%M:%S.") + f"{e.timestamp.microsecond // 1000:03d} UTC",
                e.logical_id,
                e.status,
                " ".join(e.reason.split()),  # one line per event, whatever the reason holds
            )
            for e in events
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = ("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]]) for row in rows)
        return "\n".join(line.rstrip() for line in lines)

    # -- internals -----------------------------------------------------------------------------------------

    def _step(self, request: Request) -> Answer:
        """Send one request to the resource and record its IN_PROGRESS and COMPLETE/FAILED events."""
        verb = request.request_type.upper()
        self._resource_event(request, f"{verb}_IN_PROGRESS", request.physical_id or "")
        event = self.new_event(
            request.request_type,
            request.logical_id,
            request.properties,
            physical_id=request.physical_id,
            old_properties=request.old_properties,
            resource_type=request.resource_type,
            raw=True,  # properties were stringified once, when they entered the stack
        )
        answer = self.send(event)
        if answer.succeeded:
            physical_id = request.physical_id if verb == "DELETE" else answer.physical_id
            self._resource_event(request, f"{verb}_COMPLETE", physical_id or "")
        else:
            self._resource_event(request, f"{verb}_FAILED", request.physical_id or "", answer.failure_reason)
        return answer

    def _delete(self, request: Request) -> Answer:
        answer = self._step(request)
        resource = self.resources.get(request.logical_id)
        if resource is not None and resource.physical_id == request.physical_id:
            if answer.succeeded:
                del self.resources[request.logical_id]
            else:
                resource.status = "DELETE_FAILED"
        return answer

    def _made_up_id(self, logical_id: str) -> str:
        suffix = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(12))
        return f"{self.name}-{logical_id}-{suffix}"

    def _resource_event(self, request: Request, status: str, physical_id: str, reason: str = "") -> None:
        self.events.append(
            StackEvent(datetime.now(UTC), request.logical_id, status, reason, physical_id, request.resource_type)
        )

    def _stack_event(self, status: str, reason: str = "") -> None:
        self.status = status
        self.events.append(StackEvent(datetime.now(UTC), self.name, status, reason, self.stack_id, STACK_TYPE))
