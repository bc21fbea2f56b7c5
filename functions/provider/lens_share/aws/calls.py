"""The one wrapper of every AWS call: its operation name, retries bounded by the deadline, and its metric."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from lens_share.aws import retry
from lens_share.aws.codes import error_code

T = TypeVar("T")
P = ParamSpec("P")

# Called with (operation, seconds, error code or "") after each attempt, for metrics.
Observer = Callable[[str, float, str], None]


def ignore(_operation: str, _seconds: float, _outcome: str) -> None:
    """An Observer that records nothing."""
    return


def pages(fetch: Callable[..., Mapping[str, Any]], items: str, **kwargs: Any) -> Iterator[Any]:
    """Every item of a paged AWS listing: fetch(**kwargs) again with each NextToken until a page has none."""
    while True:
        page = fetch(**kwargs)
        yield from page.get(items, [])
        if not page.get("NextToken"):
            return
        kwargs["NextToken"] = page["NextToken"]


@dataclass
class Caller:
    """Makes calls for one invocation: each attempt timed, transient failures retried while time remains."""

    deadline: retry.Deadline
    backoff: retry.Backoff
    observe: Observer = ignore

    def __call__(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A boto3 client method called with its own, type-checked parameters."""
        return self.run(operation_name(method), lambda: method(*args, **kwargs))

    def run(self, operation: str, fn: Callable[[], T]) -> T:
        def timed() -> T:
            started = time.perf_counter()
            outcome = ""
            try:
                return fn()
            except Exception as error:
                outcome = error_code(error) or type(error).__name__
                raise
            finally:
                self.observe(operation, time.perf_counter() - started, outcome)

        return retry.call(operation, timed, self.deadline, self.backoff)

    def pages(self, fetch: Callable[P, Any], items: str, *_: P.args, **kwargs: P.kwargs) -> Iterator[Any]:
        """Every item of a listing, each page its own retried call that starts only while there is time."""
        operation = operation_name(fetch)
        fetch_page: Callable[..., Any] = fetch  # each page adds its NextToken to the checked parameters

        def page(**arguments: Any) -> Any:
            if "NextToken" in arguments and self.deadline.left() < retry.ATTEMPT_S:
                raise retry.OutOfTime(operation, 0, TimeoutError("no time for another page"))
            return self.run(operation, lambda: fetch_page(**arguments))

        return pages(page, items, **kwargs)


def operation_name(method: Callable[..., Any]) -> str:
    """The API operation a boto3 client method calls (create_lens_share: CreateLensShare), which is also the
    IAM action that allows it."""
    name = str(getattr(method, "__name__", ""))
    client = getattr(method, "__self__", None)
    mapping = getattr(getattr(client, "meta", None), "method_to_api_mapping", {})
    return str(mapping.get(name) or "".join(part.capitalize() for part in name.split("_")))
