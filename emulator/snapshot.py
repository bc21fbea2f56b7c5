"""One Region's store as JSON data and back, so a later process (the local CloudFormation's next command)
finds what an earlier one left."""

from __future__ import annotations

import dataclasses
from typing import Any

from emulator.model import Invitation, Resource, Result, Share
from emulator.store import Store
from emulator.tokens import Token

_DUMPED = {"LENS": "lenses", "PROFILE": "profiles", "TEMPLATE": "templates", "WORKLOAD": "workloads"}


def dump(store: Store) -> dict[str, Any]:
    data: dict[str, Any] = {
        _DUMPED[kind]: [
            {**_fields(r, "shares"), "shares": [_fields(s) for s in r.shares.values()]} for r in resources.values()
        ]
        for kind, resources in store.resources.items()
    }
    return data | {
        "invitations": [
            {**_fields(invitation, "share"), "share": [invitation.share.kind, invitation.share.share_id]}
            for invitation in store.invitations.values()
        ],
        "organization_sharing": sorted(store.organization_sharing),
        "members": {account: sorted(ids) for account, ids in store.members.items()},
        "tokens": [[*key, t.fingerprint, t.result, t.stamp] for key, t in store.tokens.seen.items()],
        "quotas": store.quotas,
        "behaviour": store.behaviour.values(),
        "clock_offset": store.clock_offset,
        "sequence": store.sequence,
    }


def load(store: Store, data: dict[str, Any]) -> None:
    """Everything the store held is replaced by what dump() gave."""
    store.clear()
    for kind, name in _DUMPED.items():
        for item in data[name]:
            resource = Resource(**{**item, "shares": {}, "former": [tuple(f) for f in item["former"]]})
            resource.shares = {s["share_id"]: Share(**s) for s in item["shares"]}
            store.resources[kind][resource.ident] = resource
    shares = {share.share_id: share for share in store.all_shares()}
    for invitation in data["invitations"]:
        share = shares[invitation["share"][1]]
        store.invitations[invitation["invitation_id"]] = Invitation(**{**invitation, "share": share})
    store.organization_sharing = set(data["organization_sharing"])
    store.members = {account: set(ids) for account, ids in data["members"].items()}
    store.tokens.seen = {(a, o, t): Token(f, r, s) for a, o, t, f, r, s in data["tokens"]}
    store.quotas = dict(data["quotas"])
    store.behaviour.load(data["behaviour"])
    store.clock_offset = data["clock_offset"]
    store.sequence = data["sequence"]


def _fields(item: Any, *leave_out: str) -> Result:
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in leave_out}
