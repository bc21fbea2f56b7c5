"""Service-managed StackSets on the local cloud, against the local organization: a template with parameters,
targeted at OUs (or accounts) and Regions, one stack instance per account and Region deployed in that account,
automatic deployment as accounts move in and out of the OUs, and the operation preferences.

    sets = StackSets(cloud, organization)
    operation = sets.create("member-acceptance", Path("member.yaml"), {"AllowedOwners": "111111111111"},
                            Targets(units=("ou-ab12-cd34ef56",)), ("us-east-1", "eu-west-1"))

Each operation deploys Region by Region, in the order given; in a Region, MaxConcurrent accounts at a time. Once
more accounts failed in a Region than FailureTolerance allows, the operation stops there and attempts no later
Region: the instances left are CANCELLED, as list-stack-instances shows them.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from local.errors import TemplateError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from local.cloud import LocalCloud
    from local.organization import Organization

FILE = "stacksets.json"
CANCELLED = "Cancelled since failure tolerance has exceeded"
DONE = ("CREATE_COMPLETE", "UPDATE_COMPLETE")


@dataclass(frozen=True)
class Targets:
    units: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preferences:
    """StackSetOperationPreferences; AWS's defaults are one account at a time and no failure tolerated."""

    max_concurrent_count: int | None = None
    max_concurrent_percentage: int | None = None
    failure_tolerance_count: int | None = None
    failure_tolerance_percentage: int | None = None

    def tolerance(self, accounts: int) -> int:
        if self.failure_tolerance_percentage is not None:
            return accounts * self.failure_tolerance_percentage // 100
        return self.failure_tolerance_count or 0

    def concurrency(self, accounts: int) -> int:
        if self.max_concurrent_percentage is not None:
            wanted = max(1, accounts * self.max_concurrent_percentage // 100)
        else:
            wanted = self.max_concurrent_count or 1
        # STRICT_FAILURE_TOLERANCE, the default mode: at most one more account at a time than may fail.
        if wanted > self.tolerance(accounts) + 1:
            raise TemplateError(
                f"MaxConcurrentCount {wanted} is more than FailureToleranceCount + 1 ({self.tolerance(accounts) + 1})"
            )
        return wanted

    @classmethod
    def parse(cls, text: str) -> Preferences:
        """MaxConcurrentCount=2,FailureToleranceCount=1 as the AWS CLI takes it in shorthand."""
        names = {
            "MaxConcurrentCount": "max_concurrent_count",
            "MaxConcurrentPercentage": "max_concurrent_percentage",
            "FailureToleranceCount": "failure_tolerance_count",
            "FailureTolerancePercentage": "failure_tolerance_percentage",
        }
        values: dict[str, int] = {}
        for item in filter(None, text.split(",")):
            key, _, value = item.partition("=")
            if key not in names or not value.isdigit():
                raise TemplateError(f"--operation-preferences: '{item}' is not one of {', '.join(names)}=<number>")
            values[names[key]] = int(value)
        return cls(**values)


@dataclass
class Instance:
    account: str
    region: str
    stack_name: str
    status: str = "OUTDATED"  # CURRENT, OUTDATED or INOPERABLE, as list-stack-instances says
    detailed_status: str = "PENDING"  # SUCCEEDED, FAILED, CANCELLED, PENDING
    reason: str = ""

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.account, self.region, self.status, self.detailed_status, self.reason)


@dataclass
class StackSet:
    name: str
    template: str
    parameters: dict[str, str]
    units: list[str]
    accounts: list[str]
    regions: list[str]
    auto_deployment: bool = True
    retain_stacks_on_account_removal: bool = False
    instances: list[Instance] = field(default_factory=list)

    def instance(self, account: str, region: str) -> Instance | None:
        return next((i for i in self.instances if (i.account, i.region) == (account, region)), None)


@dataclass
class Operation:
    action: str
    stack_set: str
    status: str = "SUCCEEDED"  # or FAILED
    results: list[Instance] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "FAILED"

    def table(self) -> str:
        rows = [("Account", "Region", "Status", "DetailedStatus", "StatusReason")]
        rows += [result.row() for result in self.results]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[4]]) for row in rows]
        body = "\n".join("  " + line.rstrip() for line in lines)
        return f"Operation {self.action} of StackSet {self.stack_set}: {self.status}\n{body}"


class StackSets:
    """The StackSets of the local cloud's management account, kept in the state directory between commands."""

    def __init__(self, cloud: LocalCloud, organization: Organization) -> None:
        self.cloud = cloud
        self.organization = organization
        self._path = cloud.state_dir / FILE
        self._sets: dict[str, StackSet] = {}
        if self._path.is_file():
            for data in json.loads(self._path.read_text(encoding="utf-8")):
                instances = [Instance(**item) for item in data.pop("instances")]
                self._sets[data["name"]] = StackSet(**data, instances=instances)

    def save(self) -> None:
        self._path.write_text(json.dumps([asdict(s) for s in self._sets.values()], indent=1), encoding="utf-8")

    def get(self, name: str) -> StackSet:
        if name not in self._sets:
            raise TemplateError(f"StackSet {name} not found")
        return self._sets[name]

    # -- operations --------------------------------------------------------------------------------------------

    def create(
        self,
        name: str,
        template: Path,
        parameters: Mapping[str, str],
        targets: Targets,
        regions: Iterable[str],
        *,
        auto_deployment: bool = True,
        retain_stacks_on_account_removal: bool = False,
        preferences: Preferences | None = None,
    ) -> Operation:
        if name in self._sets:
            raise TemplateError(f"StackSet {name} already exists")
        _refuse_transforms(template)
        stack_set = StackSet(
            name,
            str(template.resolve()),
            dict(parameters),
            list(targets.units),
            list(targets.accounts),
            list(regions),
            auto_deployment,
            retain_stacks_on_account_removal,
        )
        self._sets[name] = stack_set
        return self._deploy("CREATE", stack_set, self.targeted(stack_set), stack_set.regions, preferences)

    def update(
        self,
        name: str,
        template: Path | None = None,
        parameters: Mapping[str, str] | None = None,
        preferences: Preferences | None = None,
    ) -> Operation:
        """A new template or parameters (those not given keep their values) for every instance."""
        stack_set = self.get(name)
        if template is not None:
            _refuse_transforms(template)
            stack_set.template = str(template.resolve())
        stack_set.parameters |= dict(parameters or {})
        accounts = sorted({instance.account for instance in stack_set.instances} | set(self.targeted(stack_set)))
        return self._deploy("UPDATE", stack_set, accounts, stack_set.regions, preferences)

    def delete_instances(
        self,
        name: str,
        targets: Targets,
        regions: Iterable[str],
        *,
        retain_stacks: bool = False,
    ) -> Operation:
        stack_set = self.get(name)
        accounts = set(targets.accounts) | {a for unit in targets.units for a in self.organization.accounts_in(unit)}
        chosen = [i for i in stack_set.instances if i.account in accounts and i.region in set(regions)]
        operation = Operation("DELETE", name)
        for instance in chosen:
            self._remove(stack_set, instance, operation, retain=retain_stacks)
        stack_set.units = [unit for unit in stack_set.units if unit not in targets.units]
        stack_set.accounts = [account for account in stack_set.accounts if account not in accounts]
        return operation

    def delete(self, name: str) -> None:
        stack_set = self.get(name)
        if stack_set.instances:
            raise TemplateError(f"StackSet {name} is not empty: delete its {len(stack_set.instances)} instances first")
        del self._sets[name]

    def follow_organization(self) -> list[Operation]:
        """Automatic deployment: instances for accounts that joined a targeted OU, none for those that left."""
        operations: list[Operation] = []
        for stack_set in self._sets.values():
            if not stack_set.auto_deployment or not stack_set.units:
                continue
            targeted = set(self.targeted(stack_set))
            joined = sorted(targeted - {instance.account for instance in stack_set.instances})
            if joined:
                operations.append(self._deploy("CREATE", stack_set, joined, stack_set.regions, None))
            left = [i for i in stack_set.instances if i.account not in targeted]
            if left:
                operation = Operation("DELETE", stack_set.name)
                for instance in left:
                    self._remove(stack_set, instance, operation, retain=stack_set.retain_stacks_on_account_removal)
                operations.append(operation)
        return operations

    def targeted(self, stack_set: StackSet) -> list[str]:
        """The accounts the StackSet's targets reach now. An OU never reaches the management account (as with
        service-managed permissions); an account named, the management account too, is deployed to (as the
        landing-zone tools' self-managed StackSets do)."""
        accounts = list(stack_set.accounts)
        management = self.organization.management_account
        for unit in stack_set.units:
            accounts += [a for a in self.organization.accounts_in(unit) if a not in accounts and a != management]
        return accounts

    # -- instances ---------------------------------------------------------------------------------------------

    def _deploy(
        self, action: str, stack_set: StackSet, accounts: list[str], regions: list[str], preferences: Preferences | None
    ) -> Operation:
        preferences = preferences or Preferences()
        operation = Operation(action, stack_set.name)
        pending = [self._instance(stack_set, account, region) for region in regions for account in accounts]
        for instance in pending:
            instance.detailed_status, instance.reason = "PENDING", ""
        operation.results = pending
        stopped = False
        for region in regions:
            in_region = [instance for instance in pending if instance.region == region]
            if stopped:
                _cancel(in_region)
                continue
            tolerance, concurrency = preferences.tolerance(len(in_region)), preferences.concurrency(len(in_region))
            failures = 0
            for start in range(0, len(in_region), concurrency):
                batch = in_region[start : start + concurrency]
                with ThreadPoolExecutor(max_workers=concurrency) as pool:
                    list(pool.map(lambda instance: self._deploy_instance(stack_set, instance), batch))
                failures += sum(instance.detailed_status == "FAILED" for instance in batch)
                if failures > tolerance:
                    _cancel(in_region[start + concurrency :])
                    stopped = True
                    break
        operation.status = "FAILED" if stopped else "SUCCEEDED"
        return operation

    def _instance(self, stack_set: StackSet, account: str, region: str) -> Instance:
        instance = stack_set.instance(account, region)
        if instance is None:
            instance = Instance(account, region, f"StackSet-{stack_set.name}-{uuid.uuid4()}")
            stack_set.instances.append(instance)
        return instance

    def _deploy_instance(self, stack_set: StackSet, instance: Instance) -> None:
        """The instance's stack, in its account and Region with that account's credentials."""
        existing = self.cloud.stack(instance.stack_name)
        if existing is not None and existing.status == "ROLLBACK_COMPLETE":
            self.cloud.delete(instance.stack_name)  # a failed creation is started afresh, as StackSets do
        try:
            stack = self.cloud.deploy(
                instance.stack_name,
                Path(stack_set.template),
                stack_set.parameters,
                instance.account,
                region=instance.region,
            )
        except TemplateError as error:
            instance.status, instance.detailed_status, instance.reason = "OUTDATED", "FAILED", str(error)
            return
        if stack.status in DONE:
            instance.status, instance.detailed_status, instance.reason = "CURRENT", "SUCCEEDED", ""
            return
        failed = [event for event in stack.events if event.status.endswith("_FAILED") and event.reason]
        reason = f"{failed[0].logical_id}: {failed[0].reason}" if failed else f"Stack ended {stack.status}"
        instance.status, instance.detailed_status, instance.reason = "OUTDATED", "FAILED", reason

    def _remove(self, stack_set: StackSet, instance: Instance, operation: Operation, *, retain: bool) -> None:
        """The instance leaves the StackSet; its stack is deleted unless retained."""
        if not retain and self.cloud.stack(instance.stack_name) is not None:
            stack = self.cloud.delete(instance.stack_name)
            if stack.status != "DELETE_COMPLETE":
                instance.status, instance.detailed_status = "INOPERABLE", "FAILED"
                instance.reason = f"Stack {instance.stack_name} ended {stack.status}"
                operation.results.append(instance)
                operation.status = "FAILED"
                return
        stack_set.instances.remove(instance)
        instance.detailed_status, instance.reason = "SUCCEEDED", "stack retained" if retain else "stack deleted"
        operation.results.append(instance)


def _cancel(instances: list[Instance]) -> None:
    for instance in instances:
        instance.status, instance.detailed_status, instance.reason = "OUTDATED", "CANCELLED", CANCELLED


def _refuse_transforms(template: Path) -> None:
    """Service-managed StackSets refuse templates with a transform (SAM's among them): nest such a template."""
    if not template.is_file():
        raise TemplateError(f"{template}: no such template file")
    if "\nTransform:" in "\n" + template.read_text(encoding="utf-8"):
        raise TemplateError(f"{template} uses a transform, which a service-managed StackSet does not accept")


def as_json(instances: Iterable[Instance]) -> list[dict[str, Any]]:
    """Summaries as list-stack-instances gives them."""
    return [
        {
            "Account": i.account,
            "Region": i.region,
            "StackId": i.stack_name,
            "Status": i.status,
            "StatusReason": i.reason,
            "StackInstanceStatus": {"DetailedStatus": i.detailed_status},
        }
        for i in instances
    ]
