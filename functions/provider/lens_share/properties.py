"""Resource properties: checked and typed at the edge, before any call is made."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from lens_share import schema

# CloudFormation adds these itself; they are never the user's concern.
CLOUDFORMATION_PROPERTIES = ("ServiceToken", "ServiceTimeout")

ACCOUNT_ID = re.compile(r"^\d{12}$")
ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
OU_ID = re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
IAM_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:iam::(?P<account>\d{12}):(?P<kind>user|role)/[\w+=,.@/-]{1,576}$")


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


PRINCIPAL_FORMS = {
    PrincipalKind.ACCOUNT: "a 12-digit account ID",
    PrincipalKind.IAM_USER: "an IAM user ARN (arn:aws:iam::123456789012:user/name)",
    PrincipalKind.IAM_ROLE: "an IAM role ARN",
    PrincipalKind.ORGANIZATION: "an organization ID (o-xxxxxxxxxx)",
    PrincipalKind.ORGANIZATIONAL_UNIT: "an OU ID (ou-xxxx-xxxxxxxx)",
}


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


def shown(value: object, limit: int = 80) -> str:
    """A value as a reason quotes it: cut short, so a reason always fits the stack's event list."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def strings(resource_type: str, properties: Mapping[str, object] | None) -> dict[str, str]:
    """The user's properties as strings, checked against the type's schema: unknown names, non-strings, missing
    required ones and values outside an enum are refused; defaults are filled in."""
    described = schema.load(resource_type)
    properties = properties or {}
    known = described.inputs
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
            default = described.properties[name].get("default")
            if default is not None:
                values[name] = str(default)
            continue
        value = properties[name]
        if isinstance(value, bool):
            value = str(value).lower()  # a YAML boolean reaches a local run as one; CloudFormation sends "true"
        if not isinstance(value, str):
            raise PropertyError(
                f"Property {name!r} must be a string, got {type(value).__name__} {shown(value)}; "
                "CloudFormation passes every value as a string, so give one value, not a list or object."
            )
        values[name] = _allowed(name, value.strip(), described.properties[name])
    for name in described.required:
        if not values.get(name):
            raise PropertyError(
                f"Property {name!r} is required and must not be empty; {resource_type} needs "
                f"{' and '.join(described.required)}."
            )
    return values


def _allowed(name: str, value: str, described: Mapping[str, object]) -> str:
    """The value as the schema's enum spells it; CloudFormation users write true or True alike."""
    enum = described.get("enum")
    if not isinstance(enum, list) or not value:
        return value
    for allowed in enum:
        if str(allowed).lower() == value.lower():
            return str(allowed)
    default = f" (default {described['default']!r})" if "default" in described else ""
    raise PropertyError(f"{name} {shown(value)} must be {' or '.join(repr(each) for each in enum)}{default}.")


def principal(
    value: str, accepted: frozenset[PrincipalKind] = frozenset(PrincipalKind), *, noun: str = "lens"
) -> Principal:
    """The principal SharedWith names, if it is one that a resource of this kind can be shared with."""
    found = _principal(value)
    if found is None or found.kind not in accepted:
        forms = ", ".join(PRINCIPAL_FORMS[kind] for kind in PrincipalKind if kind in accepted)
        raise PropertyError(f"SharedWith {shown(value)} is not a principal a {noun} can be shared with; give {forms}.")
    return found


def _principal(value: str) -> Principal | None:
    if ACCOUNT_ID.match(value):
        return Principal(value, PrincipalKind.ACCOUNT)
    if ORGANIZATION_ID.match(value):
        return Principal(value, PrincipalKind.ORGANIZATION)
    if OU_ID.match(value):
        return Principal(value, PrincipalKind.ORGANIZATIONAL_UNIT)
    match = IAM_PRINCIPAL.match(value)
    if match:
        return Principal(value, PrincipalKind.IAM_USER if match.group("kind") == "user" else PrincipalKind.IAM_ROLE)
    return None


def not_own_account(principal: Principal, place: Place, noun: str) -> None:
    """Sharing with the owner's own account gives nothing and its answer is undocumented: refused before any call."""
    if place.account and principal.account == place.account:
        raise PropertyError(
            f"SharedWith {shown(principal.value)} is in account {place.account}, which owns the {noun}; "
            f"share with another account, an organization or an OU."
        )
