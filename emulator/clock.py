"""The one clock the test beds wait on: a Lambda context's deadline, retries' pauses, slow faults and call backs.
`REAL` waits; a `SkippingClock` is real time in which every wait passes at once, so a 16 s deadline takes no 16 s
while what only real time can do (a socket's read timeout, crhelper's timer thread) still runs on real time."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Clock:
    """Real time: now() is monotonic seconds, sleep() waits."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class SkippingClock(Clock):
    """Real time plus every pause taken on it: sleep() moves the clock on at once, from any thread, and runs
    first whatever `after()` set for the time it reaches, in the sleeping thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._skipped = 0.0
        self._order = itertools.count()  # two actions due at the same time run in the order they were set
        self._due: list[tuple[float, int, Callable[[], object]]] = []

    def now(self) -> float:
        with self._lock:
            return time.monotonic() + self._skipped

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._skipped += max(0.0, seconds)
            reached = time.monotonic() + self._skipped
            due = []
            while self._due and self._due[0][0] <= reached:
                due.append(heapq.heappop(self._due)[2])
        for action in due:
            action()

    def after(self, seconds: float, action: Callable[[], object]) -> None:
        """Run action once the clock has moved `seconds` on: at the first sleep that reaches that time."""
        with self._lock:
            heapq.heappush(self._due, (time.monotonic() + self._skipped + seconds, next(self._order), action))


REAL = Clock()
