"""What CloudFormation makes of a custom resource's answer: the PUT body, and the rules it must follow."""

from __future__ import annotations

import json
from typing import Any

MAX_BODY_BYTES = 4096
MAX_PHYSICAL_ID_BYTES = 1024
STATUSES = ("SUCCESS", "FAILED")


class Answer(dict[str, Any]):
    """One answer: the parsed JSON body (the dict itself, empty when it is not a JSON object) plus transport facts.

    `http_status` is what the receiver replied (None: connection closed without a reply, or nothing was PUT);
    only a 200 was stored, so only then does CloudFormation read it. `problems` lists why CloudFormation
    would reject the body; an Answer built by `missing()` stands for "no answer came".
    """

    def __init__(
        self,
        document: dict[str, Any],
        *,
        request_id: str,
        body: bytes = b"",
        path: str = "",
        headers: dict[str, str] | None = None,
        http_status: int | None = 200,
        problems: list[str] | None = None,
        received_at: float | None = None,
    ) -> None:
        super().__init__(document)
        self.request_id = request_id
        self.body = body
        self.path = path
        self.headers = headers or {}
        self.http_status = http_status
        self.problems = problems or []
        self.received_at = received_at

    @classmethod
    def missing(cls, request_id: str, reason: str) -> Answer:
        return cls({}, request_id=request_id, http_status=None, problems=[reason])

    @property
    def delivered(self) -> bool:
        return self.received_at is not None and self.http_status == 200

    @property
    def valid(self) -> bool:
        return self.delivered and not self.problems

    @property
    def succeeded(self) -> bool:
        return self.valid and self.get("Status") == "SUCCESS"

    @property
    def failure_reason(self) -> str:
        """The status reason CloudFormation would show; empty when the answer succeeded."""
        if self.problems:
            return "; ".join(self.problems)
        if not self.delivered:
            return f"answer not stored (HTTP {self.http_status})"
        if self.succeeded:
            return ""
        return str(self.get("Reason", ""))

    @property
    def status(self) -> str:
        return str(self.get("Status", ""))

    @property
    def physical_id(self) -> str:
        value = self.get("PhysicalResourceId")
        return value if isinstance(value, str) else ""

    @property
    def reason(self) -> str:
        return str(self.get("Reason", ""))

    @property
    def data(self) -> dict[str, Any]:
        value = self.get("Data")
        return value if isinstance(value, dict) else {}

    def __repr__(self) -> str:
        return f"Answer({dict.__repr__(self)}, http_status={self.http_status}, problems={self.problems!r})"


def check_answer(body: bytes, *, stack_id: str, logical_id: str, request_id: str) -> tuple[dict[str, Any], list[str]]:
    """Parse a PUT body and list every rule of CloudFormation's response contract it breaks."""
    problems: list[str] = []
    if len(body) > MAX_BODY_BYTES:
        problems.append(f"Response object is too long ({len(body)} bytes, limit {MAX_BODY_BYTES})")
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, [*problems, f"Response object is not valid JSON: {exc}"]
    if not isinstance(document, dict):
        return {}, [*problems, "Response object is not a JSON object"]
    status = document.get("Status")
    if status not in STATUSES:
        problems.append(f"Invalid Status {status!r}: must be SUCCESS or FAILED")
    problems.extend(_physical_id_problems(document.get("PhysicalResourceId")))
    reason = document.get("Reason")
    if status == "FAILED" and not (isinstance(reason, str) and reason):
        problems.append("Reason is required when Status is FAILED")
    expected = {"StackId": stack_id, "RequestId": request_id, "LogicalResourceId": logical_id}
    for key, value in expected.items():
        if document.get(key) != value:
            problems.append(f"{key} {document.get(key)!r} does not match the request's {value!r}")
    if "Data" in document and not isinstance(document["Data"], dict):
        problems.append("Data must be a JSON object")
    return document, problems


def _physical_id_problems(physical_id: object) -> list[str]:
    if not isinstance(physical_id, str) or not physical_id:
        return [f"Invalid PhysicalResourceId {physical_id!r}: must be a non-empty string"]
    size = len(physical_id.encode())
    if size > MAX_PHYSICAL_ID_BYTES:
        return [f"PhysicalResourceId is too long ({size} bytes, limit {MAX_PHYSICAL_ID_BYTES})"]
    return []
