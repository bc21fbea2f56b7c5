"""cfn-lint's word before anything is touched: a template with a cfn-lint error is refused with the rule, the line
and cfn-lint's message; warnings and informational findings do not stop a deploy, as they do not stop AWS.

cfn-lint's rules are loaded once per process and Region, and a template's findings are kept by its text on disk
(local.lint_cache), so a template deployed again, by this process or another, is not linted twice.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.config import ConfigMixIn
from cfnlint.decode.decode import decode_str
from cfnlint.runner import Runner
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

from local.lint_cache import findings
from local.registry import TYPES

_RUNNERS: dict[str, Runner] = {}  # by Region: loading cfn-lint's rules takes most of a lint's time
_LOCK = threading.Lock()
_SCHEMAS_LOADED = threading.Event()


def _load_registry_schemas() -> None:
    """Teach cfn-lint the project's registry types, once per process (cfn-lint takes every JSON file of a folder
    for a schema, so theirs go through a folder of their own)."""
    if _SCHEMAS_LOADED.is_set() or not TYPES:
        return
    with tempfile.TemporaryDirectory(prefix="registry-schemas-") as folder:
        for kind in TYPES.values():
            (Path(folder) / f"{kind.folder.name}.json").write_text(json.dumps(kind.schema), encoding="utf-8")
        PROVIDER_SCHEMA_MANAGER.load_registry_schemas(folder)
    # cfn-lint caches each Region's type list on first use, which another linter in this process may have made
    PROVIDER_SCHEMA_MANAGER.get_resource_types.cache_clear()
    PROVIDER_SCHEMA_MANAGER.get_resource_schema.cache_clear()
    _SCHEMAS_LOADED.set()


def _matches(text: str, region: str) -> list[Any]:
    template, errors = decode_str(text)
    if errors or template is None:
        return list(errors)
    _load_registry_schemas()
    if region not in _RUNNERS:
        _RUNNERS[region] = Runner(ConfigMixIn(regions=[region]))
    return list(_RUNNERS[region].validate_template(template))


def lint_errors(path: Path, region: str) -> tuple[str, ...]:
    """cfn-lint's errors for the template at `path`, each `line:column: rule message`, first line first."""
    text = path.read_text(encoding="utf-8")

    def lint() -> list[str]:
        with _LOCK:  # cfn-lint's rule collection is shared state: one template at a time
            matches = _matches(text, region)
        errors = sorted(
            (match.linenumber, match.columnnumber, match.rule.id, " ".join(str(match.message).split()))
            for match in matches
            if match.rule.severity == "error" or match.rule.id.startswith("E")
        )
        return [f"{line}:{column}: {rule} {message}" for line, column, rule, message in errors]

    return tuple(findings(text, f"errors in {region}, registry types {_registry_digest()}", lint))


@cache
def _registry_digest() -> str:
    """The registry types' schemas, which cfn-lint is taught: a change to one is a change of verdict."""
    schemas = json.dumps([kind.schema for kind in TYPES.values()], sort_keys=True)
    return hashlib.sha256(schemas.encode()).hexdigest()


def refusal(path: Path, region: str) -> str | None:
    """One line refusing the template, naming cfn-lint's first error and how many more; None when it passes."""
    errors = lint_errors(path, region)
    if not errors:
        return None
    more = f" (and {len(errors) - 1} more cfn-lint error(s))" if len(errors) > 1 else ""
    return f"{path}:{errors[0]}{more}"
