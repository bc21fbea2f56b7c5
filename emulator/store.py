"""What one Region's service holds, and the steps the operations take on it: resources, shares, invitations,
organization settings, quotas, the clock and the behaviour switches. Callers hold the Region's lock."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Mapping
from typing import Any

from emulator.behaviours import ASSOCIATION_SECONDS, Behaviour
from emulator.kinds import KINDS, Kind
from emulator.model import Invitation, Resource, Result, Share
from emulator.tokens import Tokens

INVITATION_LIFETIME = 7 * 24 * 3600.0


class Store:
    def __init__(self, region: str, default_account: str, behaviour: Mapping[str, str] | None = None) -> None:
        self.region = region
        self.default_account = default_account
        self.behaviour = Behaviour(behaviour)
        self.clear()

    def clear(self) -> None:
        self.resources: dict[str, dict[str, Resource]] = {kind: {} for kind in KINDS}
        self.invitations: dict[str, Invitation] = {}
        self.organization_sharing: set[str] = set()
        self.members: dict[str, set[str]] = {}  # account -> its organization and OU IDs
        self.tokens = Tokens()
        self.quotas = {name: kind.quota for name, kind in KINDS.items()}
        self.lagging: dict[tuple[str, str], tuple[list[Share], int]] = {}
        self.clock_offset = 0.0
        self.sequence = 0

    def now(self) -> float:
        return time.time() + self.clock_offset

    def next_seq(self) -> int:
        self.sequence += 1
        return self.sequence

    def advance_clock(self, seconds: float) -> None:
        self.clock_offset += seconds

    def add_member(self, account: str, organization: str, units: list[str]) -> None:
        """The account belongs to the organization and to each OU given (the parents listed too)."""
        self.members.setdefault(account, set()).update([organization, *units])

    def quota(self, kind: Kind) -> int:
        return self.quotas[kind.name]

    def bracketed(self) -> bool:
        return self.behaviour["message-prefix"] == "bracketed"

    def new_resource(self, kind: Kind, account: str, name: str, **members: Any) -> Resource:
        now, hex_id = self.now(), uuid.uuid4().hex
        arn = f"arn:aws:wellarchitected:{self.region}:{account}:{kind.arn_path}/{hex_id}"
        resource = Resource(
            kind=kind.name,
            ident=hex_id if kind.addressed_by_id else arn,
            arn=arn,
            owner=account,
            name=name,
            created_at=now,
            seq=self.next_seq(),
            version=kind.first_version,
            updated_at=now,
            **members,
        )
        self.resources[kind.name][resource.ident] = resource
        return resource

    def reaches(self, share: Share, account: str, statuses: tuple[str, ...] = ("PENDING", "ACCEPTED")) -> bool:
        """An account share in one of statuses, or an associated organization or OU share it is a member of."""
        if share.recipient is not None:
            return share.recipient == account and share.status in statuses
        return share.status == "ASSOCIATED" and share.shared_with in self.members.get(account, ())

    def keeps_access(self, resource: Resource, account: str) -> bool:
        """The account had access through a share the owner deleted since (documented for all but workloads)."""
        return KINDS[resource.kind].keeps_access and any(
            recipient == account or (recipient is None and shared_with in self.members.get(account, ()))
            for shared_with, recipient in resource.former
        )

    def invitation_of(self, resource: Resource, account: str) -> str | None:
        return next(
            (s.invitation_id for s in resource.shares.values() if s.recipient == account and s.invitation_id), None
        )

    def readable(self, resource: Resource, account: str) -> bool:
        return (
            resource.owner == account
            or any(self.reaches(share, account) for share in resource.shares.values())
            or self.keeps_access(resource, account)
        )

    def before_write(self, resource: Resource) -> None:
        """listing-lag: List*Shares keeps answering from the state before this write for a few calls."""
        lag = self.behaviour.count("listing-lag")
        if lag:
            self.lagging[(resource.kind, resource.ident)] = (
                [dataclasses.replace(s) for s in resource.shares.values()],
                lag,
            )

    def listed_shares(self, resource: Resource) -> list[Share]:
        key = (resource.kind, resource.ident)
        lagging = self.lagging.pop(key, None)
        if lagging is None:
            return list(resource.shares.values())
        snapshot, calls = lagging
        if calls > 1:
            self.lagging[key] = (snapshot, calls - 1)
        return snapshot

    def add_share(self, resource: Resource, share: Share, shared_by: str) -> None:
        resource.shares[share.share_id] = share
        if share.recipient is not None:
            self.invite(share, shared_by)

    def invite(self, share: Share, shared_by: str) -> None:
        self.drop_invitation(share)
        delay = self.behaviour.count("invitation-delay")
        invitation = Invitation(uuid.uuid4().hex, share, shared_by, self.now(), self.next_seq(), delay)
        self.invitations[invitation.invitation_id] = invitation
        share.invitation_id = invitation.invitation_id

    def remove_share(self, resource: Resource, share: Share) -> None:
        del resource.shares[share.share_id]
        self.drop_invitation(share)
        if share.gives_access():
            resource.former.append((share.shared_with, share.recipient))

    def remove_resource(self, resource: Resource) -> None:
        del self.resources[resource.kind][resource.ident]
        for share in resource.shares.values():
            self.drop_invitation(share)

    def drop_invitation(self, share: Share) -> None:
        if share.invitation_id is not None:
            self.invitations.pop(share.invitation_id, None)
            share.invitation_id = None

    def invitation_summary(self, invitation: Invitation) -> Result:
        share = invitation.share
        kind = KINDS[share.kind]
        return {
            "ShareInvitationId": invitation.invitation_id,
            "SharedBy": invitation.shared_by,
            "SharedWith": share.shared_with,
            "ShareResourceType": kind.name,
            kind.name_member: self.resources[kind.name][share.resource].name,
            kind.key: share.resource,
        } | ({"PermissionType": share.permission} if share.permission else {})

    def sharing_status(self, account: str) -> str:
        return "ENABLED" if account in self.organization_sharing else "DISABLED"

    def set_sharing(self, account: str, enabled: bool) -> None:
        if enabled:
            self.organization_sharing.add(account)
        else:
            self.organization_sharing.discard(account)

    def associate(self, share: Share) -> None:
        """An organization or OU share's first status, as the association switch says."""
        mode = self.behaviour["association"]
        share.status = "ASSOCIATED" if mode == "instant" else "FAILED" if mode == "fail" else "ASSOCIATING"
        if mode == "fail":
            share.status_message = "The organization's accounts could not be associated with the share"
        if mode == "slow":
            share.settles_at = self.now() + ASSOCIATION_SECONDS

    def all_shares(self) -> list[Share]:
        shares = [share for kind in self.resources.values() for r in kind.values() for share in r.shares.values()]
        return sorted(shares, key=lambda share: share.seq)

    def share(self, share_id: str) -> Share:
        for share in self.all_shares():
            if share.share_id == share_id:
                return share
        raise ValueError(f"no share {share_id}")

    def tick(self) -> None:
        """What the clock does on its own: invitations expire, slow associations complete."""
        now = self.now()
        for invitation in [i for i in self.invitations.values() if i.created_at <= now - INVITATION_LIFETIME]:
            invitation.share.status = "EXPIRED"
            invitation.share.status_message = "The share invitation expired 7 days after it was sent"
            self.drop_invitation(invitation.share)
        for share in self.all_shares():
            if share.settles_at is not None and share.settles_at <= now:
                share.status, share.settles_at = "ASSOCIATED", None
