"""What an AWS error says: its code and message, read in one place."""

from __future__ import annotations

from collections.abc import Mapping


def error_code(error: BaseException) -> str:
    """The AWS error code of a failed call; "" for errors that carry no AWS answer (connection errors)."""
    response = getattr(error, "response", None)
    if not isinstance(response, Mapping):
        return ""
    return str(response.get("Error", {}).get("Code", ""))


def service_message(error: BaseException) -> str:
    response = getattr(error, "response", None)
    if not isinstance(response, Mapping):
        return str(error)
    return str(response.get("Error", {}).get("Message", "")).strip()
