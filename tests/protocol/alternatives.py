"""What the suites that run under every service alternative share: the cases of each switch, and how they
read the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from emulator.behaviours import BY_NAME

FIRST, SECOND, BY_HAND = "210000000001", "210000000002", "210000000009"
WEEK_S = 7 * 24 * 3600.0
INVITATION = "Custom::ShareInvitation"
ORGANIZATION = "o-a1b2c3d4e5"


def alternatives(*names: str, defaults: bool = True) -> list[Any]:
    """(switch, value) for every value of the named switches, each a test id such as token-scope=account;
    without defaults where the suite's own test already runs the default."""
    return [
        pytest.param(name, value, id=f"{name}={value}")
        for name in names
        for value in BY_NAME[name].values[0 if defaults else 1 :]
    ]


def share(lens: str, principal: str, **more: str) -> dict[str, str]:
    return {"LensAlias": lens, "SharedWith": principal, **more}


def held(emu: WellArchitectedEmulator, lens: str) -> dict[str, tuple[str, str]]:
    """SharedWith -> (ShareId, Status) of every share of the lens."""
    return {entry["SharedWith"]: (entry["ShareId"], entry["Status"]) for entry in emu.shares(lens)}


def seen_by_owner(owner_client: Any, lens: str, principal: str, status: str) -> None:
    """A new round follows the owner seeing a stale share (the health check lists shares); a listing that lags
    the recipient's answer shows it a few listings later."""
    for _ in range(5):
        listed = owner_client.list_lens_shares(LensAlias=lens, SharedWithPrefix=principal)["LensShareSummaries"]
        if [entry["Status"] for entry in listed] == [status]:
            return
    raise AssertionError(f"the owner never saw the {status} share")
