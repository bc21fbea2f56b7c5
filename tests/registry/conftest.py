"""Each registry type's handlers, driven through its python-lib entrypoint with the request CloudFormation sends,
against the emulator over HTTP. Callbacks are followed at once: the emulator's lags count calls, not seconds."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from emulator import WellArchitectedEmulator
from lens_share_types import handlers as type_handlers
from lens_share_types.core import Backoff
from tests.registry.harness import (
    ACCOUNT,
    CLOCK,
    KINDS,
    Driver,
    Kind,
    by_name,
)


@pytest.fixture(scope="session")
def emulator() -> Iterator[WellArchitectedEmulator]:
    with WellArchitectedEmulator(default_account=ACCOUNT) as server:
        yield server


@pytest.fixture
def emu(emulator: WellArchitectedEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[WellArchitectedEmulator]:
    # Only while a test runs: another test file of this worker may read the endpoint for its own emulator.
    monkeypatch.setenv("AWS_ENDPOINT_URL_WELLARCHITECTED", emulator.url)
    # Retries pause as long as they do in Lambda, in the same seeded order every run, on a clock where a pause
    # passes at once: an invocation's deadline reads the same clock.
    monkeypatch.setattr(type_handlers, "new_backoff", lambda: Backoff(sleep=CLOCK.sleep, rng=random.Random(7)))
    monkeypatch.setattr(type_handlers, "now", CLOCK.now)
    emulator.reset()
    yield emulator
    emulator.reset()


@pytest.fixture(params=KINDS, ids=by_name)
def kind(request: pytest.FixtureRequest) -> Kind:
    chosen: Kind = request.param
    return chosen


@pytest.fixture
def driver(kind: Kind) -> Driver:
    return Driver(kind.share_type)
