"""cfn-lint's findings on a template's text, kept on disk by that text, the checks asked for and cfn-lint's version:
every process of a checkout (each test worker, the demo, each command) lints a given template once, not once each."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from cfnlint.version import __version__ as CFN_LINT_VERSION

CACHE_DIR = Path(__file__).resolve().parent.parent / "build" / "cfn-lint"


def findings(text: str, checks: str, lint: Callable[[], list[str]]) -> list[str]:
    """lint()'s findings on text, from the cache when cfn-lint has judged the same text under the same checks;
    `checks` names everything besides the text that the findings depend on (Region, options, extra schemas)."""
    key = hashlib.sha256(f"{CFN_LINT_VERSION}\n{checks}\n{text}".encode()).hexdigest()
    path = CACHE_DIR / f"{key}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = None
    if isinstance(kept, list) and all(isinstance(finding, str) for finding in kept):
        return kept
    found = lint()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # Written whole under a name of this process's, then renamed: a reader never sees half a verdict.
    partial = path.with_name(f"{key}.{os.getpid()}.partial")
    partial.write_text(json.dumps(found), encoding="utf-8")
    partial.replace(path)
    return found
