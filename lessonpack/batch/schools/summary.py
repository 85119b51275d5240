"""`--dry-run`: what a run would make, by local authority and key stage, without making it."""

from __future__ import annotations

from collections import Counter

from lessonpack.batch.schools.plan import RowPlan
from lessonpack.content.models import KEY_STAGE_IDS


def dry_run_table(plans: list[RowPlan]) -> list[str]:
    """A plain-text table: one line per local authority (or one in all), then the totals."""
    good = [p for p in plans if p.school is not None]
    by_area: dict[str, Counter[str]] = {}
    for plan in good:
        counts = by_area.setdefault(plan.la or "(no local authority given)", Counter())
        counts["schools"] += 1
        counts.update(plan.key_stages)
    columns = ["schools", *KEY_STAGE_IDS, "packs"]
    header = ["Local authority", "Schools", *(ks.upper() for ks in KEY_STAGE_IDS), "Packs"]
    rows = [[area, *(_count(c, col) for col in columns)] for area, c in sorted(by_area.items())]
    total: Counter[str] = Counter()
    for counts in by_area.values():
        total.update(counts)
    if len(rows) != 1:
        rows.append(["Total", *(_count(total, col) for col in columns)])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in [header, *rows]]
    bad = [p for p in plans if p.school is None]
    schools, packs = total["schools"], sum(total[ks] for ks in KEY_STAGE_IDS)
    failing = f"; {len(bad):,} {'row' if len(bad) == 1 else 'rows'} would fail" if bad else ""
    lines.insert(0, f"Would make {packs:,} packs for {schools:,} schools{failing}. Nothing was written.")
    lines += [f"row {p.line}: {p.name or '(no name)'}: {p.error}" for p in bad]
    return lines


def _count(counts: Counter[str], column: str) -> str:
    if column == "packs":
        return f"{sum(counts[ks] for ks in KEY_STAGE_IDS):,}"
    return f"{counts[column]:,}"
