"""The clients and settings one invocation works with, created once per Lambda environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

from lens_share import __version__, guard, retry
from lens_share.properties import Place
from lens_share.wellarchitected import Observer, WellArchitected

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient
    from mypy_boto3_wellarchitected import WellArchitectedClient

# Retries are ours (retry.py), paced to the Lambda's time; botocore's own would ignore the deadline.
CLIENT_CONFIG = Config(
    connect_timeout=retry.CONNECT_TIMEOUT_S,
    read_timeout=retry.READ_TIMEOUT_S,
    retries={"total_max_attempts": 1},
    user_agent_extra=f"lens-share-provider/{__version__}",
)


@cache
def organizations() -> OrganizationsClient:
    """Only the ORGANIZATION guard needs it, so it is made on first use."""
    return boto3.client("organizations", region_name=os.environ.get("AWS_REGION"), config=CLIENT_CONFIG)


@dataclass(frozen=True)
class Environment:
    wellarchitected: WellArchitectedClient
    guard: guard.Guard
    region: str

    @classmethod
    def load(cls) -> Environment:
        # Lambda sets AWS_REGION; botocore on its own reads only AWS_DEFAULT_REGION.
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        client = boto3.client("wellarchitected", region_name=region, config=CLIENT_CONFIG)
        region = client.meta.region_name
        setting = os.environ.get("ALLOWED_PRINCIPALS", guard.ANYONE)
        return cls(client, guard.from_setting(setting, organizations), region)


@dataclass(frozen=True)
class Services:
    wellarchitected: WellArchitected
    place: Place
    guard: guard.Guard


def for_invocation(environment: Environment, context: Any, observe: Observer) -> Services:
    arn = str(getattr(context, "invoked_function_arn", ""))
    parts = arn.split(":")
    account = parts[4] if len(parts) > 4 and parts[4].isdigit() else None
    deadline = retry.Deadline(context.get_remaining_time_in_millis)
    calls = WellArchitected(environment.wellarchitected, deadline, retry.Backoff(), observe)
    return Services(calls, Place(environment.region, account), environment.guard)
