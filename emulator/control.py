"""EmulatorControl: the emulator's test controls from another process, over its /_emulator/ HTTP API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from emulator.server import CONTROL_PREFIX, Call


class EmulatorControl:
    """Same methods as WellArchitectedEmulator's controls; a refused request raises ValueError."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self._timeout = timeout
        # Loopback only: a proxy from the environment must never see these requests.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _call(self, method: str, name: str, query: dict[str, str | None] | None = None, body: Any = None) -> Any:
        given = {key: value for key, value in (query or {}).items() if value is not None}
        url = f"{self.url}{CONTROL_PREFIX}{name}" + (f"?{urlencode(given)}" if given else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise ValueError(json.loads(error.read()).get("Message", str(error))) from None

    def reset(self) -> None:
        self._call("POST", "reset", body={})

    def create_lens(self, name: str = "Platform lens", account: str | None = None, published: bool = True) -> str:
        result = self._call("POST", "lenses", body={"name": name, "account": account, "published": published})
        return str(result["LensArn"])

    def create_profile(self, name: str = "Platform profile", account: str | None = None) -> str:
        return str(self._call("POST", "profiles", body={"name": name, "account": account})["ProfileArn"])

    def create_review_template(self, name: str = "Platform template", account: str | None = None) -> str:
        return str(self._call("POST", "templates", body={"name": name, "account": account})["TemplateArn"])

    def create_workload(self, name: str = "Platform workload", account: str | None = None) -> str:
        return str(self._call("POST", "workloads", body={"name": name, "account": account})["WorkloadId"])

    def shares(self, resource: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        return list(self._call("GET", "shares", {"resource": resource, "kind": kind}))

    def add_organization_member(self, account: str, organization: str, units: list[str] | None = None) -> None:
        self._call("POST", "members", body={"account": account, "organization": organization, "units": units})

    def set_behaviour(self, name: str, value: str) -> None:
        self._call("POST", "behaviour", body={"name": name, "value": value})

    def behaviour(self) -> dict[str, str]:
        return {str(name): str(value) for name, value in self._call("GET", "behaviour").items()}

    def invitations(self, account: str | None = None) -> list[dict[str, Any]]:
        return list(self._call("GET", "invitations", {"account": account}))

    def set_organization_sharing(self, enabled: bool, account: str | None = None) -> None:
        self._call("POST", "settings", body={"enabled": enabled, "account": account})

    def organization_sharing(self, account: str | None = None) -> str:
        return str(self._call("GET", "settings", {"account": account})["OrganizationSharingStatus"])

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
        fault = {"kind": kind, "operation": operation, "count": count, "status": status, "code": code, "delay": delay}
        self._call("POST", "faults", body=fault)

    def set_rate_limit(self, rps: float | None, burst: int | None = None) -> None:
        self._call("POST", "rate-limit", body={"rps": rps, "burst": burst})

    def set_share_quota(self, limit: int, kind: str | None = None) -> None:
        self._call("POST", "quota", body={"limit": limit, "kind": kind})

    def advance_clock(self, seconds: float) -> None:
        self._call("POST", "clock", body={"advance_seconds": seconds})

    def set_share_status(self, share_id: str, status: str, message: str | None = None) -> None:
        self._call("POST", "share-status", body={"share_id": share_id, "status": status, "message": message})

    def delete_share(self, share_id: str) -> None:
        self._call("POST", "share-deletions", body={"share_id": share_id})

    def calls(self, operation: str | None = None) -> list[Call]:
        return [
            (str(op), int(status), str(account))
            for op, status, account in self._call("GET", "calls", {"operation": operation})
        ]
