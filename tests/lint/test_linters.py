"""The linters, each as `make lint` runs it: ruff, mypy and the oldest Python's compile of the function; cfn-lint
on every template with the project's rules; checkov."""

from __future__ import annotations

import pytest

from tests.make_targets import ROOT, make

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"


@pytest.mark.long
@pytest.mark.parametrize(
    "target",
    [
        "lint-python",
        "lint-templates",
        pytest.param(
            "lint-checkov",
            marks=pytest.mark.skipif(not CHECKOV.exists(), reason="checkov's venv is made by make test and make lint"),
        ),
    ],
)
def test_the_linter_finds_nothing(target: str) -> None:
    done = make(target, timeout_s=300)

    assert done.returncode == 0, f"make {target} failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
