"""The service in every Region: one State per Region, made on the first request signed for it. The organization
(its members), the behaviour switches and the clock are the same everywhere, so each new Region gets them too."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from emulator.state import State

T = TypeVar("T")


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
                state = self._states[name] = State(name, self._account, self._baseline)
                state.load_behaviour(self._states[self.default].behaviours())
                for member in self._members:
                    state.add_organization_member(*member)
                if self._clock_s:
                    state.advance_clock(self._clock_s)
            return state

    def all(self) -> Iterator[State]:
        with self._lock:
            states = list(self._states.values())
        return iter(states)

    def each(self, change: Callable[[State], T]) -> list[T]:
        return [change(state) for state in self.all()]

    def add_organization_member(self, account: str, organization: str, units: list[str]) -> None:
        with self._lock:
            self._members.append((account, organization, units))
        self.each(lambda state: state.add_organization_member(account, organization, units))

    def advance_clock(self, seconds: float) -> None:
        with self._lock:
            self._clock_s += seconds
        self.each(lambda state: state.advance_clock(seconds))

    def holding(self, share_id: str) -> State:
        """The Region whose state holds the share (IDs are unique across Regions)."""
        for state in self.all():
            if state.has_share(share_id):
                return state
        raise ValueError(f"no share {share_id}")

    def reset(self) -> None:
        with self._lock:
            self._states = {self.default: self._states[self.default]}
            self._members = []
            self._clock_s = 0.0
        self._states[self.default].reset()

    def dump(self) -> dict[str, Any]:
        """The default Region's state as State.dump() gives it, the other Regions' beside it."""
        states = {state.region: state.dump() for state in self.all()}
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
        self._states[self.default].load(data)
        for name, state_data in others.items():
            self.get(name).load(state_data)
