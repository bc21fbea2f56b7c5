"""Lenses, shares and invitations in memory, with the service's rules, behind one lock."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from emulator.protocol import ServiceError

INVITATION_LIFETIME = 7 * 24 * 3600.0
DEFAULT_SHARE_QUOTA = 300
LENS_SHARES_PAGE_LIMIT = 10  # the model allows 50, the service was seen refusing more than 10
MAX_PAGE_SIZE = 50
PUBLISHED_VERSION = "1.0"
_ENDED = ("REJECTED", "EXPIRED")
ORGANIZATION_STATUSES = ("ASSOCIATING", "ASSOCIATED", "FAILED")
_NOT_SHARED = "official lenses cannot be shared"
_NOT_CHANGED = "official lenses cannot be changed"

_ACCOUNT = re.compile(r"\d{12}")
_IAM_PRINCIPAL = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):(?:user|role)/[\w+=,.@/-]+")
_ORGANIZATION = re.compile(r"o-[a-z0-9]{10,32}")
_ORGANIZATIONAL_UNIT = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}")

Params = dict[str, Any]
Result = dict[str, Any]


@dataclass
class Share:
    share_id: str
    lens_arn: str
    shared_with: str
    recipient: str | None  # the account that must accept; None for an organization or OU
    status: str
    seq: int
    status_message: str | None = None
    invitation_id: str | None = None

    def summary(self) -> Result:
        return _compact(
            {
                "ShareId": self.share_id,
                "SharedWith": self.shared_with,
                "Status": self.status,
                "StatusMessage": self.status_message,
            }
        )


@dataclass
class Lens:
    arn: str
    owner: str
    name: str
    description: str | None
    tags: dict[str, str]
    created_at: float
    seq: int
    version: str | None = None
    updated_at: float = 0.0
    shares: dict[str, Share] = field(default_factory=dict)


@dataclass
class Invitation:
    invitation_id: str
    share: Share
    shared_by: str
    created_at: float
    seq: int


class _Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


_Item = TypeVar("_Item", bound=_Sequenced)


class State:
    """All service state; every public method and every operation runs under the one lock."""

    def __init__(self, region: str, default_account: str) -> None:
        self.region = region
        self.default_account = default_account
        self._lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        self._lenses: dict[str, Lens] = {}
        self._invitations: dict[str, Invitation] = {}
        self._organization_sharing: set[str] = set()
        self._tokens: dict[tuple[str, str, str], tuple[str, Result]] = {}
        self._share_quota = DEFAULT_SHARE_QUOTA
        self._clock_offset = 0.0
        self._sequence = 0

    # --- entry point for the HTTP front ---------------------------------------------------------

    def call(self, operation: str, account: str, params: Params) -> Result:
        handler = _HANDLERS[operation]
        with self._lock:
            self._expire_invitations()
            token = params.get("ClientRequestToken")
            if token is None:
                return handler(self, account, params)
            return self._idempotent((account, operation, token), params, lambda: handler(self, account, params))

    def _idempotent(self, key: tuple[str, str, str], params: Params, run: Callable[[], Result]) -> Result:
        """A token seen before with the same parameters replays the first result; other parameters conflict."""
        fingerprint = json.dumps({k: v for k, v in params.items() if k != "ClientRequestToken"}, sort_keys=True)
        if key in self._tokens:
            first, result = self._tokens[key]
            if first != fingerprint:
                raise ServiceError(
                    "ConflictException",
                    "The ClientRequestToken was already used with different parameters",
                    ResourceId=key[2],
                    ResourceType="CLIENT_REQUEST_TOKEN",
                )
            return result
        result = run()
        self._tokens[key] = (fingerprint, result)
        return result

    # --- Python API (also served under /_emulator/) ---------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self._clear()

    def create_lens(self, name: str, account: str | None, published: bool) -> str:
        with self._lock:
            lens = self._new_lens(account or self.default_account, name, None, {})
            lens.version = PUBLISHED_VERSION if published else None
            return lens.arn

    def shares(self, lens_arn: str | None) -> list[Result]:
        with self._lock:
            self._expire_invitations()
            return [
                {
                    "ShareId": share.share_id,
                    "LensArn": share.lens_arn,
                    "SharedWith": share.shared_with,
                    "Status": share.status,
                    "StatusMessage": share.status_message,
                }
                for lens in self._lenses.values()
                if lens_arn in (None, lens.arn)
                for share in lens.shares.values()
            ]

    def invitations(self, account: str | None) -> list[Result]:
        with self._lock:
            self._expire_invitations()
            return [
                {**self._invitation_summary(invitation), "ShareId": invitation.share.share_id}
                for invitation in self._invitations.values()
                if account in (None, invitation.share.recipient)
            ]

    def set_organization_sharing(self, enabled: bool, account: str | None) -> None:
        with self._lock:
            self._set_organization_sharing(account or self.default_account, enabled)

    def organization_sharing(self, account: str | None) -> str:
        with self._lock:
            return self._organization_sharing_status(account or self.default_account)

    def set_share_quota(self, limit: int) -> None:
        if limit < 0:
            raise ValueError("the share quota cannot be negative")
        with self._lock:
            self._share_quota = limit

    def advance_clock(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._clock_offset += seconds

    def set_share_status(self, share_id: str, status: str, message: str | None) -> None:
        """What the service does to an organization or OU share on its own: ASSOCIATING, ASSOCIATED or FAILED."""
        if status not in ORGANIZATION_STATUSES:
            raise ValueError(f"an organization or OU share's status is one of {ORGANIZATION_STATUSES}, not {status!r}")
        with self._lock:
            share = self._share(share_id)
            if share.recipient is not None:
                raise ValueError(f"share {share_id} is with {share.shared_with}, not an organization or OU")
            share.status, share.status_message = status, message

    def delete_share(self, share_id: str) -> None:
        """A share deleted by hand, outside any stack (as DeleteLensShare from the console would)."""
        with self._lock:
            share = self._share(share_id)
            del self._lenses[share.lens_arn].shares[share_id]
            self._drop_invitation(share)

    def dump(self) -> dict[str, Any]:
        """Everything the service holds, as JSON data that load() takes back, in this process or another."""
        with self._lock:
            return {
                "lenses": [
                    {**_fields(lens, "shares"), "shares": [_fields(share) for share in lens.shares.values()]}
                    for lens in self._lenses.values()
                ],
                "invitations": [
                    {**_fields(invitation, "share"), "share": [invitation.share.lens_arn, invitation.share.share_id]}
                    for invitation in self._invitations.values()
                ],
                "organization_sharing": sorted(self._organization_sharing),
                "tokens": [[*key, fingerprint, result] for key, (fingerprint, result) in self._tokens.items()],
                "share_quota": self._share_quota,
                "clock_offset": self._clock_offset,
                "sequence": self._sequence,
            }

    def load(self, data: dict[str, Any]) -> None:
        """Replace everything held by what dump() gave."""
        with self._lock:
            self._clear()
            for lens_data in data["lenses"]:
                lens = Lens(**{**lens_data, "shares": {}})
                lens.shares = {share["share_id"]: Share(**share) for share in lens_data["shares"]}
                self._lenses[lens.arn] = lens
            for invitation in data["invitations"]:
                lens_arn, share_id = invitation["share"]
                share = self._lenses[lens_arn].shares[share_id]
                self._invitations[invitation["invitation_id"]] = Invitation(**{**invitation, "share": share})
            self._organization_sharing = set(data["organization_sharing"])
            self._tokens = {(a, o, t): (fingerprint, result) for a, o, t, fingerprint, result in data["tokens"]}
            self._share_quota = data["share_quota"]
            self._clock_offset = data["clock_offset"]
            self._sequence = data["sequence"]

    # --- operations -------------------------------------------------------------------------------

    def _import_lens(self, account: str, params: Params) -> Result:
        name, description = _lens_document(params["JSONString"])
        alias = params.get("LensAlias")
        if alias is None:
            lens = self._new_lens(account, name, description, params.get("Tags", {}))
        else:
            lens = self._owned_lens(alias, account, _NOT_CHANGED)
            lens.name, lens.description, lens.updated_at = name, description, self._now()
        return {"LensArn": lens.arn, "Status": "COMPLETE"}

    def _create_lens_version(self, account: str, params: Params) -> Result:
        lens = self._owned_lens(params["LensAlias"], account, _NOT_CHANGED)
        version = params["LensVersion"]
        if lens.version == version:
            raise ServiceError(
                "ConflictException",
                f"Lens version {version} already exists",
                ResourceId=lens.arn,
                ResourceType="LENS",
            )
        lens.version, lens.updated_at = version, self._now()
        return {"LensArn": lens.arn, "LensVersion": version}

    def _get_lens(self, account: str, params: Params) -> Result:
        lens = self._lens(params["LensAlias"], "the emulator holds custom lenses only")
        invitation_id = None
        if lens.owner != account:
            if not any(self._reaches(share, account, ("PENDING", "ACCEPTED")) for share in lens.shares.values()):
                raise ServiceError("AccessDeniedException", f"Lens {lens.arn} is not shared with {account}")
            invitation_id = next(
                (s.invitation_id for s in lens.shares.values() if s.recipient == account and s.invitation_id),
                None,
            )
        wanted = params.get("LensVersion")
        if wanted is not None and wanted != lens.version:
            raise _not_found(f"{lens.arn} version {wanted}", "LENS_VERSION")
        return {
            "Lens": _compact(
                {
                    "LensArn": lens.arn,
                    "LensVersion": lens.version,
                    "Name": lens.name,
                    "Description": lens.description,
                    "Owner": lens.owner,
                    "ShareInvitationId": invitation_id,
                    "Tags": lens.tags or None,
                }
            )
        }

    def _list_lenses(self, account: str, params: Params) -> Result:
        wanted_type, status, name = params.get("LensType"), params.get("LensStatus", "ALL"), params.get("LensName")
        selected: list[tuple[Lens, str]] = []
        for lens in self._lenses.values():
            if lens.owner == account:
                lens_type = "CUSTOM_SELF"
            elif any(self._reaches(share, account, ("ACCEPTED",)) for share in lens.shares.values()):
                lens_type = "CUSTOM_SHARED"
            else:
                continue
            published = "PUBLISHED" if lens.version else "DRAFT"
            if wanted_type in (None, lens_type) and status in ("ALL", published) and name in (None, lens.name):
                selected.append((lens, lens_type))
        page, token = self._page(
            [lens for lens, _ in selected],
            ("ListLenses", account, wanted_type, status, name),
            params,
            MAX_PAGE_SIZE,
        )
        types = {lens.arn: lens_type for lens, lens_type in selected}
        return _compact(
            {
                "LensSummaries": [
                    _compact(
                        {
                            "LensArn": lens.arn,
                            "LensAlias": lens.arn,
                            "LensName": lens.name,
                            "LensType": types[lens.arn],
                            "Description": lens.description,
                            "CreatedAt": lens.created_at,
                            "UpdatedAt": lens.updated_at,
                            "LensVersion": lens.version,
                            "Owner": lens.owner,
                        }
                    )
                    for lens in page
                ],
                "NextToken": token,
            }
        )

    def _delete_lens(self, account: str, params: Params) -> Result:
        lens = self._owned_lens(params["LensAlias"], account, _NOT_CHANGED)
        del self._lenses[lens.arn]
        for share in lens.shares.values():
            self._drop_invitation(share)
        return {}

    def _create_lens_share(self, account: str, params: Params) -> Result:
        shared_with = params["SharedWith"]
        recipient = _recipient(shared_with)
        lens = self._owned_lens(params["LensAlias"], account, _NOT_SHARED)
        if lens.version is None:
            raise ServiceError(
                "ValidationException",
                f"Lens {lens.arn} has no published version; publish it with CreateLensVersion before sharing it",
            )
        if recipient is None and account not in self._organization_sharing:
            raise ServiceError(
                "ValidationException",
                f"Organization sharing is not enabled for account {account}: "
                "enable it with UpdateGlobalSettings (OrganizationSharingStatus=ENABLED)",
            )
        previous = next((s for s in lens.shares.values() if s.shared_with == shared_with), None)
        if previous is not None and previous.status not in _ENDED:
            raise ServiceError(
                "ConflictException",
                f"Lens {lens.arn} is already shared with {shared_with}",
                ResourceId=previous.share_id,
                ResourceType="LENS_SHARE",
            )
        if len(lens.shares) - (previous is not None) >= self._share_quota:
            raise ServiceError(
                "ServiceQuotaExceededException",
                f"Lens {lens.arn} already has {self._share_quota} shares, the most a lens can have",
                ResourceId=lens.arn,
                ResourceType="LENS",
                QuotaCode="shares-per-lens",
                ServiceCode="wellarchitected",
            )
        if previous is not None:
            del lens.shares[previous.share_id]  # a rejected or expired share gives way to the new one
        share = Share(
            share_id=uuid.uuid4().hex,
            lens_arn=lens.arn,
            shared_with=shared_with,
            recipient=recipient,
            status="ASSOCIATED" if recipient is None else "PENDING",
            seq=self._next_seq(),
        )
        lens.shares[share.share_id] = share
        if recipient is not None:
            invitation = Invitation(uuid.uuid4().hex, share, account, self._now(), self._next_seq())
            self._invitations[invitation.invitation_id] = invitation
            share.invitation_id = invitation.invitation_id
        return {"ShareId": share.share_id}

    def _delete_lens_share(self, account: str, params: Params) -> Result:
        lens = self._owned_lens(params["LensAlias"], account, _NOT_SHARED)
        share = lens.shares.pop(params["ShareId"], None)
        if share is None:
            raise _not_found(params["ShareId"], "LENS_SHARE")
        self._drop_invitation(share)
        return {}

    def _list_lens_shares(self, account: str, params: Params) -> Result:
        lens = self._owned_lens(params["LensAlias"], account, _NOT_SHARED)
        prefix, status = params.get("SharedWithPrefix", ""), params.get("Status")
        matching = [
            share
            for share in lens.shares.values()
            if share.shared_with.startswith(prefix) and status in (None, share.status)
        ]
        page, token = self._page(matching, ("ListLensShares", lens.arn, prefix, status), params, LENS_SHARES_PAGE_LIMIT)
        return _compact({"LensShareSummaries": [share.summary() for share in page], "NextToken": token})

    def _get_global_settings(self, account: str, params: Params) -> Result:
        return {"OrganizationSharingStatus": self._organization_sharing_status(account)}

    def _update_global_settings(self, account: str, params: Params) -> Result:
        status = params.get("OrganizationSharingStatus")
        if status is not None:
            self._set_organization_sharing(account, status == "ENABLED")
        return {}

    def _list_share_invitations(self, account: str, params: Params) -> Result:
        resource_type, prefix = params.get("ShareResourceType"), params.get("LensNamePrefix", "")
        mine = [
            invitation
            for invitation in self._invitations.values()
            if invitation.share.recipient == account
            and resource_type in (None, "LENS")
            and self._lenses[invitation.share.lens_arn].name.startswith(prefix)
        ]
        page, token = self._page(mine, ("ListShareInvitations", account, resource_type, prefix), params, MAX_PAGE_SIZE)
        return _compact({"ShareInvitationSummaries": [self._invitation_summary(i) for i in page], "NextToken": token})

    def _update_share_invitation(self, account: str, params: Params) -> Result:
        invitation_id = params["ShareInvitationId"]
        invitation = self._invitations.get(invitation_id)
        if invitation is None or invitation.share.recipient != account:
            raise _not_found(invitation_id, "SHARE_INVITATION")
        share = invitation.share
        share.status = "ACCEPTED" if params["ShareInvitationAction"] == "ACCEPT" else "REJECTED"
        self._drop_invitation(share)
        return {
            "ShareInvitation": {
                "ShareInvitationId": invitation_id,
                "ShareResourceType": "LENS",
                "LensAlias": share.lens_arn,
                "LensArn": share.lens_arn,
            }
        }

    # --- helpers (the lock is held) ------------------------------------------------------------

    def _now(self) -> float:
        return time.time() + self._clock_offset

    def _next_seq(self) -> int:
        self._sequence += 1
        return self._sequence

    def _share(self, share_id: str) -> Share:
        for lens in self._lenses.values():
            if share_id in lens.shares:
                return lens.shares[share_id]
        raise ValueError(f"no share {share_id}")

    def _new_lens(self, account: str, name: str, description: str | None, tags: dict[str, str]) -> Lens:
        now = self._now()
        arn = f"arn:aws:wellarchitected:{self.region}:{account}:lens/{uuid.uuid4().hex}"
        lens = Lens(arn, account, name, description, dict(tags), now, self._next_seq(), updated_at=now)
        self._lenses[arn] = lens
        return lens

    def _lens(self, alias: str, refusal: str) -> Lens:
        """A custom lens by ARN; a bare name or an ARN without account is an AWS official lens."""
        parts = alias.split(":", 5)
        if parts[0] != "arn" or (len(parts) == 6 and parts[4] == ""):
            raise ServiceError(
                "ValidationException",
                f"{alias} is an AWS official lens: {refusal} (a custom lens is addressed by its ARN)",
            )
        lens = self._lenses.get(alias)
        if lens is None:
            raise _not_found(alias, "LENS")
        return lens

    def _owned_lens(self, alias: str, account: str, refusal: str) -> Lens:
        lens = self._lens(alias, refusal)
        if lens.owner != account:
            raise ServiceError("AccessDeniedException", f"Account {account} does not own lens {lens.arn}")
        return lens

    @staticmethod
    def _reaches(share: Share, account: str, statuses: tuple[str, ...]) -> bool:
        return share.recipient == account and share.status in statuses

    def _drop_invitation(self, share: Share) -> None:
        if share.invitation_id is not None:
            self._invitations.pop(share.invitation_id, None)
            share.invitation_id = None

    def _expire_invitations(self) -> None:
        deadline = self._now() - INVITATION_LIFETIME
        for invitation in [i for i in self._invitations.values() if i.created_at <= deadline]:
            invitation.share.status = "EXPIRED"
            invitation.share.status_message = "The share invitation expired 7 days after it was sent"
            self._drop_invitation(invitation.share)

    def _invitation_summary(self, invitation: Invitation) -> Result:
        share = invitation.share
        return {
            "ShareInvitationId": invitation.invitation_id,
            "SharedBy": invitation.shared_by,
            "SharedWith": share.shared_with,
            "ShareResourceType": "LENS",
            "LensName": self._lenses[share.lens_arn].name,
            "LensArn": share.lens_arn,
        }

    def _organization_sharing_status(self, account: str) -> str:
        return "ENABLED" if account in self._organization_sharing else "DISABLED"

    def _set_organization_sharing(self, account: str, enabled: bool) -> None:
        if enabled:
            self._organization_sharing.add(account)
        else:
            self._organization_sharing.discard(account)

    @staticmethod
    def _page(
        items: list[_Item], scope: tuple[str | None, ...], params: Params, limit: int
    ) -> tuple[list[_Item], str | None]:
        """One page after the NextToken's position; a token is only good for the query that made it."""
        size = params.get("MaxResults", limit)
        if size > limit:
            raise ServiceError("ValidationException", f"MaxResults must be at most {limit}")
        digest = hashlib.sha256(json.dumps(scope).encode()).hexdigest()[:16]
        after = _decode_token(params.get("NextToken"), digest)
        rest = [item for item in items if item.seq > after]
        page = rest[:size]
        token = _encode_token(digest, page[-1].seq) if len(rest) > size else None
        return page, token


_HANDLERS: dict[str, Callable[[State, str, Params], Result]] = {
    "ImportLens": State._import_lens,
    "CreateLensVersion": State._create_lens_version,
    "GetLens": State._get_lens,
    "ListLenses": State._list_lenses,
    "DeleteLens": State._delete_lens,
    "CreateLensShare": State._create_lens_share,
    "DeleteLensShare": State._delete_lens_share,
    "ListLensShares": State._list_lens_shares,
    "GetGlobalSettings": State._get_global_settings,
    "UpdateGlobalSettings": State._update_global_settings,
    "ListShareInvitations": State._list_share_invitations,
    "UpdateShareInvitation": State._update_share_invitation,
}


def implements(operation: str) -> bool:
    return operation in _HANDLERS


def _recipient(shared_with: str) -> str | None:
    """The account that must accept the share, None for an organization or OU; anything else is refused."""
    if _ACCOUNT.fullmatch(shared_with):
        return shared_with
    principal = _IAM_PRINCIPAL.fullmatch(shared_with)
    if principal is not None:
        return principal.group(1)
    if _ORGANIZATION.fullmatch(shared_with) or _ORGANIZATIONAL_UNIT.fullmatch(shared_with):
        return None
    raise ServiceError(
        "ValidationException",
        f"SharedWith {shared_with!r} is not an account ID, an IAM user or role ARN, "
        "an organization ID or an organizational unit ID",
    )


def _lens_document(text: str) -> tuple[str, str | None]:
    """The name and description of a lens JSON document."""
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    name = document.get("name") if isinstance(document, dict) else None
    if not isinstance(name, str) or not 1 <= len(name) <= 128:
        raise ServiceError(
            "ValidationException", "JSONString must be a lens JSON document with a name of 1-128 characters"
        )
    description = document.get("description")
    return name, description if isinstance(description, str) and description else None


def _not_found(resource_id: str, resource_type: str) -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException",
        f"{resource_type} {resource_id} was not found",
        ResourceId=resource_id,
        ResourceType=resource_type,
    )


def _encode_token(digest: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{digest}:{seq}".encode()).decode()


def _decode_token(token: str | None, digest: str) -> int:
    if token is None:
        return 0
    try:
        token_digest, _, seq = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if token_digest == digest:
            return int(seq)
    except ValueError:
        pass
    raise ServiceError("ValidationException", "The NextToken is not valid for this request")


def _fields(item: Any, *leave_out: str) -> Result:
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in leave_out}


def _compact(fields: Result) -> Result:
    """Absent members are left out, as the service does, rather than sent as null."""
    return {key: value for key, value in fields.items() if value is not None}
