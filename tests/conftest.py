"""Region and fake credentials before anything imports boto3; no test may reach a real AWS account, except the
integration run, which AWS_SAM_STACK_NAME asks for and which then runs alone with the caller's credentials."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

# The longest tests first, by the last run's timings (tests/ordering.py).
pytest_plugins = ["tests.ordering"]

INTEGRATION = bool(os.environ.get("AWS_SAM_STACK_NAME"))
INTEGRATION_DIR = Path(__file__).resolve().parent / "integration"

# The access key ends in the emulator's default account, which is how the emulator tells accounts apart.
TEST_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIDTEST111111111111",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_SESSION_TOKEN": "test-session",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "POWERTOOLS_SERVICE_NAME": "lens-share-provider",
    "POWERTOOLS_METRICS_NAMESPACE": "LensShareProvider",
    "ALLOWED_PRINCIPALS": "ANY",
}
if not INTEGRATION:
    os.environ.update(TEST_ENVIRONMENT)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        os.environ.pop(name, None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With real credentials in the environment, only tests/integration may run."""
    if not INTEGRATION:
        return
    local_only = pytest.mark.skip(reason="AWS_SAM_STACK_NAME is set: only tests/integration runs, against AWS")
    for item in items:
        if INTEGRATION_DIR not in Path(str(item.path)).parents:
            item.add_marker(local_only)


def pytest_collection_finish() -> None:
    """What the collection imported (boto3, moto, cfn-lint, the SAM translator) lives for the whole run: frozen, the
    garbage collector stops walking it on every full collection, about a twentieth of a worker's CPU."""
    gc.freeze()
