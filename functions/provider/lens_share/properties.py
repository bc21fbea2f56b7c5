"""Resource properties: checked and typed at the edge, before any call is made."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

# CloudFormation adds these itself; they are never the user's concern.
CLOUDFORMATION_PROPERTIES = ("ServiceToken", "ServiceTimeout")

ACCOUNT_ID = re.compile(r"^\d{12}$")
ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
OU_ID = re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
IAM_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:iam::(?P<account>\d{12}):(?P<kind>user|role)/[\w+=,.@/-]{1,576}$")
LENS_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):wellarchitected:(?P<region>[a-z0-9-]+):"
    r"(?P<account>\d{12}):lens/(?P<lens_id>[0-9a-f]{32})$"
)
OFFICIAL_LENS_ARN = re.compile(r"^arn:aws[a-z-]*:wellarchitected:[a-z0-9-]*::lens/[\w-]+$")
BARE_NAME = re.compile(r"^[\w-]+$")

LENS_ARN_FORM = "arn:<partition>:wellarchitected:<region>:<account>:lens/<32 hex>, e.g. !GetAtt MyLens.LensArn"
PRINCIPAL_FORMS = (
    "a 12-digit account ID, an IAM user or role ARN (arn:aws:iam::123456789012:user/name), "
    "an organization ID (o-xxxxxxxxxx) or an OU ID (ou-xxxx-xxxxxxxx)"
)


class PropertyError(ValueError):
    """Bad input: the message names the property, the value and what is accepted."""


class PrincipalKind(Enum):
    ACCOUNT = "account"
    IAM_USER = "IAM user"
    IAM_ROLE = "IAM role"
    ORGANIZATION = "organization"
    ORGANIZATIONAL_UNIT = "organizational unit"

    @property
    def needs_organization_sharing(self) -> bool:
        return self in (PrincipalKind.ORGANIZATION, PrincipalKind.ORGANIZATIONAL_UNIT)


@dataclass(frozen=True)
class Principal:
    value: str
    kind: PrincipalKind

    @property
    def account(self) -> str | None:
        """The account that receives an invitation, for account, user and role shares."""
        if self.kind is PrincipalKind.ACCOUNT:
            return self.value
        match = IAM_PRINCIPAL.match(self.value)
        return match.group("account") if match else None


@dataclass(frozen=True)
class Place:
    """Where the provider runs: a lens can only be shared by its owner, from its own Region."""

    region: str
    account: str | None


@dataclass(frozen=True)
class LensShareProperties:
    lens_arn: str
    shared_with: Principal
    # Changing it asks for a fresh invitation when the share expired, was rejected, failed or is gone.
    invitation_round: str = ""

    @property
    def target(self) -> tuple[str, str]:
        return (self.lens_arn, self.shared_with.value)


def shown(value: object, limit: int = 80) -> str:
    """A value as a reason quotes it: cut short, so a reason always fits the stack's event list."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def strings(
    resource_type: str,
    properties: Mapping[str, object] | None,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> dict[str, str]:
    """The user's properties as strings, refusing unknown names, non-strings and missing ones."""
    properties = properties or {}
    known = required + optional
    accepted = ", ".join(known)
    for name in properties:
        if name in known or name in CLOUDFORMATION_PROPERTIES:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise PropertyError(f"Unknown property {name!r}{hint}; {resource_type} accepts {accepted}.")
    values: dict[str, str] = {}
    for name in known:
        if name not in properties:
            continue
        value = properties[name]
        if not isinstance(value, str):
            raise PropertyError(
                f"Property {name!r} must be a string, got {type(value).__name__} {shown(value)}; "
                "CloudFormation passes every value as a string, so give one value, not a list or object."
            )
        values[name] = value.strip()
    for name in required:
        if not values.get(name):
            raise PropertyError(
                f"Property {name!r} is required and must not be empty; {resource_type} needs {accepted}."
            )
    return values


def principal(value: str, *, name: str = "SharedWith") -> Principal:
    if ACCOUNT_ID.match(value):
        return Principal(value, PrincipalKind.ACCOUNT)
    if ORGANIZATION_ID.match(value):
        return Principal(value, PrincipalKind.ORGANIZATION)
    if OU_ID.match(value):
        return Principal(value, PrincipalKind.ORGANIZATIONAL_UNIT)
    match = IAM_PRINCIPAL.match(value)
    if match:
        kind = PrincipalKind.IAM_USER if match.group("kind") == "user" else PrincipalKind.IAM_ROLE
        return Principal(value, kind)
    raise PropertyError(f"{name} {shown(value)} is not a principal a lens can be shared with; give {PRINCIPAL_FORMS}.")


def lens_arn(value: str, place: Place, *, name: str = "LensAlias") -> str:
    """A custom lens ARN of the provider's own account and Region."""
    if OFFICIAL_LENS_ARN.match(value) or BARE_NAME.match(value):
        raise PropertyError(
            f"{name} {shown(value)} names an AWS official lens, and official lenses cannot be shared; "
            f"give the ARN of a custom lens: {LENS_ARN_FORM}."
        )
    match = LENS_ARN.match(value)
    if not match:
        raise PropertyError(f"{name} {shown(value)} is not a custom lens ARN; expected {LENS_ARN_FORM}.")
    if match.group("region") != place.region:
        raise PropertyError(
            f"{name} {shown(value)} is a lens of Region {match.group('region')}, but this provider serves "
            f"{place.region}; use the ServiceToken of a provider deployed in {match.group('region')}."
        )
    if place.account and match.group("account") != place.account:
        raise PropertyError(
            f"{name} {shown(value)} belongs to account {match.group('account')}, but this provider runs in "
            f"{place.account}; only the lens owner's account can share it."
        )
    return value


def lens_share(properties: Mapping[str, object] | None, place: Place) -> LensShareProperties:
    values = strings(
        "Custom::LensShare", properties, required=("LensAlias", "SharedWith"), optional=("InvitationRound",)
    )
    return LensShareProperties(
        lens_arn(values["LensAlias"], place), principal(values["SharedWith"]), values.get("InvitationRound", "")
    )
