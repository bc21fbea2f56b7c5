"""The handler request and its call backs, against a handler that answers what each test gives: IN_PROGRESS is
called back with its context and model after its delay (capped), the same token throughout, and a handler that
never finishes fails after a bounded number of calls back. No test waits: the pause is recorded instead."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from local.functions import FunctionConfig, Functions
from local.handler_calls import CALLBACK_WAIT_CAP_S, MAX_CALLBACKS, Call, HandlerCalls
from local.registry import TYPES

KIND = TYPES["LensShareProvider::WellArchitected::WorkloadShare"]
MODEL = {"WorkloadId": "a" * 32, "SharedWith": "222222222222"}


class Answering:
    """Stands in for the local functions: records each request and answers the next of `answers`."""

    def __init__(self, answers: Iterator[dict[str, Any]]) -> None:
        self.answers = answers
        self.requests: list[dict[str, Any]] = []
        self.deployed: list[FunctionConfig] = []

    def __contains__(self, arn: object) -> bool:
        return any(config.arn == arn for config in self.deployed)

    def deploy(self, config: FunctionConfig) -> None:
        self.deployed.append(config)

    def call(self, arn: str, payload: dict[str, Any]) -> Any:
        self.requests.append(payload)
        return next(self.answers)


def calls(answers: Iterator[dict[str, Any]]) -> tuple[HandlerCalls, Answering, list[float]]:
    functions, pauses = Answering(answers), list[float]()
    handlers = HandlerCalls(cast("Functions", functions), "us-east-1", lambda account: {}, "logs", wait=pauses.append)
    return handlers, functions, pauses


def test_in_progress_is_called_back_with_its_context_and_model_after_its_delay() -> None:
    working = {"status": "IN_PROGRESS", "callbackContext": {"round": 1}, "callbackDelaySeconds": 30}
    done = {"status": "SUCCESS", "resourceModel": {**MODEL, "ShareId": "b" * 32}}
    handlers, functions, pauses = calls(iter([{**working, "resourceModel": {**MODEL, "Step": 1}}, done]))

    progress = handlers.run(KIND, "111111111111", Call("CREATE", MODEL, logical_id="Share", stack_id="stack"))

    first, second = functions.requests
    assert progress.succeeded
    assert progress.model["ShareId"] == "b" * 32
    assert pauses == [CALLBACK_WAIT_CAP_S]  # 30 s asked for, the local cap waited
    assert (first["action"], first["bearerToken"]) == ("CREATE", second["bearerToken"])
    assert first["callbackContext"] is None
    assert second["callbackContext"] == {"round": 1}
    assert second["requestData"]["resourceProperties"] == {**MODEL, "Step": 1}
    assert first["requestData"]["callerCredentials"]["accessKeyId"].endswith("111111111111")
    assert {first["awsAccountId"], first["resourceType"], first["stackId"]} == {"111111111111", KIND.type_name, "stack"}
    assert [config.handler for config in functions.deployed] == [KIND.entrypoint]  # one function, reused


def test_a_handler_that_never_finishes_fails_after_a_bounded_number_of_calls_back() -> None:
    forever = iter(lambda: {"status": "IN_PROGRESS", "callbackDelaySeconds": 0}, None)
    handlers, functions, pauses = calls(forever)

    progress = handlers.run(KIND, "111111111111", Call("DELETE", MODEL))

    assert (progress.status, progress.error_code) == ("FAILED", "NotStabilized")
    assert len(functions.requests) == MAX_CALLBACKS
    assert pauses == [0] * MAX_CALLBACKS


def test_an_answer_that_is_no_progress_event_fails_with_internal_failure() -> None:
    handlers, _functions, _pauses = calls(iter([{"unexpected": True}]))

    progress = handlers.run(KIND, "111111111111", Call("READ", MODEL))

    assert (progress.status, progress.error_code) == ("FAILED", "InternalFailure")
