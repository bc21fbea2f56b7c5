"""A local account in one Region: CloudFormation stacks deployed from templates, the Well-Architected emulator,
local Lambda functions and the HTTPS receiver of custom-resource answers, kept between commands in a state file.

    with LocalCloud(Path(".local-cloud")) as cloud:
        stack = cloud.deploy("rollout", Path("my-rollout.yaml"), {"Accounts": "111122223333"})

Stacks follow CloudFormation's rules (see TemplateStack): a dependency graph run concurrently, updates with
replacement and clean-up, rollbacks, DeletionPolicy Retain, exports and imports, nested stacks.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import unquote, urlsplit

import boto3

from emulator import WellArchitectedEmulator
from emulator.cloudformation import CloudFormationEmulator, StackResource
from local.answers import Answer
from local.errors import ResolveError, TemplateError
from local.events import stringify
from local.functions import FunctionConfig, Functions
from local.preflight import refusal
from local.receiver import ResponseReceiver
from local.stack import Request, Resource, Stack, StackEvent
from local.template import Context, Template, read
from local.types import Failed, Outcome, is_custom, resource_type
from local.types.function import function_arn, function_name, runs_locally
from local.types.nested_stack import joined

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".local-cloud"
ACCOUNT = "111111111111"
REGION = "us-east-1"
LENS_TYPE = "AWS::WellArchitected::Lens"
FUNCTION_TYPE = "AWS::Lambda::Function"
MAX_PARALLEL = 64  # resources CloudFormation works on at once in this local cloud
_STATE_VERSION = 1
_ENVIRONMENT_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
FAILED_ENDINGS = ("_FAILED", "ROLLBACK_COMPLETE")
RollbackOrder = Literal["update-first", "delete-only", "either"]


def ended_badly(status: str | None) -> bool:
    """A stack status a deploy command reports with a non-zero exit: *_FAILED or *ROLLBACK_COMPLETE."""
    return status is None or status.endswith(FAILED_ENDINGS)


@dataclass
class DeployedResource(Resource):
    depends_on: list[str] = field(default_factory=list)
    deletion_policy: str = "Delete"


class BusyError(Exception):
    """Another command holds the state directory (one command at a time, as one account's API would queue)."""


class TemplateStack(Stack):
    """A stack deployed from a template: one CloudFormation operation at a time (deploy or delete_stack)."""

    def __init__(self, cloud: LocalCloud, name: str, account: str, parent: str | None = None) -> None:
        super().__init__(
            cloud.functions.invoke,
            cloud.receiver,
            name=name,
            region=cloud.region,
            account=account,
            lambda_timeout_s=900,
            answer_wait_s=2.0,
        )
        self.cloud = cloud
        self.account = account
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
    def from_json(cls, cloud: LocalCloud, data: dict[str, Any]) -> TemplateStack:
        stack = cls(cloud, data["name"], data["account"], data["parent"])
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
            "AWS::Region": self.cloud.region,
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
        value = self.cloud.exports(self.account).get(name)
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

        exports = self.cloud.exports(self.account)

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
        policy = str(spec.get("DeletionPolicy", "Delete"))
        verb = "CREATE" if old is None else "UPDATE"
        try:
            properties = context.resolve(spec.get("Properties") or {}, f"Resources.{logical_id}.Properties")
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
        """
        waiting = {name: set(needs.get(name, set())) & set(names) for name in names}
        failed: list[str] = []
        with ThreadPoolExecutor(max_workers=MAX_PARALLEL, thread_name_prefix=f"stack-{self.name}") as pool:
            running: dict[Future[bool], str] = {}
            while waiting or running:
                if not (failed and stop_on_failure):
                    for name in [name for name, left in waiting.items() if not left]:
                        del waiting[name]
                        running[pool.submit(action, name)] = name
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    name = running.pop(future)
                    if future.result():
                        for left in waiting.values():
                            left.discard(name)
                    else:
                        failed.append(name)
        return failed

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
        if not kind.records_events:
            shown = physical_id if verb == "DELETE" else outcome.physical_id
            self._resource_event(request, f"{verb}_COMPLETE", shown, outcome.note)
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


class LocalCloud:
    """One local account's stacks, functions and Well-Architected state; kept in `state_dir` between commands."""

    def __init__(
        self,
        state_dir: Path = STATE_DIR,
        *,
        region: str = REGION,
        rollback_order: RollbackOrder = "either",
    ) -> None:
        self.state_dir = state_dir
        self.region = region
        self.rollback_order = rollback_order  # how its stacks roll back a replacement (see TemplateStack)
        self.emulator = WellArchitectedEmulator(default_account=ACCOUNT, region=region)
        self.receiver = ResponseReceiver(region)
        self.functions = Functions()
        self._cloudformation: dict[str, CloudFormationEmulator] = {}  # each account's ListStacks, by account
        self._stacks: dict[str, TemplateStack] = {}
        self._function_specs: dict[str, dict[str, Any]] = {}
        self._objects: dict[str, str] = {}  # https URL -> local template file (`upload`)
        self._lock_file: IO[str] | None = None
        self._stacks_lock = threading.RLock()

    @property
    def state_file(self) -> Path:
        return self.state_dir / "state.json"

    def __enter__(self) -> LocalCloud:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._lock_file = (self.state_dir / "lock").open("w")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.close()
            raise BusyError(f"another python -m local command (or serve) is using {self.state_dir}") from None
        self.emulator.start()
        self.receiver.start()
        if self.state_file.is_file():
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
            if state.get("version") == _STATE_VERSION:
                self.emulator.load(state["emulator"])
                self._objects = state["objects"]
                for data in state["stacks"]:
                    self._stacks[data["name"]] = TemplateStack.from_json(self, data)
                for spec in state["functions"]:
                    self.deploy_function(spec)
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.functions.stop()
            self.save()
        finally:
            for api in self._cloudformation.values():
                api.stop()
            self.receiver.stop()
            self.emulator.stop()
            if self._lock_file is not None:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)
                self._lock_file.close()

    def save(self) -> None:
        state = {
            "version": _STATE_VERSION,
            "emulator": self.emulator.dump(),
            "objects": self._objects,
            "stacks": [stack.to_json() for stack in self.stacks()],
            "functions": list(self._function_specs.values()),
        }
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
        temporary.replace(self.state_file)

    def reset(self) -> None:
        """Start afresh: no stacks, functions, lenses or shares."""
        self.functions.stop()
        self.emulator.reset()
        with self._stacks_lock:
            self._stacks.clear()
        self._function_specs.clear()
        self._objects.clear()

    # -- what other parts read ---------------------------------------------------------------------------------

    def stacks(self) -> list[TemplateStack]:
        """Every stack with its resources (nested stacks included), in creation order: what ListStacks shows."""
        with self._stacks_lock:
            return list(self._stacks.values())

    def stack(self, name: str) -> TemplateStack | None:
        with self._stacks_lock:
            return self._stacks.get(name)

    def stack_by_id(self, stack_id: str) -> TemplateStack | None:
        return next((stack for stack in self.stacks() if stack.stack_id == stack_id), None)

    def cloudformation_url(self, account: str) -> str:
        """The endpoint answering ListStacks and ListStackResources about `account`'s stacks (started on first use)."""
        with self._stacks_lock:
            api = self._cloudformation.get(account)
            if api is None:
                api = self._cloudformation[account] = CloudFormationEmulator(account=account, region=self.region)
                api.start()
                for stack in self._stacks.values():
                    if stack.account == account:
                        self.publish(stack)
            return api.url

    def publish(self, stack: TemplateStack) -> None:
        """Show the stack as it stands now to its account's ListStacks and ListStackResources."""
        with self._stacks_lock:
            api = self._cloudformation.get(stack.account)
        if api is None or stack.status is None:
            return
        resources = [
            StackResource(r.logical_id, r.physical_id, r.resource_type, r.status)
            for r in list(stack.resources.values())
        ]
        api.put_stack(stack.name, stack.status, resources, stack.stack_id)

    def exports(self, account: str) -> dict[str, tuple[str, str]]:
        """Export name -> (value, exporting stack's ID), of the account's stacks."""
        return {
            output["export"]: (output["value"], stack.stack_id)
            for stack in self.stacks()
            if stack.account == account
            for output in stack.outputs.values()
            if "export" in output
        }

    def client(self, service: str, account: str) -> Any:
        """A boto3 client of the emulator, with credentials of `account` (its last 12 digits, as it reads them)."""
        return boto3.client(
            service,  # type: ignore[call-overload]
            region_name=self.region,
            endpoint_url=self.emulator.url,
            aws_access_key_id=f"AKIDLOCAL{account}",
            aws_secret_access_key="local",
        )

    # -- functions -----------------------------------------------------------------------------------------------

    def account_environment(self, account: str) -> dict[str, str]:
        """What a process of `account` needs to reach the local services: credentials, Region and endpoints."""
        return {
            "AWS_ACCESS_KEY_ID": f"AKIDLOCAL{account}",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL_WELLARCHITECTED": self.emulator.url,
            "AWS_ENDPOINT_URL_CLOUDFORMATION": self.cloudformation_url(account),
            "SSL_CERT_FILE": self.receiver.ca_file,
        }

    def deploy_function(self, spec: dict[str, Any]) -> None:
        environment = {name: os.environ[name] for name in _ENVIRONMENT_KEPT if name in os.environ}
        environment.update(self.account_environment(spec["account"]))
        environment.update(
            {
                "AWS_LAMBDA_FUNCTION_NAME": spec["name"],
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec["memory_mb"]),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec['name']}",
            }
        )
        environment.update(spec["variables"])
        config = FunctionConfig(
            arn=spec["arn"],
            name=spec["name"],
            code_dir=spec["code_dir"],
            handler=spec["handler"],
            environment=environment,
            timeout_s=spec["timeout_s"],
            memory_mb=spec["memory_mb"],
            log_file=str(self.state_dir / "logs" / f"{spec['name']}.log"),
        )
        self._function_specs[spec["arn"]] = spec
        self.functions.deploy(config)

    def remove_function(self, arn: str) -> None:
        self._function_specs.pop(arn, None)
        self.functions.remove(arn)

    # -- templates at URLs -------------------------------------------------------------------------------------

    def upload(self, path: Path, url: str) -> str:
        """Make `url` (an S3 https or s3:// URL) give the template at `path`, as `aws s3 cp` would; its https URL."""
        parts = urlsplit(url)
        if parts.scheme == "s3":
            url = f"https://{parts.netloc}.s3.{self.region}.amazonaws.com{parts.path}"
        elif parts.scheme != "https":
            raise TemplateError(f"{url}: give an s3:// or https:// URL")
        if not path.is_file():
            raise TemplateError(f"{path}: no such template file")
        self._objects[url] = str(path.resolve())
        return url

    def template_file(self, url: str, relative_to: Path) -> Path:
        """The file a TemplateURL names: a local path (from the parent template's folder), a file:// URL, or a URL
        given to `upload`."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            return Path(unquote(parts.path))
        if parts.scheme in ("https", "http"):
            if url not in self._objects:
                raise TemplateError(f"TemplateURL {url} is not available locally (python -m local upload it first)")
            return Path(self._objects[url])
        return (relative_to / url).resolve()

    # -- stack operations ----------------------------------------------------------------------------------------

    def deploy(
        self,
        name: str,
        path: Path,
        overrides: Mapping[str, str],
        account: str = ACCOUNT,
        parent: str | None = None,
    ) -> TemplateStack:
        """Create or update a stack; a bad template raises TemplateError before any resource is touched."""
        existing = self.stack(name)
        if existing is not None and existing.status in ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED"):
            raise TemplateError(
                f"Stack {name} is in {existing.status} state and can not be updated: delete it, then deploy again"
            )
        if existing is not None and existing.account != account:
            raise TemplateError(f"Stack {name} belongs to account {existing.account}, not {account}")
        refused = refusal(path, self.region) if path.is_file() else None
        if refused is not None:
            raise TemplateError(refused)
        stack = existing or TemplateStack(self, name, account, parent)
        try:
            template = read(path, overrides, stack.parameters if existing else {}, stack.pseudo_parameters())
            stack.check(template)
        except ResolveError as error:  # a condition or check that cannot be evaluated refuses the template
            raise TemplateError(str(error)) from None
        if existing is None:
            with self._stacks_lock:
                self._stacks[name] = stack
        stack.changed = stack.deploy(template)
        return stack

    def delete(self, name: str, retain: tuple[str, ...] = ()) -> TemplateStack:
        stack = self.stack(name)
        if stack is None:
            raise TemplateError(f"Stack with id {name} does not exist")
        if retain and stack.status != "DELETE_FAILED":
            raise TemplateError(f"Stack {name} is {stack.status}: resources can be retained only after DELETE_FAILED")
        unknown = [logical_id for logical_id in retain if logical_id not in stack.resources]
        if unknown:
            raise TemplateError(f"Stack {name} has no resource {', '.join(unknown)} to retain")
        for export, (_value, exporter) in self.exports(stack.account).items():
            users = [other.name for other in self.stacks() if export in other.imports and other is not stack]
            if exporter == stack.stack_id and users:
                raise TemplateError(f"Export {export} cannot be deleted as it is in use by {', '.join(users)}")
        stack.delete_stack(retain)
        if stack.status == "DELETE_COMPLETE":
            with self._stacks_lock:
                del self._stacks[name]
        return stack

    def nested(self, stack: TemplateStack) -> Iterator[TemplateStack]:
        """The stacks nested in `stack`, deepest last."""
        for child in self.stacks():
            if child.parent == stack.stack_id:
                yield child
                yield from self.nested(child)
