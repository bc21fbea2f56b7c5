"""The emulator's test controls, each written once: WellArchitectedEmulator serves them in process and under
POST /_emulator/<name>, and EmulatorControl calls them from another process with the same signatures.

Every public method here is a control; a refused one raises ValueError naming what is accepted.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from emulator.faults import Fault, FaultQueue, RateLimiter
from emulator.kinds import KINDS
from emulator.model import ORGANIZATION_STATUSES, Result
from emulator.regions import Regions
from emulator.resources import PLACEHOLDERS


class Call(NamedTuple):
    """One request the emulator answered: its operation, HTTP status (0: hung up) and signing account."""

    operation: str
    status: int
    account: str


class Controls:
    """Each control acts in one Region: the one named, else the emulator's own."""

    _regions: Regions
    _faults: FaultQueue
    _limiter: RateLimiter
    _rate_baseline: tuple[float | None, int | None]  # what reset() returns to, so a CLI limit survives it
    _calls: list[Call]
    _calls_lock: threading.Lock

    def reset(self) -> None:
        self._regions.reset()
        self._faults.clear()
        self._limiter.configure(*self._rate_baseline)
        with self._calls_lock:
            self._calls = []  # a new log: a request still running from before the reset records into the old one

    def set_behaviour(self, name: str, value: str) -> None:
        """One switch of emulator.behaviours, in every Region."""
        self._regions.each(lambda store: store.behaviour.set(name, value))

    def behaviour(self) -> dict[str, str]:
        with self._regions.get().held() as store:
            return store.behaviour.values()

    def create_lens(
        self, name: str = "Platform lens", account: str | None = None, published: bool = True, region: str | None = None
    ) -> str:
        """A custom lens, published (version 1.0) unless `published` is False."""
        return self._create("LENS", name, account, region, "1.0" if published else None)

    def create_profile(
        self, name: str = "Platform profile", account: str | None = None, region: str | None = None
    ) -> str:
        return self._create("PROFILE", name, account, region)

    def create_review_template(
        self, name: str = "Platform template", account: str | None = None, region: str | None = None
    ) -> str:
        return self._create("TEMPLATE", name, account, region)

    def create_workload(
        self, name: str = "Platform workload", account: str | None = None, region: str | None = None
    ) -> str:
        """A workload owned by the account; its ID (not its ARN) is how the API addresses it."""
        return self._create("WORKLOAD", name, account, region)

    def shares(self, resource: str | None = None, kind: str | None = None, region: str | None = None) -> list[Result]:
        """Shares of every kind, or of one resource (a lens, profile or template ARN, or a workload ID), in the
        Region named, else in the resource ARN's Region, else in every Region."""
        if region is None and resource is not None and resource.startswith("arn:"):
            region = resource.split(":")[3]
        states = list(self._regions.all()) if region is None else [self._regions.get(region)]
        found: list[Result] = []
        for state in states:
            with state.held() as store:
                found += [
                    {
                        "Kind": share.kind,
                        KINDS[share.kind].key: share.resource,
                        "ShareId": share.share_id,
                        "SharedWith": share.shared_with,
                        "Status": share.status,
                        "StatusMessage": share.status_message,
                    }
                    | ({"PermissionType": share.permission} if share.kind == "WORKLOAD" else {})
                    for share in store.all_shares()
                    if resource in (None, share.resource) and kind in (None, share.kind)
                ]
        return found

    def invitations(self, account: str | None = None, region: str | None = None) -> list[Result]:
        """Pending invitations in the Region named, else in every Region."""
        states = [self._regions.get(region)] if region else list(self._regions.all())
        found: list[Result] = []
        for state in states:
            with state.held() as store:
                found += [
                    {**store.invitation_summary(invitation), "ShareId": invitation.share.share_id}
                    for invitation in store.invitations.values()
                    if account in (None, invitation.share.recipient)
                ]
        return found

    def add_organization_member(self, account: str, organization: str, units: list[str] | None = None) -> None:
        """Make the account a member of the organization and of the OUs given, which its shares then reach."""
        self._regions.add_organization_member(account, organization, list(units or []))

    def set_organization_sharing(self, enabled: bool, account: str | None = None, region: str | None = None) -> None:
        with self._regions.get(region).held() as store:
            store.set_sharing(account or store.default_account, enabled)

    def organization_sharing(self, account: str | None = None, region: str | None = None) -> str:
        with self._regions.get(region).held() as store:
            return store.sharing_status(account or store.default_account)

    def inject_fault(
        self,
        kind: str,
        *,
        operation: str | None = None,
        count: int = 1,
        status: int = 500,
        code: str = "InternalServerException",
        delay: float = 0.0,
    ) -> None:
        self._faults.add(Fault(kind, operation, count, status, code, delay))

    def clear_faults(self) -> None:
        """The service recovers: faults still queued are dropped."""
        self._faults.clear()

    def set_rate_limit(self, rps: float | None, burst: int | None = None) -> None:
        self._limiter.configure(rps, burst)

    def set_share_quota(self, limit: int, kind: str | None = None) -> None:
        """The most shares a resource of the kind (LENS, PROFILE, TEMPLATE, WORKLOAD; None: every kind) holds."""
        if limit < 0:
            raise ValueError("the share quota cannot be negative")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        self._regions.each(lambda store: store.quotas.update(dict.fromkeys([kind] if kind else KINDS, limit)))

    def advance_clock(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._regions.advance_clock(seconds)

    def set_share_status(self, share_id: str, status: str, message: str | None = None) -> None:
        """What the service does to an organization or OU share on its own: ASSOCIATING, ASSOCIATED or FAILED."""
        if status not in ORGANIZATION_STATUSES:
            raise ValueError(f"an organization or OU share's status is one of {ORGANIZATION_STATUSES}, not {status!r}")
        with self._regions.holding(share_id).held() as store:
            share = store.share(share_id)
            if share.recipient is not None:
                raise ValueError(f"share {share_id} is with {share.shared_with}, not an organization or OU")
            share.status, share.status_message, share.settles_at = status, message, None

    def delete_share(self, share_id: str) -> None:
        """A share deleted by hand, outside any stack (as Delete*Share from the console would), in whichever
        resource and Region holds it."""
        with self._regions.holding(share_id).held() as store:
            share = store.share(share_id)
            store.remove_share(store.resources[share.kind][share.resource], share)

    def dump(self) -> dict[str, Any]:
        """Resources, shares, invitations, settings and switches of every Region as JSON data, for load() by a
        later process."""
        return self._regions.dump()

    def load(self, data: dict[str, Any]) -> None:
        self._regions.load(data)

    def calls(self, operation: str | None = None) -> list[Call]:
        """The requests answered so far, oldest first, of one operation or all."""
        with self._calls_lock:
            return [call for call in self._calls if operation in (None, call.operation)]

    def _create(self, kind: str, name: str, account: str | None, region: str | None, version: str | None = None) -> str:
        with self._regions.get(region).held() as store:
            placeholders = copy.deepcopy(PLACEHOLDERS[kind])
            resource = store.new_resource(KINDS[kind], account or store.default_account, name, **placeholders)
            if kind == "LENS":
                resource.version = version
            return resource.ident


CONTROLS = tuple(name for name, member in vars(Controls).items() if callable(member) and not name.startswith("_"))
# Each kind's maker by its ShareResourceType, with its defaults (a lens published), for callers that walk the kinds:
# a kind the provider adds fails their tests until the emulator can make it.
MAKERS: dict[str, Callable[..., str]] = {
    "LENS": Controls.create_lens,
    "PROFILE": Controls.create_profile,
    "TEMPLATE": Controls.create_review_template,
    "WORKLOAD": Controls.create_workload,
}
