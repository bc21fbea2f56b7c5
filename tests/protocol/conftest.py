"""The real handler, driven as CloudFormation drives it: events in, Well-Architected over HTTP, answers over HTTPS."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from emulator import WellArchitectedEmulator
from emulator.clock import SkippingClock
from lens_share import answer
from lens_share import handler as provider_handler
from lens_share.aws import clients, retry
from lens_share.services import Environment
from local.cloudformation import ResponseReceiver, Stack
from tests.protocol.harness import CLOCK, MEMBER, OWNER, LambdaFunction, quick_backoff


@pytest.fixture(scope="session")
def emulator() -> Iterator[WellArchitectedEmulator]:
    with WellArchitectedEmulator(default_account=OWNER) as server:
        os.environ["AWS_ENDPOINT_URL_WELLARCHITECTED"] = server.url
        yield server


@pytest.fixture(scope="session")
def receiver() -> Iterator[ResponseReceiver]:
    with ResponseReceiver(clock=CLOCK) as server:
        # The handler trusts the receiver's test CA the way it trusts S3's in Lambda: through the default store.
        os.environ["SSL_CERT_FILE"] = server.ca_file
        yield server


@pytest.fixture(scope="session")
def app(emulator: WellArchitectedEmulator, receiver: ResponseReceiver) -> LambdaFunction:
    """The provider's Environment, loaded once like a Lambda environment, after the endpoints are set."""
    environment = Environment.load()
    return LambdaFunction(dataclasses.replace(environment, backoff=quick_backoff))


@pytest.fixture
def real_backoff(app: LambdaFunction, monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests where time is the point: retries pause as long as they do in Lambda, on the session's clock."""

    def lambda_backoff() -> retry.Backoff:
        return retry.Backoff(sleep=CLOCK.sleep)

    monkeypatch.setattr(app, "environment", dataclasses.replace(app.environment, backoff=lambda_backoff))


@pytest.fixture
def clock() -> SkippingClock:
    """The session's clock, for a test that sets something to happen once a pause has passed."""
    return CLOCK


@pytest.fixture
def emu(emulator: WellArchitectedEmulator) -> Iterator[WellArchitectedEmulator]:
    emulator.reset()
    yield emulator
    emulator.reset()


@pytest.fixture
def lens(emu: WellArchitectedEmulator) -> str:
    return emu.create_lens(name="Platform lens")


@pytest.fixture
def stack(app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator) -> Stack:
    return Stack(app.handler, receiver)


@pytest.fixture
def owner_client(emulator: WellArchitectedEmulator) -> object:
    """A plain client of the lens owner's account, for setting up what a test needs outside the stack."""
    return boto3.client("wellarchitected", endpoint_url=emulator.url, region_name="us-east-1")


@pytest.fixture
def log_lines(app: LambdaFunction) -> Iterator[io.StringIO]:
    """Everything the provider and crhelper log, formatted as in Lambda."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(app.logger.registered_formatter)
    # crhelper's loggers stop at "crhelper"; the provider's own is the Powertools logger.
    loggers = [logging.getLogger(app.logger.name), logging.getLogger("crhelper")]
    for each in loggers:
        each.addHandler(handler)
    yield stream
    for each in loggers:
        each.removeHandler(handler)


@pytest.fixture
def member_stack(app: LambdaFunction, receiver: ResponseReceiver, emu: WellArchitectedEmulator) -> Stack:
    """The provider deployed in the member account, beside the owner's: its client signs with the member's
    credentials, and it otherwise follows the owner's test environment (its backoff, say)."""
    client = boto3.client(
        "wellarchitected",
        region_name="us-east-1",
        aws_access_key_id=f"AKIDMEMBER{MEMBER}",
        aws_secret_access_key="member-secret",
        config=clients.CLIENT_CONFIG,
    )

    def member(event: dict[str, Any], context: Any) -> None:
        provider_handler.build_handler(dataclasses.replace(app.environment, wellarchitected=client))(event, context)

    return Stack(
        member,
        receiver,
        account=MEMBER,
        lambda_timeout_s=answer.EARLIER_S + retry.ANSWER_RESERVE_S + retry.ATTEMPT_S + 6,
    )
