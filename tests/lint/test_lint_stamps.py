"""A linter runs again when anything it reads changes, and only then: its clean verdict is a stamp (build/lint)
that Make holds against every file the linter reads. Dry runs (make -n) against stamps dated in the future, with
-W naming the one file taken as changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.make_targets import make

COMMANDS = {"lint-python": "ruff check", "lint-templates": "cfn-lint", "lint-checkov": "checkov -d ."}


@pytest.fixture
def stamps(tmp_path: Path) -> Path:
    """Every linter's verdict, newer than any file of the tree."""
    later = time.time() + 3600
    for name in ("python", "templates", "checkov"):
        (tmp_path / name).touch()
        os.utime(tmp_path / name, (later, later))
    return tmp_path


def dry_run(target: str, stamps: Path, *changed: str) -> str:
    done = make(target, "-n", f"LINTED={stamps}", *(f"-W{path}" for path in changed), timeout_s=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("target", "changed"),
    [
        ("lint-python", "functions/provider/lens_share/app.py"),
        ("lint-python", "tests/lint/test_lint_stamps.py"),
        ("lint-python", "pyproject.toml"),
        ("lint-python", "Makefile"),
        ("lint-templates", "template.yaml"),
        ("lint-templates", "examples/lens-shares.yaml"),
        ("lint-templates", "cfn-lint-rules/share_types.py"),
        ("lint-templates", ".cfnlintrc.yaml"),
        ("lint-templates", "functions/provider/lens_share/schemas/custom-lensshare.json"),
        ("lint-templates", "registry/schemas/lensshareprovider-wellarchitected-lensshare.json"),
        ("lint-checkov", "member/template.yaml"),
        ("lint-checkov", "examples/registry-types.yaml"),
        ("lint-checkov", ".checkov.yaml"),
        ("lint-checkov", "Makefile"),
    ],
)
def test_a_linter_runs_again_when_a_file_it_reads_changes(target: str, changed: str, stamps: Path) -> None:
    assert COMMANDS[target] not in dry_run(target, stamps)
    assert COMMANDS[target] in dry_run(target, stamps, changed)


@pytest.mark.parametrize("target", COMMANDS)
def test_a_change_a_linter_does_not_read_runs_nothing(target: str, stamps: Path) -> None:
    assert COMMANDS[target] not in dry_run(target, stamps, "README.md", "docs/benchmarks.md")
