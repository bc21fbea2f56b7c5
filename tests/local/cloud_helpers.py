"""Shared pieces of the local cloud's tests: the provider stack, principals, and event order helpers."""

from __future__ import annotations

import contextlib
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

from local.cli import main
from local.cloud import LocalCloud
from local.stack import Stack
from local.template_stack import TemplateStack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PROVIDER = "lens-share-provider"
OWNER, MEMBER = "111111111111", "222222222222"


def deploy_provider(cloud: LocalCloud, account: str = OWNER, name: str = PROVIDER) -> TemplateStack:
    # The examples turn organization sharing on, which the provider's role may do only when asked (1.4.0).
    stack = cloud.deploy(name, ROOT / "template.yaml", {"OrganizationSharing": "enabled"}, account)
    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    return stack


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def principals(cloud: LocalCloud, lens_arn: str) -> dict[str, str]:
    """What the emulator holds: principal -> share status."""
    return {share["SharedWith"]: share["Status"] for share in cloud.emulator.shares(lens_arn)}


def statuses(stack: Stack | TemplateStack, since: int = 0) -> list[tuple[str, str]]:
    return [(event.logical_id, event.status) for event in stack.events[since:]]


def resource_statuses(stack: TemplateStack, logical_id: str, since: int = 0) -> list[str]:
    return [status for name, status in statuses(stack, since) if name == logical_id]


def position(stack: TemplateStack, logical_id: str, status: str, since: int = 0) -> int:
    return statuses(stack, since).index((logical_id, status))


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def run(state: Path, *arguments: str) -> Run:
    """One command, as `python -m local --state-dir STATE ...` from the project's folder."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), contextlib.chdir(ROOT):
        code = main(["--state-dir", str(state), *arguments])
    return Run(code, stdout.getvalue(), stderr.getvalue())
