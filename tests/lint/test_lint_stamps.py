"""A linter runs again when anything it reads changes, and only then: its clean verdict is a stamp (build/lint)
that Make holds against every file the linter reads. Dry runs (make -n) against stamps dated in the future, with
-W naming the one file taken as changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.make_targets import dry_run, made_later

COMMANDS = {"lint-python": "ruff check", "lint-templates": "cfn-lint", "lint-checkov": "checkov -d ."}


@pytest.fixture
def stamps(tmp_path: Path) -> Path:
    """Every linter's verdict, newer than any file of the tree."""
    for name in ("python", "templates", "checkov"):
        made_later(tmp_path / name)
    return tmp_path


def recipes(target: str, stamps: Path, *changed: str) -> str:
    return dry_run(target, f"LINTED={stamps}", *(f"-W{path}" for path in changed))


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
    assert COMMANDS[target] not in recipes(target, stamps)
    assert COMMANDS[target] in recipes(target, stamps, changed)


@pytest.mark.parametrize("target", COMMANDS)
def test_a_change_a_linter_does_not_read_runs_nothing(target: str, stamps: Path) -> None:
    assert COMMANDS[target] not in recipes(target, stamps, "README.md", "docs/benchmarks.md")
