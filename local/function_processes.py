"""Local functions' processes, forked from one that has already imported the libraries handlers use (boto3,
crhelper, the registry's python-lib) and read into boto3's default session the service models the provider's
clients load: each start skips those, about three quarters of its CPU time.

No function's code is imported before the fork: each process imports its handler from its own code directory,
with its own environment, after it, as a new Lambda execution environment does, then serves one invocation per
request line. A process lives until stopped; one that exits stays a zombie until then, so its PID is never
reused under a later kill.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any, Literal

import boto3

from local.events import LambdaContext

ROOT = Path(__file__).resolve().parent.parent
# None reads the environment on import (Powertools does, for POWERTOOLS_DEBUG, so it is left to each function).
PRELOAD = ("boto3", "botocore.session", "crhelper", "cloudformation_cli_python_lib")
# The services the provider's functions make clients of with boto3.client, that is on boto3's default session.
WARM_SERVICES: tuple[Literal["wellarchitected", "organizations", "cloudformation"], ...] = (
    "wellarchitected",
    "organizations",
    "cloudformation",
)
_MESSAGE_BYTES = 1 << 20


class Zygote:
    """The forking process, started on first use; one per process that runs local functions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def spawn(self, start: dict[str, str], environment: dict[str, str], log_file: str) -> tuple[int, int, int]:
        """A new function process: its PID, the pipe its requests go to and the pipe its answers come from."""
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        message = {"start": start, "environment": environment, "log_file": log_file}
        try:
            reply = self._ask(message, [requests_read, answers_write])
        except BaseException:
            for fd in (requests_write, answers_read):
                os.close(fd)
            raise
        finally:
            for fd in (requests_read, answers_write):
                os.close(fd)
        return int(reply["pid"]), requests_write, answers_read

    def stop(self, pid: int) -> None:
        """Kill the process and reap it."""
        self._ask({"stop": pid}, [])

    def _ask(self, message: dict[str, Any], fds: list[int]) -> dict[str, Any]:
        with self._lock:
            connection = self._connection()
            socket.send_fds(connection, [json.dumps(message).encode()], fds)
            reply = connection.recv(_MESSAGE_BYTES)
        if not reply:
            raise OSError("the zygote process is gone")
        answer: dict[str, Any] = json.loads(reply)
        if "error" in answer:
            raise OSError(answer["error"])
        return answer

    def _connection(self) -> socket.socket:
        if self._socket is None:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            self._process = subprocess.Popen(
                [sys.executable, "-m", "local.function_processes", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
                stdin=subprocess.DEVNULL,
            )
            theirs.close()
            self._socket = ours
            atexit.register(self._close)
        return self._socket

    def _close(self) -> None:
        """At exit: the zygote ends its functions' processes and then itself."""
        if self._socket is not None and self._process is not None:
            self._socket.close()
            self._process.wait(timeout=30)


ZYGOTE = Zygote()


def _serve(connection: socket.socket) -> None:
    """Fork on request; when the process that started the zygote closes its end, its functions end with it."""
    children: set[int] = set()
    while True:
        data, fds, _flags, _address = socket.recv_fds(connection, _MESSAGE_BYTES, 2)
        if not data:
            for child in children:
                _reap(child)
            return
        message = json.loads(data)
        if "stop" in message:
            children.discard(int(message["stop"]))
            _reap(int(message["stop"]))
            connection.send(b"{}")
            continue
        try:
            pid = os.fork()
        except OSError as error:
            connection.send(json.dumps({"error": str(error)}).encode())
            pid = -1
        if pid == 0:
            code = 1
            try:
                connection.close()
                _become_function(message, fds)
                code = 0
            except BaseException:  # noqa: BLE001 - the child reports and ends; it never goes back to forking
                traceback.print_exc()
            finally:
                os._exit(code)
        for fd in fds:
            os.close(fd)
        if pid > 0:
            children.add(pid)
            connection.send(json.dumps({"pid": pid}).encode())


def _reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _become_function(message: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: the function's environment, directory and streams, then its serving loop."""
    requests, answers = fds
    environment: dict[str, str] = message["environment"]
    os.environ.clear()
    os.environ.update(environment)
    # As a new interpreter in the code directory would have it: the code, then PYTHONPATH, then the libraries.
    entries = [entry for entry in environment.get("PYTHONPATH", "").split(os.pathsep) if entry]
    code_dir = message["start"]["code_dir"]
    sys.path[:] = [code_dir, *entries, *(entry for entry in sys.path[1:] if entry not in entries)]
    os.chdir(code_dir)
    log = os.open(message["log_file"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(requests, 0)
    os.dup2(log, 1)  # whatever the handler prints goes to the log, with stderr
    os.dup2(log, 2)
    for fd in (requests, log):
        os.close(fd)
    try:
        serve(message["start"], sys.stdin.buffer, os.fdopen(answers, "wb"))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def serve(start: dict[str, str], requests: IO[bytes], answers: IO[bytes]) -> None:
    """The function's process: import the handler once, then one invocation per request line."""
    module_name, _, function_name = start["handler"].rpartition(".")
    init_error = ""
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception as error:  # noqa: BLE001 - Lambda reports an init error on every invocation
        traceback.print_exc()
        init_error = f"Runtime.ImportModuleError: {type(error).__name__}: {error}"
    for line in requests:
        request = json.loads(line)
        failure, result = init_error, None
        if not failure:
            context = LambdaContext(
                timeout_s=request["timeout_s"],
                function_name=start["name"],
                invoked_function_arn=start["arn"],
                memory_limit_in_mb=str(request["memory_mb"]),
            )
            try:
                result = handler(request["event"], context)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - Lambda turns it into an invocation error
                traceback.print_exc()
                failure = f"{type(exc).__name__}: {exc}"
        sys.stdout.flush()
        answers.write(json.dumps({"error": failure, "result": result}, default=str).encode() + b"\n")
        answers.flush()


def _warm_default_session() -> None:
    """A client of each service on boto3's default session, with its own Region and keys: the session keeps the
    models and endpoint data it read, while a function's client still takes Region, endpoint and credentials from
    the function's environment (tests/local/test_local_functions_and_nesting.py holds this)."""
    for service in WARM_SERVICES:  # a Region and keys no function has, so that a test would see them leak
        boto3.client(service, region_name="eu-central-1", aws_access_key_id="warm", aws_secret_access_key="warm")


if __name__ == "__main__":
    for name in PRELOAD:
        importlib.import_module(name)
    _warm_default_session()
    _serve(socket.socket(fileno=int(sys.argv[1])))
    # Its functions reaped, the zygote has nothing left to finalize: the process that waits for it goes on sooner
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
