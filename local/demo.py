"""A whole stack life cycle on the embedded emulator, through the real handler and CloudFormation's protocol.

    python -m local.demo [--verbose]

Prints the stack's events as CloudFormation lists them and the lens's shares; exits non-zero when any step
does not end the way it should.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from local.session import Session, session
from local.stack import Stack

ACCOUNT, NEW_ACCOUNT = "222222222222", "333333333333"
OU = "ou-ab12-cd34ef56"
USER = "arn:aws:iam::444444444444:user/platform/auditor"


@dataclass
class Checks:
    failures: list[str] = field(default_factory=list)

    def expect(self, what: str, holds: bool) -> None:
        print(f"  {'ok  ' if holds else 'FAIL'} {what}")
        if not holds:
            self.failures.append(what)


def principals(current: Session, lens: str) -> set[str]:
    return {share["SharedWith"] for share in current.emulator.shares(lens)}


def play(current: Session, lens: str, checks: Checks) -> Stack:
    stack = Stack(current.provider.handler, current.receiver, name="platform-lens")
    step: Callable[[str], None] = lambda title: print(f"\n== {title}")  # noqa: E731

    step("Create the stack with organization sharing, then add shares to an account, an OU and an IAM user")
    checks.expect(
        "organization sharing turned on",
        stack.create("OrgSharing", {}, resource_type="Custom::WellArchitectedOrganizationSharing").succeeded,
    )
    for logical_id, principal in (("AccountShare", ACCOUNT), ("OuShare", OU), ("UserShare", USER)):
        answer = stack.create(logical_id, {"LensAlias": lens, "SharedWith": principal})
        checks.expect(f"{logical_id} shared with {principal} as {answer.data.get('ShareId')}", answer.succeeded)
    checks.expect("the emulator holds the three shares", principals(current, lens) == {ACCOUNT, OU, USER})

    step(f"Update AccountShare to {NEW_ACCOUNT}: a replacement, then the clean-up delete of the old share")
    old_id = stack.resources["AccountShare"].physical_id
    replaced = stack.update("AccountShare", {"LensAlias": lens, "SharedWith": NEW_ACCOUNT})
    checks.expect("a new physical ID", replaced.succeeded and replaced.physical_id != old_id)
    stack.cleanup()
    checks.expect(
        f"{ACCOUNT} no longer shared, {NEW_ACCOUNT} shared", principals(current, lens) == {NEW_ACCOUNT, OU, USER}
    )

    step("Update UserShare with a bad SharedWith: it fails with a reason, and the rollback keeps the share")
    failed = stack.update("UserShare", {"LensAlias": lens, "SharedWith": "everyone"})
    checks.expect(f"FAILED: {failed.reason}", failed.status == "FAILED" and "SharedWith 'everyone'" in failed.reason)
    rolled_back = stack.rollback()
    checks.expect("the rollback succeeded", all(answer.succeeded for answer in rolled_back))
    checks.expect("the original shares are intact", principals(current, lens) == {NEW_ACCOUNT, OU, USER})
    return stack


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="also print the handler's JSON log lines")
    options = parser.parse_args()
    checks = Checks()
    with session(quiet=not options.verbose) as current:
        lens = current.publish_sample_lens()
        print(f"Embedded Well-Architected emulator at {current.emulator.url}; published custom lens {lens}")
        stack = play(current, lens, checks)

        print("\n== Shares of the lens before the stack is deleted")
        for share in current.emulator.shares(lens):
            print(f"  {share['ShareId']}  {share['SharedWith']:<50} {share['Status']}")

        print("\n== Delete the stack")
        deleted = stack.delete_stack()
        checks.expect("every resource deleted", all(answer.succeeded for answer in deleted))
        checks.expect("no share left", current.emulator.shares(lens) == [])
        checks.expect(
            "organization sharing left on (DisableOnDelete is false)",
            current.emulator.organization_sharing() == "ENABLED",
        )
        checks.expect("every answer valid for CloudFormation", all(not i.answer.problems for i in stack.invocations))

        print("\n== Stack events (oldest first)")
        print(stack.events_table(newest_first=False))
    print(f"\n{'Demo passed' if not checks.failures else 'Demo FAILED: ' + '; '.join(checks.failures)}")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
