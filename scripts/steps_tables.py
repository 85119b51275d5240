"""Print each key stage's steps table, as docs/pack.md shows it, from freshly built plans.

    python scripts/steps_tables.py > /tmp/steps.md

tests/test_readme_steps.py checks that the manual's tables are these.
"""

from __future__ import annotations

import io

from docx import Document

from lessonpack.pack import Library, build_pack
from lessonpack.rendering.context import PackRequest

KEY_STAGES = ("ks2", "ks3", "ks4", "ks5")


def _table(plan: bytes, first: str) -> list[list[str]]:
    doc = Document(io.BytesIO(plan))
    table = next(t for t in doc.tables
                 if [c.text for c in t.rows[0].cells][:2] == ["Step", first])
    return [[c.text for c in row.cells] for row in table.rows]


def steps_table(library: Library, ks: str) -> str:
    """The 60-minute steps with their slides, then their minutes at 50 and 45."""
    plan = build_pack(library, PackRequest(key_stage=ks, force=None))["lesson-plan.docx"]
    timed = _table(plan, "Minutes")[1:-1]
    shorter = {row[0]: row[1:] for row in _table(plan, "60 min")[1:]}
    lines = ["| Step | 60 min | 50 min | 45 min | Slides | Pupils work | Worksheet |",
             "|---|---|---|---|---|---|---|"]
    for step, minutes, slides, grouping, worksheet in timed:
        title = step.split(". ", 1)[1]
        lines.append(f"| {step} | {minutes} | {' | '.join(shorter[title][1:])} | {slides} "
                     f"| {grouping} | {worksheet} |")
    lines.append("| Total | 60 | 50 | 45 | | | |")
    return "\n".join(lines)


def main() -> None:
    library = Library.load()
    for ks in KEY_STAGES:
        print(f"**{ks.upper()}**\n\n{steps_table(library, ks)}\n")


if __name__ == "__main__":
    main()
