"""template.yaml as CloudFormation reads it, and as the SAM transform turns it into plain CloudFormation: through
local.template, offline."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

from local.template import decoded
from tests.template import harness
from tests.template.harness import FUNCTION, TEMPLATE_PATH, Statement, Template


@pytest.fixture(scope="session")
def template() -> Template:
    return decoded(TEMPLATE_PATH)


@pytest.fixture(scope="session")
def transformed() -> Callable[..., Template]:
    """The SAM-transformed template for an AllowedPrincipals (and OrganizationSharing) setting, as CloudFormation
    would receive it."""

    @cache
    def for_setting(allowed_principals: str, organization_sharing: str = "enabled") -> Template:
        done = harness.transformed(
            TEMPLATE_PATH, AllowedPrincipals=allowed_principals, OrganizationSharing=organization_sharing
        )
        return done.body

    return for_setting


@pytest.fixture(scope="session")
def deployed_role() -> Callable[..., Template]:
    """A function's IAM role properties (the provider's unless another function is named) once CloudFormation
    has evaluated the template's conditions."""

    @cache
    def for_setting(
        allowed_principals: str, function: str = FUNCTION, organization_sharing: str = "enabled"
    ) -> Template:
        done = harness.transformed(
            TEMPLATE_PATH, AllowedPrincipals=allowed_principals, OrganizationSharing=organization_sharing
        )
        properties: Template = harness.deployed(done)[f"{function}Role"]["Properties"]
        return properties

    return for_setting


@pytest.fixture(scope="session")
def statements(deployed_role: Callable[..., Template]) -> Callable[..., list[Statement]]:
    """Every statement of a function's role's inline policies, for an AllowedPrincipals setting."""

    def for_setting(
        allowed_principals: str, function: str = FUNCTION, organization_sharing: str = "enabled"
    ) -> list[Statement]:
        return harness.role_statements(deployed_role(allowed_principals, function, organization_sharing))

    return for_setting
