"""The construct library is what cdk/generate.py makes of the schemas today, has the provider's version, and its
API reference is what cdk/reference.py makes of its assembly."""

from __future__ import annotations

import json
import shutil

import pytest

from cdk import generate, reference
from lens_share import __version__
from tests.local.cloud_helpers import ROOT

PACKAGE = ROOT / "cdk" / "package.json"


def test_the_generated_sources_are_what_the_schemas_give_now() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generate.generated().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"{', '.join(stale)} differ from the schemas: run make cdk-generate and commit the result"


def test_the_package_version_is_the_provider_version() -> None:
    lock = json.loads((ROOT / "cdk" / "package-lock.json").read_text(encoding="utf-8"))
    versions = {
        "cdk/package.json": json.loads(PACKAGE.read_text(encoding="utf-8"))["version"],
        "cdk/package-lock.json": lock["packages"][""]["version"],
    }
    assert versions == dict.fromkeys(versions, __version__), f"set the version {__version__} of lens_share in both"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is missing: the CDK library is not built")
def test_the_api_reference_is_the_assemblys() -> None:
    assert reference.ASSEMBLY.exists(), "cdk/.jsii is missing: run make cdk"
    assert reference.PAGE.read_text(encoding="utf-8") == reference.generated(), (
        "docs/cdk-api.md differs from the assembly: run make cdk-docs and commit the result"
    )
