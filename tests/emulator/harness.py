"""What the emulator's tests share besides fixtures: the accounts and the shapes of the client and refusal helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient


OWNER = "111111111111"  # the emulator's default account, used by keys that do not end in 12 digits
PEER = "222222222222"

ClientFor = Callable[[str | None], "WellArchitectedClient"]
Refused = Callable[[Callable[[], object], str, int], dict[str, Any]]
