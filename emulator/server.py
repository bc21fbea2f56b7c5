"""The HTTP front: Well-Architected requests in the service's wire format, and the /_emulator/ control API."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from emulator.clock import REAL, Clock
from emulator.controls import CONTROLS, Call, Controls
from emulator.faults import Fault, FaultQueue, RateLimiter
from emulator.loopback import LoopbackServer, LoopbackService, TrackedHandler, signed_by
from emulator.operations import implements
from emulator.protocol import ServiceError, match_route, parse_input
from emulator.regions import Regions

CONTROL_PREFIX = "/_emulator/"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    authorization: str | None
    body: bytes


@dataclass(frozen=True)
class Response:
    status: int
    payload: object
    error_code: str | None = None


def _error(error: ServiceError, bracketed: bool = False) -> Response:
    return Response(error.status, error.body(bracketed), error.code)


def _fault_response(fault: Fault, operation: str) -> Response | None:
    """An injected error answer, or None for a dropped connection."""
    if fault.kind == "drop":
        return None
    return _error(ServiceError(fault.code, f"Injected fault for {operation}", status=fault.status))


class _Handler(TrackedHandler):
    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        request = Request(self.command, path, query, self.headers.get("Authorization"), body)
        response = cast("LoopbackServer[WellArchitectedEmulator]", self.server).owner.answer(request)
        if response is None:
            self.close_connection = True
            return
        payload = json.dumps(response.payload).encode()
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if response.error_code is not None:
            self.send_header("x-amzn-ErrorType", response.error_code)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch


class WellArchitectedEmulator(Controls, LoopbackService):
    """A local Well-Architected endpoint for boto3 (endpoint_url=emu.url) plus its test controls."""

    handler = _Handler
    thread_name = "wa-emulator"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        default_account: str = "111111111111",
        region: str = "us-east-1",
        *,
        rate_limit: float | None = None,
        burst: int | None = None,
        behaviour: Mapping[str, str] | None = None,
        clock: Clock = REAL,
    ) -> None:
        super().__init__(host, port)
        self._clock = clock  # slow faults wait on it, and the throttle refills by it
        self.default_account, self.region = default_account, region
        self._regions = Regions(region, default_account, behaviour)  # behaviour: the baseline reset() returns to
        self._rate_baseline = (rate_limit, burst)
        self._limiter = RateLimiter(clock.now)
        self._limiter.configure(rate_limit, burst)
        self._faults = FaultQueue()
        self._calls = []
        self._calls_lock = threading.Lock()

    # --- request handling ---------------------------------------------------------------------------

    def answer(self, request: Request) -> Response | None:
        """The response to one request; None means hang up without answering."""
        if request.path.startswith(CONTROL_PREFIX):
            return self._answer_control(request)
        matched = match_route(request.method, request.path)
        if matched is None:
            message = f"No operation matches {request.method} {request.path}"
            return _error(ServiceError("UnknownOperationException", message, status=404))
        operation, labels = matched
        account, region = self._signer(request.authorization)
        log = self._calls  # the log of the test that sent it, even if a slow or lost answer outlives a reset
        response = self._answer_operation(operation, labels, account, region, request)
        # Recorded before the answer goes out, so a caller that got it also finds it in calls().
        with self._calls_lock:
            log.append(Call(operation, response.status if response else 0, account))
        return response

    def _signer(self, authorization: str | None) -> tuple[str, str]:
        """The SigV4 access key's last 12 digits name the account, its credential scope the Region; other keys
        are the default account, unsigned requests the emulator's own Region."""
        account, region = signed_by(authorization)
        return account or self.default_account, region or self.region

    def _answer_operation(
        self, operation: str, labels: dict[str, str], account: str, region: str, request: Request
    ) -> Response | None:
        """Throttling and injected faults come first, so a refused or faulted request changes nothing; a lost
        answer is the one fault that comes after the request was carried out."""
        if not self._limiter.allow():
            return _error(ServiceError("ThrottlingException", "Rate exceeded"))
        fault = self._faults.take(operation)
        if fault is not None and fault.kind in ("error", "drop"):
            return _fault_response(fault, operation)
        if fault is not None and fault.kind == "slow":
            self._clock.sleep(fault.delay)
        response = self._execute(operation, labels, account, region, request)
        if fault is not None and fault.kind == "lost":
            if not fault.delay:
                return _fault_response(fault, operation)
            self._clock.sleep(fault.delay)
        return response

    def _execute(self, operation: str, labels: dict[str, str], account: str, region: str, request: Request) -> Response:
        if not implements(operation):
            return _error(ServiceError("NotImplemented", f"The emulator does not implement {operation}", status=501))
        state = self._regions.get(region)
        try:
            params = parse_input(operation, labels, request.query, request.body)
            return Response(200, state.call(operation, account, params))
        except ServiceError as error:
            return _error(error, state.bracketed())
        except Exception:
            logger.exception("emulator failure in %s", operation)
            return _error(ServiceError("InternalServerException", f"The emulator failed in {operation}"))

    def _answer_control(self, request: Request) -> Response:
        """POST /_emulator/<control> with the control's arguments as a JSON object; the answer is {"Result": ...}."""
        name = request.path.removeprefix(CONTROL_PREFIX)
        if request.method != "POST" or name not in CONTROLS:
            return Response(404, {"Message": f"No control {request.method} {request.path}: POST one of {CONTROLS}"})
        try:
            arguments = json.loads(request.body) if request.body.strip() else {}
            return Response(200, {"Result": getattr(self, name)(**arguments)})
        except (KeyError, TypeError, ValueError) as error:
            return Response(400, {"Message": f"Bad control request: {error}"})
