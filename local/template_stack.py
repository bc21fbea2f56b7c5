"""A stack deployed from a template, one CloudFormation operation at a time: every stack's lifecycle
(local.lifecycle) run over a dependency graph, each resource made by its type's module (local.types).

Creates and updates follow the graph, independent resources at once; a new physical ID is a replacement whose
old resource goes at clean-up; a failure rolls back what was done, in reverse; deletes go dependents first.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any, Protocol

from local.answers import Answer
from local.errors import ResolveError, TemplateError
from local.events import stringify
from local.functions import Functions
from local.handler_calls import Call
from local.lifecycle import Change, Lifecycle, RollbackOrder, failed_to_delete, new_stack_id
from local.receiver import ResponseReceiver
from local.records import Outcome, Request, Resource, StackEvent
from local.registry import TYPES
from local.template import Context, Template
from local.transport import Invocation, Transport, provider_token
from local.types import is_custom, resource_type
from local.types.base import Cloud
from local.types.function import function_arn, function_name, runs_locally
from local.types.nested_stack import joined

__all__ = ["Account", "RollbackOrder", "TemplateStack"]

FUNCTION_TYPE = "AWS::Lambda::Function"
MAX_PARALLEL = 64  # resources CloudFormation works on at once in this local cloud


class Account(Cloud, Protocol):
    """What a stack uses of its local account beyond what its resource types use: the functions it invokes, the
    receiver of their answers, the account's exports, and the ListStacks view it keeps current."""

    receiver: ResponseReceiver
    rollback_order: RollbackOrder

    @property
    def functions(self) -> Functions: ...

    def exports(self, account: str, region: str | None = None) -> dict[str, tuple[str, str]]: ...

    def publish(self, stack: TemplateStack) -> None: ...


class TemplateStack:
    """A stack deployed from a template: one CloudFormation operation at a time (deploy or delete_stack)."""

    def __init__(
        self,
        cloud: Account,
        name: str,
        account: str,
        parent: str | None = None,
        region: str | None = None,
        *,
        stack_id: str | None = None,
    ) -> None:
        region = region or cloud.region
        stack_id = stack_id or new_stack_id(region, account, name)
        self.transport = Transport(
            cloud.functions.invoke,
            cloud.receiver,
            stack_name=name,
            stack_id=stack_id,
            service_token=provider_token(region, account),
            lambda_timeout_s=900,
            answer_wait_s=2.0,
            explains_failures=True,
        )
        self.lifecycle = Lifecycle(
            name, stack_id, self._perform, parallel=MAX_PARALLEL, on_status=lambda: cloud.publish(self)
        )
        self.cloud = cloud
        self.account = account
        self.region = region
        self.parent = parent
        self.template_path = ""
        self.parameters: dict[str, str] = {}
        self.outputs: dict[str, dict[str, str]] = {}
        self.imports: list[str] = []
        self.changed = True  # whether the last deploy changed anything
        self.rollback_order: RollbackOrder = cloud.rollback_order
        self._template: Template | None = None
        self._lock = threading.Lock()

    # -- the stack's record --------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.lifecycle.name

    @property
    def stack_id(self) -> str:
        return self.lifecycle.stack_id

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
    def invocations(self) -> list[Invocation]:
        """The custom resources' requests, as their functions got them."""
        return self.transport.invocations

    @property
    def template(self) -> Template | None:
        return self._template

    def events_table(self, *, newest_first: bool = True, since: int = 0) -> str:
        return self.lifecycle.events_table(newest_first=newest_first, since=since)

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
        stack = cls(cloud, data["name"], data["account"], data["parent"], data.get("region"), stack_id=data["stack_id"])
        stack.lifecycle.status, stack.template_path = data["status"], data["template_path"]
        stack.parameters, stack.outputs, stack.imports = data["parameters"], data["outputs"], data["imports"]
        stack.lifecycle.resources = {item["logical_id"]: Resource(**item) for item in data["resources"]}
        stack.lifecycle.events = [
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
        self.lifecycle.stack_event(f"{operation}_IN_PROGRESS", "User Initiated")
        before = {logical_id: replace(resource) for logical_id, resource in self.resources.items()}
        changes: list[Change] = []  # resources created or updated, in the order they finished
        context = self._context(template)

        def apply(logical_id: str) -> bool:
            ok, change = self._apply(template, context, logical_id, before.get(logical_id))
            if change is not None:
                with self._lock:
                    changes.append(change)
            return ok

        failed = self.lifecycle.run(template.order(), template.dependencies, apply)
        outputs: dict[str, dict[str, str]] = {}
        if not failed:
            try:
                outputs = self._outputs(template, context)
            except ResolveError as error:
                failed = [f"Outputs ({error})"]
        removed = [before[logical_id] for logical_id in before if logical_id not in template.resources]
        if not failed and not changes and not removed and outputs == self.outputs:
            del self.events[mark:]
            self.lifecycle.status = status_before
            return False
        if failed:
            verb = "create" if creating else "update"
            reason = f"The following resource(s) failed to {verb}: [{', '.join(failed)}]. "
            if creating:
                reason += "Rollback requested by user."
            self.lifecycle.roll_back(changes, creating=creating, order=self.rollback_order, reason=reason)
            return True
        self.template_path, self.parameters, self.outputs = (
            str(template.path),
            template.parameter_strings,
            outputs,
        )
        if creating:
            self.lifecycle.stack_event("CREATE_COMPLETE")
            return True
        self.lifecycle.stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        replaced = [change.before for change in changes if change.replaced and change.before is not None]
        self.lifecycle.delete_all(replaced + removed)
        self.lifecycle.stack_event("UPDATE_COMPLETE")
        return True

    def delete_stack(self, retain: tuple[str, ...] = ()) -> list[Answer]:
        """Delete every resource, dependents first; Retain resources, and those in `retain` (delete-stack's
        --retain-resources), are left in place (DELETE_SKIPPED).

        Returns the answers of the custom resources' Delete requests.
        """
        mark = len(self.invocations)
        for logical_id in retain:
            self.resources[logical_id].deletion_policy = "Retain"
        self.lifecycle.stack_event("DELETE_IN_PROGRESS", "User Initiated")
        failed = self.lifecycle.delete_all(list(self.resources.values()))
        if failed:
            self.lifecycle.stack_event("DELETE_FAILED", failed_to_delete(failed))
        else:
            self.lifecycle.stack_event("DELETE_COMPLETE")
        return self.transport.answers_since(mark)

    def import_resources(self, template: Template, identifiers: Mapping[str, Mapping[str, Any]]) -> None:
        """An IMPORT change set executed: each resource read by its type's handler, then kept with the template's
        properties; one that cannot be read fails the import, and none of them is kept."""
        self._template = template
        self.lifecycle.stack_event("IMPORT_IN_PROGRESS", "User Initiated")
        context = self._context(template)
        failed: list[str] = []
        for logical_id, identifier in identifiers.items():
            imported = self._import(template, context, logical_id, identifier)
            if imported is None:
                failed.append(logical_id)
            else:
                self.resources[logical_id] = imported
        if failed:
            self.lifecycle.stack_event(
                "IMPORT_ROLLBACK_IN_PROGRESS", f"Resources failed to import: [{', '.join(failed)}]"
            )
            for logical_id in identifiers:
                self.resources.pop(logical_id, None)
            self.lifecycle.stack_event("IMPORT_ROLLBACK_COMPLETE")
            return
        self.template_path, self.parameters = str(template.path), template.parameter_strings
        try:
            self.outputs = self._outputs(template, context)
        except ResolveError as error:
            self.lifecycle.stack_event("IMPORT_ROLLBACK_COMPLETE", f"Outputs ({error})")
            return
        self.lifecycle.stack_event("IMPORT_COMPLETE")

    def _import(
        self, template: Template, context: Context, logical_id: str, identifier: Mapping[str, Any]
    ) -> Resource | None:
        spec = template.resources[logical_id]
        resource_type = str(spec["Type"])
        kind = TYPES[resource_type]
        self.lifecycle.resource_event(logical_id, resource_type, "IMPORT_IN_PROGRESS", "")
        try:
            properties = context.resolve(spec.get("Properties") or {}, f"Resources.{logical_id}.Properties")
            policy = str(context.resolve(spec["DeletionPolicy"], f"Resources.{logical_id}.DeletionPolicy"))
        except ResolveError as error:
            self.lifecycle.resource_event(logical_id, resource_type, "IMPORT_FAILED", "", str(error))
            return None
        model = {**properties, **identifier}
        read = Call("READ", model, logical_id=logical_id, stack_id=self.stack_id)
        progress = self.cloud.handlers.run(kind, self.account, read)
        if not progress.succeeded:
            self.lifecycle.resource_event(logical_id, resource_type, "IMPORT_FAILED", "", progress.reason)
            return None
        physical_id = kind.identifier(model)
        data = {name: progress.model[name] for name in kind.read_only if name in progress.model}
        self.lifecycle.resource_event(logical_id, resource_type, "IMPORT_COMPLETE", physical_id)
        depends_on = sorted(template.dependencies[logical_id])
        return Resource(logical_id, resource_type, physical_id, properties, "IMPORT_COMPLETE", data, depends_on, policy)

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
        self, template: Template, context: Context, logical_id: str, old: Resource | None
    ) -> tuple[bool, Change | None]:
        """Create or update one resource: whether it succeeded, and the change when there was one."""
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
            physical_id = old.physical_id if old else ""
            self.lifecycle.resource_event(logical_id, resource_type, f"{verb}_FAILED", physical_id, str(error))
            return False, None
        if is_custom(resource_type):
            properties = stringify(properties)
        if old is not None and old.resource_type == resource_type and old.properties == properties:
            current = self.resources[logical_id]
            current.depends_on, current.deletion_policy = depends_on, policy
            return True, None
        if old is None or old.resource_type != resource_type:  # a new type is a new resource
            change = self.lifecycle.create(logical_id, resource_type, properties, depends_on, policy)
        else:
            change = self.lifecycle.update(logical_id, properties, depends_on, policy)
        return change.outcome.succeeded, change

    def _perform(self, request: Request) -> Outcome:
        """One request made by its type's module."""
        return resource_type(request.resource_type).act(request, self)
