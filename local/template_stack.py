"""A stack deployed from a template, one CloudFormation operation at a time: the protocol player's lifecycle
(local.stack) run over a dependency graph, each resource made by its type's module (local.types).

Creates and updates follow the graph, independent resources at once; a new physical ID is a replacement whose
old resource goes at clean-up; a failure rolls back what was done, in reverse; deletes go dependents first.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime
from graphlib import TopologicalSorter
from typing import Any, Literal, Protocol

from local.answers import Answer
from local.errors import ResolveError, TemplateError
from local.events import stringify
from local.functions import Functions
from local.handler_calls import Call
from local.receiver import ResponseReceiver
from local.registry import TYPES
from local.stack import Request, Resource, Stack, StackEvent
from local.template import Context, Template
from local.types import Failed, Outcome, is_custom, resource_type
from local.types.base import Cloud
from local.types.function import function_arn, function_name, runs_locally
from local.types.nested_stack import joined

FUNCTION_TYPE = "AWS::Lambda::Function"
MAX_PARALLEL = 64  # resources CloudFormation works on at once in this local cloud
RollbackOrder = Literal["update-first", "delete-only", "either"]


class Account(Cloud, Protocol):
    """What a stack uses of its local account beyond what its resource types use: the functions it invokes, the
    receiver of their answers, the account's exports, and the ListStacks view it keeps current."""

    receiver: ResponseReceiver
    rollback_order: RollbackOrder

    @property
    def functions(self) -> Functions: ...

    def exports(self, account: str, region: str | None = None) -> dict[str, tuple[str, str]]: ...

    def publish(self, stack: TemplateStack) -> None: ...


@dataclass
class DeployedResource(Resource):
    depends_on: list[str] = field(default_factory=list)
    deletion_policy: str = "Delete"


class TemplateStack(Stack):
    """A stack deployed from a template: one CloudFormation operation at a time (deploy or delete_stack)."""

    def __init__(
        self, cloud: Account, name: str, account: str, parent: str | None = None, region: str | None = None
    ) -> None:
        region = region or cloud.region
        super().__init__(
            cloud.functions.invoke,
            cloud.receiver,
            name=name,
            region=region,
            account=account,
            lambda_timeout_s=900,
            answer_wait_s=2.0,
        )
        self.cloud = cloud
        self.account = account
        self.region = region
        self.parent = parent
        self.template_path = ""
        self.parameters: dict[str, str] = {}
        self.outputs: dict[str, dict[str, str]] = {}
        self.imports: list[str] = []
        self.resources: dict[str, DeployedResource] = {}  # type: ignore[assignment]
        self.changed = True  # whether the last deploy changed anything
        self.rollback_order: RollbackOrder = cloud.rollback_order
        self._template: Template | None = None
        self._lock = threading.Lock()

    # -- persistence ---------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "stack_id": self.stack_id,
            "account": self.account,
            "region": self.region,
            "parent": self.parent,
            "status": self.status,
            "template_path": self.template_path,
            "parameters": self.parameters,
            "outputs": self.outputs,
            "imports": self.imports,
            "resources": [asdict(resource) for resource in self.resources.values()],
            "events": [{**asdict(event), "timestamp": event.timestamp.isoformat()} for event in self.events],
        }

    @classmethod
    def from_json(cls, cloud: Account, data: dict[str, Any]) -> TemplateStack:
        stack = cls(cloud, data["name"], data["account"], data["parent"], data.get("region"))
        stack.stack_id, stack.status, stack.template_path = data["stack_id"], data["status"], data["template_path"]
        stack.parameters, stack.outputs, stack.imports = data["parameters"], data["outputs"], data["imports"]
        stack.resources = {item["logical_id"]: DeployedResource(**item) for item in data["resources"]}
        stack.events = [
            StackEvent(**{**event, "timestamp": datetime.fromisoformat(event["timestamp"])}) for event in data["events"]
        ]
        return stack

    # -- the template's values -----------------------------------------------------------------------------

    def pseudo_parameters(self) -> dict[str, Any]:
        return {
            "AWS::AccountId": self.account,
            "AWS::Region": self.region,
            "AWS::StackName": self.name,
            "AWS::StackId": self.stack_id,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NotificationARNs": [],
        }

    def _context(self, template: Template) -> Context:
        return Context(
            template.parameters,
            self.pseudo_parameters(),
            template.conditions,
            template.mappings,
            ref=self._ref,
            get_att=self._get_att,
            import_value=self._import_value,
        )

    def _ref(self, logical_id: str) -> str:
        resource = self.resources.get(logical_id)
        if resource is None:
            raise ResolveError(f"{logical_id} does not exist yet")
        return resource.physical_id

    def _get_att(self, logical_id: str, attribute: str) -> Any:
        resource = self.resources.get(logical_id)
        if resource is None:
            raise ResolveError(f"{logical_id} does not exist yet")
        if attribute in resource.data and not attribute.startswith("_"):
            return resource.data[attribute]
        if is_custom(resource.resource_type):
            raise ResolveError(
                f"CustomResource attribute error: Vendor response doesn't contain {attribute} attribute "
                f"in object {logical_id}"
            )
        raise ResolveError(
            f"Template error: resource {logical_id} does not support attribute type {attribute} in Fn::GetAtt"
        )

    def _import_value(self, name: str) -> Any:
        value = self.cloud.exports(self.account, self.region).get(name)
        if value is None:
            raise ResolveError(f"No export named {name} found")
        if name not in self.imports:
            self.imports.append(name)
        return value[0]

    # -- checks before anything is touched -----------------------------------------------------------------

    def check(self, template: Template) -> None:
        """Imports that no stack exports, exports another stack holds, and ServiceTokens that name no local
        function, refused up front: cfn-lint sees one template, never the account's other stacks or functions."""
        functions = {
            logical_id: function_name(self, logical_id, resource.get("Properties"))
            for logical_id, resource in template.resources.items()
            if resource.get("Type") == FUNCTION_TYPE and runs_locally(logical_id, resource, template.code_dirs)
        }
        planned = {function_arn(self, name) for name in functions.values()}

        def planned_att(logical_id: str, attribute: str) -> Any:
            if logical_id in functions and attribute == "Arn":
                return function_arn(self, functions[logical_id])
            raise ResolveError("known once the stack runs")

        def planned_ref(logical_id: str) -> Any:
            if logical_id in functions:
                return functions[logical_id]
            raise ResolveError("known once the stack runs")

        exports = self.cloud.exports(self.account, self.region)

        def known_import(name: str) -> Any:
            if name not in exports or exports[name][1] == self.stack_id:
                raise TemplateError(f"Fn::ImportValue: No export named {name} found")
            return exports[name][0]

        context = Context(
            template.parameters,
            self.pseudo_parameters(),
            template.conditions,
            template.mappings,
            ref=planned_ref,
            get_att=planned_att,
            import_value=known_import,
        )
        for name, output in template.outputs.items():
            try:
                export = context.resolve((output.get("Export") or {}).get("Name"), f"Outputs.{name}.Export")
            except ResolveError:
                continue
            if export in exports and exports[export][1] != self.stack_id:
                exporter = self.cloud.stack_by_id(exports[export][1])
                raise TemplateError(
                    f"Outputs.{name}.Export: Export with name {export} is already exported by stack "
                    f"{exporter.name if exporter else exports[export][1]}"
                )
        for logical_id, resource in template.resources.items():
            where = f"Resources.{logical_id}.Properties"
            for name, value in (resource.get("Properties") or {}).items():
                try:
                    resolved = context.resolve(value, f"{where}.{name}")
                except ResolveError:
                    continue
                except TemplateError as error:
                    raise TemplateError(f"{where}.{name}: {error}") from None
                if name == "ServiceToken" and is_custom(str(resource.get("Type"))):
                    token = str(resolved)
                    if token not in planned and token not in self.cloud.functions:
                        raise TemplateError(f"{where}.ServiceToken: {token} names no local function")

    # -- operations ----------------------------------------------------------------------------------------

    def deploy(self, template: Template) -> bool:
        """Create or update the stack to `template`; False when nothing changed (no events are kept then)."""
        creating = self.status is None
        operation = "CREATE" if creating else "UPDATE"
        mark, status_before = len(self.events), self.status
        self._template = template
        self._stack_event(f"{operation}_IN_PROGRESS", "User Initiated")
        before = {logical_id: DeployedResource(**asdict(r)) for logical_id, r in self.resources.items()}
        changed: list[str] = []  # logical IDs created or updated, in the order they finished
        cleanup: list[DeployedResource] = []  # physical resources replaced, deleted at clean-up
        context = self._context(template)

        def apply(logical_id: str) -> bool:
            ok, did_change, replaced = self._apply(template, context, logical_id, before.get(logical_id))
            with self._lock:
                if did_change:
                    changed.append(logical_id)
                if replaced is not None:
                    cleanup.append(replaced)
            return ok

        failed = self._run(template.order(), template.dependencies, apply)
        outputs: dict[str, dict[str, str]] = {}
        if not failed:
            try:
                outputs = self._outputs(template, context)
            except ResolveError as error:
                failed = [f"Outputs ({error})"]
        removed = [before[logical_id] for logical_id in before if logical_id not in template.resources]
        if not failed and not changed and not removed and outputs == self.outputs:
            del self.events[mark:]
            self.status = status_before
            return False
        if failed:
            self._roll_back(creating, before, changed, failed)
            return True
        self.template_path, self.parameters, self.outputs = (
            str(template.path),
            template.parameter_strings,
            outputs,
        )
        if creating:
            self._stack_event("CREATE_COMPLETE")
            return True
        self._stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        self._delete_all(cleanup + removed, {r.logical_id: set(r.depends_on) for r in before.values()})
        self._stack_event("UPDATE_COMPLETE")
        return True

    def delete_stack(self, retain: tuple[str, ...] = ()) -> list[Answer]:
        """Delete every resource, dependents first; Retain resources, and those in `retain` (delete-stack's
        --retain-resources), are left in place (DELETE_SKIPPED).

        Returns the answers of the custom resources' Delete requests.
        """
        mark = len(self.invocations)
        for logical_id in retain:
            self.resources[logical_id].deletion_policy = "Retain"
        self._stack_event("DELETE_IN_PROGRESS", "User Initiated")
        needs = {logical_id: set(resource.depends_on) for logical_id, resource in self.resources.items()}
        failed = self._delete_all(list(self.resources.values()), needs)
        if failed:
            self._stack_event("DELETE_FAILED", f"The following resource(s) failed to delete: [{', '.join(failed)}]. ")
        else:
            self._stack_event("DELETE_COMPLETE")
        return [invocation.answer for invocation in self.invocations[mark:]]

    def import_resources(self, template: Template, identifiers: Mapping[str, Mapping[str, Any]]) -> None:
        """An IMPORT change set executed: each resource read by its type's handler, then kept with the template's
        properties; one that cannot be read fails the import, and none of them is kept."""
        self._template = template
        self._stack_event("IMPORT_IN_PROGRESS", "User Initiated")
        context = self._context(template)
        failed: list[str] = []
        for logical_id, identifier in identifiers.items():
            imported = self._import(template, context, logical_id, identifier)
            if imported is None:
                failed.append(logical_id)
            else:
                self.resources[logical_id] = imported
        if failed:
            self._stack_event("IMPORT_ROLLBACK_IN_PROGRESS", f"Resources failed to import: [{', '.join(failed)}]")
            for logical_id in identifiers:
                self.resources.pop(logical_id, None)
            self._stack_event("IMPORT_ROLLBACK_COMPLETE")
            return
        self.template_path, self.parameters = str(template.path), template.parameter_strings
        try:
            self.outputs = self._outputs(template, context)
        except ResolveError as error:
            self._stack_event("IMPORT_ROLLBACK_COMPLETE", f"Outputs ({error})")
            return
        self._stack_event("IMPORT_COMPLETE")

    def _import(
        self, template: Template, context: Context, logical_id: str, identifier: Mapping[str, Any]
    ) -> DeployedResource | None:
        spec = template.resources[logical_id]
        resource_type = str(spec["Type"])
        kind = TYPES[resource_type]
        self._event(logical_id, resource_type, "IMPORT_IN_PROGRESS", "")
        try:
            properties = context.resolve(spec.get("Properties") or {}, f"Resources.{logical_id}.Properties")
            policy = str(context.resolve(spec["DeletionPolicy"], f"Resources.{logical_id}.DeletionPolicy"))
        except ResolveError as error:
            self._event(logical_id, resource_type, "IMPORT_FAILED", "", str(error))
            return None
        model = {**properties, **identifier}
        read = Call("READ", model, logical_id=logical_id, stack_id=self.stack_id)
        progress = self.cloud.handlers.run(kind, self.account, read)
        if not progress.succeeded:
            self._event(logical_id, resource_type, "IMPORT_FAILED", "", progress.reason)
            return None
        physical_id = kind.identifier(model)
        data = {name: progress.model[name] for name in kind.read_only if name in progress.model}
        self._event(logical_id, resource_type, "IMPORT_COMPLETE", physical_id)
        depends_on = sorted(template.dependencies[logical_id])
        return DeployedResource(
            logical_id, resource_type, physical_id, properties, "IMPORT_COMPLETE", data, depends_on, policy
        )

    def _outputs(self, template: Template, context: Context) -> dict[str, dict[str, str]]:
        outputs: dict[str, dict[str, str]] = {}
        for name, output in template.outputs.items():
            where = f"Outputs.{name}"
            entry = {"value": stringify(joined(context.resolve(output["Value"], where)))}
            if "Description" in output:
                entry["description"] = str(output["Description"])
            if "Export" in output:
                entry["export"] = str(context.resolve(output["Export"]["Name"], f"{where}.Export"))
            outputs[name] = entry
        return outputs

    def _apply(
        self, template: Template, context: Context, logical_id: str, old: DeployedResource | None
    ) -> tuple[bool, bool, DeployedResource | None]:
        """Create or update one resource: (succeeded, changed, the replaced resource to clean up)."""
        spec = template.resources[logical_id]
        resource_type = str(spec["Type"])
        depends_on = sorted(template.dependencies[logical_id])
        verb = "CREATE" if old is None else "UPDATE"
        try:
            properties = context.resolve(spec.get("Properties") or {}, f"Resources.{logical_id}.Properties")
            # AWS::LanguageExtensions lets a DeletionPolicy be a Ref, Fn::FindInMap or Fn::If
            policy = str(
                context.resolve(spec.get("DeletionPolicy", "Delete"), f"Resources.{logical_id}.DeletionPolicy")
            )
        except ResolveError as error:
            self._event(logical_id, resource_type, f"{verb}_FAILED", old.physical_id if old else "", str(error))
            return False, False, None
        if is_custom(resource_type):
            properties = stringify(properties)
        if old is not None and old.resource_type == resource_type and old.properties == properties:
            current = self.resources[logical_id]
            current.depends_on, current.deletion_policy = depends_on, policy
            return True, False, None
        if old is not None and old.resource_type != resource_type:
            old = None  # a new type is a new resource; the old one goes at clean-up
        request = Request(
            "Create" if old is None else "Update",
            logical_id,
            resource_type,
            None if old is None else old.physical_id,
            properties,
            None if old is None else old.properties,
        )
        outcome = self._act(request)
        status = f"{verb}_COMPLETE" if outcome.succeeded else f"{verb}_FAILED"
        if old is None:
            new = DeployedResource(
                logical_id, resource_type, outcome.physical_id, properties, status, outcome.data, depends_on, policy
            )
            self.resources[logical_id] = new
            return outcome.succeeded, True, None
        if not outcome.succeeded:
            # Kept with the properties it failed to take: the rollback sends them as OldResourceProperties
            self.resources[logical_id] = DeployedResource(
                **{**asdict(old), "properties": properties, "status": status, "depends_on": depends_on}
            )
            return False, True, None
        replaced = None
        if outcome.physical_id != old.physical_id:
            replaced = DeployedResource(**asdict(old))
        self.resources[logical_id] = DeployedResource(
            logical_id, resource_type, outcome.physical_id, properties, status, outcome.data, depends_on, policy
        )
        return True, True, replaced

    def _roll_back(
        self,
        creating: bool,
        before: dict[str, DeployedResource],
        changed: list[str],
        failed: list[str],
    ) -> None:
        """Undo `changed` in reverse: updated resources get an Update back to their old properties (a failed
        one too), replacements and new resources are deleted at the end; replaced originals were never touched."""
        if creating:
            self._stack_event(
                "ROLLBACK_IN_PROGRESS",
                f"The following resource(s) failed to create: [{', '.join(failed)}]. Rollback requested by user.",
            )
            needs = {logical_id: set(resource.depends_on) for logical_id, resource in self.resources.items()}
            not_deleted = self._delete_all(list(self.resources.values()), needs, rollback=True)
            self._stack_event("ROLLBACK_FAILED" if not_deleted else "ROLLBACK_COMPLETE")
            return
        self._stack_event(
            "UPDATE_ROLLBACK_IN_PROGRESS", f"The following resource(s) failed to update: [{', '.join(failed)}]. "
        )
        to_delete: list[DeployedResource] = []
        for logical_id in reversed(changed):
            current, old = self.resources.get(logical_id), before.get(logical_id)
            if current is None:
                continue
            if old is None or old.resource_type != current.resource_type:
                to_delete.append(current)
                if old is None:
                    del self.resources[logical_id]
                else:
                    self.resources[logical_id] = old
                continue
            if current.physical_id != old.physical_id:  # the replacement goes; the original was never touched
                delete = self._undo_replacement(
                    logical_id,
                    current.resource_type,
                    current.physical_id,
                    old.properties,
                    current.properties,
                    update_first=self.rollback_update_first(),
                )
                if delete is None:
                    current.status = "UPDATE_FAILED"
                    self._stack_event("UPDATE_ROLLBACK_FAILED", f"Failed to roll back {logical_id}")
                    return
                to_delete.append(DeployedResource(**{**asdict(current), "properties": delete.properties}))
                self.resources[logical_id] = old
                continue
            request = Request(
                "Update", logical_id, old.resource_type, old.physical_id, old.properties, current.properties
            )
            outcome = self._act(request)
            if not outcome.succeeded:
                current.status = "UPDATE_FAILED"
                self._stack_event("UPDATE_ROLLBACK_FAILED", f"Failed to roll back {logical_id}")
                return
            self.resources[logical_id] = DeployedResource(
                **{**asdict(old), "status": "UPDATE_COMPLETE", "data": outcome.data or old.data}
            )
        self._stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        needs = {r.logical_id: set(r.depends_on) for r in to_delete}
        self._delete_all(to_delete, needs, rollback=True)
        self._stack_event("UPDATE_ROLLBACK_COMPLETE")

    def _delete_all(
        self, resources: list[DeployedResource], needs: Mapping[str, set[str]], *, rollback: bool = False
    ) -> list[str]:
        """Delete resources, each after those that depend on it; the logical IDs that failed to delete."""
        by_id: dict[str, list[DeployedResource]] = {}
        for resource in resources:
            by_id.setdefault(resource.logical_id, []).append(resource)
        dependents: dict[str, set[str]] = {logical_id: set() for logical_id in by_id}
        for logical_id in by_id:
            for needed in needs.get(logical_id, set()):
                if needed in dependents:
                    dependents[needed].add(logical_id)

        def delete(logical_id: str) -> bool:
            return all(self._delete_one(resource, rollback) for resource in by_id[logical_id])

        return self._run(list(by_id), dependents, delete, stop_on_failure=False)

    def _delete_one(self, resource: DeployedResource, rollback: bool) -> bool:
        current = self.resources.get(resource.logical_id)
        is_current = current is not None and current.physical_id == resource.physical_id
        if resource.deletion_policy == "Retain" or (rollback and not resource.physical_id):
            if resource.deletion_policy == "Retain":
                self._event(resource.logical_id, resource.resource_type, "DELETE_SKIPPED", resource.physical_id)
            if is_current:
                del self.resources[resource.logical_id]
            return True
        request = Request(
            "Delete", resource.logical_id, resource.resource_type, resource.physical_id, resource.properties
        )
        outcome = self._act(request)
        if is_current:
            if outcome.succeeded:
                del self.resources[resource.logical_id]
            else:
                resource.status = "DELETE_FAILED"
        return outcome.succeeded

    def _run(
        self,
        names: list[str],
        needs: Mapping[str, set[str]],
        action: Callable[[str], bool],
        *,
        stop_on_failure: bool = True,
    ) -> list[str]:
        """Run `action` on each name once everything it needs succeeded, independent names at once.

        After a failure nothing new starts when `stop_on_failure` (what is running finishes); the failed names.
        A name whose needs failed never becomes ready, as CloudFormation never starts it.
        """
        sorter = TopologicalSorter({name: set(needs.get(name, set())) & set(names) for name in names})
        sorter.prepare()
        failed: list[str] = []
        with ThreadPoolExecutor(max_workers=MAX_PARALLEL, thread_name_prefix=f"stack-{self.name}") as pool:
            running: dict[Future[bool], str] = {}
            while True:
                if not (failed and stop_on_failure):
                    running.update((pool.submit(action, name), name) for name in sorter.get_ready())
                if not running:
                    return failed
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    name = running.pop(future)
                    if future.result():
                        sorter.done(name)
                    else:
                        failed.append(name)

    # -- one resource operation, by its type's module -----------------------------------------------------------

    def _act(self, request: Request) -> Outcome:
        kind = resource_type(request.resource_type)
        verb = request.request_type.upper()
        physical_id = request.physical_id or ""
        if not kind.records_events:
            self._resource_event(request, f"{verb}_IN_PROGRESS", physical_id)
        try:
            outcome = kind.act(request, self)
        except Exception as error:  # noqa: BLE001 - whatever goes wrong fails the resource, with its reason
            reason = str(error) if isinstance(error, Failed) else f"{type(error).__name__}: {error}"
            self._resource_event(request, f"{verb}_FAILED", physical_id, reason)
            return Outcome(False, physical_id, reason=reason)
        if kind.records_events:
            return outcome
        if outcome.succeeded:
            shown = physical_id if verb == "DELETE" else outcome.physical_id
            self._resource_event(request, f"{verb}_COMPLETE", shown, outcome.note)
        else:
            self._resource_event(request, f"{verb}_FAILED", physical_id, outcome.reason)
        return outcome

    def _perform(self, request: Request) -> bool:
        return self._act(request).succeeded

    def rollback_update_first(self) -> bool:
        """Whether a replacement's rollback sends an Update to the new resource before deleting it: not documented,
        so CloudFormation's choice is played as it may fall, unless `rollback_order` fixes it."""
        if self.rollback_order == "either":
            return secrets.choice((True, False))
        return self.rollback_order == "update-first"

    @property
    def template(self) -> Template | None:
        return self._template

    def step(self, request: Request) -> Answer:
        return self._step(request)

    def made_up_id(self, logical_id: str) -> str:
        return self._made_up_id(logical_id)

    def send(self, event: dict[str, Any]) -> Answer:
        """As Stack.send; when no answer came, the reason also says how the invocation failed, which AWS would
        only show in the function's log."""
        answer = super().send(event)
        if answer.delivered:
            return answer
        invocation = next(i for i in reversed(self.invocations) if i.event["RequestId"] == event["RequestId"])
        if invocation.error is None:
            return answer
        return Answer.missing(answer.request_id, f"{answer.failure_reason}; the function failed: {invocation.error}")

    def _stack_event(self, status: str, reason: str = "") -> None:
        super()._stack_event(status, reason)
        self.cloud.publish(self)

    def _event(self, logical_id: str, resource_type: str, status: str, physical_id: str, reason: str = "") -> None:
        self._resource_event(Request("Create", logical_id, resource_type, None, {}), status, physical_id, reason)
