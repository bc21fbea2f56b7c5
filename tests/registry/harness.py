"""What the registry types' tests share besides fixtures: the accounts, a driver calling a type's entrypoint as
CloudFormation calls it, with its callbacks, and what the emulator holds."""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3

from emulator import WellArchitectedEmulator
from emulator.clock import SkippingClock
from emulator.controls import MAKERS
from lens_share_types.kinds import TYPES, ShareType

ACCOUNT = "123456789012"


REGION = "us-east-1"


FIRST, SECOND = "210000000001", "210000000002"


# The emulator reads the account from the access key's last 12 digits.
CREDENTIALS = {"accessKeyId": f"AKIDTEST{ACCOUNT}", "secretAccessKey": "test-secret", "sessionToken": "test"}


CALLBACKS = 20


WEEK_S = 7 * 24 * 3600.0
# The session's clock: a retry's pause passes at once, and the invocation's deadline moves on by it.
CLOCK = SkippingClock()


@dataclass
class Answer:
    """The answer of one handler operation after its callbacks, and every progress event on the way."""

    events: list[dict[str, Any]]

    @property
    def last(self) -> dict[str, Any]:
        return self.events[-1]

    @property
    def status(self) -> str:
        return str(self.last["status"])

    @property
    def code(self) -> str:
        return str(self.last.get("errorCode", ""))

    @property
    def message(self) -> str:
        return str(self.last.get("message", ""))

    @property
    def model(self) -> dict[str, Any]:
        return dict(self.last.get("resourceModel") or {})


@dataclass
class Driver:
    """One type's entrypoint (`handlers.resource`), called as CloudFormation calls it."""

    share_type: ShareType
    configuration: dict[str, str] = field(default_factory=lambda: {"AllowedPrincipals": "ANY"})
    # The caller's account: the emulator reads it from the access key's last 12 digits.
    account: str = ACCOUNT

    @property
    def entrypoint(self) -> Any:
        return importlib.import_module(f"{self.share_type.package()}.handlers").resource

    def event(
        self,
        action: str,
        properties: dict[str, Any],
        previous: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        token: str = "",
    ) -> dict[str, Any]:
        return {
            "action": action,
            "bearerToken": token or str(uuid.uuid4()),
            "awsAccountId": self.account,
            "region": REGION,
            "resourceType": self.share_type.type_name(),
            "resourceTypeVersion": "00000001",
            "stackId": f"arn:aws:cloudformation:{REGION}:{self.account}:stack/registry/{uuid.uuid4()}",
            "callbackContext": context,
            "nextToken": None,
            "requestData": {
                "callerCredentials": {**CREDENTIALS, "accessKeyId": f"AKIDTEST{self.account}"},
                "resourceProperties": properties,
                "previousResourceProperties": previous,
                "logicalResourceId": "Share",
                "typeConfiguration": self.configuration,
            },
        }

    def send(self, event: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self.entrypoint(event, None)
        return answer

    def run(
        self, action: str, properties: dict[str, Any], previous: dict[str, Any] | None = None, token: str = ""
    ) -> Answer:
        """The operation with its callbacks, as CloudFormation makes them: the same request with the context."""
        event = self.event(action, properties, previous, token=token)
        events = [self.send(event)]
        while events[-1]["status"] == "IN_PROGRESS" and len(events) <= CALLBACKS:
            events.append(self.send({**event, "callbackContext": events[-1].get("callbackContext")}))
        return Answer(events)


@dataclass(frozen=True)
class Kind:
    """One registry type and how a test makes what it shares."""

    share_type: ShareType

    @property
    def prop(self) -> str:
        return self.share_type.prop

    def make(self, emu: WellArchitectedEmulator) -> str:
        return MAKERS[self.share_type.kind.key](emu, account=ACCOUNT)

    def properties(self, resource: str, principal: str = FIRST, **more: str) -> dict[str, str]:
        permission = {"PermissionType": "READONLY"} if self.share_type.kind.permission else {}
        return {self.prop: resource, "SharedWith": principal, **permission, **more}


KINDS = [Kind(share_type) for share_type in TYPES]


def by_name(kind: Kind) -> str:
    return kind.share_type.name


def lapse(emu: WellArchitectedEmulator, principal: str, status: str) -> None:
    """An account share moves on as the service moves it: the recipient answers, or a week passes."""
    if status == "EXPIRED":
        emu.advance_clock(WEEK_S + 60)
        return
    if status == "PENDING":
        return
    [invitation] = emu.invitations(principal)
    recipient = boto3.client(
        "wellarchitected",
        endpoint_url=emu.url,
        region_name=REGION,
        aws_access_key_id=f"AKIDTEST{principal}",
        aws_secret_access_key="test-secret",
    )
    invitation_id = invitation["ShareInvitationId"]
    if status == "ACCEPTED":
        recipient.update_share_invitation(ShareInvitationId=invitation_id, ShareInvitationAction="ACCEPT")
    else:
        recipient.update_share_invitation(ShareInvitationId=invitation_id, ShareInvitationAction="REJECT")


def held(emu: WellArchitectedEmulator, resource: str) -> dict[str, tuple[str, str]]:
    """What the emulator holds for a resource: principal -> (ShareId, Status)."""
    return {share["SharedWith"]: (share["ShareId"], share["Status"]) for share in emu.shares(resource)}
