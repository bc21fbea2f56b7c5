"""Every physical ID the provider answers: its contract with CloudFormation, which hands them back on Delete.

A Delete must recognise every format any version ever answered, so formats are only ever added here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lens_share.kinds import KINDS

# What a share or invitation is of, as each kind's description names it in a physical ID.
_RESOURCE = "|".join(f"(?:{kind.physical_form})" for kind in KINDS)
_SHARE = re.compile(
    rf"^(?P<resource>{_RESOURCE})/shares/(?P<share>[0-9a-f]{{32}})(?:/replaces/(?P<replaces>[0-9a-f]{{32}}))?$"
)
_INVITATION = re.compile(rf"^(?P<resource>{_RESOURCE})/invitations/(?P<invitation>[0-9a-f]{{32}}|accepted)$")

NOT_CREATED = "not-created-"
UNCONFIRMED = "unconfirmed-"
ORGANIZATION_SHARING = "organization-sharing:"
ACCEPTED_EARLIER = "accepted"


@dataclass(frozen=True)
class ShareRef:
    """A share this resource made; `replaces` is the share it held before a replacement (since 1.1.0).
    `resource` is how the physical ID names what is shared: an ARN, or `workloads/<WorkloadId>`."""

    resource: str
    share_id: str
    replaces: str = ""

    @property
    def physical_id(self) -> str:
        own = f"{self.resource}/shares/{self.share_id}"
        return f"{own}/replaces/{self.replaces}" if self.replaces else own

    @classmethod
    def parse(cls, physical_id: str) -> ShareRef | None:
        """1.0.0 wrote `<lens>/shares/<id>`; 1.1.0 adds `/replaces/<id>` after a replacement; 1.2.0 adds the
        profile, review template and workload forms."""
        match = _SHARE.match(physical_id)
        if not match:
            return None
        return cls(match.group("resource"), match.group("share"), match.group("replaces") or "")


def not_created(request_id: str) -> str:
    """The physical ID of a Create that made nothing: a Delete recognises it and makes no call."""
    return f"{NOT_CREATED}{request_id}"


def unconfirmed(request_id: str) -> str:
    """The physical ID of a Create cut off by the deadline: what it asked for may or may not exist."""
    return f"{UNCONFIRMED}{request_id}"


def unconfirmed_token(physical_id: str) -> str | None:
    """The cut-off Create's RequestId, which was its ClientRequestToken."""
    return physical_id.removeprefix(UNCONFIRMED) if physical_id.startswith(UNCONFIRMED) else None


def organization_sharing(account: str | None, region: str) -> str:
    return f"{ORGANIZATION_SHARING}{account or 'self'}:{region}"


@dataclass(frozen=True)
class InvitationRef:
    resource: str
    invitation_id: str  # empty when there was nothing to accept: accepted earlier, or an organization share

    @property
    def physical_id(self) -> str:
        return f"{self.resource}/invitations/{self.invitation_id or ACCEPTED_EARLIER}"

    @classmethod
    def parse(cls, physical_id: str) -> InvitationRef | None:
        match = _INVITATION.match(physical_id)
        if not match:
            return None
        invitation = match.group("invitation")
        return cls(match.group("resource"), "" if invitation == ACCEPTED_EARLIER else invitation)
