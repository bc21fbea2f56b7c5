"""The test beds lean on a few parts of cfn-lint, aws-sam-translator and pytest-xdist that are not their documented
API. Each is named here with the version it was checked against: an upgrade fails here, naming the parts to review
and where they are used, before it fails somewhere deep in a local deploy or a test run."""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest
from cfnlint.template import Template as LintTemplate

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Seam:
    module: str
    name: str  # dotted below the module
    parameters: tuple[str, ...]  # the parameters we pass, in order; () for what is not called with arguments
    used_in: str


# The versions every seam below was last read against.
CHECKED = {"cfn-lint": "1.58.0", "aws-sam-translator": "1.115.0", "pytest-xdist": "3.8.0"}
SEAMS = {
    "cfn-lint": [
        # The AWS::LanguageExtensions transform (Fn::ForEach and friends) on a template cfn-lint has parsed.
        Seam("cfnlint.template.transforms._language_extensions", "language_extension", ("cfn",), "local/template.py"),
        # The registry types' schemas taught to cfn-lint, and its per-Region caches emptied after.
        Seam("cfnlint.schema", "PROVIDER_SCHEMA_MANAGER.load_registry_schemas", ("path",), "local/preflight.py"),
        Seam("cfnlint.schema", "PROVIDER_SCHEMA_MANAGER.get_resource_types.cache_clear", (), "local/preflight.py"),
        Seam("cfnlint.schema", "PROVIDER_SCHEMA_MANAGER.get_resource_schema.cache_clear", (), "local/preflight.py"),
    ],
    "aws-sam-translator": [
        Seam(
            "samtranslator.translator.translator",
            "Translator",
            ("managed_policy_map", "sam_parser"),
            "local/template.py",
        ),
        Seam(
            "samtranslator.translator.translator",
            "Translator.translate",
            ("self", "sam_template", "parameter_values"),
            "local/template.py",
        ),
        Seam("samtranslator.utils.py27hash_fix", "to_py27_compatible_template", ("template",), "local/template.py"),
        Seam(
            "samtranslator.utils.py27hash_fix",
            "undo_mark_unicode_str_in_template",
            ("template_dict",),
            "local/template.py",
        ),
    ],
    "pytest-xdist": [
        # Which tests go to a worker together: each its own unit, but for the modules kept whole.
        Seam("xdist.scheduler", "LoadScopeScheduling._split_scope", ("self", "nodeid"), "tests/ordering.py"),
    ],
}


def found(seam: Seam) -> object:
    target: object = importlib.import_module(seam.module)
    for part in seam.name.split("."):
        target = getattr(target, part)
    return target


@pytest.mark.parametrize("package", sorted(CHECKED))
def test_the_pinned_version_is_the_one_the_seams_were_checked_against(package: str) -> None:
    installed = version(package)
    places = sorted({seam.used_in for seam in SEAMS[package]})
    names = ", ".join(f"{seam.module}.{seam.name}" for seam in SEAMS[package])
    assert installed == CHECKED[package], (
        f"{package} is {installed}, the seams were checked against {CHECKED[package]}: review {names} "
        f"(used in {', '.join(places)}), then set CHECKED[{package!r}] here"
    )


@pytest.mark.parametrize(
    "seam", [seam for seams in SEAMS.values() for seam in seams], ids=lambda seam: f"{seam.module}.{seam.name}"
)
def test_each_seam_is_still_there_and_takes_what_we_pass(seam: Seam) -> None:
    try:
        target = found(seam)
    except (ImportError, AttributeError) as error:
        pytest.fail(f"{seam.module}.{seam.name}, used in {seam.used_in}, is gone: {error}")
    assert callable(target), f"{seam.module}.{seam.name} is no longer callable"
    if seam.parameters:
        taken = tuple(inspect.signature(target).parameters)[: len(seam.parameters)]
        assert taken == seam.parameters, f"{seam.module}.{seam.name}{inspect.signature(target)}: review {seam.used_in}"


def test_the_dependency_graph_is_read_from_cfn_lint_s_graph_edges() -> None:
    """local/template.py reads `Template(...).graph.graph.edges()`: a Ref is an edge from the referrer."""
    body = {
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Subscription": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {"TopicArn": {"Ref": "Topic"}, "Protocol": "email", "Endpoint": "a@example.com"},
            },
        }
    }
    edges = set(LintTemplate("seam.yaml", body, ["us-east-1"]).graph.graph.edges())
    assert ("Subscription", "Topic") in edges, "cfn-lint's graph changed: review _dependencies in local/template.py"
