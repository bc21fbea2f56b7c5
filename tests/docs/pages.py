"""The docs' reference pages, by the resource type each is titled with: read by the docs' tests and the kind walk."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "docs" / "resources"


def reference_pages() -> dict[str, Path]:
    titles = {}
    for page in sorted(RESOURCES.glob("*.md")):
        first = page.read_text(encoding="utf-8").splitlines()[0]
        titles[first.removeprefix("# ").strip()] = page
    return titles
