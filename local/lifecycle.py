"""Every stack's lifecycle by CloudFormation's rules: the stack's record (name, ID, status, resources, events), one
resource's Create, Update and Delete with their events, and the rollback, clean-up and delete of many resources.

What a request does is `perform`'s: a custom resource's handler (local.transport) or a resource type's module.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from local.records import Failed, Outcome, Request, Resource, StackEvent
from local.schedule import run_in_order

STACK_TYPE = "AWS::CloudFormation::Stack"
Perform = Callable[[Request], Outcome]
# Whether a replacement's rollback sends an Update to the new resource before deleting it is not documented
RollbackOrder = Literal["update-first", "delete-only", "either"]


@dataclass(frozen=True)
class Change:
    """One resource created or updated by a stack operation: the request, the resource before it, the outcome."""

    request: Request
    before: Resource | None
    outcome: Outcome

    @property
    def logical_id(self) -> str:
        return self.request.logical_id

    @property
    def replaced(self) -> bool:
        """Whether an Update gave a new physical ID: the old resource is deleted at clean-up."""
        update = self.request.request_type == "Update"
        return update and self.outcome.succeeded and self.outcome.physical_id != self.request.physical_id


def new_stack_id(region: str, account: str, name: str) -> str:
    return f"arn:aws:cloudformation:{region}:{account}:stack/{name}/{uuid.uuid4()}"


def failed_to_delete(logical_ids: list[str]) -> str:
    return f"The following resource(s) failed to delete: [{', '.join(logical_ids)}]. "


def update_first(order: RollbackOrder) -> bool:
    """CloudFormation's undocumented choice played as it may fall, unless `order` fixes it."""
    return secrets.choice((True, False)) if order == "either" else order == "update-first"


class Lifecycle:
    """One stack's record and the rules that change it. `parallel` resources are worked on at once;
    `shows_empty_cleanup` says whether a rollback with nothing to delete still passes through its clean-up phase
    (the step-by-step player leaves empty phases out); `on_status` is told of every stack status."""

    def __init__(
        self,
        name: str,
        stack_id: str,
        perform: Perform,
        *,
        parallel: int,
        shows_empty_cleanup: bool = True,
        on_status: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self.stack_id = stack_id
        self.perform = perform
        self.parallel = parallel
        self.shows_empty_cleanup = shows_empty_cleanup
        self.on_status = on_status
        self.status: str | None = None
        self.resources: dict[str, Resource] = {}
        self.events: list[StackEvent] = []

    # -- events --------------------------------------------------------------------------------------------

    def stack_event(self, status: str, reason: str = "") -> None:
        self.status = status
        self.events.append(StackEvent(datetime.now(UTC), self.name, status, reason, self.stack_id, STACK_TYPE))
        if self.on_status is not None:
            self.on_status()

    def resource_event(
        self, logical_id: str, resource_type: str, status: str, physical_id: str = "", reason: str = ""
    ) -> None:
        self.events.append(StackEvent(datetime.now(UTC), logical_id, status, reason, physical_id, resource_type))

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

    # -- one resource --------------------------------------------------------------------------------------

    def act(self, request: Request) -> Outcome:
        """Perform one request, between its IN_PROGRESS and COMPLETE or FAILED events."""
        verb = request.request_type.upper()
        physical_id = request.physical_id or ""
        self.resource_event(request.logical_id, request.resource_type, f"{verb}_IN_PROGRESS", physical_id)
        try:
            outcome = self.perform(request)
        except Exception as error:  # noqa: BLE001 - whatever goes wrong fails the resource, with its reason
            reason = str(error) if isinstance(error, Failed) else f"{type(error).__name__}: {error}"
            outcome = Outcome(False, physical_id, reason=reason)
        if outcome.succeeded:
            shown = physical_id if verb == "DELETE" else outcome.physical_id
            self.resource_event(request.logical_id, request.resource_type, f"{verb}_COMPLETE", shown, outcome.note)
        else:
            self.resource_event(
                request.logical_id, request.resource_type, f"{verb}_FAILED", physical_id, outcome.reason
            )
        return outcome

    def create(
        self,
        logical_id: str,
        resource_type: str,
        properties: dict[str, Any],
        depends_on: Iterable[str] = (),
        deletion_policy: str = "Delete",
    ) -> Change:
        """Create one resource; a failed one is kept CREATE_FAILED, with whatever physical ID its rollback needs."""
        before = self.resources.get(logical_id)  # a resource of another type, which its rollback puts back
        request = Request("Create", logical_id, resource_type, None, properties)
        outcome = self.act(request)
        status = "CREATE_COMPLETE" if outcome.succeeded else "CREATE_FAILED"
        self.resources[logical_id] = Resource(
            logical_id,
            resource_type,
            outcome.physical_id,
            properties,
            status,
            outcome.data,
            list(depends_on),
            deletion_policy,
        )
        return Change(request, before, outcome)

    def update(
        self,
        logical_id: str,
        properties: dict[str, Any],
        depends_on: Iterable[str] | None = None,
        deletion_policy: str | None = None,
    ) -> Change:
        """Update one resource; a failed one keeps what it had, UPDATE_FAILED, and its rollback sends it back."""
        current = self.resources[logical_id]
        request = Request(
            "Update", logical_id, current.resource_type, current.physical_id, properties, current.properties
        )
        before = replace(current)
        outcome = self.act(request)
        if not outcome.succeeded:
            current.status = "UPDATE_FAILED"
            return Change(request, before, outcome)
        self.resources[logical_id] = replace(
            current,
            physical_id=outcome.physical_id,
            properties=properties,
            status="UPDATE_COMPLETE",
            data=outcome.data,
            depends_on=current.depends_on if depends_on is None else list(depends_on),
            deletion_policy=deletion_policy or current.deletion_policy,
        )
        return Change(request, before, outcome)

    def delete(self, resource: Resource, *, rollback: bool = False) -> bool:
        """Delete one physical resource; the stack's current one is dropped, or kept DELETE_FAILED. A Retain
        resource is left in place (DELETE_SKIPPED), and a rollback skips one that never got a physical ID."""
        current = self.resources.get(resource.logical_id)
        is_current = current is not None and current.physical_id == resource.physical_id
        retained = resource.deletion_policy == "Retain"
        if retained or (rollback and not resource.physical_id):
            if retained:
                self.resource_event(resource.logical_id, resource.resource_type, "DELETE_SKIPPED", resource.physical_id)
            if is_current:
                del self.resources[resource.logical_id]
            return True
        request = Request(
            "Delete", resource.logical_id, resource.resource_type, resource.physical_id, resource.properties
        )
        outcome = self.act(request)
        if is_current and current is not None:
            if outcome.succeeded:
                del self.resources[resource.logical_id]
            else:
                current.status = "DELETE_FAILED"
        return outcome.succeeded

    # -- many resources ------------------------------------------------------------------------------------

    def delete_all(self, resources: list[Resource], *, rollback: bool = False) -> list[str]:
        """Delete resources, each after those that depend on it; the logical IDs that failed to delete."""
        by_id: dict[str, list[Resource]] = {}
        for resource in resources:
            by_id.setdefault(resource.logical_id, []).append(resource)
        dependents: dict[str, set[str]] = {logical_id: set() for logical_id in by_id}
        for resource in resources:
            for needed in resource.depends_on:
                if needed in dependents:
                    dependents[needed].add(resource.logical_id)

        def delete(logical_id: str) -> bool:
            return all(self.delete(resource, rollback=rollback) for resource in by_id[logical_id])

        return self.run(list(by_id), dependents, delete, stop_on_failure=False)

    def run(
        self,
        names: list[str],
        needs: dict[str, set[str]],
        action: Callable[[str], bool],
        *,
        stop_on_failure: bool = True,
    ) -> list[str]:
        """`action` on each name over the dependency graph, as many at once as this stack works on."""
        return run_in_order(
            names,
            needs,
            action,
            parallel=self.parallel,
            thread_name=f"stack-{self.name}",
            stop_on_failure=stop_on_failure,
        )

    def roll_back(self, changes: list[Change], *, creating: bool, order: RollbackOrder, reason: str = "") -> None:
        """Undo an operation's changes, newest first. A failed creation deletes every resource. An update sends
        each updated resource an Update back to its old properties (a failed one too), and deletes new resources
        and replacements at the rollback's clean-up; a replaced original was never touched."""
        if creating:
            self.stack_event("ROLLBACK_IN_PROGRESS", reason)
            failed = self.delete_all(list(self.resources.values()), rollback=True)
            if failed:
                self.stack_event("ROLLBACK_FAILED", failed_to_delete(failed))
            else:
                self.stack_event("ROLLBACK_COMPLETE")
            return
        self.stack_event("UPDATE_ROLLBACK_IN_PROGRESS", reason)
        to_delete: list[Resource] = []
        for change in reversed(changes):
            logical_id, before = change.logical_id, change.before
            current = self.resources.get(logical_id)
            if current is None:
                continue
            if before is None or change.request.request_type == "Create":
                to_delete.append(current)
                if before is None:
                    del self.resources[logical_id]
                else:
                    self.resources[logical_id] = before
                continue
            if change.replaced:
                new = self._undo_replacement(current, before, update_first=update_first(order))
                if new is None:
                    self._rollback_failed(current)
                    return
                to_delete.append(new)
                self.resources[logical_id] = before
                continue
            outcome = self._update_back(before, before.properties, change.request.properties)
            if not outcome.succeeded:
                self._rollback_failed(current)
                return
            self.resources[logical_id] = replace(before, status="UPDATE_COMPLETE", data=outcome.data or before.data)
        if to_delete or self.shows_empty_cleanup:
            self.stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        self.delete_all(to_delete, rollback=True)
        self.stack_event("UPDATE_ROLLBACK_COMPLETE")

    def _undo_replacement(self, current: Resource, before: Resource, *, update_first: bool) -> Resource | None:
        """The new physical resource of a replacement, to delete at the rollback's clean-up: with `update_first`,
        after an Update of it back to the old properties, which it then holds (None when that Update failed)."""
        if not update_first:
            return replace(current)
        if not self._update_back(current, before.properties, current.properties).succeeded:
            return None
        return replace(current, properties=before.properties)

    def _update_back(self, target: Resource, properties: dict[str, Any], old_properties: dict[str, Any]) -> Outcome:
        """A rollback's Update of the target's physical resource to `properties`, from `old_properties`."""
        request = Request(
            "Update", target.logical_id, target.resource_type, target.physical_id, properties, old_properties
        )
        return self.act(request)

    def _rollback_failed(self, current: Resource) -> None:
        current.status = "UPDATE_FAILED"
        self.stack_event("UPDATE_ROLLBACK_FAILED", f"Failed to roll back {current.logical_id}")
