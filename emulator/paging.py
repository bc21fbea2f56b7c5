"""MaxResults and NextToken: one page after the token's position, a token good only for the query that made it."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Protocol, TypeVar

from emulator import errors
from emulator.model import Params


class _Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


_Item = TypeVar("_Item", bound=_Sequenced)


def page(
    items: list[_Item], scope: tuple[str | None, ...], params: Params, limit: int
) -> tuple[list[_Item], str | None]:
    size = params.get("MaxResults", limit)
    if size > limit:
        raise errors.validation(f"MaxResults must be between 1 and {limit}.", "MaxResults")
    digest = hashlib.sha256(json.dumps(scope).encode()).hexdigest()[:16]
    after = _position(params.get("NextToken"), digest)
    rest = [item for item in items if item.seq > after]
    chosen = rest[:size]
    token = base64.urlsafe_b64encode(f"{digest}:{chosen[-1].seq}".encode()).decode() if len(rest) > size else None
    return chosen, token


def _position(token: str | None, digest: str) -> int:
    if token is None:
        return 0
    try:
        token_digest, _, seq = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if token_digest == digest:
            return int(seq)
    except ValueError:
        pass
    raise errors.validation("The NextToken is not valid for this request", "NextToken")
