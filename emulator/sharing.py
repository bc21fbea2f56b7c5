"""The share rules, written once for every kind: who can be shared with, conflicts, quotas, invitations, paging."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from emulator import errors
from emulator.kinds import KINDS, LENS, WORKLOAD, Kind
from emulator.model import INACTIVE, Params, Resource, Result, Share
from emulator.paging import page
from emulator.protocol import ServiceError, output_members
from emulator.resources import MAX_PAGE_SIZE, NOT_SHARED, owned
from emulator.store import Store

_ACCOUNT = re.compile(r"\d{12}")
_IAM_PRINCIPAL = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):(?:user|role)/[\w+=,.@/-]+")
_ORGANIZATION = re.compile(r"o-[a-z0-9]{10,32}")
_ORGANIZATIONAL_UNIT = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}")
SHARES_PAGE_LIMIT = 10  # the model allows 50; the service was seen refusing more than 10 on ListLensShares
_SHAREABLE = ("PENDING", "ACCEPTED", "ASSOCIATING", "ASSOCIATED")  # what UpdateWorkloadShare may still change


def recipient(shared_with: str) -> str | None:
    """The account that must accept the share, None for an organization or OU; anything else is refused.

    Every kind takes the same principals: an account, an IAM user (or role) ARN, an organization or an OU.
    """
    if _ACCOUNT.fullmatch(shared_with):
        return shared_with
    principal = _IAM_PRINCIPAL.fullmatch(shared_with)
    if principal is not None:
        return principal.group(1)
    if _ORGANIZATION.fullmatch(shared_with) or _ORGANIZATIONAL_UNIT.fullmatch(shared_with):
        return None
    raise errors.validation(
        f"SharedWith {shared_with!r} is not an account ID, an IAM user or role ARN, "
        "an organization ID or an organizational unit ID",
        "SharedWith",
    )


def _with_key(operation: str, kind: Kind, resource: Resource, fields: Result) -> Result:
    """The resource's identifier too, where the model's answer has that member."""
    return fields | ({kind.key: resource.ident} if kind.key in output_members(operation) else {})


def _counts(store: Store, kind: Kind, share_recipient: str | None) -> bool:
    """Whether a share counts toward the kind's quota (workloads: documented as accounts and users only)."""
    organizations_count = kind.quota_counts_organizations and store.behaviour["quota-counts"] == "all"
    return share_recipient is not None or organizations_count


def _owned(store: Store, kind: Kind, account: str, params: Params) -> Resource:
    return owned(store, kind, params[kind.label], account, NOT_SHARED)


def create_share(kind: Kind) -> Callable[[Store, str, Params], Result]:
    def create(store: Store, account: str, params: Params) -> Result:
        resource = _owned(store, kind, account, params)
        if kind is LENS and resource.version is None:
            raise errors.validation(
                f"Lens {resource.arn} has no published version; publish it with CreateLensVersion before sharing it"
            )
        shared_with = params["SharedWith"]
        share_recipient = recipient(shared_with)
        if share_recipient == resource.owner and store.behaviour["own-account"] == "refused":
            raise errors.validation(
                f"{kind.noun} {resource.ident} belongs to account {resource.owner}: it cannot be shared with its owner",
                "SharedWith",
            )
        if share_recipient is None and store.sharing_status(account) != "ENABLED":
            raise errors.validation(
                f"Organization sharing is not enabled for account {account}: "
                "enable it with UpdateGlobalSettings (OrganizationSharingStatus=ENABLED)"
            )
        same = [s for s in resource.shares.values() if s.shared_with == shared_with]
        active = next((s for s in same if s.status not in INACTIVE), None)
        if active is not None:
            raise _duplicate(store, kind, resource, active)
        reshare = store.behaviour["reshare-inactive"]
        if same and reshare == "conflict":
            message = f"{kind.noun} {resource.ident} has an ended share with {shared_with}: delete it first"
            raise errors.conflict(message, same[-1].share_id, f"{kind.name}_SHARE")
        replaced = same if reshare == "replace" else []
        _check_quota(store, kind, resource, share_recipient, replaced)
        store.before_write(resource)
        for old in replaced:
            store.remove_share(resource, old)  # a rejected, expired or revoked share gives way to the new one
        share = Share(
            uuid.uuid4().hex,
            kind.name,
            resource.ident,
            shared_with,
            share_recipient,
            "PENDING",
            store.next_seq(),
            permission=params.get("PermissionType"),
        )
        if share_recipient is None:
            store.associate(share)
        store.add_share(resource, share, account)
        return _with_key(kind.create_share, kind, resource, {"ShareId": share.share_id})

    return create


def _duplicate(store: Store, kind: Kind, resource: Resource, share: Share) -> ServiceError:
    """The Conflict for a principal with an active share; conflict-resource-id says what its ResourceId names."""
    message = f"{kind.noun} {resource.ident} is already shared with {share.shared_with}"
    named = store.behaviour["conflict-resource-id"]
    if named == "resource":
        return errors.conflict(message, resource.ident, kind.name)
    return errors.conflict(message, share.share_id if named == "share" else None, f"{kind.name}_SHARE")


def _check_quota(
    store: Store, kind: Kind, resource: Resource, share_recipient: str | None, replaced: list[Share]
) -> None:
    if not _counts(store, kind, share_recipient):
        return
    counted = [s for s in resource.shares.values() if s not in replaced and _counts(store, kind, s.recipient)]
    quota = store.quota(kind)
    if len(counted) >= quota:
        whom = "account or user shares" if not kind.quota_counts_organizations else "shares"
        raise ServiceError(
            "ServiceQuotaExceededException",
            f"{kind.noun} {resource.ident} already has {quota} {whom}, the most it can have",
            ResourceId=resource.ident,
            ResourceType=kind.name,
            QuotaCode=kind.quota_code,
            ServiceCode="wellarchitected",
        )


def delete_share(kind: Kind) -> Callable[[Store, str, Params], Result]:
    def delete(store: Store, account: str, params: Params) -> Result:
        resource = _owned(store, kind, account, params)
        share_id = params["ShareId"]
        share = resource.shares.get(share_id)
        if share is None:
            gone = store.behaviour["delete-gone"]
            if gone == "ok":
                return {}
            message = f"No {kind.noun.lower()} share with ID {share_id}"
            if gone == "validation":
                raise errors.validation(message, "ShareId")
            raise errors.not_found(share_id, f"{kind.name}_SHARE", message)
        store.before_write(resource)
        store.remove_share(resource, share)
        return {}

    return delete


def list_shares(kind: Kind) -> Callable[[Store, str, Params], Result]:
    def listing(store: Store, account: str, params: Params) -> Result:
        resource = _owned(store, kind, account, params)
        prefix, status = params.get("SharedWithPrefix", ""), params.get("Status")
        matching = [
            share
            for share in store.listed_shares(resource)
            if share.shared_with.startswith(prefix) and status in (None, share.status)
        ]
        scope = (kind.list_shares, resource.ident, prefix, status)
        chosen, token = page(matching, scope, params, SHARES_PAGE_LIMIT)
        fields = {kind.summaries: [share.summary() for share in chosen]}
        return _with_key(kind.list_shares, kind, resource, fields | ({"NextToken": token} if token else {}))

    return listing


def update_workload_share(store: Store, account: str, params: Params) -> Result:
    """A new PermissionType; documented: an account or user share gets a new invitation, which expires in 7 days."""
    workload = _owned(store, WORKLOAD, account, params)
    share = workload.shares.get(params["ShareId"])
    if share is None:
        raise errors.not_found(params["ShareId"], "WORKLOAD_SHARE", f"No workload share with ID {params['ShareId']}")
    if share.status not in _SHAREABLE:
        raise errors.conflict(f"Workload share {share.share_id} is {share.status}", share.share_id, "WORKLOAD_SHARE")
    if share.permission != params["PermissionType"]:
        store.before_write(workload)
        share.permission = params["PermissionType"]
        if share.recipient is not None:
            share.status, share.status_message = "PENDING", None
            store.invite(share, account)
    return {
        "WorkloadId": workload.ident,
        "WorkloadShare": {
            "ShareId": share.share_id,
            "SharedBy": workload.owner,
            "SharedWith": share.shared_with,
            "PermissionType": share.permission,
            "Status": share.status,
            "WorkloadName": workload.name,
            "WorkloadId": workload.ident,
        },
    }


def list_share_invitations(store: Store, account: str, params: Params) -> Result:
    prefixes = [(kind, params[kind.name_prefix]) for kind in KINDS.values() if kind.name_prefix in params]
    if len(prefixes) > 1:
        names = ", ".join(kind.name_prefix for kind, _ in prefixes)
        raise errors.validation(f"Give at most one of {names}")
    resource_type = params.get("ShareResourceType")
    shown = []
    for invitation in sorted(store.invitations.values(), key=lambda i: i.seq):
        share = invitation.share
        if share.recipient != account:
            continue
        if invitation.hidden_for > 0:  # invitation-delay: not yet visible to its recipient
            invitation.hidden_for -= 1
            continue
        name = store.resources[share.kind][share.resource].name
        if resource_type in (None, share.kind) and all(
            kind.name == share.kind and name.startswith(prefix) for kind, prefix in prefixes
        ):
            shown.append(invitation)
    scope = ("ListShareInvitations", account, resource_type, *(prefix for _, prefix in prefixes))
    chosen, token = page(shown, scope, params, MAX_PAGE_SIZE)
    summaries = [store.invitation_summary(invitation) for invitation in chosen]
    return {"ShareInvitationSummaries": summaries} | ({"NextToken": token} if token else {})


def update_share_invitation(store: Store, account: str, params: Params) -> Result:
    invitation_id = params["ShareInvitationId"]
    invitation = store.invitations.get(invitation_id)
    if invitation is None or invitation.share.recipient != account:
        raise errors.not_found(invitation_id, "SHARE_INVITATION", f"No share invitation with ID {invitation_id}")
    share = invitation.share
    kind = KINDS[share.kind]
    store.before_write(store.resources[share.kind][share.resource])
    share.status = "ACCEPTED" if params["ShareInvitationAction"] == "ACCEPT" else "REJECTED"
    store.drop_invitation(share)
    answered = {"ShareInvitationId": invitation_id, "ShareResourceType": kind.name, kind.key: share.resource}
    return {"ShareInvitation": answered | ({"LensAlias": share.resource} if kind is LENS else {})}


HANDLERS = {
    **{kind.create_share: create_share(kind) for kind in KINDS.values()},
    **{kind.delete_share: delete_share(kind) for kind in KINDS.values()},
    **{kind.list_shares: list_shares(kind) for kind in KINDS.values()},
    "UpdateWorkloadShare": update_workload_share,
    "ListShareInvitations": list_share_invitations,
    "UpdateShareInvitation": update_share_invitation,
}
