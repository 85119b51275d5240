"""What `lessonpack index` reads: only files inside FOLDER, never through a link, only the
files a pack should have, each within its size cap.

A folder of packs may come from anyone (copied from a shared drive, unzipped from an
email). A manifest that names `../../../private.txt`, a school folder that is a link out
of FOLDER, or a "slides.pptx" that is `/dev/zero` or a sparse 10 GB file must not make
`index` read, hash or record anything else. Every problem is one line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.errors import IndexError_
from lessonpack.safe_io import InputFileError, read_input

MANIFEST_LIMIT = 1024 * 1024  # a pack's manifest is 3 kB
INDEX_LIMIT = 200 * 1024 * 1024  # a shard's index of 100,000 packs is about 100 MB
# A file a pack holds: a plain name, no folder, of a kind lessonpack writes.
PACK_FILE = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}\.(?:pptx|docx|pdf|png|json)$")


class BadManifest(ValueError):
    """A manifest that is not one lessonpack wrote: the pack is reported failed."""


def read_json(path: Path, kind: str, limit: int) -> Any:
    """A JSON file inside FOLDER (never a link), within `limit` bytes, as data."""
    data = read_input(path, "pack file", follow=False, limit=limit)
    try:
        return json.loads(data)
    except RecursionError:
        raise InputFileError(path, f"{kind} is nested too deeply to be one lessonpack wrote") from None
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError both
        raise InputFileError(path, f"{kind} is not JSON ({str(exc)[:80]})") from None


def index_entries(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A shard's index: the run it describes, and its packs, each checked for shape."""
    try:
        document = read_json(path, "index", INDEX_LIMIT)
    except InputFileError as exc:
        raise IndexError_(f"{path}: not a lessonpack index ({exc.reason})") from None
    packs = document.get("packs") if isinstance(document, dict) else None
    if not isinstance(packs, list):
        raise IndexError_(f"{path}: not a lessonpack index (no list of packs)")
    for number, entry in enumerate(packs, start=1):
        problem = _entry_problem(entry)
        if problem:
            raise IndexError_(f"{path}: pack {number}: {problem}; not a lessonpack index")
    return document, packs


_TEXT_FIELDS = ("folder", "school", "urn", "slug", "key_stage", "status", "reason")


def _entry_problem(entry: Any) -> str:
    if not isinstance(entry, dict):
        return f"is {type(entry).__name__}, not an object"
    for name in _TEXT_FIELDS:
        if entry.get(name) is not None and not isinstance(entry[name], str):
            return f"{name} is not text"
    row = entry.get("row")
    if row is not None and (not isinstance(row, int) or isinstance(row, bool) or not 0 <= row < 10**9):
        return "row is not a row number"
    slug = entry.get("slug") or ""
    if slug and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):  # it names the school's zip
        return f"slug {slug[:60]!r} is not a folder name lessonpack makes"
    folder = entry.get("folder") or ""
    if folder and not re.fullmatch(r"[a-z0-9][a-z0-9-]*/ks[2-5]", folder):
        return f"folder {folder[:60]!r} is not <school>/<key stage>"
    return ""


def pack_folders(out: Path) -> dict[str, Path]:
    """`<school>/<key stage>` → its folder, for every real folder (no link) holding a
    manifest.json that is a regular file."""
    found = {}
    for school in _real_folders(out):
        if school.name.startswith("."):
            continue
        for stage in _real_folders(school):
            if stage.name in KEY_STAGE_IDS and _is_file(stage / "manifest.json"):
                found[f"{school.name}/{stage.name}"] = stage
    return found


def _real_folders(folder: Path) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield folder / entry.name


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_manifest(target: Path) -> tuple[bytes, str, dict[str, str]]:
    """A pack's manifest: its bytes, the school it names and {file: SHA-256} it lists.
    BadManifest, in one line, for anything lessonpack would not have written."""
    path = target / "manifest.json"
    try:
        data = read_input(path, "pack file", follow=False, limit=MANIFEST_LIMIT)
        manifest = json.loads(data)
    except InputFileError as exc:
        raise BadManifest(exc.reason) from None
    except RecursionError:
        raise BadManifest("nested too deeply to be one lessonpack wrote") from None
    except ValueError as exc:
        raise BadManifest(f"not JSON ({str(exc)[:80]})") from None
    inputs = manifest.get("inputs") if isinstance(manifest, dict) else None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(inputs, dict) or not isinstance(files, list):
        raise BadManifest("not a lessonpack manifest (no inputs or files)")
    school = inputs.get("school")
    if not isinstance(school, str):
        raise BadManifest("inputs.school is not text")
    listed = {}
    for number, entry in enumerate(files, start=1):
        name = entry.get("name") if isinstance(entry, dict) else None
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not isinstance(digest, str):
            raise BadManifest(f"files entry {number} is not a name and a SHA-256")
        if not PACK_FILE.match(name) or name == "manifest.json":
            raise BadManifest(f"files entry {number} names {name[:60]!r}, not a file a pack holds")
        listed[name] = digest
    return data, school, listed


def file_entry(target: Path, name: str) -> dict[str, Any]:
    """The name, size and SHA-256 of a file of the pack: a regular file in its folder,
    never a link, within the cap for pack files (OSError otherwise)."""
    try:
        data = read_input(target / name, "pack file", follow=False)
    except InputFileError as exc:
        raise OSError(exc.reason) from None
    return {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def zip_entry(out: Path, slug: str) -> dict[str, Any] | None:
    """A school's zip beside its folder, if it is a regular file within the cap."""
    try:
        data = read_input(out / f"{slug}.zip", "pack file", follow=False)
    except InputFileError:
        return None
    return {"name": f"{slug}.zip", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
