"""The CDK's file assets, as `cdk deploy` finds them: a template in cdk.out names a function's code by the S3 key
its asset is published under, and `<stack>.assets.json` beside the template says which asset that is."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_SUFFIX = ".template.json"


def manifest(template: Path) -> Path:
    """The asset manifest the CDK writes beside a stack's template."""
    return template.with_name(template.name.removesuffix(_SUFFIX) + ".assets.json")


def code_directory(template: Path, code: Any) -> Path | None:
    """The directory of the zip file asset whose published key is Code's S3Key; None if the code is no asset."""
    key = code.get("S3Key") if isinstance(code, Mapping) else None
    path = manifest(template)
    if not isinstance(key, str) or not template.name.endswith(_SUFFIX) or not path.is_file():
        return None
    files: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")).get("files", {})
    for asset in files.values():
        keys = {destination.get("objectKey") for destination in asset.get("destinations", {}).values()}
        source = asset.get("source", {})
        folder = source.get("path")
        if key in keys and source.get("packaging") == "zip" and isinstance(folder, str):
            return (template.parent / folder).resolve()
    return None
