"""Each function's role, after the SAM transform, against the AWS calls its code makes, read from the code
itself: every boto3 client method named in lens_share, attributed to the function whose code runs it."""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import pytest

from lens_share import answer
from tests.template.harness import FUNCTION, HEALTH_FUNCTION

PACKAGE = Path(answer.__file__).parent
SERVICES = ("wellarchitected", "organizations", "cloudformation")
# Kinds' listings of what the account owns serve the health check alone; a kind's share listing serves both.
HEALTH_ONLY = {"owned"}
BOTH = {"shares"}
# What UpdateGlobalSettings(ENABLED) does on the provider's behalf: no line of its code calls these.
ON_BEHALF = {"iam:CreateServiceLinkedRole", "organizations:EnableAWSServiceAccess"}
GUARD_ONLY = "organizations:Describe"  # the ORGANIZATION guard's reads, granted only with that setting


@cache
def methods() -> dict[str, str]:
    """Each client method name of the services the code uses, as service:Operation (the IAM action)."""
    named: dict[str, str] = {}
    for service in SERVICES:
        client: Any = boto3.client(service, region_name="us-east-1")  # type: ignore[call-overload]
        named |= {method: f"{service}:{operation}" for method, operation in client.meta.method_to_api_mapping.items()}
    return named


def _calls_in(path: Path) -> list[tuple[str, str]]:
    """(enclosing function, IAM action) for each client method a module names."""
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Attribute) and child.attr in methods() and child.attr != "can_paginate":
                found.append((function, methods()[child.attr]))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


@cache
def derived() -> dict[str, set[str]]:
    actions: dict[str, set[str]] = {FUNCTION: set(), HEALTH_FUNCTION: set()}
    for path in PACKAGE.rglob("*.py"):
        for function, action in _calls_in(path):
            if "health" in path.relative_to(PACKAGE).parts or function in HEALTH_ONLY:
                actions[HEALTH_FUNCTION].add(action)
            elif function in BOTH:
                actions[HEALTH_FUNCTION].add(action)
                actions[FUNCTION].add(action)
            else:
                actions[FUNCTION].add(action)
    return actions


def granted(statements: list[dict[str, Any]]) -> set[str]:
    return {
        action
        for statement in statements
        for action in (statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]])
    }


def test_the_code_is_read_for_every_service_it_calls() -> None:
    services = {action.split(":")[0] for actions in derived().values() for action in actions}
    assert services == set(SERVICES)
    assert "wellarchitected:CreateWorkloadShare" in derived()[FUNCTION]
    assert "wellarchitected:ListLenses" in derived()[HEALTH_FUNCTION]


@pytest.mark.parametrize("setting", ["ANY", "ORGANIZATION", "111111111111,ou-ab12-abcd1234"])
def test_the_provider_may_make_exactly_the_calls_its_code_makes(
    statements: Callable[..., list[dict[str, Any]]], setting: str
) -> None:
    expected = derived()[FUNCTION] | ON_BEHALF
    if setting != "ORGANIZATION":
        expected = {action for action in expected if not action.startswith(GUARD_ONLY)}
    assert sorted(granted(statements(setting))) == sorted(expected)


def test_the_health_check_may_make_exactly_the_calls_its_code_makes(
    statements: Callable[..., list[dict[str, Any]]],
) -> None:
    assert sorted(granted(statements("ANY", HEALTH_FUNCTION))) == sorted(derived()[HEALTH_FUNCTION])
