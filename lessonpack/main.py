"""What the commands do, apart from parsing options and printing."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from .content import KEY_STAGE_IDS, Content, Force
from .context import PackRequest
from .errors import OutputExistsError, UnknownForceError
from .pack import Library, build_pack, pack_dir, write_pack


def plan_packs(key_stages: Iterable[str]) -> list[str]:
    """Key stage options → the key stages to make, in order, without repeats."""
    chosen = {ks.lower() for ks in key_stages}
    if "all" in chosen:
        return list(KEY_STAGE_IDS)
    return [ks for ks in KEY_STAGE_IDS if ks in chosen]


def find_force(content: Content, slug: str) -> Force:
    """The force with this slug, or an error that suggests the nearest ones."""
    key = slug.strip().lower()
    if key in content.forces_by_slug:
        return content.forces_by_slug[key]
    by_name = {f.name.lower(): f.slug for f in content.forces}
    near = difflib.get_close_matches(key, list(content.forces_by_slug), n=3, cutoff=0.5)
    near += [by_name[n] for n in difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.5)]
    near += [f.slug for f in content.forces if key and key in f"{f.slug} {f.name.lower()}"]
    suggestions = list(dict.fromkeys(near))[:3]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise UnknownForceError(
        f"unknown force {slug!r}{hint} Run 'lessonpack forces' to list them all."
    )


def run_generate(
    library: Library, requests: list[PackRequest], out: Path, overwrite: bool
) -> list[Path]:
    """Build every pack in memory first, then write them: a failure writes nothing."""
    targets = [pack_dir(out, r.school.slug, r.key_stage) for r in requests]
    existing = [t for t in targets if t.exists()]
    if existing and not overwrite:
        names = ", ".join(str(t) for t in existing)
        raise OutputExistsError(f"{names} already exists; use --overwrite to replace it")
    built = [build_pack(library, r) for r in requests]
    written: list[Path] = []
    for files, target in zip(built, targets, strict=True):
        written += write_pack(files, target, overwrite)
    return written
