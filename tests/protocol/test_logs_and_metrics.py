"""What the provider writes to CloudWatch: structured lines, metrics, and never the ResponseURL or the event."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from emulator import WellArchitectedEmulator
from local.cloudformation import ResponseReceiver, Stack


def test_one_structured_line_per_event_and_no_secret_or_event_anywhere(
    stack: Stack,
    receiver: ResponseReceiver,
    emu: WellArchitectedEmulator,
    lens: str,
    log_lines: io.StringIO,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emu.set_organization_sharing(True)
    stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    stack.create("Bad", {"LensAlias": lens, "SharedWith": "nobody"})
    stack.rollback()
    stack.update("Share", {"LensAlias": lens, "SharedWith": "ou-ab12-cd34ef56"})
    stack.cleanup()
    stack.delete_stack()

    records = [json.loads(line) for line in log_lines.getvalue().splitlines() if line.strip()]
    answers = [record for record in records if record["message"] == "Answered CloudFormation"]
    assert len(answers) == len(stack.sent_events)
    for record, event in zip(answers, stack.sent_events, strict=True):
        assert record["level"] == "INFO"
        assert record["service"] == "lens-share-provider"
        for key in ("RequestType", "LogicalResourceId", "StackId", "RequestId"):
            assert record[key] == event[key]
        assert record["ResponseStatusCode"] == 200
    assert {record["Status"] for record in answers} == {"SUCCESS", "FAILED"}

    everything = log_lines.getvalue() + capsys.readouterr().out
    for secret in receiver.secrets():
        assert secret not in everything
    assert "ResponseURL" not in everything
    assert "ResourceProperties" not in everything


def test_metrics_count_shares_by_what_happened_and_time_each_call(
    stack: Stack, emu: WellArchitectedEmulator, lens: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    stack.create("Share", {"LensAlias": lens, "SharedWith": "222222222222"})
    stack.update("Share", {"LensAlias": lens, "SharedWith": "333333333333"})
    stack.cleanup()
    stack.create("Bad", {"LensAlias": lens, "SharedWith": "o-a1b2c3d4e5"})

    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    names: list[str] = []  # the counts over every kind and reason: dimension service alone
    failure_kinds: list[Any] = []
    for blob in blobs:
        directive = blob["_aws"]["CloudWatchMetrics"][0]
        assert directive["Namespace"] == "LensShareProvider"
        if [sorted(each) for each in directive["Dimensions"]] in ([["service"]], [["FailureKind", "service"]]):
            names += [metric["Name"] for metric in directive["Metrics"]]
        if "FailureKind" in blob:
            failure_kinds.append(blob["FailureKind"])
            assert [sorted(each) for each in directive["Dimensions"]] == [["FailureKind", "service"]]
    assert names.count("SharesCreated") == 1
    assert names.count("SharesReplaced") == 1
    assert names.count("SharesDeleted") == 1
    assert names.count("SharesFailed") == 1
    assert failure_kinds == ["OrganizationSharingOff"]
    assert "CreateLensShareLatency" in names
    assert "DeleteLensShareLatency" in names
    latencies = [blob["CreateLensShareLatency"] for blob in blobs if "CreateLensShareLatency" in blob]
    assert all(value >= 0 for each in latencies for value in (each if isinstance(each, list) else [each]))
