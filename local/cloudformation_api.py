"""CloudFormation's read API for the local cloud's stacks: ListStacks and ListStackResources in the service's
query protocol (form-encoded POST, XML answers), so that an unmodified boto3 client reads them with
AWS_ENDPOINT_URL_CLOUDFORMATION set to `url`. The caller's account is the access key's last 12 digits, as the
Well-Architected emulator reads it; other actions answer 400 InvalidAction.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from local.cloud import DeployedResource, TemplateStack

NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
_CREDENTIAL = re.compile(r"Credential=[^/\s,]*?(\d{12})/")


class StackNotFoundError(Exception):
    pass


def _time(moment: datetime | None) -> str:
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _element(name: str, value: object) -> str:
    return "" if value in (None, "") else f"<{name}>{escape(str(value))}</{name}>"


class CloudFormationApi:
    """Serves `stacks()` (every stack of every account, with its resources) on 127.0.0.1 while started."""

    def __init__(self, stacks: Callable[[], list[TemplateStack]], default_account: str) -> None:
        self._stacks = stacks
        self._default_account = default_account
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the CloudFormation API is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                status, body = api.answer(form, self.headers.get("Authorization", ""))
                encoded = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the local cloud prints stack events, not access logs."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def answer(self, form: dict[str, str], authorization: str) -> tuple[int, str]:
        action = form.get("Action", "")
        account = (match.group(1) if (match := _CREDENTIAL.search(authorization)) else None) or self._default_account
        stacks = [stack for stack in self._stacks() if stack.account == account]
        try:
            if action == "ListStacks":
                wanted = {value for key, value in form.items() if key.startswith("StackStatusFilter.member.")}
                members = "".join(self._summary(stack) for stack in stacks if not wanted or stack.status in wanted)
                return 200, self._result(action, f"<StackSummaries>{members}</StackSummaries>")
            if action == "ListStackResources":
                stack = self._find(stacks, form.get("StackName", ""))
                members = "".join(self._resource(stack, resource) for resource in list(stack.resources.values()))
                return 200, self._result(action, f"<StackResourceSummaries>{members}</StackResourceSummaries>")
        except StackNotFoundError as missing:
            return 400, self._error("ValidationError", f"Stack with id {missing} does not exist")
        shown = action or "(none)"
        return 400, self._error("InvalidAction", f"The action {shown} is not valid for this local endpoint")

    @staticmethod
    def _find(stacks: list[TemplateStack], name: str) -> TemplateStack:
        for stack in stacks:
            if name in (stack.name, stack.stack_id):
                return stack
        raise StackNotFoundError(name)

    @staticmethod
    def _summary(stack: TemplateStack) -> str:
        created = stack.events[0].timestamp if stack.events else None
        fields = (
            _element("StackId", stack.stack_id)
            + _element("StackName", stack.name)
            + _element("CreationTime", _time(created))
            + _element("LastUpdatedTime", _time(stack.events[-1].timestamp) if stack.events else None)
            + _element("StackStatus", stack.status)
            + _element("ParentId", stack.parent)
        )
        return f"<member>{fields}</member>"

    @staticmethod
    def _resource(stack: TemplateStack, resource: DeployedResource) -> str:
        updated = next((e.timestamp for e in reversed(stack.events) if e.logical_id == resource.logical_id), None)
        fields = (
            _element("LogicalResourceId", resource.logical_id)
            + _element("PhysicalResourceId", resource.physical_id)
            + _element("ResourceType", resource.resource_type)
            + _element("LastUpdatedTimestamp", _time(updated))
            + _element("ResourceStatus", resource.status)
        )
        return f"<member>{fields}</member>"

    @staticmethod
    def _result(action: str, content: str) -> str:
        return (
            f'<{action}Response xmlns="{NAMESPACE}"><{action}Result>{content}</{action}Result>'
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></{action}Response>"
        )

    @staticmethod
    def _error(code: str, message: str) -> str:
        return (
            f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>{code}</Code>'
            f"<Message>{escape(message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
        )
