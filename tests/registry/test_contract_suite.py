"""The CloudFormation CLI's own contract suite (`cfn test`) passes for every type, offline, against the emulator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CFN_PYTHON = ROOT / ".venv-cfn" / "bin" / "python"


@pytest.mark.long
@pytest.mark.skipif(not CFN_PYTHON.exists(), reason="the CloudFormation CLI's venv is made by make test")
@pytest.mark.timeout(300)
def test_cfn_test_passes_for_every_type() -> None:
    # Its own process: the runner points the Well-Architected endpoint at its emulator for the whole process.
    done = subprocess.run(
        [sys.executable, str(ROOT / "registry" / "contract" / "run.py"), "--cfn", str(CFN_PYTHON)],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )

    verdicts = [line for line in done.stdout.splitlines() if line.startswith("--- ")]
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert len(verdicts) == 4
    assert all(line.endswith("cfn test passed") for line in verdicts)
