"""boto3 clients, made once per Lambda environment; endpoints come from the standard AWS_ENDPOINT_URL* settings."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from lens_share import __version__
from lens_share.aws import retry

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_organizations import OrganizationsClient
    from mypy_boto3_wellarchitected import WellArchitectedClient

# Retries are ours (retry.py), paced to the Lambda's time; botocore's own would ignore the deadline.
CLIENT_CONFIG = Config(
    connect_timeout=retry.CONNECT_TIMEOUT_S,
    read_timeout=retry.READ_TIMEOUT_S,
    retries={"total_max_attempts": 1},
    user_agent_extra=f"lens-share-provider/{__version__}",
)


def region() -> str | None:
    # Lambda sets AWS_REGION; botocore on its own reads only AWS_DEFAULT_REGION.
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


def wellarchitected() -> WellArchitectedClient:
    return boto3.client("wellarchitected", region_name=region(), config=CLIENT_CONFIG)


@cache
def organizations() -> OrganizationsClient:
    """Only the ORGANIZATION guard needs it, so it is made on first use."""
    return boto3.client("organizations", region_name=region(), config=CLIENT_CONFIG)


@cache
def cloudformation(region_name: str) -> CloudFormationClient:
    """Only the health check reads stacks, in the Region of its Well-Architected client."""
    return boto3.client("cloudformation", region_name=region_name, config=CLIENT_CONFIG)
