"""Choosing the schools of some local authorities: `--la`, or a force's area from forces.yaml."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lessonpack.batch.schools.columns import Row
from lessonpack.batch.schools.table import BatchInputError

ALL = "all"
# Words that differ between ways of writing one authority's name: the register's
# "Bristol, City of" and "Herefordshire, County of" are "City of Bristol" and "Herefordshire".
_FILLER = {"city", "of", "county", "the", "and", "borough", "council"}
# A council's own name for itself: "Camden London Borough Council", "Royal Borough of
# Greenwich", "Wirral Metropolitan Borough Council" are the register's "Camden", ...
_COUNCIL = re.compile(r"\b(?:london borough|royal borough|metropolitan borough|metropolitan district"
                      r"|district council|unitary authority)\b")


_EMPTY = "each establishment there is closed, a nursery or infant school, or for adults"


def la_key(name: str) -> tuple[str, ...]:
    text = _COUNCIL.sub(" ", name.lower().replace("&", " and "))
    words = re.findall(r"[a-z0-9]+", text)
    return tuple(sorted(w for w in words if w not in _FILLER))


def nearest(name: str, choices: Sequence[str], n: int = 3) -> list[str]:
    """The `n` authorities nearest `name`: those holding all its words first ("Poole" →
    "Bournemouth, Christchurch and Poole"), then by spelling ("Newcastel")."""
    words = set(la_key(name))

    def score(choice: str) -> float:
        spelling = difflib.SequenceMatcher(None, name.lower(), choice.lower()).ratio()
        return spelling + (1.0 if words and words <= set(la_key(choice)) else 0.0)

    scored = sorted(((score(c), c) for c in set(choices)), key=lambda sc: (-sc[0], sc[1]))
    return [c for s, c in scored[:n] if s >= 0.5]


def _hint(name: str, choices: Sequence[str]) -> str:
    near = nearest(name, choices)
    return f": did you mean {', '.join(map(repr, near))}?" if near else ""


@dataclass(frozen=True)
class Choice:
    wanted: list[str]
    source: str  # who chose them: "--la", or "<force>'s area in forces.yaml"
    strict: bool = False  # a name with no schools stops the run (a typo in --la)
    force_areas: Sequence[str] = ()  # the force's own area, to warn of an --la outside it
    force_name: str = ""

    @property
    def everything(self) -> bool:
        return any(w.strip().lower() == ALL for w in self.wanted)

    def keys(self) -> set[tuple[str, ...]] | None:
        """The chosen authorities' keys; None for every authority (--la all)."""
        return None if self.everything else {la_key(w) for w in self.wanted}


def select_areas(path: Path, rows: list[Row], choice: Choice, warnings: list[str],
                 present: dict[tuple[str, ...], str] | None = None) -> list[Row]:
    """The rows whose local authority is one of `choice.wanted`.

    BatchInputError when the file has no local authorities, none of them is wanted, or
    (strict) any wanted authority has no schools; otherwise a warning for each of those.
    `present`: every authority in the file, where the rows were chosen as it was read.
    """
    wanted = choice.wanted
    if choice.everything:
        return rows
    if present is None:
        present = {}
        for row in rows:
            present.setdefault(la_key(row.values["la"]), row.values["la"])
    present = {k: v for k, v in present.items() if k}
    if not present:
        raise BatchInputError(f"{path}: {choice.source} chooses schools by local authority, but the "
                              "file has no LA, Local Authority or LA (name) column")
    known = sorted(present.values())
    own = {la_key(a) for a in choice.force_areas}
    keys = {la_key(w): w for w in wanted}
    with_rows = {la_key(row.values["la"]) for row in rows}
    for name_key, name in keys.items():
        if own and name_key not in own:
            warnings.append(f"{path}: local authority {name!r} ({choice.source}) is outside "
                            f"{choice.force_name or 'the force'}'s area in forces.yaml"
                            f"{_hint(name, choice.force_areas)}")
        if name_key not in present:
            message = f"{path}: no schools in local authority {name!r} ({choice.source}){_hint(name, known)}"
            if choice.strict:
                end = " " if message.endswith("?") else ". "
                raise BatchInputError(f"{message}{end}Correct it, or add --keep-going to make the others")
            warnings.append(message)
        elif name_key not in with_rows:
            warnings.append(f"{path}: no school in local authority {name!r} ({choice.source}) has a "
                            f"key stage the lessons cover: {_EMPTY}")
    chosen = [row for row in rows if la_key(row.values["la"]) in keys]
    if not chosen and all(k in present for k in keys):
        raise BatchInputError(f"{path}: no school in {', '.join(map(repr, wanted))} ({choice.source}) "
                              f"has a key stage the lessons cover: {_EMPTY}")
    if not chosen:
        near = sorted({c for w in wanted for c in nearest(w, known)}) or known[:5]
        raise BatchInputError(f"{path}: no schools in {', '.join(map(repr, wanted))} ({choice.source}); "
                              f"the nearest of the file's local authorities: {', '.join(map(repr, near))}")
    return chosen
