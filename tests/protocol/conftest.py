"""The real handler, driven as CloudFormation drives it: events in, Well-Architected over HTTP, answers over HTTPS."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import random
import re
import time
from collections.abc import Iterator
from typing import Any, Literal

import boto3
import pytest

from emulator import WellArchitectedEmulator
from lens_share import answer
from lens_share import handler as provider_handler
from lens_share.aws import clients, retry
from lens_share.services import Environment
from local.cloudformation import ResponseReceiver, Stack

OWNER = "111111111111"
# Every call that changes what the service holds: shares of any kind, settings, invitations.
WRITES = re.compile(r"^((Create|Delete|Update)\w*Share|UpdateGlobalSettings|UpdateShareInvitation)$")
MEMBER = "222222222222"


@pytest.fixture(scope="session")
def emulator() -> Iterator[WellArchitectedEmulator]:
    with WellArchitectedEmulator(default_account=OWNER) as server:
        os.environ["AWS_ENDPOINT_URL_WELLARCHITECTED"] = server.url
        yield server


@pytest.fixture(scope="session")
def receiver() -> Iterator[ResponseReceiver]:
    with ResponseReceiver() as server:
        # The handler trusts the receiver's test CA the way it trusts S3's in Lambda: through the default store.
        os.environ["SSL_CERT_FILE"] = server.ca_file
        yield server


class LambdaFunction:
    """The provider as Lambda runs it: one handler, built by build_handler for an Environment and reused by
    every warm invocation, as Lambda reuses an environment; a test that hands it another Environment gets a
    fresh one, as a new Lambda environment would."""

    logger = provider_handler.logger
    CLIENT_CONFIG = clients.CLIENT_CONFIG

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self._built: tuple[Environment, provider_handler.Handler] | None = None

    def handler(self, event: dict[str, Any], context: Any) -> None:
        if self._built is None or self._built[0] is not self.environment:
            self._built = (self.environment, provider_handler.build_handler(self.environment))
        self._built[1](event, context)


@pytest.fixture(scope="session")
def app(emulator: WellArchitectedEmulator, receiver: ResponseReceiver) -> LambdaFunction:
    """The provider's Environment, loaded once like a Lambda environment, after the endpoints are set."""
    environment = Environment.load()
    return LambdaFunction(dataclasses.replace(environment, backoff=quick_backoff))


def quick_backoff() -> retry.Backoff:
    """Retries wait a tenth of their real pause, in the same seeded order every run; the deadline stays real."""
    return retry.Backoff(sleep=lambda seconds: time.sleep(seconds / 10), rng=random.Random(7))


@pytest.fixture
def real_backoff(app: LambdaFunction, monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests where time is the point: retries wait as long as they do in Lambda."""
    monkeypatch.setattr(app, "environment", dataclasses.replace(app.environment, backoff=retry.Backoff))


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


def writes(emu: WellArchitectedEmulator) -> list[str]:
    """The state-changing Well-Architected calls the emulator received."""
    return [operation for operation, _status, _account in emu.calls() if WRITES.match(operation)]


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


def answer_invitation(emu: WellArchitectedEmulator, account: str, action: Literal["ACCEPT", "REJECT"]) -> None:
    """The recipient account answers, with its own credentials (the emulator reads the account from the key)."""
    [invitation] = emu.invitations(account)
    recipient = boto3.client(
        "wellarchitected",
        endpoint_url=emu.url,
        region_name="us-east-1",
        aws_access_key_id=f"AKIDTEST{account}",
        aws_secret_access_key="test-secret",
    )
    recipient.update_share_invitation(ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction=action)
