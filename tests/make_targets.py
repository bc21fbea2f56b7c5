"""The Makefile's own checks run as tests, so that each is written once, in the Makefile, and `make test` schedules
them with the rest of the suite."""

from __future__ import annotations

import os
import subprocess
import time
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


def dry_run(target: str, *arguments: str) -> str:
    """The recipes `make -n <target>` would run, given the arguments (variables, -W for a file taken as changed)."""
    done = make(target, "-n", *arguments, timeout_s=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def made_later(path: Path) -> Path:
    """A stamp or build output dated an hour ahead: newer than every file of the tree, until -W says otherwise."""
    path.touch()
    later = time.time() + 3600
    os.utime(path, (later, later))
    return path
