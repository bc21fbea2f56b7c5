"""EmulatorControl: the emulator's test controls from another process, over its /_emulator/ HTTP API.

Each method is made from the control of the same name in emulator.controls, with its signature: the arguments
go as JSON, a refusal comes back as ValueError, and a list of Calls comes back as Calls.
"""

from __future__ import annotations

import functools
import inspect
import json
import typing
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from emulator.controls import CONTROLS, Call, Controls
from emulator.server import CONTROL_PREFIX


class EmulatorControl(Controls):
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self._timeout = timeout
        # Loopback only: a proxy from the environment must never see these requests.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _post(self, name: str, arguments: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            f"{self.url}{CONTROL_PREFIX}{name}",
            data=json.dumps(arguments).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                return json.loads(response.read())["Result"]
        except urllib.error.HTTPError as error:
            raise ValueError(json.loads(error.read()).get("Message", str(error))) from None


def _remote(name: str) -> Callable[..., Any]:
    method = getattr(Controls, name)
    signature = inspect.signature(method)
    # JSON has no tuples: a control that answers Calls gets them rebuilt from their lists
    calls = typing.get_type_hints(method)["return"] == list[Call]

    @functools.wraps(method)
    def remote(self: EmulatorControl, *args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(self, *args, **kwargs).arguments
        result = self._post(name, {key: value for key, value in arguments.items() if key != "self"})
        return [Call(*call) for call in result] if calls else result

    return remote


for _name in CONTROLS:
    setattr(EmulatorControl, _name, _remote(_name))
