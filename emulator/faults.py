"""Throttling and injected faults, decided before a request reaches the state."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FAULT_KINDS = ("error", "slow", "drop", "lost")


@dataclass
class Fault:
    """One queued fault: kind "error" answers status/code, "slow" waits delay seconds, "drop" hangs up. Kind
    "lost" carries the request out and then loses the answer: after `delay` seconds when one is given (past the
    client's read time-out), else at once as status/code."""

    kind: str
    operation: str | None
    remaining: int
    status: int
    code: str
    delay: float


class FaultQueue:
    """Faults are served in the order they were injected, each to the next request it matches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {fault.kind!r}")
        if fault.remaining < 1 or fault.delay < 0 or not 100 <= fault.status <= 599:
            raise ValueError("a fault needs count >= 1, delay >= 0 and an HTTP status")
        with self._lock:
            self._faults.append(fault)

    def take(self, operation: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.operation in (None, operation):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


class RateLimiter:
    """A token bucket shared by every caller; a refused request takes no token."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._rate: float | None = None
        self._burst = 0.0
        self._tokens = 0.0
        self._stamp = 0.0

    def configure(self, rps: float | None, burst: int | None = None) -> None:
        """rps None turns the limit off; burst defaults to one second's worth of requests."""
        if rps is not None and rps <= 0:
            raise ValueError("rps must be positive (or None to turn the limit off)")
        size = burst if burst is not None else max(1, math.ceil(rps or 0))
        if size < 1:
            raise ValueError("burst must be at least 1")
        with self._lock:
            self._rate = rps
            self._burst = self._tokens = float(size)
            self._stamp = self._clock()

    def allow(self) -> bool:
        with self._lock:
            if self._rate is None:
                return True
            now = self._clock()
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True
