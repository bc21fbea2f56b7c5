"""cfn-lint, through its Python API, on what CloudFormation receives after the SAM transform."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from local.lint_cache import findings

Template = dict[str, Any]
# The same checks as .cfnlintrc.yaml: errors, warnings and the informational ones.
CONFIG = ManualArgs(include_checks=["I"], regions=["us-east-1"])


def lint_findings(template: Template) -> list[str]:
    """cfn-lint's findings on the template's text, judged once per text (local.lint_cache)."""
    text = json.dumps(template)
    return findings(text, "all checks in us-east-1", lambda: [str(match) for match in lint(text, config=CONFIG)])


@pytest.mark.parametrize("setting", ["ANY", "ORGANIZATION"])
def test_transformed_template_lints_clean(transformed: Callable[[str], Template], setting: str) -> None:
    assert lint_findings(transformed(setting)) == []


def test_lint_reports_a_broken_template(transformed: Callable[[str], Template]) -> None:
    """The check above can fail: an unsupported runtime in the same document is reported."""
    broken: Template = json.loads(json.dumps(transformed("ANY")))
    broken["Resources"]["LensShareFunction"]["Properties"]["Runtime"] = "python2.7"
    assert any("python2.7" in finding for finding in lint_findings(broken))
