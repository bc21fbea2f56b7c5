"""The construct library's Jest tests (cdk/test), as `make test-cdk` runs them: in one process, which takes one
pytest worker's place."""

from __future__ import annotations

import shutil

import pytest

from tests.make_targets import make


@pytest.mark.long
@pytest.mark.skipif(shutil.which("node") is None, reason="node is missing: the CDK library is not built")
def test_the_construct_library_passes_its_jest_tests() -> None:
    done = make("test-cdk", timeout_s=600)

    assert done.returncode == 0, f"make test-cdk failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
    assert "Tests:" in done.stderr  # Jest's summary: the tests ran, rather than a build without node
