"""Region and fake credentials before anything imports boto3; no test may reach a real AWS account."""

from __future__ import annotations

import os

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
os.environ.update(TEST_ENVIRONMENT)
for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(name, None)
