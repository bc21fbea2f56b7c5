"""One CloudFormation stack played step by step against a provider handler, following CloudFormation's rules for
custom resources (local.lifecycle), one resource at a time, each request sent by local.transport.

Stack operations run with rollback disabled: a failure leaves the stack *_FAILED until `rollback()`,
the way `--disable-rollback` followed by `aws cloudformation rollback-stack` behaves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from local.answers import Answer
from local.events import RESOURCE_TYPE, resource_properties
from local.lifecycle import Change, Lifecycle, RollbackOrder, new_stack_id
from local.receiver import ResponseReceiver
from local.records import Request, Resource, StackEvent
from local.transport import Handler, Invocation, Transport, provider_token

__all__ = ["Handler", "Invocation", "Request", "Resource", "Stack", "StackEvent"]


class Stack:
    """Keeps each resource's physical ID, properties and status, and the stack's events, like CloudFormation.

    Each step invokes `handler(event, context)` in-process and takes the request's first stored answer (see
    local.transport); its methods return the answers of the requests they sent.
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
        stack_id = new_stack_id(region, account, name)
        self.transport = Transport(
            handler,
            receiver,
            stack_name=name,
            stack_id=stack_id,
            service_token=provider_token(region, account),
            lambda_timeout_s=lambda_timeout_s,
            answer_wait_s=answer_wait_s,
        )
        self.lifecycle = Lifecycle(name, stack_id, self.transport.perform, parallel=1, shows_empty_cleanup=False)
        # Events built and sent by hand, as a test replays what CloudFormation might: the stack's record is untouched
        self.new_event = self.transport.new_event
        self.send = self.transport.send
        self._failed: list[Change] = []  # what rollback() undoes
        self._replaced: list[Change] = []  # replacements whose old resource cleanup() deletes

    # -- the stack's record and its transport ---------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.lifecycle.name

    @property
    def stack_id(self) -> str:
        return self.lifecycle.stack_id

    @stack_id.setter
    def stack_id(self, stack_id: str) -> None:
        self.lifecycle.stack_id = self.transport.stack_id = stack_id

    @property
    def status(self) -> str | None:
        return self.lifecycle.status

    @property
    def resources(self) -> dict[str, Resource]:
        return self.lifecycle.resources

    @property
    def events(self) -> list[StackEvent]:
        return self.lifecycle.events

    @property
    def handler(self) -> Handler:
        return self.transport.handler

    @handler.setter
    def handler(self, handler: Handler) -> None:
        self.transport.handler = handler

    @property
    def lambda_timeout_s(self) -> float:
        return self.transport.lambda_timeout_s

    @lambda_timeout_s.setter
    def lambda_timeout_s(self, seconds: float) -> None:
        self.transport.lambda_timeout_s = seconds

    @property
    def receiver(self) -> ResponseReceiver:
        return self.transport.receiver

    @property
    def service_token(self) -> str:
        return self.transport.service_token

    @property
    def invocations(self) -> list[Invocation]:
        return self.transport.invocations

    @property
    def sent_events(self) -> list[dict[str, Any]]:
        """Every event sent to the handler, in order."""
        return self.transport.sent_events

    def events_table(self, *, newest_first: bool = True, since: int = 0) -> str:
        return self.lifecycle.events_table(newest_first=newest_first, since=since)

    # -- stack operations ----------------------------------------------------------------------------------

    def create(self, logical_id: str, properties: Mapping[str, Any], resource_type: str = RESOURCE_TYPE) -> Answer:
        if logical_id in self.resources:
            raise ValueError(f"{logical_id} already exists in stack {self.name}")
        operation = "CREATE" if self.status is None else "UPDATE"
        self.lifecycle.stack_event(f"{operation}_IN_PROGRESS")
        mark = len(self.invocations)
        change = self.lifecycle.create(logical_id, resource_type, resource_properties(properties, self.service_token))
        if change.outcome.succeeded:
            self.lifecycle.stack_event(f"{operation}_COMPLETE")
        else:
            self._failed.append(change)
            self.lifecycle.stack_event(f"{operation}_FAILED", f"Resources failed to create: [{logical_id}]")
        return self.transport.answers_since(mark)[0]

    def update(self, logical_id: str, properties: Mapping[str, Any]) -> Answer:
        new = resource_properties(properties, self.service_token)
        if new == self.resources[logical_id].properties:
            raise ValueError("Nothing to update: the properties did not change")
        self.lifecycle.stack_event("UPDATE_IN_PROGRESS")
        mark = len(self.invocations)
        change = self.lifecycle.update(logical_id, new)
        if not change.outcome.succeeded:
            self._failed.append(change)
            self.lifecycle.stack_event("UPDATE_FAILED", f"Resources failed to update: [{logical_id}]")
        elif change.replaced:
            self._replaced.append(change)
            self.lifecycle.stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        else:
            self.lifecycle.stack_event("UPDATE_COMPLETE")
        return self.transport.answers_since(mark)[0]

    def delete(self, logical_id: str) -> Answer:
        """Remove one resource from the stack: a stack update that deletes it in the clean-up phase."""
        self.lifecycle.stack_event("UPDATE_IN_PROGRESS")
        self.lifecycle.stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        mark = len(self.invocations)
        self.lifecycle.delete(self.resources[logical_id])
        self.lifecycle.stack_event("UPDATE_COMPLETE")
        return self.transport.answers_since(mark)[0]

    def cleanup(self) -> list[Answer]:
        """The UPDATE_COMPLETE_CLEANUP_IN_PROGRESS phase: delete the physical resources that were replaced."""
        changes, self._replaced = self._replaced, []
        if not changes:
            return []
        mark = len(self.invocations)
        self.lifecycle.delete_all([change.before for change in changes if change.before is not None])
        self.lifecycle.stack_event("UPDATE_COMPLETE")
        return self.transport.answers_since(mark)

    def rollback(self) -> list[Answer]:
        """Roll back failed operations: failed Updates get the swapped Update, failed Creates a Delete."""
        changes, self._failed = self._failed, []
        if not changes:
            return []
        mark = len(self.invocations)
        self.lifecycle.roll_back(changes, creating=self.status == "CREATE_FAILED", order="delete-only")
        return self.transport.answers_since(mark)

    def rollback_after_replacement(self, logical_id: str, *, update_first: bool = True) -> list[Answer]:
        """Roll back a replacement that succeeded, before clean-up: the stack goes back to the old physical ID.

        CloudFormation deletes the new physical resource; whether an Update to it with the old properties
        comes first is not documented, so `update_first` plays either order. The old resource is untouched.
        """
        replacements = [change for change in self._replaced if change.logical_id == logical_id]
        if not replacements:
            raise KeyError(f"{logical_id} has no replacement to roll back")
        self._replaced.remove(replacements[-1])
        mark = len(self.invocations)
        order: RollbackOrder = "update-first" if update_first else "delete-only"
        self.lifecycle.roll_back([replacements[-1]], creating=False, order=order)
        return self.transport.answers_since(mark)

    def delete_stack(self) -> list[Answer]:
        """Finish any clean-up, then delete every remaining resource in reverse creation order."""
        self.cleanup()
        self._failed.clear()
        self._replaced.clear()
        self.lifecycle.stack_event("DELETE_IN_PROGRESS")
        mark = len(self.invocations)
        failed = self.lifecycle.delete_all(list(reversed(self.resources.values())))
        if failed:
            self.lifecycle.stack_event("DELETE_FAILED", f"Resources failed to delete: [{', '.join(failed)}]")
        else:
            self.lifecycle.stack_event("DELETE_COMPLETE")
        return self.transport.answers_since(mark)
