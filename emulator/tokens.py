"""ClientRequestToken idempotency: a token seen before with the same parameters replays the first result, and
the token switches say what happens otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from emulator import errors
from emulator.behaviours import Behaviour
from emulator.model import Params, Result


@dataclass
class Token:
    fingerprint: str
    result: Result
    stamp: float


class Tokens:
    def __init__(self) -> None:
        self.seen: dict[tuple[str, str, str], Token] = {}  # (account, scope, token)

    def replay(
        self,
        operation: str,
        account: str,
        params: Params,
        run: Callable[[], Result],
        *,
        behaviour: Behaviour,
        now: float,
    ) -> Result:
        token = params["ClientRequestToken"]
        scope = operation if behaviour["token-scope"] == "operation" else "*"
        key = (account, scope, token)
        fingerprint = json.dumps(
            {"operation": operation} | {k: v for k, v in params.items() if k != "ClientRequestToken"}, sort_keys=True
        )
        remembered = self.seen.get(key)
        expiry = behaviour["token-expiry"]
        if remembered is not None and expiry != "never" and now - remembered.stamp >= int(expiry) * 3600:
            remembered = None
        if remembered is not None:
            reuse = behaviour["token-reuse"]
            if remembered.fingerprint == fingerprint or reuse == "first-result":
                return remembered.result
            message = "ClientRequestToken was already used with other parameters"
            if reuse == "validation":
                raise errors.validation(message, "ClientRequestToken")
            raise errors.conflict(message, token, "CLIENT_REQUEST_TOKEN")
        result = run()
        self.seen[key] = Token(fingerprint, result, now)
        return result
