"""Every service behaviour AWS leaves undocumented, as a named switch holding each plausible answer.

The default of each switch is the most likely answer. Documented behaviours are not switches: the emulator
models them the documented way only. A test elsewhere parametrizes over SWITCHES to prove code correct
under every alternative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

API = "https://docs.aws.amazon.com/wellarchitected/latest/APIReference"
GUIDE = "https://docs.aws.amazon.com/wellarchitected/latest/userguide"


@dataclass(frozen=True)
class Switch:
    name: str
    values: tuple[str, ...]  # the default first; a counted switch also takes any whole number
    question: str
    page: str = ""
    counted: bool = False  # any non-negative whole number is a value too
    documented: bool = False  # every switch models an assumption; kept so the table says so

    @property
    def default(self) -> str:
        return self.values[0]

    def accepts(self, value: str) -> bool:
        return value in self.values or (self.counted and value.isdigit())

    def describe(self) -> str:
        if not self.counted:
            return f"{self.name}: one of {', '.join(self.values)}"
        words = [value for value in self.values if not value.isdigit()]
        return f"{self.name}: {' or '.join([*words, 'a whole number'])}"


SWITCHES: tuple[Switch, ...] = (
    Switch(
        "token-scope",
        ("operation", "account"),
        "Is a ClientRequestToken remembered per account and operation, or per account across operations?",
        f"{API}/API_CreateLensShare.html",
    ),
    Switch(
        "token-reuse",
        ("conflict", "validation", "first-result"),
        "What answers the same ClientRequestToken sent with other parameters?",
        f"{API}/API_CreateLensShare.html",
    ),
    Switch(
        "token-expiry",
        ("never", "24"),
        "After how many hours, if ever, is a ClientRequestToken forgotten?",
        f"{API}/API_CreateLensShare.html",
        counted=True,
    ),
    Switch(
        "conflict-resource-id",
        ("share", "absent", "resource"),
        "What does the ResourceId of a Conflict for a principal with an active share name?",
        f"{API}/API_CreateLensShare.html",
    ),
    Switch(
        "reshare-inactive",
        ("replace", "conflict", "keep-both"),
        "What does sharing again with a principal whose share is REJECTED, EXPIRED or REVOKED do?",
        f"{GUIDE}/lenses-sharing.html",
    ),
    Switch(
        "delete-gone",
        ("not-found", "validation", "ok"),
        "What answers deleting a share that is already gone?",
        f"{API}/API_DeleteLensShare.html",
    ),
    Switch(
        "association",
        ("instant", "slow", "stuck", "fail"),
        "How does an organization or OU share go from ASSOCIATING to ASSOCIATED or FAILED?",
        f"{GUIDE}/sharing.html",
    ),
    Switch(
        "after-delete",
        ("readable", "unshared"),
        "What does a recipient that keeps access after its share was deleted see in ListLenses?",
        f"{API}/API_DeleteLensShare.html",
    ),
    Switch(
        "invitation-delay",
        ("0", "2"),
        "After how many ListShareInvitations calls by the recipient does a new invitation show?",
        f"{API}/API_ListShareInvitations.html",
        counted=True,
    ),
    Switch(
        "listing-lag",
        ("0", "2"),
        "For how many List*Shares calls after a write does the listing still show the state before it?",
        f"{API}/API_ListLensShares.html",
        counted=True,
    ),
    Switch(
        "own-account",
        ("refused", "accepted"),
        "Is a share with the owner's own account refused?",
        f"{API}/API_CreateLensShare.html",
    ),
    Switch(
        "quota-counts",
        ("all", "accounts-and-users"),
        "Do organization and OU shares count toward the 300 shares of a lens, profile or template?",
        f"{GUIDE}/lenses-sharing.html",
    ),
    Switch(
        "message-prefix",
        ("bracketed", "plain"),
        "Does an error message start with its bracketed kind, as in '[Validation] ...'?",
        f"{API}/CommonErrors.html",
    ),
)

BY_NAME: dict[str, Switch] = {switch.name: switch for switch in SWITCHES}
ASSOCIATION_SECONDS = 60.0  # how long "slow" keeps an organization share ASSOCIATING, on the emulator's clock


def check(name: str, value: str) -> None:
    """Refuse an unknown switch or value with what would be accepted."""
    switch = BY_NAME.get(name)
    if switch is None:
        raise ValueError(f"no behaviour switch {name!r}; the switches are {', '.join(BY_NAME)}")
    if not switch.accepts(value):
        raise ValueError(f"{value!r} is not a value of behaviour {switch.describe()}")


def parse(setting: str) -> tuple[str, str]:
    """NAME=VALUE, as the command line gives it."""
    name, sep, value = setting.partition("=")
    if not sep:
        raise ValueError(f"a behaviour is NAME=VALUE, not {setting!r}")
    check(name.strip(), value.strip())
    return name.strip(), value.strip()


class Behaviour:
    """The switches' current values, and the baseline reset() returns to."""

    def __init__(self, baseline: Mapping[str, str] | None = None) -> None:
        for name, value in (baseline or {}).items():
            check(name, str(value))
        self._baseline = {switch.name: switch.default for switch in SWITCHES} | {
            name: str(value) for name, value in (baseline or {}).items()
        }
        self._values = dict(self._baseline)

    def set(self, name: str, value: str) -> None:
        check(name, str(value))
        self._values[name] = str(value)

    def reset(self) -> None:
        self._values = dict(self._baseline)

    def load(self, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            check(name, value)
        self._values = dict(self._baseline) | dict(values)

    def values(self) -> dict[str, str]:
        return dict(self._values)

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def count(self, name: str) -> int:
        """A counted switch's number; a word (like "never") is 0."""
        value = self._values[name]
        return int(value) if value.isdigit() else 0
