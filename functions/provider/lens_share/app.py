"""Lambda entry point of the custom resources: one handler per Lambda environment, built from its settings."""

from __future__ import annotations

from lens_share.handler import build_handler, logger
from lens_share.services import Environment


def _environment() -> Environment | Exception:
    try:
        return Environment.load()
    except Exception as error:  # noqa: BLE001 - every event is still answered: see Provider.init_failure
        return error


environment = _environment()
handler = build_handler(environment)

__all__ = ["environment", "handler", "logger"]
