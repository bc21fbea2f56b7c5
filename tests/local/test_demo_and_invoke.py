"""The README's demo and one-event runner, run as a newcomer runs them: in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    # A bound, not a measure: the demo takes about 40 s alone and up to three times that beside the whole suite
    return subprocess.run(
        [sys.executable, "-m", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=200, check=False
    )


@pytest.mark.long
def test_the_demo_deploys_updates_and_deletes_the_templates_and_prints_stack_events() -> None:
    done = run("local.demo")

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "Demo passed"
    assert not [line for line in lines if line.strip().startswith("FAIL")]
    for expected in (
        "== Deploy template.yaml as stack lens-share-provider",
        "ok   222222222222 accepted all four: lens, profile, review template, workload",
        "ok   222222222222's new profile share is ACCEPTED without a person acting",
        "ok   nor has the program",
        "rollout                                UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        "AccountShare666666666666               DELETE_COMPLETE",
        "ok   stack lens-share-provider ended DELETE_COMPLETE",
        "ok   the report names the rollout's two expired shares",
        "ok   the rollout has no problem left",
        "got the member template in both Regions",
        "ok   and its shares of both Regions' lenses are ACCEPTED",
        "ok   the health check reports both Regions, each with its lens",
        "ok   it stops at the first failed instance, naming the owner; the rest are CANCELLED",
    ):
        assert any(expected in line for line in lines), expected
    assert "ResponseURL" not in done.stdout
    # The health check's table, before and after the re-invite.
    tables = [line for line in lines if line.startswith(("  EXPIRED ", "  MISSING "))]
    assert [line.split()[-1] for line in tables] == [
        "UserShare",
        "AccountShare555555555555",
        "AccountShare777777777777",
        "LensTo222222222222",
        "LensTo888888888888",
        "ProfileTo888888888888",
        "ProfileTo222222222222",
        "TemplateTo888888888888",
        "UserShare",
    ]


def test_invoke_prints_the_answer_to_an_event_file() -> None:
    done = run("local.invoke", "events/create.json")

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["Status"] == "SUCCESS"
    assert answer["RequestId"] == json.loads((ROOT / "events" / "create.json").read_text())["RequestId"]
    assert set(answer["Data"]) == {"ShareId", "LensArn", "SharedWith"}
