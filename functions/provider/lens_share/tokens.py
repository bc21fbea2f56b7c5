"""ClientRequestTokens: the Create<Kind>Share of an event uses its RequestId, as the contract says; every other
call gets a token derived from it, so that no token ever serves two calls (the service may scope tokens to the
account rather than to one operation) and a retried event replays exactly the same calls."""

from __future__ import annotations


def derived(request_id: str, purpose: str, subject: str) -> str:
    """The token of the call `purpose` on `subject` (a share ID) within the event `request_id`."""
    return f"{request_id}-{purpose}-{subject}"
