"""A registry type's handlers called as CloudFormation calls them: the handler request (action, bearerToken,
requestData with the models and credentials, callbackContext), one local Lambda function per type and account,
and IN_PROGRESS answered by a call back after its delay, with the context it gave, until SUCCESS or FAILED.

The local CloudFormation waits a callback's delay up to CALLBACK_WAIT_CAP_S: the types ask for seconds to pace
throttled calls, and the emulator's throttle refills within one.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from local.functions import FunctionConfig, FunctionError, Functions
from local.registry import ROOT, RegistryType

MAX_CALLBACKS = 120  # a handler still IN_PROGRESS after this many calls back fails, as CloudFormation times out
CALLBACK_WAIT_CAP_S = 1.0
HANDLER_TIMEOUT_S = 60.0
# What a type's handler imports beside its own package: the share types' core and the provider's share core.
HANDLER_PATHS = (ROOT / "registry", ROOT / "functions" / "provider")


@dataclass(frozen=True)
class Progress:
    """One progress event a handler answered, as the registry reads it."""

    status: str  # IN_PROGRESS, SUCCESS or FAILED
    error_code: str = ""
    message: str = ""
    model: dict[str, Any] = field(default_factory=dict)
    models: list[dict[str, Any]] = field(default_factory=list)
    callback_context: dict[str, Any] = field(default_factory=dict)
    delay_s: float = 0.0
    next_token: str | None = None

    @classmethod
    def of(cls, answer: Any) -> Progress:
        if not isinstance(answer, Mapping) or answer.get("status") not in ("IN_PROGRESS", "SUCCESS", "FAILED"):
            return cls("FAILED", "InternalFailure", f"The handler answered no progress event: {answer!r}")
        return cls(
            str(answer["status"]),
            str(answer.get("errorCode") or ""),
            str(answer.get("message") or ""),
            dict(answer.get("resourceModel") or {}),
            [dict(model) for model in answer.get("resourceModels") or []],
            dict(answer.get("callbackContext") or {}),
            float(answer.get("callbackDelaySeconds") or 0),
            answer.get("nextToken"),
        )

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCESS"

    @property
    def not_found(self) -> bool:
        return self.status == "FAILED" and self.error_code == "NotFound"

    @property
    def reason(self) -> str:
        """The status reason CloudFormation shows for a failed handler: its error code and message."""
        return f"{self.error_code}: {self.message}" if self.message else self.error_code


@dataclass(frozen=True)
class Call:
    """What one handler operation is about; the same token goes to every retry and call back of it."""

    action: str  # CREATE, READ, UPDATE, DELETE or LIST
    model: Mapping[str, Any]
    previous: Mapping[str, Any] | None = None
    logical_id: str = ""
    stack_id: str | None = None
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    next_token: str | None = None


class HandlerCalls:
    """Runs registry types' handlers in local function processes, one function per type and account."""

    def __init__(
        self,
        functions: Functions,
        region: str,
        environment: Callable[[str], dict[str, str]],
        log_dir: str,
        wait: Callable[[float], object],
    ) -> None:
        self._functions = functions
        self._region = region
        self._environment = environment
        self._log_dir = log_dir
        self._wait = wait
        self._lock = threading.Lock()

    def run(
        self,
        registry_type: RegistryType,
        account: str,
        call: Call,
        type_configuration: Mapping[str, Any] | None = None,
        on_progress: Callable[[Progress], object] = lambda _progress: None,
    ) -> Progress:
        """Call the handler, and call it back while it answers IN_PROGRESS; its last progress event."""
        arn = self._function(registry_type, account)
        model: dict[str, Any] = dict(call.model)
        context: dict[str, Any] = {}
        for _ in range(MAX_CALLBACKS):
            request = self._request(registry_type, account, call, model, context, configuration=type_configuration)
            try:
                progress = Progress.of(self._functions.call(arn, request))
            except FunctionError as error:
                progress = Progress("FAILED", "InternalFailure", f"The handler failed: {error}")
            on_progress(progress)
            if progress.status != "IN_PROGRESS":
                return progress
            model, context = progress.model or model, progress.callback_context
            self._wait(min(progress.delay_s, CALLBACK_WAIT_CAP_S))
        return Progress("FAILED", "NotStabilized", f"Still IN_PROGRESS after {MAX_CALLBACKS} calls back")

    def _request(
        self,
        registry_type: RegistryType,
        account: str,
        call: Call,
        model: Mapping[str, Any],
        context: Mapping[str, Any],
        *,
        configuration: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        credentials = {"accessKeyId": f"AKIDLOCAL{account}", "secretAccessKey": "local", "sessionToken": "local"}
        return {
            "action": call.action,
            "awsAccountId": account,
            "bearerToken": call.token,
            "region": self._region,
            "resourceType": registry_type.type_name,
            "resourceTypeVersion": "00000001",
            "stackId": call.stack_id,
            "callbackContext": dict(context) or None,
            "nextToken": call.next_token,
            "requestData": {
                "callerCredentials": credentials,
                "providerCredentials": credentials,
                "logicalResourceId": call.logical_id,
                "resourceProperties": dict(model),
                "previousResourceProperties": None if call.previous is None else dict(call.previous),
                "typeConfiguration": None if configuration is None else dict(configuration),
            },
        }

    def _function(self, registry_type: RegistryType, account: str) -> str:
        name = registry_type.type_name.replace("::", "-")
        arn = f"arn:aws:lambda:{self._region}:{account}:function:{name}"
        with self._lock:
            if arn not in self._functions:
                environment = self._environment(account)
                environment["PYTHONPATH"] = ":".join(str(path) for path in HANDLER_PATHS)
                self._functions.deploy(
                    FunctionConfig(
                        arn=arn,
                        name=name,
                        code_dir=str(registry_type.code_dir),
                        handler=registry_type.entrypoint,
                        environment=environment,
                        timeout_s=HANDLER_TIMEOUT_S,
                        memory_mb=256,
                        log_file=f"{self._log_dir}/{name}.log",
                    )
                )
        return arn
