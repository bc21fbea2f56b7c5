"""A local Cloud Control API (JSON 1.0, `X-Amz-Target: CloudApiService.<Operation>`) for the project's registry
types, so that boto3's cloudcontrol client, `aws cloudcontrol --endpoint-url ...`, Terraform's
aws_cloudcontrolapi_resource and Pulumi's aws-native drive them as they drive AWS.

Create, update and delete answer at once with a ProgressEvent and run the type's handlers on a thread of their
own; GetResourceRequestStatus follows them. Identifiers are the registry's: primary identifier values joined by `|`.
An access key ending in an account ID acts as that account, as with the emulator.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import jsonpatch

from emulator.loopback import LoopbackServer, LoopbackService, TrackedHandler, signed_by
from local.handler_calls import Call, HandlerCalls, Progress
from local.registry import RegistryType


class ApiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ResourceRequest:
    """One create, update or delete, as GetResourceRequestStatus shows it."""

    type_name: str
    operation: str
    identifier: str
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "PENDING"
    error_code: str = ""
    message: str = ""
    model: dict[str, Any] | None = None
    event_time: float = field(default_factory=lambda: datetime.now(UTC).timestamp())

    def progress_event(self) -> dict[str, Any]:
        event: dict[str, Any] = {
            "TypeName": self.type_name,
            "Identifier": self.identifier,
            "RequestToken": self.token,
            "Operation": self.operation,
            "OperationStatus": self.status,
            "EventTime": self.event_time,
        }
        if self.model is not None:
            event["ResourceModel"] = json.dumps(self.model)
        if self.message:
            event["StatusMessage"] = self.message
        if self.error_code:
            event["ErrorCode"] = self.error_code
        return event


class _Handler(TrackedHandler):
    def do_POST(self) -> None:
        api = cast("LoopbackServer[CloudControlApi]", self.server).owner
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            status, answer = (
                200,
                api.answer(
                    str(self.headers.get("X-Amz-Target", "")), body, api.account(self.headers.get("Authorization"))
                ),
            )
        except ApiError as error:
            status, answer = 400, {"__type": error.code, "message": str(error)}
        except json.JSONDecodeError as error:
            status, answer = 400, {"__type": "InvalidRequestException", "message": f"Body is not JSON: {error}"}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(data)


class CloudControlApi(LoopbackService):
    handler = _Handler
    thread_name = "cloudcontrol"

    def __init__(
        self, handlers: HandlerCalls, types: Mapping[str, RegistryType], default_account: str, host: str = "127.0.0.1"
    ) -> None:
        super().__init__(host, 0)
        self._handlers, self._types, self._default_account = handlers, types, default_account
        self._requests: dict[str, ResourceRequest] = {}
        self._by_client_token: dict[str, str] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def stop(self) -> None:
        """Stop answering once every operation under way has ended, so no handler outlives the local cloud."""
        super().stop()
        for thread in list(self._threads):
            thread.join()

    def answer(self, target: str, body: Mapping[str, Any], account: str) -> dict[str, Any]:
        operation = target.removeprefix("CloudApiService.")
        if operation == "GetResourceRequestStatus":
            with self._lock:
                request = self._requests.get(str(body.get("RequestToken")))
            if request is None:
                raise ApiError("RequestTokenNotFoundException", f"Request token {body.get('RequestToken')} not found")
            return {"ProgressEvent": request.progress_event()}
        kind = self._types.get(str(body.get("TypeName")))
        if kind is None:
            raise ApiError("TypeNotFoundException", f"Resource type {body.get('TypeName')} is not registered here")
        if operation == "GetResource":
            model = self._read(kind, account, str(body.get("Identifier", "")))
            return {"TypeName": kind.type_name, "ResourceDescription": self._description(kind, model)}
        if operation == "ListResources":
            return self._list(kind, account, body)
        if operation == "CreateResource":
            desired = self._model(body, "DesiredState")
            return self._start(kind, account, "CREATE", kind.identifier(desired), body, desired=desired)
        if operation == "UpdateResource":
            identifier = str(body.get("Identifier", ""))
            return self._start(kind, account, "UPDATE", identifier, body, patch=self._model(body, "PatchDocument"))
        if operation == "DeleteResource":
            return self._start(kind, account, "DELETE", str(body.get("Identifier", "")), body)
        raise ApiError("UnsupportedActionException", f"{operation} is not served by the local Cloud Control API")

    # -- reads ---------------------------------------------------------------------------------------------

    def _read(self, kind: RegistryType, account: str, identifier: str) -> dict[str, Any]:
        progress = self._handlers.run(kind, account, Call("READ", self._identifying(kind, identifier)))
        if progress.not_found:
            raise ApiError("ResourceNotFoundException", progress.message or f"{identifier} not found")
        if not progress.succeeded:
            raise ApiError("HandlerFailureException", progress.reason)
        return progress.model

    def _list(self, kind: RegistryType, account: str, body: Mapping[str, Any]) -> dict[str, Any]:
        model = self._model(body, "ResourceModel") if body.get("ResourceModel") else {}
        next_token = body.get("NextToken")
        progress = self._handlers.run(kind, account, Call("LIST", model, next_token=next_token))
        if not progress.succeeded:
            raise ApiError("InvalidRequestException", progress.reason)
        answer: dict[str, Any] = {
            "TypeName": kind.type_name,
            "ResourceDescriptions": [self._description(kind, found) for found in progress.models],
        }
        if progress.next_token:
            answer["NextToken"] = progress.next_token
        return answer

    @staticmethod
    def _description(kind: RegistryType, model: Mapping[str, Any]) -> dict[str, str]:
        shown = {name: value for name, value in model.items() if name not in kind.write_only}
        return {"Identifier": kind.identifier(model), "Properties": json.dumps(shown)}

    # -- operations under way ------------------------------------------------------------------------------

    def _start(
        self,
        kind: RegistryType,
        account: str,
        operation: str,
        identifier: str,
        body: Mapping[str, Any],
        *,
        desired: dict[str, Any] | None = None,
        patch: Any = None,
    ) -> dict[str, Any]:
        """A new request (or the one a repeated ClientToken started), running on a thread of its own."""
        client_token = str(body.get("ClientToken") or "")
        with self._lock:
            if client_token and client_token in self._by_client_token:
                return {"ProgressEvent": self._requests[self._by_client_token[client_token]].progress_event()}
            request = ResourceRequest(kind.type_name, operation, identifier)
            self._requests[request.token] = request
            if client_token:
                self._by_client_token[client_token] = request.token
        thread = threading.Thread(
            target=self._run, args=(kind, account, request, desired, patch), name=f"cloudcontrol-{request.token}"
        )
        self._threads.append(thread)
        thread.start()
        return {"ProgressEvent": request.progress_event()}

    def _run(
        self, kind: RegistryType, account: str, request: ResourceRequest, desired: dict[str, Any] | None, patch: Any
    ) -> None:
        try:
            call = self._call(kind, account, request, desired, patch)
        except ApiError as error:
            self._ended(request, Progress("FAILED", error.code.removesuffix("Exception"), str(error)))
            return
        progress = self._handlers.run(kind, account, call, on_progress=lambda seen: self._moved(request, seen))
        self._ended(request, progress)

    def _call(
        self, kind: RegistryType, account: str, request: ResourceRequest, desired: dict[str, Any] | None, patch: Any
    ) -> Call:
        token = request.token  # the request token is the handlers' client request token, as in AWS
        if request.operation == "CREATE":
            return Call("CREATE", desired or {}, token=token)
        identifying = self._identifying(kind, request.identifier)
        if request.operation == "DELETE":
            return Call("DELETE", identifying, token=token)
        current = {**self._read(kind, account, request.identifier), **identifying}
        try:
            patched = jsonpatch.apply_patch(current, patch)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError) as error:
            raise ApiError("InvalidRequestException", f"PatchDocument: {error}") from None
        changed = [name for name in kind.create_only if patched.get(name) != current.get(name)]
        if changed:
            raise ApiError("NotUpdatableException", f"Create-only properties cannot be updated: {', '.join(changed)}")
        writable = {name: value for name, value in patched.items() if name not in kind.read_only}
        return Call("UPDATE", writable, current, token=token)

    def _moved(self, request: ResourceRequest, progress: Progress) -> None:
        with self._lock:
            request.status = progress.status
            request.model = progress.model or request.model

    def _ended(self, request: ResourceRequest, progress: Progress) -> None:
        with self._lock:
            request.status = progress.status
            request.error_code, request.message = progress.error_code, progress.message
            request.model = progress.model or request.model
            request.event_time = datetime.now(UTC).timestamp()

    # -- what requests give ----------------------------------------------------------------------------------

    @staticmethod
    def _model(body: Mapping[str, Any], name: str) -> Any:
        try:
            return json.loads(str(body.get(name, "")))
        except json.JSONDecodeError as error:
            raise ApiError("InvalidRequestException", f"{name} is not JSON: {error}") from None

    @staticmethod
    def _identifying(kind: RegistryType, identifier: str) -> dict[str, Any]:
        try:
            return kind.identifying_model(identifier)
        except ValueError as error:
            raise ApiError("InvalidRequestException", str(error)) from None

    def account(self, authorization: str | None) -> str:
        return signed_by(authorization)[0] or self._default_account
