"""The manual's steps tables are the plans' own, and the README's links lead somewhere."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lessonpack.pack import Library

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from steps_tables import KEY_STAGES, steps_table  # noqa: E402

PACK_PAGE = REPO / "docs" / "pack.md"  # "One lesson design"


def test_the_manual_shows_each_key_stages_steps_as_its_plan_prints_them():
    page = PACK_PAGE.read_text(encoding="utf-8")
    library = Library.load()
    for ks in KEY_STAGES:
        table = steps_table(library, ks)
        assert f"**{ks.upper()}**\n\n{table}\n" in page, ks
        rows = [r for r in table.splitlines()[2:-1]]
        assert len(rows) <= 9
        assert all(int(re.split(r" \| ", r)[1]) >= 4 for r in rows)


def _anchors(page: Path) -> set[str]:
    """Each heading's anchor, as MkDocs makes it: lower case, punctuation dropped, spaces
    to hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", page.read_text(encoding="utf-8"), flags=re.M)
    return {re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", h.lower()).strip()) for h in headings}


def test_the_readmes_links_go_to_pages_and_headings_that_exist():
    """The README is read on GitHub and PyPI, outside the site `mkdocs build --strict` checks."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    local = [link for link in links if not link.startswith("https://")]
    assert len(local) >= 10, local
    for link in local:
        path, _, anchor = link.partition("#")
        assert (REPO / path).is_file(), link
        if anchor:
            assert anchor in _anchors(REPO / path), link
