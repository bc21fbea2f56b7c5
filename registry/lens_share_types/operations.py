"""Create, read, update, delete and list of one share, keyed by the shared resource and the principal, on the
share core's calls. A share is never taken over, and an update never creates one the service no longer holds."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError
from cloudformation_cli_python_lib.interface import HandlerErrorCode, OperationStatus, ProgressEvent

from lens_share_types.core import Organizations, Place, Principal, WellArchitected, error_code, properties
from lens_share_types.core import guard as guards
from lens_share_types.kinds import ShareType

# Shares that lapsed: the recipient cannot use them, a new InvitationRound replaces them, and they are still in
# the way of a new share with the same principal.
LAPSED = frozenset({"EXPIRED", "REJECTED"})
# A revoked share is no longer held: read and list do not show it.
REVOKED = "REVOKED"
# How many callbacks a write waits for its listing before giving up, and how long each waits.
SETTLE_ROUNDS = 10
SETTLE_DELAY_S = 2


class Refusal(Exception):
    """A failure whose registry error code and message are known where it is raised."""

    def __init__(self, code: HandlerErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Target:
    """What one share resource asks for: the shared resource, the principal and a workload's PermissionType."""

    resource: str
    principal: Principal
    permission_type: str = ""
    invitation_round: str = ""

    @property
    def identifier(self) -> str:
        """The registry's identifier: the primary identifier's values joined by |."""
        return f"{self.resource}|{self.principal.value}"


@dataclass
class Invocation:
    """One handler invocation: its type, its calls (bound to the invocation's deadline) and its settings."""

    share_type: ShareType
    wellarchitected: WellArchitected
    organizations: Callable[[], Organizations]
    guard: guards.Guard
    place: Place
    token: str
    context: MutableMapping[str, Any]

    def target(self, values: Mapping[str, Any]) -> Target:
        """The model's properties, checked by the core as the Custom:: type checks them."""
        kind, prop = self.share_type.kind, self.share_type.prop
        for name in (prop, "SharedWith"):
            if not values.get(name):
                raise properties.PropertyError(
                    f"Property {name!r} is required and must not be empty; {self.share_type.name} is identified by "
                    f"{prop} and SharedWith."
                )
        given = {kind.prop: values[prop], "SharedWith": values["SharedWith"]}
        given |= {name: values[name] for name in ("InvitationRound", "PermissionType") if values.get(name) is not None}
        found = properties.strings(kind.resource_type, given)
        resource = kind.check(found[kind.prop], self.place, name=prop)
        principal = properties.principal(found["SharedWith"], kind.principals, noun=kind.noun)
        properties.not_own_account(principal, self.place, kind.noun)
        return Target(resource, principal, found.get("PermissionType", ""), found.get("InvitationRound", ""))

    def check_principal(self, target: Target) -> None:
        """The AllowedPrincipals type configuration, before anything is shared."""
        self.guard.check(target.principal, self.organizations)

    def listing(self, resource: str, principal: str = "") -> list[dict[str, Any]]:
        return [
            share
            for share in self.wellarchitected.shares(self.share_type.kind, resource, principal)
            if share.get("Status") != REVOKED and (not principal or share.get("SharedWith") == principal)
        ]

    def held(self, target: Target) -> dict[str, Any] | None:
        """The share with exactly this principal, an active one before a lapsed one."""
        shares = sorted(self.listing(target.resource, target.principal.value), key=lambda s: s["Status"] in LAPSED)
        return shares[0] if shares else None

    def model(self, target: Target, share: Mapping[str, Any]) -> dict[str, Any]:
        model = {
            self.share_type.prop: target.resource,
            "SharedWith": target.principal.value,
            "ShareId": share["ShareId"],
            "Status": share.get("Status", ""),
        }
        if self.share_type.kind.permission:
            model["PermissionType"] = share.get("PermissionType") or target.permission_type
        return model

    def derived_token(self, purpose: str, share_id: str) -> str:
        """A token of its own for every other write of this request: one token never serves two calls."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.token}/{purpose}/{share_id}"))

    def create_share(self, target: Target, token: str) -> str:
        kind = self.share_type.kind
        permission = target.permission_type if kind.permission else ""
        try:
            return self.wellarchitected.create_share(kind, target.resource, target.principal.value, token, permission)
        except ClientError as error:
            if error_code(error) != "ConflictException":
                raise
            existing = self.held(target)
            raise self.already_exists(target, existing) from error

    def already_exists(self, target: Target, existing: Mapping[str, Any] | None) -> Refusal:
        name = self.share_type.name
        shown = f"ShareId {existing['ShareId']}, {existing['Status']}" if existing else "a share the listing omits"
        return Refusal(
            HandlerErrorCode.AlreadyExists,
            f"{self.share_type.kind.noun.capitalize()} {target.resource} is already shared with "
            f"{target.principal.value} ({shown}); it is not taken over. To manage it with this type, import it "
            f"(resource import or a Cloud Control read with the identifier {target.identifier}), or delete it and "
            f"create this {name} again.",
        )

    def not_found(self, target: Target) -> Refusal:
        return Refusal(
            HandlerErrorCode.NotFound,
            f"{self.share_type.kind.noun.capitalize()} {target.resource} has no share with {target.principal.value}.",
        )

    def settle(self, target: Target, share_id: str, want: Callable[[dict[str, Any] | None], bool]) -> ProgressEvent:
        """SUCCESS once the listing shows what a write made; until then a callback, a bounded number of times."""
        kind, principal = self.share_type.kind, target.principal.value
        for listing in self.wellarchitected.listings(kind, target.resource, principal):
            share = next((s for s in listing if s["ShareId"] == share_id and s.get("Status") != REVOKED), None)
            if want(share):
                return success(self.model(target, share) if share else None)
        rounds = int(self.context.get("Rounds", 0)) + 1
        if rounds > SETTLE_ROUNDS:
            raise Refusal(
                HandlerErrorCode.NotStabilized,
                f"Share {share_id} of {target.resource} with {target.principal.value} did not show in "
                f"{self.share_type.kind.listing} after {SETTLE_ROUNDS} callbacks; retry the operation.",
            )
        self.context.update(ShareId=share_id, Rounds=rounds)
        return ProgressEvent(
            status=OperationStatus.IN_PROGRESS, callbackContext=dict(self.context), callbackDelaySeconds=SETTLE_DELAY_S
        )


def success(model: Mapping[str, Any] | None) -> ProgressEvent:
    """The caller turns the model into its type's ResourceModel."""
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=model)  # type: ignore[arg-type]


def create(run: Invocation, desired: Mapping[str, Any], _previous: Mapping[str, Any]) -> ProgressEvent:
    target = run.target(desired)
    share_id = run.context.get("ShareId")
    if not share_id:
        run.check_principal(target)
        existing = run.held(target)
        # A lapsed share would be replaced or duplicated by a new one, which the service leaves undocumented.
        if existing and existing["Status"] in LAPSED:
            raise run.already_exists(target, existing)
        # The request's token: a retried invocation replays the same call and gets the same share back.
        share_id = run.create_share(target, run.token)
        run.context["ShareId"] = share_id
    return run.settle(target, share_id, lambda share: share is not None)


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
        return run.settle(target, run.context["ShareId"], lambda share: share is not None)
    share = run.held(target)
    if share is None and not run.context.get("Resharing"):
        raise run.not_found(target)
    new_round = target.invitation_round != previous.get("InvitationRound", "")
    if share is not None and new_round and share["Status"] in LAPSED:
        return reshare(run, target, share)
    if share is None:  # the stale share went in an earlier invocation of this update
        return reshare(run, target, None)
    if run.share_type.kind.permission and share.get("PermissionType") != target.permission_type:
        run.wellarchitected.update_workload_share(target.resource, share["ShareId"], target.permission_type)
        share = {**share, "PermissionType": target.permission_type}
    return success(run.model(target, share))


def reshare(run: Invocation, target: Target, stale: Mapping[str, Any] | None) -> ProgressEvent:
    """A fresh invitation: the stale share goes first, since whether a new one may stand beside it is undocumented."""
    run.check_principal(target)
    run.context["Resharing"] = True
    if stale is not None:
        gone(run, target, stale["ShareId"])
    share_id = run.create_share(target, run.token)
    run.context["ShareId"] = share_id
    return run.settle(target, share_id, lambda share: share is not None)


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


def gone(run: Invocation, target: Target, share_id: str) -> bool:
    """Delete<Kind>Share; False when the share was already gone, however the service says so."""
    token = run.derived_token("delete", share_id)
    return run.wellarchitected.delete_held_share(run.share_type.kind, target.resource, share_id, token)


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


def identified(run: Invocation, desired: Mapping[str, Any]) -> Target:
    """The identifiers of a read or delete: one that cannot name a share names none."""
    try:
        return run.target({**desired, "PermissionType": None, "InvitationRound": None})
    except properties.PropertyError as error:
        raise Refusal(HandlerErrorCode.NotFound, f"No such share: {error}") from error


Operation = Callable[[Invocation, Mapping[str, Any], Mapping[str, Any]], ProgressEvent]
