"""The longest tests first, so that no worker is left with a long one at the end: each test's time is kept in
pytest's cache after a run, and the next run sorts by it. A test marked long goes before every other, as it may be
quick once and long the next time (a linter whose verdict was up to date, then a template changed); one never
timed yet counts as very long. Under xdist (make test: --dist loadgroup), each test is a unit of its own but for
the modules kept whole."""

from __future__ import annotations

from collections import defaultdict

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

CACHE_KEY = "lens-share/durations"
# What a test marked long and not timed yet is taken to last: before every other marked long.
LONG_S = 30.0
# Modules whose module fixture is costly, or holds what a process has once (moto's Organizations): each goes to
# one worker whole. (xdist's own xdist_group mark renames nodes in a way pytest 9 no longer takes, so its loadgroup
# would split them.)
WHOLE_MODULES = frozenset(
    {
        "tests/registry/test_package.py",
        "tests/cdk/test_python_app.py",
        "tests/protocol/test_organization_rollout.py",
    }
)


class LongestFirst(LoadScopeScheduling):  # type: ignore[misc]  # xdist ships no types
    """Units handed out in collection order, which Timings has sorted longest first."""

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in WHOLE_MODULES else nodeid


class Timings:
    """Setup, call and teardown of each test added up; saved by the process that saw every test's report."""

    def __init__(self, config: pytest.Config) -> None:
        # None under -p no:cacheprovider: every test then counts as unknown, and nothing is kept.
        self.cache: pytest.Cache | None = getattr(config, "cache", None)
        self.worker = hasattr(config, "workerinput")
        self.known: dict[str, float] = self.cache.get(CACHE_KEY, {}) if self.cache else {}
        self.seen: defaultdict[str, float] = defaultdict(float)

    def expected(self, item: pytest.Item) -> tuple[bool, float]:
        long = item.get_closest_marker("long") is not None
        return long, self.known.get(item.nodeid, LONG_S if long else 0.0)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # Stable, and from one cache file: every xdist worker sorts the same collection the same way.
        items.sort(key=self.expected, reverse=True)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seen[report.nodeid] += report.duration

    def pytest_sessionfinish(self) -> None:
        # A worker saw only its share; the controller (or a run without xdist) saw them all.
        if self.cache is not None and not self.worker and self.seen:
            self.cache.set(CACHE_KEY, self.known | self.seen)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    if config.getvalue("dist") != "loadgroup":
        return None
    # Units in the order given: xdist would otherwise sort them by their number of tests.
    config.option.loadscopereorder = False
    return LongestFirst(config, log)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "long: takes many seconds; scheduled first while no timing is known")
    config.pluginmanager.register(Timings(config), "lens-share-timings")
