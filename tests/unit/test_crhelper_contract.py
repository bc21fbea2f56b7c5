"""resource.Provider skips CfnResource.__init__ and overrides private methods: a crhelper upgrade that renames
or removes any of them must fail here, with a message that says what to review, not somewhere in production."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest
from aws_lambda_powertools import Logger
from crhelper import CfnResource

from lens_share.aws import retry
from lens_share.provider import TIMER_MARGIN_S, Provider

# The polling clients are what skipping the constructor avoids; everything else it sets, Provider must set too.
POLLING_CLIENTS = {"_lambda_client", "_events_client", "_logs_client"}
# Overridden by Provider (same parameters) or called by crhelper's dispatch on Provider's behalf.
OVERRIDDEN = (
    "_log_setup",
    "_crhelper_init",
    "_set_timeout",
    "_timeout",
    "generate_physical_id",
    "_send",
    "init_failure",
)
# The dispatch Provider keeps: which crhelper method calls which.
DISPATCH = {
    "__call__": {"_log_setup", "_crhelper_init", "_poll_enabled", "_cfn_response", "_send"},
    "_crhelper_init": {"_set_timeout", "_wrap_function", "_get_func"},
    "_cfn_response": {"generate_physical_id", "_send"},
}
REVIEW = "crhelper changed under resource.Provider; review resource.py against the new crhelper before upgrading"


def _tree(function: object) -> ast.AST:
    return ast.parse(textwrap.dedent(inspect.getsource(function)))  # type: ignore[arg-type]


def _self_attributes(function: object) -> set[str]:
    return {
        node.attr
        for node in ast.walk(_tree(function))
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    }


def _self_calls(function: object) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(_tree(function))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
    }


def test_provider_sets_every_attribute_the_crhelper_constructor_sets() -> None:
    expected = _self_attributes(CfnResource.__init__) - POLLING_CLIENTS
    provider = vars(Provider(Logger(service="contract")))

    missing = sorted(expected - set(provider))
    assert not missing, f"{REVIEW}: CfnResource.__init__ now sets {missing}, which Provider.__init__ does not"


@pytest.mark.parametrize("name", OVERRIDDEN)
def test_every_overridden_method_still_exists_with_the_same_parameters(name: str) -> None:
    original = getattr(CfnResource, name, None)
    assert original is not None, f"{REVIEW}: CfnResource.{name} is gone, and Provider overrides it"
    ours = inspect.signature(getattr(Provider, name)).parameters
    theirs = inspect.signature(original).parameters
    assert list(ours)[: len(theirs)] == list(theirs), f"{REVIEW}: CfnResource.{name}{inspect.signature(original)}"


@pytest.mark.parametrize(("caller", "callees"), DISPATCH.items())
def test_crhelper_still_dispatches_through_the_methods_provider_relies_on(caller: str, callees: set[str]) -> None:
    missing = sorted(callees - _self_calls(getattr(CfnResource, caller)))
    assert not missing, f"{REVIEW}: CfnResource.{caller} no longer calls {missing}"


def test_the_safety_timer_answers_inside_the_time_the_retries_keep_back() -> None:
    # A timer that fired before the retries' reserve would cut off a call the retries still let start.
    assert 0 < TIMER_MARGIN_S < retry.ANSWER_RESERVE_S
