"""The README's steps tables are the plans' own: a change to the lesson shows in both."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lessonpack.pack import Library

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from steps_tables import KEY_STAGES, steps_table  # noqa: E402


def test_the_readme_shows_each_key_stages_steps_as_its_plan_prints_them():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    library = Library.load()
    for ks in KEY_STAGES:
        table = steps_table(library, ks)
        assert f"**{ks.upper()}**\n\n{table}\n" in readme, ks
        rows = [r for r in table.splitlines()[2:-1]]
        assert len(rows) <= 9
        assert all(int(re.split(r" \| ", r)[1]) >= 4 for r in rows)
