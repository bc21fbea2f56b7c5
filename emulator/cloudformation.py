"""CloudFormation's read side, ListStacks and ListStackResources, in its own query protocol for an unmodified boto3.

Stacks are put in by whoever plays CloudFormation (a test, a benchmark, the local engine): `put_stack` with
the stack's status and its resources as they stand. Requests are form-encoded POSTs; answers are XML in the
2010-05-15 namespace, errors an `<ErrorResponse>` with HTTP 400, as CloudFormation sends them.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from emulator.loopback import LoopbackServer, LoopbackService, TrackedHandler, signed_by

NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
PAGE_SIZE = 100  # ListStacks and ListStackResources both answer up to 100 items a page


@dataclass(frozen=True)
class StackResource:
    logical_id: str
    physical_id: str
    resource_type: str
    status: str = "CREATE_COMPLETE"


@dataclass
class StackRecord:
    name: str
    stack_id: str
    status: str
    resources: list[StackResource]
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class QueryError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Handler(TrackedHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length > 0 else ""
        owner = cast("LoopbackServer[CloudFormationEmulator]", self.server).owner
        # The credential scope names the Region the caller asks about.
        status, payload = owner.answer(body, signed_by(self.headers.get("Authorization"))[1])
        data = payload.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(data)


class CloudFormationEmulator(LoopbackService):
    """A local CloudFormation endpoint (AWS_ENDPOINT_URL_CLOUDFORMATION=cfn.url) serving the stacks put into it."""

    handler = _Handler
    thread_name = "cfn-emulator"

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, account: str = "111111111111", region: str = "us-east-1"
    ) -> None:
        super().__init__(host, port)
        self.account, self.region = account, region
        self._lock = threading.Lock()
        self._stacks: dict[str, StackRecord] = {}
        self._calls: list[str] = []

    # --- what the stacks hold ---------------------------------------------------------------------

    def put_stack(
        self, name: str, status: str, resources: list[StackResource], stack_id: str | None = None
    ) -> StackRecord:
        """Add a stack or replace the one of that name; a new stack gets an ID in the emulator's account."""
        stack_id = stack_id or f"arn:aws:cloudformation:{self.region}:{self.account}:stack/{name}/{uuid.uuid4()}"
        record = StackRecord(name, stack_id, status, list(resources))
        with self._lock:
            self._stacks[name] = record
        return record

    def reset(self) -> None:
        with self._lock:
            self._stacks.clear()
            self._calls.clear()

    def calls(self) -> list[str]:
        """The actions asked for, in order."""
        with self._lock:
            return list(self._calls)

    # --- the query protocol -----------------------------------------------------------------------

    def answer(self, body: str, region: str | None = None) -> tuple[int, str]:
        """The answer to a query; signed for a Region, it sees only that Region's stacks, as CloudFormation does."""
        params = dict(parse_qsl(body, keep_blank_values=True))
        action = params.get("Action", "")
        with self._lock:
            self._calls.append(action)
            try:
                stacks = [s for s in self._stacks.values() if region in (None, s.stack_id.split(":")[3])]
                if action == "ListStacks":
                    result = self._list_stacks(params, stacks)
                elif action == "ListStackResources":
                    result = self._list_stack_resources(params, stacks)
                else:
                    raise QueryError("InvalidAction", f"The action {action or '(none)'} is not valid for this endpoint")
            except QueryError as error:
                return 400, _error(error)
        return 200, (
            f'<{action}Response xmlns="{NAMESPACE}"><{action}Result>{result}</{action}Result>'
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></{action}Response>"
        )

    def _list_stacks(self, params: dict[str, str], stacks: list[StackRecord]) -> str:
        wanted = {value for key, value in params.items() if key.startswith("StackStatusFilter.member.")}
        stacks = [s for s in stacks if not wanted or s.status in wanted]
        page, token = _page(stacks, params.get("NextToken"))
        rows = (
            {
                "StackId": s.stack_id,
                "StackName": s.name,
                "CreationTime": _timestamp(s.created_at),
                "StackStatus": s.status,
            }
            for s in page
        )
        return _list("StackSummaries", rows, token)

    def _list_stack_resources(self, params: dict[str, str], stacks: list[StackRecord]) -> str:
        wanted = params.get("StackName", "")
        stack = next((s for s in stacks if wanted in (s.name, s.stack_id)), None)
        if stack is None or (stack.status == "DELETE_COMPLETE" and wanted == stack.name):
            raise QueryError("ValidationError", f"Stack with id {wanted} does not exist")
        page, token = _page(stack.resources, params.get("NextToken"))
        rows = (
            {
                "LogicalResourceId": r.logical_id,
                "PhysicalResourceId": r.physical_id,
                "ResourceType": r.resource_type,
                "LastUpdatedTimestamp": _timestamp(stack.created_at),
                "ResourceStatus": r.status,
            }
            for r in page
        )
        return _list("StackResourceSummaries", rows, token)


def _page(items: list[Any], token: str | None) -> tuple[list[Any], str | None]:
    try:
        start = int(token) if token else 0
    except ValueError:
        raise QueryError("ValidationError", "Invalid NextToken") from None
    end = start + PAGE_SIZE
    return items[start:end], str(end) if end < len(items) else None


def _list(name: str, rows: Iterable[dict[str, str]], token: str | None) -> str:
    """A page of a listing: one <member> per row, then the NextToken when there is more."""
    members = "".join(
        "<member>" + "".join(f"<{key}>{escape(value)}</{key}>" for key, value in row.items()) + "</member>"
        for row in rows
    )
    return f"<{name}>{members}</{name}>" + ("" if token is None else f"<NextToken>{token}</NextToken>")


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _error(error: QueryError) -> str:
    return (
        f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>{error.code}</Code>'
        f"<Message>{escape(str(error))}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
