"""The HTTP front: Well-Architected requests in the service's wire format, and the /_emulator/ control API."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qsl

from emulator.faults import Fault, FaultQueue, RateLimiter
from emulator.loopback import LoopbackServer, LoopbackService, TrackedHandler
from emulator.operations import implements
from emulator.protocol import ServiceError, match_route, parse_input
from emulator.regions import Regions

Call = tuple[str, int, str]

CONTROL_PREFIX = "/_emulator/"
# SigV4's Credential=<key>/<date>/<Region>/<service>/aws4_request names the account (by the key) and the Region.
_CREDENTIAL = re.compile(r"Credential=([^/\s,]+)/\d{8}/([^/\s,]+)/")
_ACCOUNT_SUFFIX = re.compile(r"\d{12}$")
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


class WellArchitectedEmulator(LoopbackService):
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
    ) -> None:
        super().__init__(host, port)
        self.default_account, self.region = default_account, region
        self._regions = Regions(region, default_account, behaviour)  # behaviour: the baseline reset() returns to
        self._rate_baseline = (rate_limit, burst)  # what reset() returns to, so a CLI limit survives it
        self._limiter = RateLimiter()
        self._limiter.configure(rate_limit, burst)
        self._faults = FaultQueue()
        self._calls: list[Call] = []
        self._calls_lock = threading.Lock()

    # --- test controls ------------------------------------------------------------------------------

    def reset(self) -> None:
        self._regions.reset()
        self._faults.clear()
        self._limiter.configure(*self._rate_baseline)
        with self._calls_lock:
            self._calls.clear()

    def set_behaviour(self, name: str, value: str) -> None:
        """One switch of emulator.behaviours, in every Region; an unknown name or value raises ValueError naming
        what is accepted."""
        self._regions.each(lambda state: state.set_behaviour(name, value))

    def behaviour(self) -> dict[str, str]:
        return self._regions.get().behaviours()

    # Each control below acts in one Region: the one named, else the emulator's own (`region`).

    def create_lens(
        self, name: str = "Platform lens", account: str | None = None, published: bool = True, region: str | None = None
    ) -> str:
        return self._regions.get(region).create("LENS", name, account, published)

    def create_profile(
        self, name: str = "Platform profile", account: str | None = None, region: str | None = None
    ) -> str:
        return self._regions.get(region).create("PROFILE", name, account)

    def create_review_template(
        self, name: str = "Platform template", account: str | None = None, region: str | None = None
    ) -> str:
        return self._regions.get(region).create("TEMPLATE", name, account)

    def create_workload(
        self, name: str = "Platform workload", account: str | None = None, region: str | None = None
    ) -> str:
        """A workload owned by the account; its ID (not its ARN) is how the API addresses it."""
        return self._regions.get(region).create("WORKLOAD", name, account)

    def shares(
        self, resource: str | None = None, kind: str | None = None, region: str | None = None
    ) -> list[dict[str, Any]]:
        """Shares of every kind, or of one resource (a lens, profile or template ARN, or a workload ID), in the
        Region named, else in the resource ARN's Region, else in every Region."""
        if region is None and resource is not None and resource.startswith("arn:"):
            region = resource.split(":")[3]
        if region is None:
            return [share for state in self._regions.all() for share in state.shares(resource, kind)]
        return self._regions.get(region).shares(resource, kind)

    def invitations(self, account: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
        """Pending invitations in the Region named, else in every Region."""
        states = [self._regions.get(region)] if region else list(self._regions.all())
        return [invitation for state in states for invitation in state.invitation_list(account)]

    def add_organization_member(self, account: str, organization: str, units: list[str] | None = None) -> None:
        """Make the account a member of the organization and of the OUs given, which its shares then reach."""
        self._regions.add_organization_member(account, organization, list(units or []))

    def set_organization_sharing(self, enabled: bool, account: str | None = None, region: str | None = None) -> None:
        self._regions.get(region).set_organization_sharing(enabled, account)

    def organization_sharing(self, account: str | None = None, region: str | None = None) -> str:
        return self._regions.get(region).organization_sharing(account)

    def inject_fault(
        self,
        kind: str,
        *,
        operation: str | None = None,
        count: int = 1,
        status: int = 500,
        code: str = "InternalServerException",
        delay: float = 0.0,
    ) -> None:
        self._faults.add(Fault(kind, operation, count, status, code, delay))

    def set_rate_limit(self, rps: float | None, burst: int | None = None) -> None:
        self._limiter.configure(rps, burst)

    def set_share_quota(self, limit: int, kind: str | None = None) -> None:
        """The most shares a resource of the kind (LENS, PROFILE, TEMPLATE, WORKLOAD; None: every kind) holds."""
        self._regions.each(lambda state: state.set_share_quota(limit, kind))

    def advance_clock(self, seconds: float) -> None:
        self._regions.advance_clock(seconds)

    def set_share_status(self, share_id: str, status: str, message: str | None = None) -> None:
        """Move an organization or OU share to ASSOCIATING, ASSOCIATED or FAILED (with a StatusMessage)."""
        self._regions.holding(share_id).set_share_status(share_id, status, message)

    def delete_share(self, share_id: str) -> None:
        """Delete a share by hand, whichever resource and Region holds it."""
        self._regions.holding(share_id).delete_share(share_id)

    def dump(self) -> dict[str, Any]:
        """Resources, shares, invitations, settings and switches of every Region as JSON data, for load() by a
        later process."""
        return self._regions.dump()

    def load(self, data: dict[str, Any]) -> None:
        self._regions.load(data)

    def calls(self, operation: str | None = None) -> list[Call]:
        with self._calls_lock:
            return [call for call in self._calls if operation in (None, call[0])]

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
        response = self._answer_operation(operation, labels, account, region, request)
        # Recorded before the answer goes out, so a caller that got it also finds it in calls().
        with self._calls_lock:
            self._calls.append((operation, response.status if response else 0, account))
        return response

    def _signer(self, authorization: str | None) -> tuple[str, str]:
        """The SigV4 access key's last 12 digits name the account, its credential scope the Region; other keys
        are the default account, unsigned requests the emulator's own Region."""
        credential = _CREDENTIAL.search(authorization or "")
        digits = _ACCOUNT_SUFFIX.search(credential.group(1)) if credential else None
        account = digits.group(0) if digits else self.default_account
        return account, credential.group(2) if credential else self.region

    def _answer_operation(
        self, operation: str, labels: dict[str, str], account: str, region: str, request: Request
    ) -> Response | None:
        """Throttling and injected faults come first, so a refused or faulted request changes nothing."""
        if not self._limiter.allow():
            return _error(ServiceError("ThrottlingException", "Rate exceeded"))
        fault = self._faults.take(operation)
        if fault is not None and fault.kind != "slow":
            return _fault_response(fault, operation)
        if fault is not None:
            time.sleep(fault.delay)
        return self._execute(operation, labels, account, region, request)

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
        route = _CONTROL_ROUTES.get((request.method, request.path.removeprefix(CONTROL_PREFIX)))
        if route is None:
            return Response(404, {"Message": f"No control endpoint {request.method} {request.path}"})
        try:
            body = json.loads(request.body) if request.body.strip() else {}
            result = route(self, dict(parse_qsl(request.query)), body)
        except (KeyError, TypeError, ValueError) as error:
            return Response(400, {"Message": f"Bad control request: {error!r}"})
        return Response(200, {} if result is None else result)


_ControlRoute = Callable[[WellArchitectedEmulator, dict[str, str], dict[str, Any]], object]

_CONTROL_ROUTES: dict[tuple[str, str], _ControlRoute] = {
    ("POST", "reset"): lambda emu, _query, _body: emu.reset(),
    ("POST", "lenses"): lambda emu, _query, body: {
        "LensArn": emu.create_lens(
            body["name"], account=body.get("account"), published=body.get("published", True), region=body.get("region")
        )
    },
    ("POST", "profiles"): lambda emu, _query, body: {
        "ProfileArn": emu.create_profile(body["name"], account=body.get("account"), region=body.get("region"))
    },
    ("POST", "templates"): lambda emu, _query, body: {
        "TemplateArn": emu.create_review_template(body["name"], account=body.get("account"), region=body.get("region"))
    },
    ("POST", "workloads"): lambda emu, _query, body: {
        "WorkloadId": emu.create_workload(body["name"], account=body.get("account"), region=body.get("region"))
    },
    ("GET", "shares"): lambda emu, query, _body: emu.shares(
        query.get("resource"), query.get("kind"), query.get("region")
    ),
    ("POST", "members"): lambda emu, _query, body: emu.add_organization_member(
        body["account"], body["organization"], body.get("units")
    ),
    ("GET", "behaviour"): lambda emu, _query, _body: emu.behaviour(),
    ("POST", "behaviour"): lambda emu, _query, body: emu.set_behaviour(body["name"], body["value"]),
    ("GET", "invitations"): lambda emu, query, _body: emu.invitations(query.get("account"), query.get("region")),
    ("POST", "settings"): lambda emu, _query, body: emu.set_organization_sharing(
        bool(body["enabled"]), body.get("account"), body.get("region")
    ),
    ("GET", "settings"): lambda emu, query, _body: {
        "OrganizationSharingStatus": emu.organization_sharing(query.get("account"), query.get("region"))
    },
    ("POST", "faults"): lambda emu, _query, body: emu.inject_fault(**body),
    ("POST", "rate-limit"): lambda emu, _query, body: emu.set_rate_limit(body.get("rps"), body.get("burst")),
    ("POST", "quota"): lambda emu, _query, body: emu.set_share_quota(int(body["limit"]), body.get("kind")),
    ("POST", "clock"): lambda emu, _query, body: emu.advance_clock(float(body["advance_seconds"])),
    ("POST", "share-status"): lambda emu, _query, body: emu.set_share_status(
        body["share_id"], body["status"], body.get("message")
    ),
    ("POST", "share-deletions"): lambda emu, _query, body: emu.delete_share(body["share_id"]),
    ("GET", "calls"): lambda emu, query, _body: [list(call) for call in emu.calls(query.get("operation"))],
}
