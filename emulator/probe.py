"""python -m emulator.probe: which answer the real service gives to each undocumented behaviour it can be
asked safely, and the emulator switches that match.

    make probe SHARE_WITH=123456789012

Runs with your own credentials and Region (or wherever AWS_ENDPOINT_URL_WELLARCHITECTED points). It imports
and publishes a throwaway custom lens, shares it with SHARE_WITH (another account of yours, which receives
invitations that lapse when the shares are deleted), observes, and deletes every share and the lens, even
when a step fails. Well-Architected has no charge; it makes about 15 calls.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

LENS = {
    "schemaVersion": "2021-11-01",
    "name": "lens-share-provider probe",
    "description": "Throwaway lens of the lens-share-provider probe; safe to delete.",
    "pillars": [
        {
            "id": "probe",
            "name": "Probe",
            "questions": [
                {
                    "id": "probe1",
                    "title": "Is this a probe?",
                    "choices": [{"id": "probe1_yes", "title": "Yes"}, {"id": "probe1_no", "title": "No"}],
                    "riskRules": [
                        {"condition": "probe1_yes", "risk": "NO_RISK"},
                        {"condition": "default", "risk": "HIGH_RISK"},
                    ],
                }
            ],
        }
    ],
}
# Listings read before trusting what one says after a write: the emulator's lag switch counts calls.
SETTLE = 3
# The HTTP status of each refusal, as the switches name them.
REFUSALS = {409: "conflict", 400: "validation"}


@dataclass(frozen=True)
class Finding:
    switch: str
    value: str
    evidence: str


def _status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _said(error: ClientError | None) -> str:
    return "accepted" if error is None else f"{_status(error)} {error.response['Error'].get('Code', '')}"


class Probe:
    def __init__(self, client: WellArchitectedClient, account: str, share_with: str) -> None:
        self.client, self.account, self.share_with = client, account, share_with
        self.run = uuid.uuid4().hex[:12]
        self.shares: set[str] = set()
        self.refusals: list[ClientError] = []
        self.lens = ""

    def token(self, purpose: str) -> str:
        return f"probe-{self.run}-{purpose}"

    def refused(self, call: Callable[[], object]) -> ClientError | None:
        """The service's refusal of call, or None when it was accepted."""
        try:
            call()
        except ClientError as error:
            self.refusals.append(error)
            return error
        return None

    @contextmanager
    def throwaway_lens(self) -> Iterator[str]:
        document = json.dumps({**LENS, "name": f"{LENS['name']} {self.run}"})
        self.lens = self.client.import_lens(JSONString=document, ClientRequestToken=self.token("import"))["LensArn"]
        try:
            self.client.create_lens_version(
                LensAlias=self.lens, LensVersion="1.0", IsMajorVersion=True, ClientRequestToken=self.token("publish")
            )
            yield self.lens
        finally:
            for share_id in sorted(self.shares):
                self.refused(partial(self.delete, share_id, f"cleanup-{share_id}"))
            self.client.delete_lens(LensAlias=self.lens, ClientRequestToken=self.token("delete-lens"), LensStatus="ALL")

    def create(self, shared_with: str, token: str) -> str:
        answer = self.client.create_lens_share(LensAlias=self.lens, SharedWith=shared_with, ClientRequestToken=token)
        self.shares.add(answer["ShareId"])
        return answer["ShareId"]

    def delete(self, share_id: str, purpose: str) -> None:
        self.client.delete_lens_share(LensAlias=self.lens, ShareId=share_id, ClientRequestToken=self.token(purpose))
        self.shares.discard(share_id)

    def listed(self, settle: int = 1) -> set[str]:
        """The lens's shares, as the last of `settle` listings shows them (a listing may lag a write)."""
        shares: set[str] = set()
        for _ in range(settle):
            page = self.client.list_lens_shares(LensAlias=self.lens, MaxResults=10)
            shares = {share["ShareId"] for share in page.get("LensShareSummaries", [])}
        return shares

    def findings(self) -> Iterator[Finding]:
        first = self.create(self.share_with, self.token("share"))
        seen = first in self.listed()
        yield Finding("listing-lag", "0" if seen else "2", f"a new share {'was' if seen else 'was not'} listed at once")

        again = self.refused(lambda: self.create(self.share_with, self.token("share-again")))
        if again is not None and again.response["Error"].get("Code") == "ConflictException":
            named = str(again.response.get("ResourceId", ""))
            value = "share" if named == first else "resource" if named == self.lens else "absent"
            yield Finding("conflict-resource-id", value, f"sharing again: ResourceId {named or 'absent'!r}")

        user = f"arn:aws:iam::{self.share_with}:user/lens-share-probe-{self.run}"
        reused = self.refused(lambda: self.create(user, self.token("share")))
        value = "first-result" if reused is None else REFUSALS.get(_status(reused), "conflict")
        yield Finding("token-reuse", value, f"the create's token with another principal: {_said(reused)}")

        scoped = self.refused(
            lambda: self.client.delete_lens_share(
                LensAlias=self.lens, ShareId=first, ClientRequestToken=self.token("share")
            )
        )
        kept = first in self.listed(settle=SETTLE)
        if kept:
            self.delete(first, "delete")
        else:
            self.shares.discard(first)
        scope = "operation" if scoped is None and not kept else "account"
        yield Finding(
            "token-scope",
            scope,
            f"the create's token on a delete: {_said(scoped)}, share {'kept' if kept else 'deleted'}",
        )

        gone = self.refused(lambda: self.delete(first, "delete-again"))
        value = "ok" if gone is None else "not-found" if _status(gone) == 404 else "validation"
        yield Finding("delete-gone", value, f"deleting the deleted share: {_said(gone)}")

        own = self.refused(lambda: self.create(self.account, self.token("own")))
        yield Finding(
            "own-account", "accepted" if own is None else "refused", f"sharing with this account: {_said(own)}"
        )

        if self.refusals:
            message = str(self.refusals[0].response["Error"].get("Message", ""))
            prefix = "bracketed" if message.startswith("[") else "plain"
            yield Finding("message-prefix", prefix, f"a refusal's message: {message[:50]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m emulator.probe", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--share-with", required=True, help="another account of yours to share the lens with")
    parser.add_argument("--account", help="this account's ID (default: asked of STS)")
    args = parser.parse_args(argv)
    account = args.account or boto3.client("sts").get_caller_identity()["Account"]
    probe = Probe(boto3.client("wellarchitected"), account, args.share_with)
    with probe.throwaway_lens():
        found = list(probe.findings())
    width = max(len(finding.switch) for finding in found)
    for finding in found:
        print(f"{finding.switch.ljust(width)}  {finding.value:<13} {finding.evidence}")
    print("python -m emulator " + " ".join(f"--behaviour {finding.switch}={finding.value}" for finding in found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
