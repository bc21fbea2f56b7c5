"""Each resource type's reference page is held to its schema (functions/provider/lens_share/schemas): the
properties it documents are the ones the provider accepts, and the attributes the ones it gives back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lens_share import schema
from lens_share.resources import REGISTRY
from tests.docs.pages import reference_pages

CLOUDFORMATION = {"ServiceToken", "ServiceTimeout"}
# Each served type's page, found by its title as tests/docs/test_docs.py finds it (which also checks one per type).
PAGES = {type_name: page for type_name, page in reference_pages().items() if type_name in REGISTRY}


def section(text: str, heading: str) -> str:
    found = re.search(rf"^## {heading}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert found, f"no section {heading}"
    return found.group(1)


def test_every_custom_type_served_has_a_page() -> None:
    assert {name for name in REGISTRY if name.startswith("Custom::")} == set(PAGES)


@pytest.mark.parametrize(("type_name", "page"), PAGES.items())
def test_the_syntax_and_properties_are_the_schemas_inputs(type_name: str, page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    described = schema.load(type_name)

    syntax = set(re.findall(r"^  (\w+): ", section(text, "Syntax"), re.MULTILINE)) - CLOUDFORMATION
    documented = set(re.findall(r"^`(\w+)`", section(text, "Properties"), re.MULTILINE))
    documented |= {
        name
        for line in re.findall(r"^(`\w+`(?:, `\w+`)+)$", text, re.MULTILINE)
        for name in re.findall(r"`(\w+)`", line)
    }

    assert syntax == set(described.inputs)
    assert documented == set(described.inputs)
    for name, spec in described.properties.items():
        for value in spec.get("enum", []) if name in described.inputs else []:
            assert value in section(text, "Properties"), f"{page} does not name {name}'s value {value}"


@pytest.mark.parametrize(("type_name", "page"), PAGES.items())
def test_the_attributes_are_the_schemas(type_name: str, page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    table = section(text, "Return values").split("### Fn::GetAtt", 1)[-1]

    listed = {name for row in re.findall(r"^\| (`.*?) \|", table, re.MULTILINE) for name in re.findall(r"`(\w+)`", row)}

    assert listed == set(schema.load(type_name).attributes)
