"""A local account in one Region: CloudFormation stacks deployed from templates, the Well-Architected emulator,
local Lambda functions and the HTTPS receiver of custom-resource answers, kept between commands in a state file.

    with LocalCloud(Path(".local-cloud")) as cloud:
        stack = cloud.deploy("rollout", Path("my-rollout.yaml"), {"Accounts": "111122223333"})

Stacks follow CloudFormation's rules (local.template_stack): a dependency graph run concurrently, updates with
replacement and clean-up, rollbacks, DeletionPolicy Retain, exports and imports, nested stacks.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import boto3

from emulator import WellArchitectedEmulator
from emulator.clock import REAL, Clock
from emulator.cloudformation import CloudFormationEmulator, StackResource
from local import organization
from local.cloudcontrol import CloudControlApi
from local.errors import ResolveError, TemplateError
from local.functions import FunctionConfig, Functions
from local.handler_calls import HandlerCalls
from local.importing import identifiers
from local.preflight import refusal
from local.receiver import ResponseReceiver
from local.registry import TYPES
from local.template import read
from local.template_stack import RollbackOrder, TemplateStack

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".local-cloud"
ACCOUNT = "111111111111"
REGION = "us-east-1"
LENS_TYPE = "AWS::WellArchitected::Lens"
_STATE_VERSION = 1
_ENVIRONMENT_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
FAILED_ENDINGS = ("_FAILED", "ROLLBACK_COMPLETE")


def ended_badly(status: str | None) -> bool:
    """A stack status a deploy command reports with a non-zero exit: *_FAILED or *ROLLBACK_COMPLETE."""
    return status is None or status.endswith(FAILED_ENDINGS)


class BusyError(Exception):
    """Another command holds the state directory (one command at a time, as one account's API would queue)."""


class LocalCloud:
    """One local account's stacks, functions and Well-Architected state; kept in `state_dir` between commands."""

    def __init__(
        self,
        state_dir: Path = STATE_DIR,
        *,
        region: str = REGION,
        rollback_order: RollbackOrder = "either",
        clock: Clock = REAL,
    ) -> None:
        self.state_dir = state_dir
        self.region = region
        self.rollback_order = rollback_order  # how its stacks roll back a replacement (see TemplateStack)
        self.emulator = WellArchitectedEmulator(default_account=ACCOUNT, region=region)
        self.receiver = ResponseReceiver(region)
        self.functions = Functions()
        # A registry handler's call back waits on the clock: a test's skips the seconds a type asks for.
        self.handlers = HandlerCalls(
            self.functions, region, self.process_environment, str(state_dir / "logs"), wait=clock.sleep
        )
        # Each account's ListStacks, by account; it answers about the Region a request is signed for.
        self._cloudformation: dict[str, CloudFormationEmulator] = {}
        self._cloudcontrol: CloudControlApi | None = None
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
            if self._cloudcontrol is not None:
                self._cloudcontrol.stop()
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
        """Start afresh: no stacks, functions, lenses, shares or organization."""
        self.functions.stop()
        organization.forget(self.state_dir)
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
        """The endpoint answering ListStacks and ListStackResources about `account`'s stacks in the Region each
        request is signed for (started on first use)."""
        with self._stacks_lock:
            api = self._cloudformation.get(account)
            if api is None:
                api = self._cloudformation[account] = CloudFormationEmulator(account=account, region=self.region)
                api.start()
                for stack in self._stacks.values():
                    if stack.account == account:
                        self.publish(stack)
            return api.url

    def cloudcontrol_url(self) -> str:
        """The Cloud Control API endpoint for the registry types (started on first use)."""
        with self._stacks_lock:
            if self._cloudcontrol is None:
                self._cloudcontrol = CloudControlApi(self.handlers, TYPES, ACCOUNT)
                self._cloudcontrol.start()
            return self._cloudcontrol.url

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

    def exports(self, account: str, region: str | None = None) -> dict[str, tuple[str, str]]:
        """Export name -> (value, exporting stack's ID), of the account's stacks in `region` (exports are Regional)."""
        return {
            output["export"]: (output["value"], stack.stack_id)
            for stack in self.stacks()
            if stack.account == account and stack.region == (region or self.region)
            for output in stack.outputs.values()
            if "export" in output
        }

    def client(self, service: str, account: str, region: str | None = None) -> Any:
        """A boto3 client of the emulator, with credentials of `account` (its last 12 digits, as it reads them), signed
        for `region` (the cloud's own by default), which the emulator keeps apart."""
        any_client: Callable[..., Any] = boto3.client  # the stubs' overloads take only literal service names
        return any_client(
            service,
            region_name=region or self.region,
            endpoint_url=self.emulator.url,
            aws_access_key_id=f"AKIDLOCAL{account}",
            aws_secret_access_key="local",
        )

    # -- functions -----------------------------------------------------------------------------------------------

    def account_environment(self, account: str, region: str | None = None) -> dict[str, str]:
        """What a process of `account` in `region` (the cloud's own by default) needs to reach the local services:
        credentials, Region and endpoints."""
        return {
            "AWS_ACCESS_KEY_ID": f"AKIDLOCAL{account}",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_REGION": region or self.region,
            "AWS_DEFAULT_REGION": region or self.region,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL_WELLARCHITECTED": self.emulator.url,
            "AWS_ENDPOINT_URL_CLOUDFORMATION": self.cloudformation_url(account),
            "SSL_CERT_FILE": self.receiver.ca_file,
        }

    def process_environment(self, account: str, region: str | None = None) -> dict[str, str]:
        """A local function's process environment before its own settings: what it keeps of ours, and the account's."""
        environment = {name: os.environ[name] for name in _ENVIRONMENT_KEPT if name in os.environ}
        environment.update(self.account_environment(account, region))
        return environment

    def deploy_function(self, spec: dict[str, Any]) -> None:
        environment = self.process_environment(spec["account"], spec.get("region"))
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
        *,
        region: str | None = None,
    ) -> TemplateStack:
        """Create or update a stack in `region` (the cloud's own by default); a bad template raises TemplateError
        before any resource is touched."""
        region = region or self.region
        existing = self.stack(name)
        if existing is not None and existing.status in ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED"):
            raise TemplateError(
                f"Stack {name} is in {existing.status} state and can not be updated: delete it, then deploy again"
            )
        if existing is not None and existing.account != account:
            raise TemplateError(f"Stack {name} belongs to account {existing.account}, not {account}")
        if existing is not None and existing.region != region:
            raise TemplateError(f"Stack {name} is in Region {existing.region}, not {region}")
        refused = refusal(path, region) if path.is_file() else None
        if refused is not None:
            raise TemplateError(refused)
        stack = existing or TemplateStack(self, name, account, parent, region)
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

    def import_resources(
        self, name: str, path: Path, overrides: Mapping[str, str], to_import: Any, account: str = ACCOUNT
    ) -> TemplateStack:
        """Bring existing resources under a stack, new or not, as an IMPORT change set executed does."""
        existing = self.stack(name)
        if existing is not None and existing.account != account:
            raise TemplateError(f"Stack {name} belongs to account {existing.account}, not {account}")
        refused = refusal(path, self.region) if path.is_file() else None
        if refused is not None:
            raise TemplateError(refused)
        stack = existing or TemplateStack(self, name, account)
        try:
            template = read(path, overrides, stack.parameters if existing else {}, stack.pseudo_parameters())
            stack.check(template)
        except ResolveError as error:
            raise TemplateError(str(error)) from None
        found = identifiers(template, to_import, stack.resources)
        if existing is None:
            with self._stacks_lock:
                self._stacks[name] = stack
        stack.import_resources(template, found)
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
        for export, (_value, exporter) in self.exports(stack.account, stack.region).items():
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
