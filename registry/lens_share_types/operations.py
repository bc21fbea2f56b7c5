"""Create, read, update, delete and list of one share, keyed by the shared resource and the principal, over the
share rules (lens_share.rules). A share is never taken over, and an update never creates one the service no
longer holds."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError
from cloudformation_cli_python_lib.interface import HandlerErrorCode, OperationStatus, ProgressEvent

from lens_share_types.core import Organizations, OutOfTime, Place, errors, properties, rules
from lens_share_types.core import guard as guards
from lens_share_types.kinds import ShareType

# How many callbacks a write waits for its listing before giving up, and how long each waits.
SETTLE_ROUNDS = 10
SETTLE_DELAY_S = 2
# The identifier is the principal, so a share someone else made is imported, not taken over.
REMEDY = "or import it (resource import, or a Cloud Control read with the identifier {identifier})"
# What the principal held before this request's first create: a share that appears after it is this request's.
BEFORE = "Before"
# The round after a create's lost answers ran out of rounds: it settles what appeared, and writes nothing.
SETTLE = "Settle"


class Refusal(Exception):
    """A failure whose registry error code and message are known where it is raised."""

    def __init__(self, code: HandlerErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Invocation:
    """One handler invocation: its type, its shares (bound to the invocation's deadline) and its settings."""

    share_type: ShareType
    shares: rules.Shares
    organizations: Callable[[], Organizations]
    guard: guards.Guard
    place: Place
    token: str
    context: MutableMapping[str, Any]

    def target(self, values: Mapping[str, Any]) -> rules.Target:
        """The model's properties, checked by the rules as the Custom:: type's are; read-only ones aside."""
        inputs = (self.share_type.prop, "SharedWith", "InvitationRound", "PermissionType")
        given = {name: values[name] for name in inputs if values.get(name) is not None}
        return rules.Target.parse(self.share_type.kind, given, self.place, name=self.share_type.prop)

    def check_principal(self, target: rules.Target) -> None:
        """The AllowedPrincipals type configuration, before anything is shared."""
        self.guard.check(target.shared_with, self.organizations)

    def listing(self, resource: str) -> list[dict[str, Any]]:
        """The resource's shares that are held: a revoked one no longer is."""
        kind = self.share_type.kind
        return [share for share in self.shares.aws.shares(kind, resource) if share.get("Status") != rules.REVOKED]

    def held(self, target: rules.Target) -> dict[str, Any] | None:
        return self.shares.find(target)

    def model(self, target: rules.Target, share: Mapping[str, Any]) -> dict[str, Any]:
        model = {
            self.share_type.prop: target.resource,
            "SharedWith": target.principal_id,
            "ShareId": share["ShareId"],
            "Status": share.get("Status", ""),
        }
        if self.share_type.kind.permission:
            model["PermissionType"] = share.get("PermissionType") or target.permission_type
        return model

    def remedy(self, target: rules.Target) -> str:
        return REMEDY.format(identifier=f"{target.resource}|{target.principal_id}")

    def create_share(self, target: rules.Target) -> str:
        """The request's token: a retried invocation, or a callback after a lost answer, replays the same call
        and gets the same share back."""
        try:
            return self.shares.create(target, self.token)
        except rules.AlreadyShared as error:
            raise self.already_exists(target, error.existing) from error

    def already_exists(self, target: rules.Target, existing: Mapping[str, Any]) -> Refusal:
        return Refusal(HandlerErrorCode.AlreadyExists, str(rules.already_shared(target, existing, self.remedy(target))))

    def not_found(self, target: rules.Target) -> Refusal:
        return Refusal(
            HandlerErrorCode.NotFound,
            f"{target.kind.noun.capitalize()} {target.resource} has no share with {target.principal_id}.",
        )

    def settle(
        self, target: rules.Target, share_id: str, want: Callable[[dict[str, Any] | None], bool]
    ) -> ProgressEvent:
        """SUCCESS once the listing shows what a write made; until then a callback, a bounded number of times."""
        for listing in self.shares.aws.listings(target.kind, target.resource, target.principal_id):
            share = next((s for s in listing if s["ShareId"] == share_id and s.get("Status") != rules.REVOKED), None)
            if want(share):
                return success(self.model(target, share) if share else None)
        rounds = int(self.context.get("Rounds", 0)) + 1
        if rounds > SETTLE_ROUNDS:
            raise Refusal(
                HandlerErrorCode.NotStabilized,
                f"Share {share_id} of {target.resource} with {target.principal_id} did not show in "
                f"{target.kind.listing} after {SETTLE_ROUNDS} callbacks; retry the operation.",
            )
        self.context.update(ShareId=share_id, Rounds=rounds)
        return ProgressEvent(
            status=OperationStatus.IN_PROGRESS, callbackContext=dict(self.context), callbackDelaySeconds=SETTLE_DELAY_S
        )


def success(model: Mapping[str, Any] | None) -> ProgressEvent:
    """The caller turns the model into its type's ResourceModel."""
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=model)  # type: ignore[arg-type]


def present(share: dict[str, Any] | None) -> bool:
    return share is not None


def create(run: Invocation, desired: Mapping[str, Any], _previous: Mapping[str, Any]) -> ProgressEvent:
    target = run.target(desired)
    if run.context.get(SETTLE):
        return appeared(run, target)
    share_id = run.context.get("ShareId")
    if not share_id:
        if BEFORE not in run.context:
            run.check_principal(target)
            try:
                mine = run.shares.principal_shares(target)
            except ClientError as error:
                raise run.shares.explain(target, error) from error
            existing = rules.pick(mine)
            # A lapsed share would be replaced or duplicated by a new one, which the service leaves undocumented.
            if existing and existing["Status"] in rules.LAPSED:
                raise run.already_exists(target, existing)
            run.context[BEFORE] = [share["ShareId"] for share in mine]
        share_id = run.create_share(target)
        run.context["ShareId"] = share_id
    return run.settle(target, share_id, present)


def appeared(run: Invocation, target: rules.Target) -> ProgressEvent:
    """A create whose answers were lost until its rounds ran out: SUCCESS with the share that appeared for its
    principal after its first write, so that CloudFormation owns it (and deletes it on rollback); with none there,
    FAILED, having left nothing. A listing that fails too leaves the share unsettled, and says so."""
    try:
        new = run.shares.find(target, expected=True, excluding=frozenset(run.context.get(BEFORE, [])))
    except (ClientError, OutOfTime) as error:
        unsettled = errors.unsettled(target.resource, target.principal_id, error)
        return ProgressEvent.failed(HandlerErrorCode.ServiceInternalError, str(unsettled))
    if new is not None:
        return success(run.model(target, new))
    return ProgressEvent.failed(
        HandlerErrorCode.ServiceInternalError,
        f"Well-Architected did not answer Create{target.kind.noun_in_api}Share within the create's rounds, and no "
        f"share of {target.resource} with {target.principal_id} appeared: nothing was made; retry the operation.",
    )


def read(run: Invocation, desired: Mapping[str, Any], _previous: Mapping[str, Any]) -> ProgressEvent:
    target = identified(run, desired)
    share = run.held(target)
    if share is None:
        raise run.not_found(target)
    return success(run.model(target, share))


def update(run: Invocation, desired: Mapping[str, Any], previous: Mapping[str, Any]) -> ProgressEvent:
    target = run.target(desired)
    prop = run.share_type.prop
    for name in (prop, "SharedWith"):
        if previous.get(name) not in (None, desired.get(name)):
            raise Refusal(HandlerErrorCode.NotUpdatable, f"{name} is create-only: a new value makes a new share.")
    if run.context.get("ShareId"):
        return run.settle(target, run.context["ShareId"], present)
    share = run.held(target)
    if share is None and not run.context.get("Resharing"):
        raise run.not_found(target)
    new_round = target.invitation_round != previous.get("InvitationRound", "")
    if share is not None and new_round and rules.replaced_by_new_round(share["Status"]):
        return reshare(run, target, share)
    if share is None:  # the stale share went in an earlier invocation of this update
        return reshare(run, target, None)
    if run.share_type.kind.permission and share.get("PermissionType") != target.permission_type:
        try:
            run.shares.aws.update_workload_share(target.resource, share["ShareId"], target.permission_type)
        except (ClientError, OutOfTime) as error:
            raise errors.failure(target.resource, error) from error
        share = {**share, "PermissionType": target.permission_type}
    return success(run.model(target, share))


def reshare(run: Invocation, target: rules.Target, stale: Mapping[str, Any] | None) -> ProgressEvent:
    """A fresh invitation: the stale share goes first, since whether a new one may stand beside it is undocumented."""
    run.check_principal(target)
    run.context["Resharing"] = True
    if stale is not None:
        gone(run, target, stale["ShareId"])
    share_id = run.create_share(target)
    run.context["ShareId"] = share_id
    return run.settle(target, share_id, present)


def delete(run: Invocation, desired: Mapping[str, Any], _previous: Mapping[str, Any]) -> ProgressEvent:
    target = identified(run, desired)
    share_id = str(run.context.get("ShareId", ""))
    if not run.context.get("Deleted"):
        if not share_id:
            share = run.held(target)
            if share is None:
                raise run.not_found(target)
            share_id = run.context["ShareId"] = share["ShareId"]
            if not gone(run, target, share_id):
                raise run.not_found(target)
        else:  # an earlier invocation found it: a share gone since then was deleted by that invocation's call
            gone(run, target, share_id)
        run.context["Deleted"] = True
    return run.settle(target, share_id, lambda share: share is None)


def gone(run: Invocation, target: rules.Target, share_id: str) -> bool:
    """Delete<Kind>Share; False when the share was already gone, however the service says so."""
    return run.shares.delete(target.resource, share_id, rules.token(run.token, "delete", share_id))


def list_shares(run: Invocation, desired: Mapping[str, Any], _previous: Mapping[str, Any]) -> ProgressEvent:
    """Every share of the resource, as identifiers, in one page: python-lib 2.1.20's entrypoint drops the request's
    nextToken, so a second page could never be asked for."""
    prop = run.share_type.prop
    if not desired.get(prop):
        raise properties.PropertyError(f"Listing {run.share_type.name} resources needs {prop}, the resource shared.")
    resource = run.share_type.kind.check(str(desired[prop]), run.place, name=prop)
    principals = dict.fromkeys(share["SharedWith"] for share in run.listing(resource))
    models = [{prop: resource, "SharedWith": principal} for principal in principals]
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModels=models)  # type: ignore[arg-type]


def identified(run: Invocation, desired: Mapping[str, Any]) -> rules.Target:
    """The identifiers of a read or delete: one that cannot name a share names none."""
    try:
        return run.target({**desired, "PermissionType": None, "InvitationRound": None})
    except properties.PropertyError as error:
        raise Refusal(HandlerErrorCode.NotFound, f"No such share: {error}") from error


Operation = Callable[[Invocation, Mapping[str, Any], Mapping[str, Any]], ProgressEvent]
