"""All service state behind one lock: resources, shares, invitations, tokens, the clock and the behaviour switches.

The operations themselves live in resources.py (what is shared) and sharing.py (the share rules, once for
every kind); this module holds what they share and the Python API the tests drive.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from emulator import errors
from emulator.behaviours import ASSOCIATION_SECONDS, Behaviour
from emulator.kinds import KINDS, Kind
from emulator.model import ORGANIZATION_STATUSES, Invitation, Resource, Result, Share
from emulator.operations import HANDLERS
from emulator.resources import PLACEHOLDERS

INVITATION_LIFETIME = 7 * 24 * 3600.0
_DUMPED = {"LENS": "lenses", "PROFILE": "profiles", "TEMPLATE": "templates", "WORKLOAD": "workloads"}

Params = dict[str, Any]


class _Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


_Item = TypeVar("_Item", bound=_Sequenced)


@dataclass
class _Token:
    fingerprint: str
    result: Result
    stamp: float


class State:
    """All service state; every public method and every operation runs under the one lock."""

    def __init__(
        self,
        region: str,
        default_account: str,
        behaviour: Mapping[str, str] | None = None,
    ) -> None:
        self.region = region
        self.default_account = default_account
        self.behaviour = Behaviour(behaviour)
        self._lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        self.resources: dict[str, dict[str, Resource]] = {kind: {} for kind in KINDS}
        self.invitations: dict[str, Invitation] = {}
        self._organization_sharing: set[str] = set()
        self._members: dict[str, set[str]] = {}  # account -> its organization and OU IDs
        self._tokens: dict[tuple[str, str, str], _Token] = {}
        self._quotas = {name: kind.quota for name, kind in KINDS.items()}
        self._lagging: dict[tuple[str, str], tuple[list[Share], int]] = {}
        self._clock_offset = 0.0
        self._sequence = 0

    # --- entry point for the HTTP front ---------------------------------------------------------

    def call(self, operation: str, account: str, params: Params) -> Result:
        handler = HANDLERS[operation]
        with self._lock:
            self._tick()
            if "ClientRequestToken" not in params:
                return handler(self, account, params)
            return self._idempotent(operation, account, params, lambda: handler(self, account, params))

    def bracketed(self) -> bool:
        return self.behaviour["message-prefix"] == "bracketed"

    def _idempotent(self, operation: str, account: str, params: Params, run: Callable[[], Result]) -> Result:
        """A token seen before with the same parameters replays the first result; the switches say the rest."""
        token = params["ClientRequestToken"]
        scope = operation if self.behaviour["token-scope"] == "operation" else "*"
        key = (account, scope, token)
        fingerprint = json.dumps(
            {"operation": operation} | {k: v for k, v in params.items() if k != "ClientRequestToken"}, sort_keys=True
        )
        remembered = self._tokens.get(key)
        expiry = self.behaviour["token-expiry"]
        if remembered is not None and expiry != "never" and self._now() - remembered.stamp >= int(expiry) * 3600:
            remembered = None
        if remembered is not None:
            reuse = self.behaviour["token-reuse"]
            if remembered.fingerprint == fingerprint or reuse == "first-result":
                return remembered.result
            message = "ClientRequestToken was already used with other parameters"
            if reuse == "validation":
                raise errors.validation(message, "ClientRequestToken")
            raise errors.conflict(message, token, "CLIENT_REQUEST_TOKEN")
        result = run()
        self._tokens[key] = _Token(fingerprint, result, self._now())
        return result

    # --- Python API (also served under /_emulator/) ---------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self._clear()
            self.behaviour.reset()

    def set_behaviour(self, name: str, value: str) -> None:
        with self._lock:
            self.behaviour.set(name, value)

    def load_behaviour(self, values: Mapping[str, str]) -> None:
        with self._lock:
            self.behaviour.load(dict(values))

    def behaviours(self) -> dict[str, str]:
        with self._lock:
            return self.behaviour.values()

    def create(self, kind: str, name: str, account: str | None, published: bool = True) -> str:
        with self._lock:
            placeholders = copy.deepcopy(PLACEHOLDERS[kind])
            resource = self.new_resource(KINDS[kind], account or self.default_account, name, **placeholders)
            resource.version = "1.0" if kind == "LENS" and published else resource.version
            return resource.ident

    def shares(self, resource: str | None, kind: str | None) -> list[Result]:
        with self._lock:
            self._tick()
            return [
                {
                    "Kind": share.kind,
                    KINDS[share.kind].key: share.resource,
                    "ShareId": share.share_id,
                    "SharedWith": share.shared_with,
                    "Status": share.status,
                    "StatusMessage": share.status_message,
                }
                | ({"PermissionType": share.permission} if share.kind == "WORKLOAD" else {})
                for share in self._all_shares()
                if resource in (None, share.resource) and kind in (None, share.kind)
            ]

    def invitation_list(self, account: str | None) -> list[Result]:
        with self._lock:
            self._tick()
            return [
                {**self.invitation_summary(invitation), "ShareId": invitation.share.share_id}
                for invitation in self.invitations.values()
                if account in (None, invitation.share.recipient)
            ]

    def set_organization_sharing(self, enabled: bool, account: str | None) -> None:
        with self._lock:
            self.set_sharing(account or self.default_account, enabled)

    def organization_sharing(self, account: str | None) -> str:
        with self._lock:
            return self.sharing_status(account or self.default_account)

    def add_organization_member(self, account: str, organization: str, units: list[str]) -> None:
        """The account belongs to the organization and to each OU given (list the parents too)."""
        with self._lock:
            self._members.setdefault(account, set()).update([organization, *units])

    def set_share_quota(self, limit: int, kind: str | None) -> None:
        if limit < 0:
            raise ValueError("the share quota cannot be negative")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        with self._lock:
            for name in [kind] if kind else KINDS:
                self._quotas[name] = limit

    def advance_clock(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._clock_offset += seconds

    def set_share_status(self, share_id: str, status: str, message: str | None) -> None:
        """What the service does to an organization or OU share on its own: ASSOCIATING, ASSOCIATED or FAILED."""
        if status not in ORGANIZATION_STATUSES:
            raise ValueError(f"an organization or OU share's status is one of {ORGANIZATION_STATUSES}, not {status!r}")
        with self._lock:
            share = self._share(share_id)
            if share.recipient is not None:
                raise ValueError(f"share {share_id} is with {share.shared_with}, not an organization or OU")
            share.status, share.status_message, share.settles_at = status, message, None

    def has_share(self, share_id: str) -> bool:
        with self._lock:
            return any(share.share_id == share_id for share in self._all_shares())

    def delete_share(self, share_id: str) -> None:
        """A share deleted by hand, outside any stack (as Delete*Share from the console would)."""
        with self._lock:
            share = self._share(share_id)
            self.remove_share(self.resources[share.kind][share.resource], share)

    def dump(self) -> dict[str, Any]:
        """Everything the service holds, as JSON data that load() takes back, in this process or another."""
        with self._lock:
            data: dict[str, Any] = {
                _DUMPED[kind]: [
                    {**_fields(r, "shares"), "shares": [_fields(s) for s in r.shares.values()]}
                    for r in resources.values()
                ]
                for kind, resources in self.resources.items()
            }
            return data | {
                "invitations": [
                    {**_fields(invitation, "share"), "share": [invitation.share.kind, invitation.share.share_id]}
                    for invitation in self.invitations.values()
                ],
                "organization_sharing": sorted(self._organization_sharing),
                "members": {account: sorted(ids) for account, ids in self._members.items()},
                "tokens": [[*key, t.fingerprint, t.result, t.stamp] for key, t in self._tokens.items()],
                "quotas": self._quotas,
                "behaviour": self.behaviour.values(),
                "clock_offset": self._clock_offset,
                "sequence": self._sequence,
            }

    def load(self, data: dict[str, Any]) -> None:
        """Replace everything held by what dump() gave."""
        with self._lock:
            self._clear()
            for kind, name in _DUMPED.items():
                for item in data[name]:
                    resource = Resource(**{**item, "shares": {}, "former": [tuple(f) for f in item["former"]]})
                    resource.shares = {s["share_id"]: Share(**s) for s in item["shares"]}
                    self.resources[kind][resource.ident] = resource
            shares = {share.share_id: share for share in self._all_shares()}
            for invitation in data["invitations"]:
                share = shares[invitation["share"][1]]
                self.invitations[invitation["invitation_id"]] = Invitation(**{**invitation, "share": share})
            self._organization_sharing = set(data["organization_sharing"])
            self._members = {account: set(ids) for account, ids in data["members"].items()}
            self._tokens = {(a, o, t): _Token(f, r, s) for a, o, t, f, r, s in data["tokens"]}
            self._quotas = dict(data["quotas"])
            self.behaviour.load(data["behaviour"])
            self._clock_offset = data["clock_offset"]
            self._sequence = data["sequence"]

    # --- for the operations (the lock is held) ------------------------------------------------

    def now(self) -> float:
        return self._now()

    def next_seq(self) -> int:
        self._sequence += 1
        return self._sequence

    def quota(self, kind: Kind) -> int:
        return self._quotas[kind.name]

    def new_resource(self, kind: Kind, account: str, name: str, **members: Any) -> Resource:
        now, hex_id = self._now(), uuid.uuid4().hex
        arn = f"arn:aws:wellarchitected:{self.region}:{account}:{kind.arn_path}/{hex_id}"
        ident = hex_id if kind.addressed_by_id else arn
        resource = Resource(
            kind=kind.name,
            ident=ident,
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
        return share.status == "ASSOCIATED" and share.shared_with in self._members.get(account, ())

    def keeps_access(self, resource: Resource, account: str) -> bool:
        """The account had access through a share the owner deleted since (documented for all but workloads)."""
        return KINDS[resource.kind].keeps_access and any(
            recipient == account or (recipient is None and shared_with in self._members.get(account, ()))
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
            self._lagging[(resource.kind, resource.ident)] = (
                [dataclasses.replace(s) for s in resource.shares.values()],
                lag,
            )

    def listed_shares(self, resource: Resource) -> list[Share]:
        key = (resource.kind, resource.ident)
        lagging = self._lagging.pop(key, None)
        if lagging is None:
            return list(resource.shares.values())
        snapshot, calls = lagging
        if calls > 1:
            self._lagging[key] = (snapshot, calls - 1)
        return snapshot

    def add_share(self, resource: Resource, share: Share, shared_by: str) -> None:
        resource.shares[share.share_id] = share
        if share.recipient is not None:
            self.invite(share, shared_by)

    def invite(self, share: Share, shared_by: str) -> None:
        self.drop_invitation(share)
        delay = self.behaviour.count("invitation-delay")
        invitation = Invitation(uuid.uuid4().hex, share, shared_by, self._now(), self.next_seq(), delay)
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
        return "ENABLED" if account in self._organization_sharing else "DISABLED"

    def set_sharing(self, account: str, enabled: bool) -> None:
        if enabled:
            self._organization_sharing.add(account)
        else:
            self._organization_sharing.discard(account)

    def associate(self, share: Share) -> None:
        """An organization or OU share's first status, as the association switch says."""
        mode = self.behaviour["association"]
        share.status = "ASSOCIATED" if mode == "instant" else "FAILED" if mode == "fail" else "ASSOCIATING"
        if mode == "fail":
            share.status_message = "The organization's accounts could not be associated with the share"
        if mode == "slow":
            share.settles_at = self._now() + ASSOCIATION_SECONDS

    def page(
        self, items: list[_Item], scope: tuple[str | None, ...], params: Params, limit: int
    ) -> tuple[list[_Item], str | None]:
        """One page after the NextToken's position; a token is only good for the query that made it."""
        size = params.get("MaxResults", limit)
        if size > limit:
            raise errors.validation(f"MaxResults must be between 1 and {limit}.", "MaxResults")
        digest = hashlib.sha256(json.dumps(scope).encode()).hexdigest()[:16]
        after = _decode_token(params.get("NextToken"), digest)
        rest = [item for item in items if item.seq > after]
        chosen = rest[:size]
        token = _encode_token(digest, chosen[-1].seq) if len(rest) > size else None
        return chosen, token

    # --- internals -------------------------------------------------------------------------------

    def _now(self) -> float:
        return time.time() + self._clock_offset

    def _all_shares(self) -> list[Share]:
        shares = [share for kind in self.resources.values() for r in kind.values() for share in r.shares.values()]
        return sorted(shares, key=lambda share: share.seq)

    def _share(self, share_id: str) -> Share:
        for share in self._all_shares():
            if share.share_id == share_id:
                return share
        raise ValueError(f"no share {share_id}")

    def _tick(self) -> None:
        """What the clock does on its own: invitations expire, slow associations complete."""
        now = self._now()
        for invitation in [i for i in self.invitations.values() if i.created_at <= now - INVITATION_LIFETIME]:
            invitation.share.status = "EXPIRED"
            invitation.share.status_message = "The share invitation expired 7 days after it was sent"
            self.drop_invitation(invitation.share)
        for share in self._all_shares():
            if share.settles_at is not None and share.settles_at <= now:
                share.status, share.settles_at = "ASSOCIATED", None


def _encode_token(digest: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{digest}:{seq}".encode()).decode()


def _decode_token(token: str | None, digest: str) -> int:
    if token is None:
        return 0
    try:
        token_digest, _, seq = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if token_digest == digest:
            return int(seq)
    except ValueError:
        pass
    raise errors.validation("The NextToken is not valid for this request", "NextToken")


def _fields(item: Any, *leave_out: str) -> Result:
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in leave_out}
