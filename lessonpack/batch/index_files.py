"""index.csv and index.json: one line per pack, safe to open in Excel."""

from __future__ import annotations

import csv
import io
import json
import stat
from itertools import chain
from pathlib import Path
from typing import Any

from lessonpack.batch.results import (
    PackResult,
)
from lessonpack.batch.row import (
    atomic_write,
)
from lessonpack.errors import OutputError
from lessonpack.output import (
    remove_tree,
    writer_alive,
)
from lessonpack.pack import PACK_FILES


def index_name(shard: tuple[int, int] | None) -> str:
    return f"index-{shard[0]}-of-{shard[1]}" if shard else "index"


def check_index_replaceable(out: Path, shard: tuple[int, int] | None,
                            inputs: tuple[Path, ...] = ()) -> None:
    """Refuse, before a run makes anything, to replace an index.csv or index.json in
    `out` that lessonpack did not write: a force's own spreadsheet kept there is theirs.
    An input of the run kept there is left to run_batch, which names it as an input."""
    stem = index_name(shard)
    given = {p.resolve() for p in inputs}
    for path, ours in ((out / f"{stem}.csv", _our_csv), (out / f"{stem}.json", _our_json)):
        if path.resolve() in given:
            continue
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_size > INDEX_CAP or not ours(path):
            raise OutputError(f"{path} is not an index lessonpack wrote; move it, or choose another "
                              "--out (lessonpack never replaces a file of yours)")


INDEX_CAP = 500 * 1024 * 1024  # a run of 100,000 schools writes about 150 MB of JSON


def _our_csv(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(200).decode("utf-8-sig", errors="replace")
    return head.startswith(",".join(INDEX_COLUMNS[:8]))


def _our_json(path: Path) -> bool:
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        return False
    return isinstance(document, dict) and {"summary", "packs"} <= document.keys()


def write_index(out: Path, results: list[PackResult], meta: dict[str, Any],
                shard: tuple[int, int] | None) -> tuple[Path, Path]:
    """index.csv (one line per pack, a SHA-256 column per file) and index.json; atomically."""
    stem = index_name(shard)
    for leftover in out.glob(f".{stem}.*.partial-*"):
        if not writer_alive(leftover.name):  # another run may be writing its index now
            remove_tree(leftover)
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    document = {**meta, "summary": {"packs": len(results), **counts},
                "packs": [_json_entry(r) for r in results]}
    json_path, csv_path = out / f"{stem}.json", out / f"{stem}.csv"
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    atomic_write(json_path, (piece.encode() for piece in chain(encoder.iterencode(document), "\n")))
    atomic_write(csv_path, _csv_index(results))
    return csv_path, json_path


def _json_entry(r: PackResult) -> dict[str, Any]:
    return {"row": r.line, "school": r.name, "urn": r.urn or None, "slug": r.slug or None,
            "key_stage": r.key_stage or None, "status": r.status, "reason": r.reason or None,
            "folder": r.folder or None, "files": r.files, "zip": r.zip}


INDEX_COLUMNS = ("row", "school", "urn", "slug", "key_stage", "status", "reason", "folder",
                 *(f"{name} sha256" for name in PACK_FILES), "zip", "zip sha256")


def _csv_index(results: list[PackResult]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INDEX_COLUMNS)
    for r in results:
        digests = {f["name"]: f["sha256"] for f in r.files}
        writer.writerow([excel_text(cell) for cell in [
            r.line, r.name, r.urn, r.slug, r.key_stage, r.status, r.reason, r.folder,
            *(digests.get(name, "") for name in PACK_FILES),
            r.zip["name"] if r.zip else "", r.zip["sha256"] if r.zip else "",
        ]])
    # With a BOM, as Excel needs to read accented names as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_text(cell: object) -> object:
    """A cell Excel shows as text: one that could start a formula gets a leading quote.

    A school name such as "=HYPERLINK(...)" must not run when the index is opened (CSV
    injection; OWASP's advice). index.json keeps the value as it was.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell
