"""The CloudFormation CLI's contract suite (`cfn test`) for every type, offline, one type after another in one CLI
process: one emulator seeded with what the inputs share, STS from moto, and per type a local Lambda Invoke API that
calls the type's handler entrypoint in-process, as `sam local start-lambda` would in a container.

    python registry/contract/run.py [--cfn .venv-cfn/bin/python] [LensShare ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

REGISTRY = Path(__file__).resolve().parent.parent
ROOT = REGISTRY.parent
sys.path[:0] = [str(ROOT), str(REGISTRY), str(ROOT / "functions" / "provider")]

from build_types import TEST_ACCOUNT, TEST_RESOURCES  # noqa: E402
from emulator import WellArchitectedEmulator  # noqa: E402
from emulator.controls import MAKERS  # noqa: E402
from emulator.loopback import LoopbackServer, LoopbackService, TrackedHandler  # noqa: E402
from emulator.moto_server import moto_server  # noqa: E402
from lens_share_types.kinds import BY_NAME, TYPES, ShareType  # noqa: E402

INVOKE_PATH = "/2015-03-31/functions/TypeFunction/invocations"
# The four types' suites take seconds together; nothing may hold CI longer than this.
SUITE_TIMEOUT_S = 200


def seed(emulator: WellArchitectedEmulator) -> None:
    """The resources the contract inputs share, at the fixed identifiers the inputs name."""
    made = {share_type.name: MAKERS[share_type.kind.key](emulator, account=TEST_ACCOUNT) for share_type in TYPES}
    text = json.dumps(emulator.dump())
    for name, ident in made.items():
        text = text.replace(ident.rsplit("/", 1)[-1], TEST_RESOURCES[name].rsplit("/", 1)[-1])
    emulator.load(json.loads(text))


class _InvokeHandler(TrackedHandler):
    def do_POST(self) -> None:
        if self.path != INVOKE_PATH:
            self._answer(404, {"Type": "User", "Message": f"no function at {self.path}"})
            return
        event = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self._answer(200, cast("LoopbackServer[LambdaInvoke]", self.server).owner.entrypoint(event, None))

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class LambdaInvoke(LoopbackService):
    """The Lambda Invoke API for one function, TypeFunction: the type's entrypoint, called in this process."""

    handler = _InvokeHandler
    thread_name = "lambda-invoke"

    def __init__(self, entrypoint: Any) -> None:
        super().__init__("127.0.0.1", 0)
        self.entrypoint = entrypoint


@dataclass(frozen=True)
class Result:
    share_type: ShareType
    returncode: int
    output: str


def run_suites(folders: dict[ShareType, str], sts_url: str, cfn_python: str) -> list[Result]:
    """`cfn test` in each type's folder against its local Lambda, one type after another in one CLI process (its
    start is most of a suite's time), with a bounded wait."""
    environment = {
        **os.environ,
        "CFN_STS_ENDPOINT": sts_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    command = [cfn_python, str(REGISTRY / "contract" / "cfn_offline.py")]
    for share_type, lambda_url in folders.items():
        command += ["--in", f"{REGISTRY / share_type.folder}={lambda_url}"]
    command += ["test", "--region", "us-east-1"]
    command += ["--typeconfig", str(REGISTRY / "contract" / "type-configuration.json")]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            command,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=SUITE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout.decode(errors="replace") if isinstance(expired.stdout, bytes) else expired.stdout
        return [
            Result(share_type, -1, f"cfn test timed out after {SUITE_TIMEOUT_S} s\n{output or ''}")
            for share_type in folders
        ]
    return results(folders, done.stdout)


def results(folders: dict[ShareType, str], output: str) -> list[Result]:
    """Each type's part of the output, up to the line that gives its exit code; a type with no such line failed."""
    found: list[Result] = []
    rest = output
    for share_type in folders:
        marker = f"=== {REGISTRY / share_type.folder} exit "
        before, seen, after = rest.partition(marker)
        if not seen:
            found.append(Result(share_type, -1, rest or "cfn test ended before this type's suite ran"))
            rest = ""
            continue
        code, _, rest = after.partition("\n")
        found.append(Result(share_type, int(code), before))
    return found


def run(types: Sequence[ShareType], cfn_python: str) -> list[Result]:
    with ExitStack() as stack:
        emulator = stack.enter_context(WellArchitectedEmulator(default_account=TEST_ACCOUNT))
        os.environ["AWS_ENDPOINT_URL_WELLARCHITECTED"] = emulator.url
        seed(emulator)
        sts_url = stack.enter_context(moto_server())
        servers = {}
        for share_type in types:
            entrypoint = importlib.import_module(f"{share_type.package()}.handlers").resource
            servers[share_type.name] = stack.enter_context(LambdaInvoke(entrypoint))
        return run_suites({share_type: servers[share_type.name].url for share_type in types}, sts_url, cfn_python)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cfn", default=str(ROOT / ".venv-cfn" / "bin" / "python"), help="the CLI's Python")
    parser.add_argument("types", nargs="*", choices=[[], *BY_NAME], default=[])
    arguments = parser.parse_args(argv)
    chosen = [BY_NAME[name] for name in arguments.types] or list(TYPES)
    for share_type in chosen:
        sys.path.insert(0, str(REGISTRY / share_type.folder / "src"))
    results = run(chosen, arguments.cfn)
    for result in results:
        print(f"--- {share_type_line(result)}\n{result.output}")
    return 0 if all(result.returncode == 0 for result in results) else 1


def share_type_line(result: Result) -> str:
    verdict = "passed" if result.returncode == 0 else f"FAILED ({result.returncode})"
    return f"{result.share_type.type_name()}: cfn test {verdict}"


if __name__ == "__main__":
    sys.exit(main())
