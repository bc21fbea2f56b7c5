"""Local Lambda functions: each function's handler runs in warm processes of its own, one invocation at a time
per process, as Lambda execution environments do, so two functions never share module state.

A process gets only the function's environment (the template's variables plus what Lambda and this local cloud
set), imports the handler from the function's code directory once, and serves invocations until it is stopped.
Its stdout and stderr go to the function's log file, the local CloudWatch Logs.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from local.events import LambdaContext

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 10  # warm processes per function at most, as a reserved concurrency would cap them
_GRACE_S = 5.0  # beyond the function's timeout, before a silent process is taken for dead


class FunctionError(Exception):
    """The invocation failed as Lambda reports it: an unhandled error, a time-out, a process that died."""


@dataclass(frozen=True)
class FunctionConfig:
    arn: str
    name: str
    code_dir: str
    handler: str  # module.function, as the template's Handler gives it
    environment: dict[str, str]
    timeout_s: float
    memory_mb: int
    log_file: str


class _Process:
    def __init__(self, config: FunctionConfig) -> None:
        Path(config.log_file).parent.mkdir(parents=True, exist_ok=True)
        self._log = Path(config.log_file).open("ab")  # noqa: SIM115 - open as long as the process
        python_path = config.environment.get("PYTHONPATH", "")
        start = {"code_dir": config.code_dir, "handler": config.handler, "arn": config.arn, "name": config.name}
        self._popen = subprocess.Popen(
            [sys.executable, "-m", "local.functions", json.dumps(start)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            # the project comes first; a function's own PYTHONPATH (a registry type's core) after it
            env={**config.environment, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), python_path]))},
            cwd=config.code_dir,
        )

    def invoke(self, event: dict[str, Any], timeout_s: float, memory_mb: int) -> dict[str, Any]:
        """The handler's "error" ("" when it returned) and "result"; FunctionError if the process died or timed out."""
        stdin, stdout = self._popen.stdin, self._popen.stdout
        assert stdin is not None
        assert stdout is not None
        try:
            stdin.write(json.dumps({"event": event, "timeout_s": timeout_s, "memory_mb": memory_mb}).encode() + b"\n")
            stdin.flush()
        except OSError as error:
            self.stop()
            raise FunctionError(f"the function's process is gone: {error}") from None
        ready, _, _ = select.select([stdout], [], [], timeout_s + _GRACE_S)
        line = stdout.readline() if ready else b""
        if not line:
            self.stop()
            raise FunctionError(f"Task timed out after {timeout_s:.2f} seconds" if not ready else "Runtime exited")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self._popen.poll() is None:
            self._popen.kill()
        self._popen.wait(timeout=10)
        for stream in (self._popen.stdin, self._popen.stdout):
            if stream is not None:
                stream.close()
        self._log.close()


class LocalFunction:
    """One function: up to CONCURRENCY warm processes, started when every running one is busy."""

    def __init__(self, config: FunctionConfig) -> None:
        self.config = config
        self._idle: list[_Process] = []
        self._count = 0
        self._changed = threading.Condition()

    def invoke(self, event: dict[str, Any]) -> Any:
        """What the handler returned; FunctionError when it raised, died or timed out."""
        process = self._acquire()
        try:
            answer = process.invoke(event, self.config.timeout_s, self.config.memory_mb)
        except FunctionError:
            with self._changed:  # that process is gone
                self._count -= 1
                self._changed.notify()
            raise
        with self._changed:  # a handler's error leaves its process warm, as Lambda keeps the environment
            self._idle.append(process)
            self._changed.notify()
        if answer.get("error"):
            raise FunctionError(str(answer["error"]))
        return answer.get("result")

    def _acquire(self) -> _Process:
        with self._changed:
            while not self._idle and self._count >= CONCURRENCY:
                self._changed.wait(1.0)
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return _Process(self.config)
        except OSError:
            with self._changed:
                self._count -= 1
            raise

    def stop(self) -> None:
        with self._changed:
            idle, self._idle = self._idle, []
        for process in idle:
            process.stop()


class Functions:
    """The account's local functions by ARN; `invoke` is what a ServiceToken reaches."""

    def __init__(self) -> None:
        self._functions: dict[str, LocalFunction] = {}
        self._lock = threading.Lock()

    def deploy(self, config: FunctionConfig) -> None:
        """Start serving `config`; a function deployed again gets fresh processes with its new code and settings."""
        with self._lock:
            previous, self._functions[config.arn] = self._functions.get(config.arn), LocalFunction(config)
        if previous is not None:
            previous.stop()

    def remove(self, arn: str) -> None:
        with self._lock:
            function = self._functions.pop(arn, None)
        if function is not None:
            function.stop()

    def __contains__(self, arn: object) -> bool:
        with self._lock:
            return arn in self._functions

    def configs(self) -> list[FunctionConfig]:
        with self._lock:
            return [function.config for function in self._functions.values()]

    def invoke(self, event: dict[str, Any], context: object = None) -> None:
        """Invoke the function a custom-resource event's ServiceToken names, as CloudFormation does."""
        self.call(str(event.get("ServiceToken", "")), event)

    def call(self, arn: str, payload: dict[str, Any]) -> Any:
        """lambda:Invoke of the function `arn` with `payload`: what its handler returned."""
        with self._lock:
            function = self._functions.get(arn)
        if function is None:
            raise FunctionError(f"ServiceToken {arn} names no local function")
        return function.invoke(payload)

    def stop(self) -> None:
        with self._lock:
            functions, self._functions = list(self._functions.values()), {}
        for function in functions:
            function.stop()


def _serve(start: dict[str, str], requests: IO[bytes], answers: IO[bytes]) -> None:
    """The function's process: import the handler once, then one invocation per request line."""
    sys.path.insert(0, start["code_dir"])
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


if __name__ == "__main__":
    # The answers keep the real stdout; whatever the handler prints goes to the log with stderr.
    _answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _serve(json.loads(sys.argv[1]), sys.stdin.buffer, _answers)
