"""`--dry-run`: what a run would make, by local authority and key stage, without making it."""

from __future__ import annotations

from collections import Counter

from lessonpack.batch.schools.plan import RowPlan
from lessonpack.content.models import KEY_STAGE_IDS


def dry_run_table(plans: list[RowPlan], left_out: dict[str, int] | None = None) -> list[str]:
    """A plain-text table: one line per local authority (or one in all), then the totals;
    then what a published list left out, by reason, and the rows that would fail."""
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
    lines.insert(0, f"Would make {_n(packs, 'pack')} for {_n(schools, 'school')}{failing}. "
                 "Nothing was written.")
    if left_out:
        lines.append("Left out: " + "; ".join(f"{n:,} {why}" for why, n in left_out.items()))
    lines += [f"{_where(p)}: {p.name or '(no name)'}: {p.error}" for p in bad]
    return lines


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _where(plan: RowPlan) -> str:
    return f"sheet {plan.sheet!r} row {plan.line}" if plan.sheet else f"row {plan.line}"


def _count(counts: Counter[str], column: str) -> str:
    if column == "packs":
        return f"{sum(counts[ks] for ks in KEY_STAGE_IDS):,}"
    return f"{counts[column]:,}"
