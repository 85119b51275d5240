"""What a pack folder is, so that nothing else under --out is ever replaced.

A pack folder is a real folder holding `manifest.json`, a lessonpack manifest, and the
files that manifest lists (with the PDFs and preview lessonpack writes beside them), each
a regular file: nothing else. `--overwrite` and a batch replace such a folder only; a
folder of the same name that holds a teacher's own notes, or a logo, is refused in one
line and left as it was.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from lessonpack.errors import InputFileError, OutputError
from lessonpack.safe_io import read_input

MANIFEST = "manifest.json"
BESIDE = ("preview.png",)  # written into a pack by `generate --preview` / `preview`
MAX_MANIFEST = 1024 * 1024


def not_a_pack(folder: Path) -> str | None:
    """Why `folder` is not a pack lessonpack may replace, or None (an empty folder is
    one: nothing would be lost)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return "it is a link or a file, not a pack's folder"
    try:
        with os.scandir(fd) as entries:
            names = sorted(e.name for e in entries)
    finally:
        os.close(fd)
    if not names:
        return None
    if MANIFEST not in names:
        return f"it holds {names[0]!r} and no manifest.json, so it is not a lessonpack pack"
    listed = _listed(folder)
    if listed is None:
        return "its manifest.json is not a lessonpack manifest"
    allowed = {MANIFEST, *BESIDE, *listed, *(Path(n).with_suffix(".pdf").name for n in listed)}
    for name in names:
        if name not in allowed:
            return f"it holds {name!r}, which is not part of the pack"
        mode = os.lstat(folder / name).st_mode
        if not stat.S_ISREG(mode):
            return f"{name!r} in it is {'a link' if stat.S_ISLNK(mode) else 'not a file'}"
    return None


def _listed(folder: Path) -> set[str] | None:
    """The file names a pack's manifest lists, or None if it is not one of ours."""
    try:
        manifest = json.loads(read_input(folder / MANIFEST, "pack file", follow=False,
                                         limit=MAX_MANIFEST))
    except (InputFileError, ValueError, RecursionError):
        return None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if "lessonpack" not in manifest or not isinstance(files, list):
        return None
    names = {f.get("name") for f in files if isinstance(f, dict)}
    if not all(isinstance(n, str) and n and "/" not in n and n not in (".", "..") for n in names):
        return None
    return names  # type: ignore[return-value]


def check_replaceable(target: Path) -> None:
    """Refuse, in one line, to replace anything at `target` but a pack."""
    if not os.path.lexists(target):
        return
    why = not_a_pack(target)
    if why is not None:
        raise OutputError(f"refusing to replace {target}: {why}; move what is there, "
                          "or choose another --out")
