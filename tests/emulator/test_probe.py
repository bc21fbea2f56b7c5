"""make probe reports, for each undocumented behaviour it can observe, the switch value the service shows:
run against the emulator set to each value, it must name that value, and leave nothing behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator import WellArchitectedEmulator
from emulator.behaviours import BY_NAME
from emulator.probe import main

OWNER, OTHER = "111111111111", "222222222222"
OBSERVED = (
    "token-scope",
    "token-reuse",
    "conflict-resource-id",
    "delete-gone",
    "own-account",
    "message-prefix",
    "listing-lag",
)


@pytest.fixture(scope="module")
def service() -> Iterator[WellArchitectedEmulator]:
    with WellArchitectedEmulator(default_account=OWNER) as emulator:
        yield emulator


@pytest.mark.parametrize(
    ("switch", "value"),
    [pytest.param(name, value, id=f"{name}={value}") for name in OBSERVED for value in BY_NAME[name].values],
)
def test_the_probe_names_the_setting_the_service_shows_and_cleans_up(
    service: WellArchitectedEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    switch: str,
    value: str,
) -> None:
    service.reset()
    service.set_behaviour(switch, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_WELLARCHITECTED", service.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", f"AKIDTEST{OWNER}")

    assert main(["--share-with", OTHER, "--account", OWNER]) == 0

    printed = capsys.readouterr().out
    assert f"--behaviour {switch}={value}" in printed.splitlines()[-1]
    assert service.shares() == []
    assert [call for call in service.calls("DeleteLens") if call[1] == 200]  # the throwaway lens is gone too
