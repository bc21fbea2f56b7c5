"""Local Lambda functions: each function's handler runs in warm processes of its own, one invocation at a time
per process, as Lambda execution environments do, so two functions never share module state.

A process (local.function_processes) gets only the function's environment (the template's variables plus what
Lambda and this local cloud set), imports the handler from the function's code directory once, and serves
invocations until it is stopped. Its stdout and stderr go to the function's log file, the local CloudWatch Logs.
"""

from __future__ import annotations

import json
import os
import select
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.function_processes import ZYGOTE

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
        python_path = config.environment.get("PYTHONPATH", "")
        start = {"code_dir": config.code_dir, "handler": config.handler, "arn": config.arn, "name": config.name}
        # the project comes first; a function's own PYTHONPATH (a registry type's core) after it
        environment = {**config.environment, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), python_path]))}
        self._pid, requests, answers = ZYGOTE.spawn(start, environment, config.log_file)
        self._requests, self._answers = os.fdopen(requests, "wb"), os.fdopen(answers, "rb")
        self._stopped = False

    def invoke(self, event: dict[str, Any], timeout_s: float, memory_mb: int) -> dict[str, Any]:
        """The handler's "error" ("" when it returned) and "result"; FunctionError if the process died or timed out."""
        try:
            self._requests.write(
                json.dumps({"event": event, "timeout_s": timeout_s, "memory_mb": memory_mb}).encode() + b"\n"
            )
            self._requests.flush()
        except OSError as error:
            self.stop()
            raise FunctionError(f"the function's process is gone: {error}") from None
        ready, _, _ = select.select([self._answers], [], [], timeout_s + _GRACE_S)
        line = self._answers.readline() if ready else b""
        if not line:
            self.stop()
            raise FunctionError(f"Task timed out after {timeout_s:.2f} seconds" if not ready else "Runtime exited")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        ZYGOTE.stop(self._pid)
        for stream in (self._requests, self._answers):
            stream.close()


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
