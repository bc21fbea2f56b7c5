"""The service in every Region: one State per Region, made on the first request signed for it. The organization
(its members), the behaviour switches and the clock are the same everywhere, so each new Region gets them too."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from emulator import snapshot
from emulator.state import State
from emulator.store import Store


class Regions:
    def __init__(self, region: str, default_account: str, behaviour: Mapping[str, str] | None = None) -> None:
        self.default = region
        self._account = default_account
        self._baseline = dict(behaviour or {})
        self._lock = threading.Lock()
        self._states = {region: State(region, default_account, behaviour)}
        self._members: list[tuple[str, str, list[str]]] = []
        self._clock_s = 0.0

    def get(self, region: str | None = None) -> State:
        """The Region's state, made with the organization and the switches the others have."""
        name = region or self.default
        with self._lock:
            state = self._states.get(name)
            if state is None:
                with self._states[self.default].held() as default:
                    switches = default.behaviour.values()
                state = self._states[name] = State(name, self._account, self._baseline)
                with state.held() as store:
                    store.behaviour.load(switches)
                    for member in self._members:
                        store.add_member(*member)
                    store.advance_clock(self._clock_s)
            return state

    def all(self) -> Iterator[State]:
        with self._lock:
            states = list(self._states.values())
        return iter(states)

    def each(self, change: Callable[[Store], object]) -> None:
        """A change made in every Region's store, each under its own lock."""
        for state in self.all():
            with state.held() as store:
                change(store)

    def add_organization_member(self, account: str, organization: str, units: list[str]) -> None:
        with self._lock:
            self._members.append((account, organization, units))
        self.each(lambda store: store.add_member(account, organization, units))

    def advance_clock(self, seconds: float) -> None:
        with self._lock:
            self._clock_s += seconds
        self.each(lambda store: store.advance_clock(seconds))

    def holding(self, share_id: str) -> State:
        """The Region whose state holds the share (IDs are unique across Regions)."""
        for state in self.all():
            with state.held() as store:
                if any(share.share_id == share_id for share in store.all_shares()):
                    return state
        raise ValueError(f"no share {share_id}")

    def reset(self) -> None:
        with self._lock:
            self._states = {self.default: self._states[self.default]}
            self._members = []
            self._clock_s = 0.0
        with self._states[self.default].held() as store:
            store.clear()
            store.behaviour.reset()

    def dump(self) -> dict[str, Any]:
        """The default Region's store as snapshot.dump() gives it, the other Regions' beside it."""
        states: dict[str, dict[str, Any]] = {}
        for state in self.all():
            with state.held() as store:
                states[state.region] = snapshot.dump(store)
        default = states.pop(self.default)
        with self._lock:
            members = [list(member) for member in self._members]
            clock_s = self._clock_s
        return default | {"regions": states, "organization": members, "region_clock_s": clock_s}

    def load(self, data: dict[str, Any]) -> None:
        others = data.get("regions", {})
        with self._lock:
            self._states = {self.default: self._states[self.default]}
            self._clock_s = data.get("region_clock_s", 0.0)
            self._members = [
                (account, organization, list(units)) for account, organization, units in data.get("organization", [])
            ]
        with self._states[self.default].held() as store:
            snapshot.load(store, data)
        for name, state_data in others.items():
            with self.get(name).held() as store:
                snapshot.load(store, state_data)
