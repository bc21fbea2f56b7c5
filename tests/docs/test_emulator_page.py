"""docs/emulator.md names every operation the emulator serves, every test control, and every behaviour switch
with its values, in the order the emulator takes them (the default first)."""

from __future__ import annotations

import re
from pathlib import Path

from emulator.behaviours import SWITCHES
from emulator.controls import CONTROLS
from emulator.operations import HANDLERS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"


def test_every_operation_served_is_listed() -> None:
    named = set(re.findall(r"`([A-Z][A-Za-z]+)`", PAGE.read_text(encoding="utf-8")))
    assert set(HANDLERS) - named == set(), "docs/emulator.md does not list these operations"


def test_every_switch_is_listed_with_its_values_default_first() -> None:
    switches = PAGE.read_text(encoding="utf-8").partition("## Test controls")[0]
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", switches, re.MULTILINE))
    listed = {name: re.findall(r"`([^`]+)`", values) for name, values in rows.items()}
    assert listed == {switch.name: list(switch.values) for switch in SWITCHES}


def test_every_control_is_listed() -> None:
    table = PAGE.read_text(encoding="utf-8").partition("| Control |")[2]
    named = set(re.findall(r"`([a-z_]+)`", table))
    assert set(CONTROLS) - named == set(), "docs/emulator.md does not list these controls"
