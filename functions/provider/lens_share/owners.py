"""AllowedOwners of the member template: the owner accounts whose share invitations the provider may accept."""

from __future__ import annotations

from dataclasses import dataclass

from lens_share.errors import ProviderError

ANY_OWNER = "ANY"


def account_of(shared_by: str) -> str:
    """SharedBy is the owner's account ID or an ARN of one of its principals; the account field names it."""
    fields = shared_by.split(":")
    return fields[4] if len(fields) > 4 else shared_by


@dataclass(frozen=True)
class Owners:
    """None allows every owner: the whole provider accepts from anyone, as it always has."""

    allowed: frozenset[str] | None = None

    @classmethod
    def from_setting(cls, setting: str) -> Owners:
        if setting.strip() in ("", ANY_OWNER):
            return cls()
        return cls(frozenset(part.strip() for part in setting.split(",") if part.strip()))

    def check(self, shared_by: str, noun: str, identifier: str) -> None:
        owner = account_of(shared_by)
        if self.allowed is None or owner in self.allowed:
            return
        raise ProviderError(
            f"The invitation to {noun} {identifier} comes from account {owner}, which is not in this stack's "
            f"AllowedOwners ({','.join(sorted(self.allowed))}); add {owner} to AllowedOwners to accept it.",
            "OwnerNotAllowed",
        )
