"""`lessonpack index DIR`: one index.csv/index.json for packs on disk, e.g. after shards.

Shards each write index-K-of-N.json; copied together (or written to one shared folder)
they are merged here. Each pack's own manifest.json is the record of what it holds: every
file it lists is checked on disk against its SHA-256. The shard indexes add what a
manifest does not know: the row each pack came from, the URN, and the rows that failed.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from lessonpack import __version__
from lessonpack.batch.index_read import (
    BadManifest,
    file_entry,
    index_entries,
    pack_folders,
    read_manifest,
    zip_entry,
)
from lessonpack.batch.results import PackResult
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.errors import IndexError_

SHARD_INDEX = re.compile(r"^index-\d+-of-\d+\.json$")


def rebuild_index(out: Path) -> tuple[list[PackResult], dict[str, Any]]:
    """Every pack under `out`, checked, with the rows and failures its shard indexes give."""
    if not out.is_dir():
        raise IndexError_(f"{out}: no such folder")
    sources = sorted(p for p in out.iterdir() if SHARD_INDEX.match(p.name)) or (
        [out / "index.json"] if os.path.lexists(out / "index.json") else [])
    runs, entries = [], []
    for source in sources:
        document, packs = index_entries(source)
        entries += [(source.name, e) for e in packs]
        runs.append({k: document.get(k) for k in ("force", "date", "minutes", "schools", "shard")})
    on_disk = pack_folders(out)
    if not on_disk and not entries:
        raise IndexError_(f"{out}: no packs (<school>/<key stage>/manifest.json) and no index to merge")
    results: list[PackResult] = []
    seen: set[str] = set()
    for _, entry in entries:
        folder = entry.get("folder") or ""
        if folder and folder in seen:
            continue  # the same pack named by two indexes: count it once
        result = PackResult(entry.get("row") or 0, entry.get("school") or "", entry.get("urn") or "",
                            entry.get("slug") or "", entry.get("key_stage") or "",
                            entry.get("status") or "failed", entry.get("reason") or "")
        if folder:
            seen.add(folder)
            _check(result, on_disk.get(folder))
        results.append(result)
    for folder, target in sorted(on_disk.items()):
        if folder not in seen:  # a pack no index names, e.g. from a run whose index was lost
            slug, key_stage = folder.split("/")
            result = PackResult(0, "", "", slug, key_stage, "ok")
            _check(result, target)
            results.append(result)
    _zips(out, results)
    order = {ks: i for i, ks in enumerate(("", *KEY_STAGE_IDS))}
    results.sort(key=lambda r: (r.line or float("inf"), r.slug, order.get(r.key_stage, 99)))
    meta = {"lessonpack": __version__, "merged": [s.name for s in sources], "runs": runs,
            "shard": None}
    for name in ("force", "date", "minutes", "schools"):
        values = {run[name] for run in runs if run.get(name) is not None}
        meta[name] = values.pop() if len(values) == 1 else None  # differing runs: see "runs"
    return results, meta


def _check(result: PackResult, target: Path | None) -> None:
    """Set the result from the pack on disk: its files if they match their manifest."""
    if target is None:
        if result.status != "failed":
            result.status, result.reason = "failed", f"not on disk: {result.folder} is missing"
        return
    try:
        manifest_bytes, school, listed = read_manifest(target)
    except BadManifest as exc:
        result.status, result.reason = "failed", f"manifest.json unreadable: {exc}"
        return
    result.name = result.name or school
    files, problems = [], []
    for name, digest in listed.items():
        try:
            files.append(file_entry(target, name))
        except OSError as exc:
            problems.append(f"{name} is missing" if not os.path.lexists(target / name)
                            else f"{name}: {exc}")
            continue
        if files[-1]["sha256"] != digest:
            problems.append(f"{name} has changed since it was made")
    files.append({"name": "manifest.json", "bytes": len(manifest_bytes),
                  "sha256": hashlib.sha256(manifest_bytes).hexdigest()})
    result.files = files
    result.status, result.reason = ("failed", "; ".join(problems)) if problems else ("ok", "")


def _zips(out: Path, results: list[PackResult]) -> None:
    """Each school's zip, read once, on its packs' entries (as `batch --zip` records it)."""
    found: dict[str, dict[str, Any] | None] = {}
    for result in results:
        if result.status == "ok" and result.slug not in found:
            found[result.slug] = zip_entry(out, result.slug)
        result.zip = found.get(result.slug) if result.status == "ok" else None
