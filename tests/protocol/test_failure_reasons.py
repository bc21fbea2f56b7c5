"""Whatever call fails, CloudFormation reads one sentence naming that call and the IAM action to allow:
never botocore's raw text, never a traceback, and every failed share is counted."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any, cast

import pytest

from emulator import WellArchitectedEmulator
from local.cloudformation import Stack
from tests.protocol.harness import LambdaFunction

MEMBER = "222222222222"


def denied(emu: WellArchitectedEmulator, operation: str) -> None:
    emu.inject_fault("error", operation=operation, count=10, status=403, code="AccessDeniedException")


def raw_text_in(reason: str) -> bool:
    return "An error occurred" in reason or "Traceback" in reason or "when calling the" in reason


def test_a_denied_listing_during_an_update_names_list_lens_shares_and_counts_the_failure(
    stack: Stack,
    emu: WellArchitectedEmulator,
    lens: str,
    log_lines: io.StringIO,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = stack.create("Share", {"LensAlias": lens, "SharedWith": MEMBER})
    capsys.readouterr()
    denied(emu, "ListLensShares")

    failed = stack.update("Share", {"LensAlias": lens, "SharedWith": "333333333333"})

    assert failed.status == "FAILED"
    assert failed.physical_id == created.physical_id
    assert failed.reason.startswith(f"The provider's role may not call wellarchitected:ListLensShares on {lens} (")
    assert "allow wellarchitected:ListLensShares in the provider's IAM policy" in failed.reason
    assert not raw_text_in(failed.reason)
    assert "Traceback" not in log_lines.getvalue()
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [blob.get("FailureKind") for blob in metrics if "SharesFailed" in blob] == ["AccessDenied", None]
    assert [share["ShareId"] for share in emu.shares(lens)] == [created.data["ShareId"]]


@pytest.mark.parametrize("operation", ["ListShareInvitations", "UpdateShareInvitation"])
def test_an_invitation_failure_names_the_call_that_was_denied(
    member_stack: Stack, emu: WellArchitectedEmulator, lens: str, owner_client: Any, operation: str
) -> None:
    owner_client.create_lens_share(LensAlias=lens, SharedWith=MEMBER, ClientRequestToken="share")
    denied(emu, operation)

    failed = member_stack.create("Invitation", {"LensArn": lens}, resource_type="Custom::LensShareInvitation")

    assert failed.status == "FAILED"
    assert f"may not call wellarchitected:{operation} on {lens}" in failed.reason
    assert f"allow wellarchitected:{operation} in the provider's IAM policy" in failed.reason
    assert not raw_text_in(failed.reason)


def test_an_unexpected_error_is_answered_with_a_reason_that_points_to_the_log(
    app: LambdaFunction,
    stack: Stack,
    emu: WellArchitectedEmulator,
    lens: str,
    log_lines: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Broken:
        """A client whose answer lacks what the model promises: an error no branch of the provider expects."""

        def create_lens_share(self, **_kwargs: object) -> dict[str, str]:
            return {}

    monkeypatch.setattr(app, "environment", dataclasses.replace(app.environment, wellarchitected=cast(Any, Broken())))

    failed = stack.create("Share", {"LensAlias": lens, "SharedWith": MEMBER})

    assert failed.status == "FAILED"
    assert failed.reason.startswith(
        "The provider failed unexpectedly (KeyError); its log has the details under RequestId"
    )
    assert failed.request_id in failed.reason
    assert failed.physical_id.startswith("not-created-")
    assert "Traceback" in log_lines.getvalue()
