"""Every operation the emulator answers, by its model name."""

from __future__ import annotations

from emulator import resources, sharing

HANDLERS = resources.HANDLERS | sharing.HANDLERS


def implements(operation: str) -> bool:
    return operation in HANDLERS
