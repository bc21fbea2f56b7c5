"""Lambda entry point of the custom resources: one handler per Lambda environment, built from its settings."""

from __future__ import annotations

from lens_share import services
from lens_share.handler import build_handler, logger

# A failure to start is answered by each event that needs AWS (services.Services), naming it.
environment = services.load_environment()
handler = build_handler(environment)

__all__ = ["environment", "handler", "logger"]
