"""What the protocol tests share besides fixtures: the accounts, the provider as Lambda runs it, the test clock,
and reading what the emulator was asked."""

from __future__ import annotations

import random
import re
from typing import Any, Literal

import boto3

from emulator import WellArchitectedEmulator
from emulator.clock import SkippingClock
from lens_share import handler as provider_handler
from lens_share.aws import clients, retry
from lens_share.aws.calls import Caller
from lens_share.aws.wellarchitected import WellArchitected
from lens_share.kinds import ShareKind
from lens_share.services import Environment

OWNER = "111111111111"
# Every call that changes what the service holds: shares of any kind, settings, invitations.
WRITES = re.compile(r"^((Create|Delete|Update)\w*Share|UpdateGlobalSettings|UpdateShareInvitation)$")
MEMBER = "222222222222"
# The session's clock: Lambda deadlines, answers' arrival and retries' pauses all read it, and a pause passes at once.
CLOCK = SkippingClock()


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


def quick_backoff() -> retry.Backoff:
    """Retries pause on the session's clock, in the same seeded order every run: no time is waited."""
    return retry.Backoff(sleep=CLOCK.sleep, rng=random.Random(7))


def writes(emu: WellArchitectedEmulator) -> list[str]:
    """The state-changing Well-Architected calls the emulator received."""
    return [operation for operation, _status, _account in emu.calls() if WRITES.match(operation)]


def client_of(emu: WellArchitectedEmulator, account: str) -> Any:
    """A plain client of another account: the emulator reads the account from the access key."""
    return boto3.client(
        "wellarchitected",
        endpoint_url=emu.url,
        region_name="us-east-1",
        aws_access_key_id=f"AKIDTEST{account}",
        aws_secret_access_key="test-secret",
    )


def calls_of(client: Any) -> WellArchitected:
    """A client's calls through the provider's own wrapper, with a minute to run: what a test makes beside a stack."""
    return WellArchitected(client, Caller(retry.Deadline(lambda: 60_000), retry.Backoff()))


def share_by_hand(emu: WellArchitectedEmulator, kind: ShareKind, resource: str, principal: str) -> str:
    """A share the owner makes outside any stack, as a person would: its ShareId."""
    permission = "READONLY" if kind.permission else ""
    return kind.calls.create(calls_of(client_of(emu, OWNER)), resource, principal, f"by-hand-{principal}", permission)


def answer_invitation(emu: WellArchitectedEmulator, account: str, action: Literal["ACCEPT", "REJECT"]) -> None:
    """The recipient account answers, with its own credentials."""
    [invitation] = emu.invitations(account)
    client_of(emu, account).update_share_invitation(
        ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction=action
    )
