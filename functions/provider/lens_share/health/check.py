"""The rollout health check: every share of the account's lenses, profiles, review templates and workloads,
held against the shares the stacks declare. It only reads, and stops before the deadline, saying the report
is partial rather than guessing.

Only the calling thread waits: the pool's tasks are single listings that never wait on one another, so any
number of workers, one included, finishes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from lens_share.aws import retry
from lens_share.aws.calls import Caller
from lens_share.aws.codes import error_code
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.health.model import ALARMED, SECTIONS, STATUSES, Declaration, Problem, Report, ResourceHealth
from lens_share.kinds import ShareKind
from lens_share.physical_ids import ShareRef
from lens_share.resources import SHARE_KINDS

if TYPE_CHECKING:
    from botocore.model import StringShape
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_cloudformation.literals import StackStatusType

    from lens_share.services import Environment

# Parallel listings: botocore keeps 10 connections per client.
WORKERS = 10
# Seconds kept back from the deadline to log, flush metrics and return the report.
RESERVE_S = 2.0
# CloudFormation's status of a stack that is gone; every other status is a stack that declares resources.
DELETED = "DELETE_COMPLETE"

# A declared share: its kind, what is shared (ARN or workload ID) and the share's ID.
ShareKey = tuple[ShareKind, str, str]


class Cut(Exception):
    """The deadline came before a listing finished."""


def declared_share(resource_type: str, physical_id: str) -> ShareKey | None:
    """The share a stack resource of a share type holds, read from its physical ID in any format a version
    of the provider wrote; None for other resources and for IDs that name no share (a failed create)."""
    kind = SHARE_KINDS.get(resource_type)
    ref = ShareRef.parse(physical_id)
    identifier = kind.identifier_in(ref.resource) if kind and ref else None
    return (kind, identifier, ref.share_id) if kind and ref and identifier else None


@dataclass
class Stacks:
    """The shares the account's stacks declare, and whether every stack was read."""

    declared: dict[ShareKey, Declaration] = field(default_factory=dict)
    complete: bool = False
    unread: str = ""


@dataclass
class Listings:
    """What the check read: each kind's own resources (absent when the deadline cut the listing) and the
    shares of each resource whose listing finished."""

    owned: dict[ShareKind, list[str]] = field(default_factory=dict)
    shares: dict[tuple[ShareKind, str], list[dict[str, Any]]] = field(default_factory=dict)


def reader(environment: Environment, remaining_ms: Callable[[], int]) -> WellArchitected:
    """The Well-Architected reader of one check: every call through one Caller, bound to its deadline."""
    deadline = retry.Deadline(remaining_ms, RESERVE_S)
    return WellArchitected(environment.wellarchitected, Caller(deadline, environment.backoff()))


def check(
    wellarchitected: WellArchitected,
    cloudformation: CloudFormationClient,
    account: str | None = None,
    workers: int = WORKERS,
) -> Report:
    """Every own resource's shares against the stacks' declarations, in parallel, until the deadline. Every
    call goes through the Well-Architected reader's Caller, so one deadline bounds them all. `account` keeps
    resources that other accounts own and shared with this one out (None: every one listed is checked)."""
    call = wellarchitected.caller
    with ThreadPoolExecutor(workers, thread_name_prefix="health") as pool:
        stack_list = pool.submit(_listed, call.deadline, partial(_stacks, call, cloudformation))
        owned = {
            kind: pool.submit(_listed, call.deadline, partial(wellarchitected.owned, kind, account))
            for kind in SECTIONS
        }
        listings = Listings()
        share_lists: dict[tuple[ShareKind, str], Future[list[Any]]] = {}
        for kind, listing in owned.items():
            try:
                listings.owned[kind] = listing.result()
            except Cut:
                continue
        # Share listings start once every own listing is done: under throttling those few pages come first.
        for kind, identifiers in listings.owned.items():
            for identifier in identifiers:
                listing_shares = partial(wellarchitected.shares, kind, identifier)
                share_lists[kind, identifier] = pool.submit(_listed, call.deadline, listing_shares)
        stacks = _read_stacks(pool, call, cloudformation, stack_list)
        for key, shares in share_lists.items():
            try:
                listings.shares[key] = shares.result()
            except Cut:
                continue
            except ClientError as error:
                if error_code(error) != "ResourceNotFoundException":
                    raise
                listings.shares[key] = []  # deleted since it was listed: whatever a stack declares in it is missing
    return assemble(listings, stacks)


def _stacks(call: Caller, cloudformation: CloudFormationClient) -> Iterator[Any]:
    statuses = cast("StringShape", cloudformation.meta.service_model.shape_for("StackStatus")).enum
    active = cast("list[StackStatusType]", [status for status in statuses if status != DELETED])
    return call.pages(cloudformation.list_stacks, "StackSummaries", StackStatusFilter=active)


def _read_stacks(
    pool: ThreadPoolExecutor, call: Caller, cloudformation: CloudFormationClient, stack_list: Future[list[Any]]
) -> Stacks:
    """Called by the check's own thread, never by a task of the pool it submits to."""
    stacks = Stacks()
    try:
        summaries = stack_list.result()
    except Cut:
        stacks.unread = "the account's stacks"
        return stacks

    def listing(stack_id: str) -> Iterator[Any]:
        return call.pages(cloudformation.list_stack_resources, "StackResourceSummaries", StackName=stack_id)

    reads = [
        (summary["StackName"], pool.submit(_listed, call.deadline, partial(listing, summary["StackId"])))
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
            if error_code(error) == "ValidationError":
                continue  # deleted since ListStacks
            raise
        for resource in resources:
            key = declared_share(resource["ResourceType"], resource.get("PhysicalResourceId", ""))
            if key and resource.get("ResourceStatus") != DELETED:
                stacks.declared.setdefault(key, Declaration(stack_name, resource["LogicalResourceId"]))
    stacks.complete = unread == 0
    stacks.unread = f"the resources of {unread} of {len(reads)} stacks"
    return stacks


def assemble(listings: Listings, stacks: Stacks) -> Report:
    """The report from what was read: nothing is claimed about what the deadline kept from being read."""
    result = Report()
    unread: list[str] = []
    unlisted = [kind for kind in SECTIONS if kind not in listings.owned]
    if unlisted:
        unread.append(f"the account's {_joined([SECTIONS[kind].plural for kind in unlisted])}")
    for kind, owned in listings.owned.items():
        # A stack may declare a share of a resource deleted since: its shares are gone too.
        gone = [identifier for each, identifier, _share in stacks.declared if each == kind and identifier not in owned]
        unchecked = [identifier for identifier in owned if (kind, identifier) not in listings.shares]
        result.unchecked += [(kind, identifier) for identifier in unchecked]
        for identifier in [*owned, *dict.fromkeys(gone)]:
            if identifier not in unchecked:
                listed = listings.shares.get((kind, identifier), [])
                result.resources.append(_health(kind, identifier, listed, stacks))
        if unchecked:
            unread.append(f"the shares of {len(unchecked)} of {len(owned)} {SECTIONS[kind].plural}")
    if not stacks.complete:
        unread.append(stacks.unread)
    if unread:
        result.partial_reason = (
            f"The deadline came before {_joined(unread)} were read; MISSING is reported only for resources "
            "whose shares were all listed, UNMANAGED only when every stack was read."
        )
    return result


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _health(kind: ShareKind, identifier: str, listed: list[dict[str, Any]], stacks: Stacks) -> ResourceHealth:
    counts = dict.fromkeys(STATUSES, 0)
    problems: list[Problem] = []
    for share in listed:
        status = share.get("Status", "")
        counts[status] = counts.get(status, 0) + 1
        declaration = stacks.declared.get((kind, identifier, share["ShareId"]))
        found = Problem(
            kind=status,
            share_id=share["ShareId"],
            resource_type=kind.resource_type,
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
        Problem(kind="MISSING", share_id=share_id, resource_type=kind.resource_type, declaration=declaration)
        for (each, declared_in, share_id), declaration in stacks.declared.items()
        if each == kind and declared_in == identifier and share_id not in present
    ]
    return ResourceHealth(kind, identifier, counts, sorted(problems, key=Problem.sort_key))


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
