"""Choosing the schools of some local authorities: `--la`, or a force's area from forces.yaml."""

from __future__ import annotations

import re
from pathlib import Path

from lessonpack.batch.schools.columns import Row
from lessonpack.batch.schools.table import BatchInputError
from lessonpack.diagnostics import did_you_mean

ALL = "all"
# Words that differ between ways of writing one authority's name: the register's
# "Bristol, City of" and "Herefordshire, County of" are "City of Bristol" and "Herefordshire".
_FILLER = {"city", "of", "county", "the", "and", "borough", "council"}


def la_key(name: str) -> tuple[str, ...]:
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and "))
    return tuple(sorted(w for w in words if w not in _FILLER))


def select_areas(path: Path, rows: list[Row], wanted: list[str], source: str,
                 warnings: list[str]) -> list[Row]:
    """The rows whose local authority is one of `wanted`; `source` says who chose them.

    BatchInputError when the file has no local authorities or none of them is wanted;
    a warning for each wanted authority with no schools in the file.
    """
    if any(w.strip().lower() == ALL for w in wanted):
        return rows
    present: dict[tuple[str, ...], str] = {}
    for row in rows:
        present.setdefault(la_key(row.values["la"]), row.values["la"])
    present.pop((), None)
    if not present:
        raise BatchInputError(f"{path}: {source} chooses schools by local authority, but the "
                              "file has no LA, Local Authority or LA (name) column")
    keys = {la_key(w): w for w in wanted}
    for name_key, name in keys.items():
        if name_key not in present:
            hint = did_you_mean(name, sorted(present.values()), n=3)
            hint = f"; {hint}" if hint else ""
            warnings.append(f"{path}: no schools in local authority {name!r} ({source}){hint}")
    chosen = [row for row in rows if la_key(row.values["la"]) in keys]
    if not chosen:
        raise BatchInputError(f"{path}: no schools in {', '.join(map(repr, wanted))} ({source}); "
                              f"the file's local authorities include "
                              f"{', '.join(map(repr, sorted(present.values())[:5]))}")
    return chosen
