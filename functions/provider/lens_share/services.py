"""The clients and settings one invocation works with, created once per Lambda environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

from lens_share import __version__, errors, guard, retry
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
    # How retries wait: real time in Lambda; tests may pass a Backoff with their own sleep and seeded generator.
    backoff: Callable[[], retry.Backoff] = retry.Backoff

    @classmethod
    def load(cls) -> Environment:
        # Lambda sets AWS_REGION; botocore on its own reads only AWS_DEFAULT_REGION.
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        client = boto3.client("wellarchitected", region_name=region, config=CLIENT_CONFIG)
        region = client.meta.region_name
        setting = os.environ.get("ALLOWED_PRINCIPALS", guard.ANYONE)
        return cls(client, guard.from_setting(setting, organizations), region)


class Services:
    """What a resource module may use. Clients come on first use, so a Delete that needs no call
    succeeds even when the provider could not start."""

    def __init__(self, environment: Environment | BaseException, context: Any, observe: Observer) -> None:
        self._environment = environment
        self._context = context
        self._observe = observe
        arn = str(getattr(context, "invoked_function_arn", "")).split(":")
        account = arn[4] if len(arn) > 4 and arn[4].isdigit() else None
        if isinstance(environment, Environment):
            region = environment.region
        else:
            region = arn[3] if len(arn) > 3 and arn[3] else os.environ.get("AWS_REGION", "")
        self.place = Place(region, account)

    def _ready(self) -> Environment:
        if isinstance(self._environment, Environment):
            return self._environment
        raise errors.startup(self._environment) from self._environment

    @cached_property
    def wellarchitected(self) -> WellArchitected:
        environment = self._ready()
        deadline = retry.Deadline(self._context.get_remaining_time_in_millis)
        return WellArchitected(environment.wellarchitected, deadline, environment.backoff(), self._observe)

    @property
    def guard(self) -> guard.Guard:
        return self._ready().guard
