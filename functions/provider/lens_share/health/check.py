"""The rollout health check: every share of the account's custom lenses, held against what the stacks declare.

The function runs it when invoked with {"Action": "HealthCheck"} and returns the report; `python -m
lens_share.health` prints it as a table. It only reads (ListLenses, ListLensShares, ListStacks,
ListStackResources) and stops before the deadline, saying the report is partial rather than guessing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from typing import TYPE_CHECKING, Any, cast

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from lens_share import errors, telemetry
from lens_share.aws import retry
from lens_share.aws.calls import pages
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.health import table as report
from lens_share.physical_ids import ShareRef

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger
    from botocore.model import StringShape
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_wellarchitected.type_defs import LensShareSummaryTypeDef

# The model's ShareStatus values. Every one is counted, zeros included, so that each gauge gets a value on
# every check and an alarm sees a problem clear instead of missing data.
STATUSES = ("PENDING", "ACCEPTED", "REJECTED", "REVOKED", "EXPIRED", "ASSOCIATING", "ASSOCIATED", "FAILED")
# Problem kinds in the order they are reported; all but UNMANAGED are the stacks' own and raise the alarm.
KINDS = ("EXPIRED", "REJECTED", "FAILED", "MISSING", "UNMANAGED")
ALARMED = frozenset(KINDS) - {"UNMANAGED"}
# Only a lens share's physical ID names a share; the provider serves it under both types.
SHARE_TYPES = telemetry.SHARE_TYPES
# Seconds kept back from the Lambda deadline to log, flush metrics and return the report.
RESERVE_S = 2.0
# Parallel listings per service: botocore keeps 10 connections per client.
WORKERS = 10
# CloudFormation's status of a stack that is gone; every other status is a stack that declares resources.
DELETED = "DELETE_COMPLETE"


@cache
def cloudformation(region: str) -> CloudFormationClient:
    """Made on the first health check, in the Region of the Well-Architected client: only the check reads stacks."""
    return boto3.client("cloudformation", region_name=region, config=services.CLIENT_CONFIG)


def share_of(physical_id: str) -> tuple[str, str] | None:
    """(lens ARN, share ID) held by a lens share's physical ID, in any format a version of the provider wrote."""
    ref = ShareRef.parse(physical_id)
    return (ref.lens_arn, ref.share_id) if ref else None


class Cut(Exception):
    """The deadline came before a listing finished."""


@dataclass(frozen=True)
class Declaration:
    stack_name: str
    logical_id: str


@dataclass(frozen=True)
class Problem:
    kind: str
    share_id: str
    shared_with: str = ""
    status: str = ""
    status_message: str = ""
    declaration: Declaration | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            "Kind": self.kind,
            "ShareId": self.share_id,
            "SharedWith": self.shared_with,
            "Status": self.status,
            "StatusMessage": self.status_message,
            "StackName": self.declaration.stack_name if self.declaration else "",
            "LogicalResourceId": self.declaration.logical_id if self.declaration else "",
        }

    def sort_key(self) -> tuple[int, str, str, str]:
        declared = self.as_dict()
        return (KINDS.index(self.kind), declared["StackName"], declared["LogicalResourceId"], self.shared_with)


@dataclass
class LensHealth:
    lens_arn: str
    counts: dict[str, int]
    problems: list[Problem]

    def count(self, kind: str) -> int:
        return sum(1 for problem in self.problems if problem.kind == kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "LensArn": self.lens_arn,
            "Counts": dict(self.counts),
            "Problems": [problem.as_dict() for problem in self.problems],
        }


@dataclass
class Report:
    lenses: list[LensHealth] = field(default_factory=list)
    unchecked_lenses: list[str] = field(default_factory=list)
    partial_reason: str = ""

    @property
    def alarmed(self) -> int:
        return sum(1 for lens in self.lenses for problem in lens.problems if problem.kind in ALARMED)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "Lenses": [lens.as_dict() for lens in self.lenses],
            "Partial": bool(self.partial_reason),
        }
        if self.partial_reason:
            result["PartialReason"] = self.partial_reason
            result["UncheckedLenses"] = list(self.unchecked_lenses)
        return result


@dataclass
class Stacks:
    """The lens shares the account's stacks declare, by (lens ARN, share ID), and whether every stack was read."""

    declared: dict[tuple[str, str], Declaration] = field(default_factory=dict)
    complete: bool = False
    unread: str = ""


def check(wellarchitected: WellArchitected, cloudformation: CloudFormationClient, workers: int = WORKERS) -> Report:
    """Every own lens's shares against the stacks' declarations, in parallel, until the deadline."""
    deadline = wellarchitected.deadline
    with (
        ThreadPoolExecutor(workers, thread_name_prefix="health-lens") as lens_pool,
        ThreadPoolExecutor(workers, thread_name_prefix="health-stack") as stack_pool,
    ):
        stacks_read = stack_pool.submit(_read_stacks, cloudformation, deadline, wellarchitected.backoff, stack_pool)
        try:
            lenses = _listed(deadline, lambda: (lens["LensArn"] for lens in wellarchitected.own_lenses()))
        except Cut:
            stacks_read.cancel()
            return Report(partial_reason="The deadline came before the account's lenses were listed.")
        listings = {
            arn: lens_pool.submit(_listed, deadline, partial(wellarchitected.lens_shares, arn)) for arn in lenses
        }
        stacks = stacks_read.result()
        shares: dict[str, list[LensShareSummaryTypeDef]] = {}
        for arn, listing in listings.items():
            try:
                shares[arn] = listing.result()
            except Cut:
                continue
            except ClientError as error:
                if errors.error_code(error) != "ResourceNotFoundException":
                    raise
                shares[arn] = []  # deleted since ListLenses: whatever a stack declares in it is missing
    return _assemble(lenses, shares, stacks)


def _assemble(lenses: list[str], shares: dict[str, list[LensShareSummaryTypeDef]], stacks: Stacks) -> Report:
    result = Report()
    # A stack may declare a share of a lens deleted since: its shares are gone too.
    declared_lenses = [arn for arn, _share in stacks.declared if arn not in lenses]
    for arn in [*lenses, *dict.fromkeys(declared_lenses)]:
        if arn not in shares and arn in lenses:
            result.unchecked_lenses.append(arn)
            continue
        listed = shares.get(arn, [])
        result.lenses.append(_lens_health(arn, listed, stacks))
    unread = []
    if result.unchecked_lenses:
        unread.append(f"the shares of {len(result.unchecked_lenses)} of {len(lenses)} lenses")
    if not stacks.complete:
        unread.append(stacks.unread)
    if unread:
        result.partial_reason = (
            f"The deadline came before {' and '.join(unread)} were read; MISSING is reported only for lenses "
            "whose shares were all listed, UNMANAGED only when every stack was read."
        )
    return result


def _lens_health(lens_arn: str, listed: list[LensShareSummaryTypeDef], stacks: Stacks) -> LensHealth:
    counts = dict.fromkeys(STATUSES, 0)
    problems: list[Problem] = []
    for share in listed:
        status = share.get("Status", "")
        counts[status] = counts.get(status, 0) + 1
        declaration = stacks.declared.get((lens_arn, share["ShareId"]))
        found = Problem(
            kind=status,
            share_id=share["ShareId"],
            shared_with=share.get("SharedWith", ""),
            status=status,
            status_message=share.get("StatusMessage", ""),
            declaration=declaration,
        )
        if declaration is None and stacks.complete:
            # The stacks cannot re-share what none of them declares: reported, never touched.
            problems.append(dataclasses.replace(found, kind="UNMANAGED"))
        elif status in ALARMED:
            problems.append(found)
    present = {share["ShareId"] for share in listed}
    problems += [
        Problem(kind="MISSING", share_id=share_id, declaration=declaration)
        for (arn, share_id), declaration in stacks.declared.items()
        if arn == lens_arn and share_id not in present
    ]
    return LensHealth(lens_arn, counts, sorted(problems, key=Problem.sort_key))


def _listed(deadline: retry.Deadline, items: Callable[[], Iterator[Any]]) -> list[Any]:
    """Every item of a paged listing, or Cut when a page could no longer finish before the deadline."""
    result: list[Any] = []
    try:
        _gate(deadline)
        for item in items():
            result.append(item)
            _gate(deadline)
    except retry.OutOfTime as error:
        raise Cut(str(error)) from error
    return result


def _gate(deadline: retry.Deadline) -> None:
    if deadline.left() < retry.ATTEMPT_S:
        raise Cut("no time for another call")


def _read_stacks(
    cloudformation: CloudFormationClient, deadline: retry.Deadline, backoff: retry.Backoff, pool: ThreadPoolExecutor
) -> Stacks:
    stacks = Stacks()
    statuses = cast("StringShape", cloudformation.meta.service_model.shape_for("StackStatus")).enum
    active = [status for status in statuses if status != DELETED]
    try:
        summaries = _listed(
            deadline,
            lambda: _pages(cloudformation.list_stacks, "StackSummaries", deadline, backoff, StackStatusFilter=active),
        )
    except Cut:
        stacks.unread = "the account's stacks"
        return stacks
    reads: list[tuple[str, Future[list[Any]]]] = [
        (
            summary["StackName"],
            pool.submit(
                _listed,
                deadline,
                partial(
                    _pages,
                    cloudformation.list_stack_resources,
                    "StackResourceSummaries",
                    deadline,
                    backoff,
                    StackName=summary["StackId"],
                ),
            ),
        )
        for summary in summaries
    ]
    unread = 0
    for stack_name, read in reads:
        try:
            resources = read.result()
        except Cut:
            unread += 1
            continue
        except ClientError as error:
            if errors.error_code(error) == "ValidationError":
                continue  # deleted since ListStacks
            raise
        for resource in resources:
            ids = share_of(resource.get("PhysicalResourceId", ""))
            if ids and resource["ResourceType"] in SHARE_TYPES and resource.get("ResourceStatus") != DELETED:
                stacks.declared.setdefault(ids, Declaration(stack_name, resource["LogicalResourceId"]))
    stacks.complete = unread == 0
    stacks.unread = f"the resources of {unread} of {len(reads)} stacks"
    return stacks


def _pages(
    fetch: Callable[..., Any], items: str, deadline: retry.Deadline, backoff: retry.Backoff, **kwargs: Any
) -> Iterator[Any]:
    """A CloudFormation listing, page by page, each page a retried call that starts only while there is time."""
    operation = "".join(part.capitalize() for part in fetch.__name__.split("_"))

    def page(**arguments: Any) -> Any:
        if "NextToken" in arguments:
            _gate(deadline)
        return retry.call(operation, lambda: fetch(**arguments), deadline, backoff)

    return pages(page, items, **kwargs)


def run(environment: services.Environment | Exception, context: Any, logger: Logger) -> dict[str, Any]:
    """The Lambda side: check, one log line per problem, each lens's gauges, and the report as the result."""
    if isinstance(environment, Exception):
        raise RuntimeError(
            f"The provider could not start, so the health check cannot run: {environment}"
        ) from environment
    started = time.perf_counter()
    deadline = retry.Deadline(context.get_remaining_time_in_millis, RESERVE_S)
    wellarchitected = WellArchitected(environment.wellarchitected, deadline, environment.backoff())
    result = check(wellarchitected, cloudformation(environment.region))
    logger.clear_state()  # keys appended for an earlier CloudFormation event in this environment
    for lens in result.lenses:
        for problem in lens.problems:
            log = logger.info if problem.kind == "UNMANAGED" else logger.warning
            log("Lens share problem", extra={"LensArn": lens.lens_arn, **problem.as_dict()})
        telemetry.record_lens_health(lens.lens_arn, lens.counts, lens.count("MISSING"), lens.count("UNMANAGED"))
    telemetry.record_share_problems(result.alarmed)
    summary: dict[str, Any] = {
        "Lenses": len(result.lenses),
        "Problems": result.alarmed,
        "Partial": bool(result.partial_reason),
    }
    if result.partial_reason:
        summary["PartialReason"] = result.partial_reason
    logger.info("Health check", extra={**summary, "DurationMs": round((time.perf_counter() - started) * 1000)})
    return result.as_dict()


def exit_code(result: Mapping[str, Any]) -> int:
    """0 healthy; 1 expired, rejected, failed or missing shares; 3 nothing wrong found but the check is partial."""
    if any(problem["Kind"] in ALARMED for lens in result["Lenses"] for problem in lens["Problems"]):
        return 1
    return 3 if result["Partial"] else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lens_share.health",
        description="Check every share of this account's custom lenses in the Region against the stacks.",
        epilog="Exit status: 0 healthy, 1 problems found (EXPIRED, REJECTED, FAILED, MISSING), 2 the check "
        "could not run, 3 no problem found but the check ran out of time.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds the check may take (default 300)")
    args = parser.parse_args(argv)
    end = time.monotonic() + args.timeout
    deadline = retry.Deadline(lambda: int((end - time.monotonic()) * 1000), reserve_s=0.0)
    try:
        environment = services.Environment.load()
        wellarchitected = WellArchitected(environment.wellarchitected, deadline, environment.backoff())
        result = check(wellarchitected, cloudformation(environment.region)).as_dict()
    except (BotoCoreError, ClientError) as error:
        print(f"The health check could not run: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else report.table(result))
    return exit_code(result)


if __name__ == "__main__":
    raise SystemExit(main())
