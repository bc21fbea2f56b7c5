"""One Region of the service: its store behind one lock, and each operation dispatched to its handler there."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from emulator.model import Params, Result
from emulator.operations import HANDLERS
from emulator.store import Store


class State:
    def __init__(self, region: str, default_account: str, behaviour: Mapping[str, str] | None = None) -> None:
        self.region = region
        self._store = Store(region, default_account, behaviour)
        self._lock = threading.Lock()

    def call(self, operation: str, account: str, params: Params) -> Result:
        handler = HANDLERS[operation]
        with self.held() as store:
            if "ClientRequestToken" not in params:
                return handler(store, account, params)
            run = lambda: handler(store, account, params)  # noqa: E731 - run once, unless the token replays
            return store.tokens.replay(operation, account, params, run, behaviour=store.behaviour, now=store.now())

    @contextmanager
    def held(self) -> Iterator[Store]:
        """The store under the Region's lock, with what the clock did on its own applied first."""
        with self._lock:
            self._store.tick()
            yield self._store

    def bracketed(self) -> bool:
        """Read for an error's message: a switch, which the clock leaves alone, so no tick."""
        with self._lock:
            return self._store.bracketed()
