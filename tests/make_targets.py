"""The Makefile's own checks run as tests, so that each is written once, in the Makefile, and `make test` schedules
them with the rest of the suite."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make(target: str, *arguments: str, timeout_s: float) -> subprocess.CompletedProcess[str]:
    """`make <target>` in the project, as a make of its own: the jobserver of a make that started pytest is not
    passed down to it."""
    environment = {
        name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    return subprocess.run(
        ["make", "--no-print-directory", *arguments, target],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
