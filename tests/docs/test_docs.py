"""The README's and the docs' commands, paths, names and figures, held to the code and files they describe.

A page that names a make target, a module, a file, a resource type or a figure derived from a code constant
fails here when the code moves and the page does not.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from lens_share import answer, response
from lens_share.aws import retry
from lens_share.health import check as health
from lens_share.resources import REGISTRY, invitations
from tests.docs.pages import reference_pages

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PACKAGE = ROOT / "functions" / "provider" / "lens_share"
CHANGELOG = ROOT / "CHANGELOG.md"
README_LIMIT_BYTES = 15_000

# These pages land from other branches; remove each entry once its page is merged.
COMING_FROM_OTHER_BRANCHES = {"docs/local-cloudformation.md", "docs/service-behaviours.md"}
# Files the commands in the docs create; they are never in the repository.
CREATED_BY_COMMANDS = {"packaged.yaml": "sam package", ".venv": "make install", "build/lint": "make lint"}


def pages() -> list[Path]:
    return [README, ROOT / "CONTRIBUTING.md", ROOT / "SECURITY.md", CHANGELOG, *sorted(DOCS.rglob("*.md"))]


# The changelog records the past: the files and commands it names may since have gone.
CURRENT_PAGES = [page for page in pages() if page != CHANGELOG]


def name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.MULTILINE)


@cache
def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def prose(page: Path) -> str:
    """The page without its fenced code blocks."""
    return FENCE.sub("", text(page))


def code(page: Path) -> list[str]:
    """Inline code spans and fenced blocks: where commands are written."""
    return FENCE.findall(text(page)) + SPAN.findall(prose(page))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", plain).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(heading) for heading in HEADING.findall(prose(page))}


class TemplateLoader(yaml.SafeLoader):  # type: ignore[misc]
    """YAML with CloudFormation's short-form tags (!Sub, !Ref...) read as their plain values: the docs need
    only literal settings, and cfn-lint's own loader takes seconds to import."""


def _short_form(loader: TemplateLoader, _suffix: str, node: Any) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


TemplateLoader.add_multi_constructor("!", _short_form)


@cache
def template() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load((ROOT / "template.yaml").read_text(encoding="utf-8"), TemplateLoader)
    return loaded


def home_page() -> str:
    return str(template()["Metadata"]["AWS::ServerlessRepo::Application"]["HomePageUrl"]).rstrip("/")


def version() -> str:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise AssertionError("functions/provider/lens_share/__init__.py sets no __version__")


# Links


@pytest.mark.parametrize("page", pages(), ids=name)
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in LINK.findall(prose(page)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        relative = destination.relative_to(ROOT).as_posix() if destination.is_relative_to(ROOT) else str(destination)
        if relative in COMING_FROM_OTHER_BRANCHES:
            continue
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no heading with anchor #{anchor} in {relative}")
    assert not broken, f"{name(page)}: {broken}"


@pytest.mark.parametrize("page", pages(), ids=name)
def test_links_to_the_repository_name_files_that_exist(page: Path) -> None:
    prefix = f"{home_page()}/blob/main/"
    missing = [
        target
        for target in LINK.findall(prose(page))
        if target.startswith(prefix) and not (ROOT / target.removeprefix(prefix).partition("#")[0]).exists()
    ]
    assert not missing, f"{name(page)} links to files the repository does not have: {missing}"


# Commands


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", makefile, re.MULTILINE))


@pytest.mark.parametrize("page", CURRENT_PAGES, ids=name)
def test_every_make_target_named_exists(page: Path) -> None:
    named = {target for block in code(page) for target in re.findall(r"(?<![\w./-])make +([a-z][\w-]*)", block)}
    assert named <= make_targets(), f"{name(page)} names make targets the Makefile lacks: {named - make_targets()}"


def runnable(module: str) -> bool:
    """`python -m module` would run: a module, or a package with a __main__."""
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        return False
    if spec is None:
        return False
    return spec.submodule_search_locations is None or importlib.util.find_spec(f"{module}.__main__") is not None


@pytest.mark.parametrize("page", CURRENT_PAGES, ids=name)
def test_every_python_module_run_exists(page: Path) -> None:
    named = {module for block in code(page) for module in re.findall(r"python[\d.]* +-m +([A-Za-z_][\w.]*)", block)}
    missing = sorted(module for module in named if not runnable(module))
    assert not missing, f"{name(page)} runs modules that do not exist: {missing}"


PATH_LIKE = re.compile(r"^\.?[\w-][\w.-]*(?:/[\w.*-]+)*/?$")
EXTENSIONS = (".py", ".yaml", ".yml", ".json", ".toml", ".md", ".txt", ".cfg")


@cache
def file_names() -> set[str]:
    names: set[str] = set()
    for _directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [
            d for d in subdirectories if not d.startswith(".") and d not in {"build", "__pycache__", "node_modules"}
        ]
        names.update(files)
    return names


def exists(path: str) -> bool:
    if path in CREATED_BY_COMMANDS or path.split("/", maxsplit=1)[0] in CREATED_BY_COMMANDS:
        return True
    if "/" not in path.rstrip("/"):
        return (ROOT / path).exists() or path in file_names()
    # Paths inside the function's package are also written from its root, as PYTHONPATH sees them.
    return any(list(base.glob(path)) or (base / path).exists() for base in (ROOT, ROOT / "functions" / "provider"))


@pytest.mark.parametrize("page", CURRENT_PAGES, ids=name)
def test_every_file_path_in_backticks_exists(page: Path) -> None:
    paths = {
        span
        for span in SPAN.findall(prose(page))
        if PATH_LIKE.match(span) and ("/" in span or span.endswith(EXTENSIONS))
    }
    allowed = {path for path in paths if path in COMING_FROM_OTHER_BRANCHES}
    missing = sorted(path for path in paths - allowed if not exists(path))
    assert not missing, f"{name(page)} names files that do not exist: {missing}"


# The README


def test_readme_stays_a_landing_page() -> None:
    size = len(README.read_bytes())
    assert size <= README_LIMIT_BYTES, f"README.md is {size} bytes; move detail to docs/ (limit {README_LIMIT_BYTES})"


def test_readme_shows_the_commands_ci_and_the_quick_start_run() -> None:
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    test_command = next(line for line in ci if line.startswith("make "))
    lines = [line.strip() for block in FENCE.findall(text(README)) for line in block.splitlines()]
    for command in (test_command, "make demo"):
        assert any(line.split("#")[0].strip() == command for line in lines), f"README.md lacks `{command}`"


# Resource types


def served_types() -> set[str]:
    return {name for name in REGISTRY if name.startswith("Custom::")}


def test_the_provider_serves_resource_types() -> None:
    assert served_types(), "no Custom:: type in lens_share.resources.REGISTRY: update tests/docs"


@pytest.mark.parametrize("page", pages(), ids=name)
def test_every_resource_type_named_is_served(page: Path) -> None:
    named = set(re.findall(r"\bCustom::[A-Za-z]+\b", text(page)))
    assert named <= served_types(), f"{name(page)} names types the provider does not serve: {named - served_types()}"


def test_every_served_type_has_a_reference_page_in_the_aws_style() -> None:
    references = reference_pages()
    assert set(references) == served_types(), "one docs/resources page per served type, titled with the type"
    for type_name, page in references.items():
        sections = HEADING.findall(prose(page))
        for section in ("Syntax", "Properties", "Return values"):
            assert section in sections, f"{name(page)} ({type_name}) lacks the section {section}"


def test_the_readme_shows_every_served_type_with_a_link_to_its_reference() -> None:
    readme = text(README)
    for type_name, page in reference_pages().items():
        assert re.search(rf"^### .*\b{type_name}\b", readme, re.MULTILINE), (
            f"README.md has no usage section for {type_name}"
        )
        assert f"({name(page)})" in readme, f"README.md does not link {name(page)}"


def table_types(page: Path) -> set[str]:
    """The types a page's table of types lists, one a row."""
    return set(re.findall(r"^\| `(Custom::[A-Za-z]+)` \|", text(page), re.MULTILINE))


def test_the_readme_and_the_serverless_application_page_list_every_served_type() -> None:
    sar_page = ROOT / template()["Metadata"]["AWS::ServerlessRepo::Application"]["ReadmeUrl"]
    for page in (README, sar_page):
        assert table_types(page) == served_types(), f"{name(page)}'s table of types is not the provider's"


def test_the_readmes_examples_table_names_every_example() -> None:
    listed = set(re.findall(r"^\| `(examples/[^`]+)` \|", text(README), re.MULTILINE))
    examples = {f"examples/{entry.name}" + ("/" if entry.is_dir() else "") for entry in (ROOT / "examples").iterdir()}
    assert examples == listed, f"README.md's examples table lacks {examples - listed} or names {listed - examples}"


# Figures derived from the code


def g(seconds: float) -> str:
    return f"{seconds:g}"


def lambda_timeout() -> int:
    return int(template()["Resources"]["LensShareFunction"]["Properties"]["Timeout"])


def retry_window_end() -> float:
    """No retry starts in the last seconds of an invocation: the answer reserve plus one whole attempt."""
    return answer.EARLIER_S + retry.ANSWER_RESERVE_S + retry.ATTEMPT_S


FIGURES: list[tuple[str, Callable[[], str]]] = [
    (
        "docs/behaviour.md",
        lambda: (
            f"at most {g(retry.ATTEMPT_S)} s: {g(retry.CONNECT_TIMEOUT_S)} s to connect and "
            f"{g(retry.READ_TIMEOUT_S)} s to read"
        ),
    ),
    (
        "docs/behaviour.md",
        # The first retry's pause is drawn up to base * 2 (attempt 1), and every pause up to the cap.
        lambda: (
            f"a random pause of at most {g(retry.Backoff().base_s * 2)} s before the first retry, doubling "
            f"to at most {g(retry.Backoff().cap_s)} s"
        ),
    ),
    ("docs/behaviour.md", lambda: f"still end {g(answer.EARLIER_S + retry.ANSWER_RESERVE_S)} s before the deadline"),
    ("docs/behaviour.md", lambda: f"in the last {g(retry_window_end())} s of the invocation"),
    (
        "docs/behaviour.md",
        lambda: (
            f"With the function's {lambda_timeout()} s timeout, retries go on until "
            f"{g(lambda_timeout() - retry_window_end())} s into"
        ),
    ),
    ("docs/behaviour.md", lambda: f"answers FAILED {g(answer.TIMER_MARGIN_S)} s before the deadline"),
    ("docs/behaviour.md", lambda: f"CloudFormation's {response.MAX_BODY_BYTES} bytes"),
    (
        "docs/behaviour.md",
        lambda: f"up to {response.PUT_ATTEMPTS} attempts of at most {g(response.PUT_TIMEOUT_S)} s each",
    ),
    ("docs/behaviour.md", lambda: f"above the provider's {lambda_timeout()} s Lambda timeout"),
    (
        "docs/resources/lens-share-invitation.md",
        lambda: f"({g(invitations.FIRST_WAIT_S)} s, doubling up to {g(invitations.LONGEST_WAIT_S)} s)",
    ),
    ("docs/resources/share-invitation.md", lambda: f"Only after {g(invitations.SETTLE_S)} s without one"),
    ("docs/health-check.md", lambda: f"({health.WORKERS} at a time"),
    (
        "docs/health-check.md",
        lambda: (
            f"a whole attempt ({g(retry.ATTEMPT_S)} s) still fits in the Lambda's remaining time less "
            f"{g(health.RESERVE_S)} s"
        ),
    ),
    ("docs/health-check.md", lambda: f"well inside the function's {lambda_timeout()} s"),
    ("docs/deployment.md", lambda: f"{lambda_timeout()} s timeout"),
]


@pytest.mark.parametrize(("page", "figure"), FIGURES, ids=[f"{page}:{i}" for i, (page, _) in enumerate(FIGURES)])
def test_figures_derived_from_code_constants_match(page: str, figure: Callable[[], str]) -> None:
    expected = figure()
    flowing = " ".join(text(ROOT / page).split())
    assert expected in flowing, f"{page} should say {expected!r}, as the code's constants give"


# Versions


def test_every_semantic_version_pin_is_the_current_version() -> None:
    pinned = {
        f"{name(path)}: {pin}"
        for path in [*sorted((ROOT / "examples").glob("*.yaml")), *CURRENT_PAGES]
        for pin in re.findall(r"SemanticVersion: *(\d+\.\d+\.\d+)", path.read_text(encoding="utf-8"))
    }
    stale = sorted(pin for pin in pinned if not pin.endswith(f": {version()}"))
    assert pinned, "no SemanticVersion pin found: examples/nested-application.yaml should pin one"
    assert not stale, f"pins other than __version__ {version()}: {stale}"


def test_the_changelog_has_an_entry_for_the_current_version() -> None:
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text(CHANGELOG), re.MULTILINE)
    assert re.search(r"^## \[Unreleased\]$", text(CHANGELOG), re.MULTILINE), "CHANGELOG.md lacks [Unreleased]"
    assert version() in releases, f"CHANGELOG.md has no dated entry '## [{version()}] - YYYY-MM-DD'"


# The Serverless Application Repository's page


def test_the_serverless_application_repository_page_stands_alone() -> None:
    readme_url = template()["Metadata"]["AWS::ServerlessRepo::Application"]["ReadmeUrl"]
    page = ROOT / readme_url
    assert page.is_file(), f"ReadmeUrl {readme_url} names no file"
    relative = [target for target in LINK.findall(prose(page)) if not re.match(r"[a-z]+:", target)]
    assert not relative, f"{readme_url} is shown outside the repository: its links must be absolute ({relative})"
    commands = " ".join(code(page))
    assert "make " not in commands, f"{readme_url} is for users without a clone: no make commands"


def test_the_readmes_demo_time_is_the_benchmarked_one() -> None:
    """The README rounds the demo time docs/benchmarks.md measured; the measurement itself is make bench's."""
    stated = re.search(r"it takes about (\d+) seconds", " ".join(text(README).split()))
    measured = re.search(
        r"^\| `make demo`, installed \| (\d+) s \|", text(ROOT / "docs" / "benchmarks.md"), re.MULTILINE
    )
    assert stated, "README.md should say how long `make demo` takes: 'it takes about N seconds'"
    assert measured, "docs/benchmarks.md should give the installed `make demo` time"
    assert abs(int(stated.group(1)) - int(measured.group(1))) <= 5
