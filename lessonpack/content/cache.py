"""A per-user cache of what is slow to make and the same from run to run: the validated
lesson content and Jinja's compiled templates.

A cold `generate` otherwise spends most of its time parsing YAML, validating it with
pydantic (and importing phonenumbers to check every help line's number) and compiling
templates. The cache lives in the user's cache folder ($LESSONPACK_CACHE_DIR, else
$XDG_CACHE_HOME/lessonpack, else ~/.cache/lessonpack), never in the package; if that
folder cannot be made or written, is not the user's own or others may write to it, or
LESSONPACK_NO_CACHE=1, nothing is cached.

Content is keyed by the SHA-256 of every content file's name and bytes (the built-in or
`--lessons` folder and any extra content), the exclusions, lessonpack's version and the
content models' own source, so any edit misses. Only content that validated is stored;
an entry that cannot be read back (truncated, corrupt, from another version) is ignored
and rebuilt. Entries are written to a temporary file and renamed into place, so two
processes racing to store the same entry each leave a whole file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import tempfile
from pathlib import Path

from lessonpack import __version__
from lessonpack.content.lessons import Content
from lessonpack.content.loader import load_content

DISABLE_ENV = "LESSONPACK_NO_CACHE"
DIR_ENV = "LESSONPACK_CACHE_DIR"
MAX_CONTENT_FILE = 2 * 1024 * 1024  # larger files take the uncached path, which reports them
KEEP_CONTENT = 4  # entries kept: the built-in content, a school's own, and a few edits
_PACKAGE = Path(__file__).resolve().parent.parent  # the lessonpack package
# The models' source: an edit to any of them makes every cached entry miss.
MODEL_MODULES = ("models.py", "rules.py", "items.py", "routes.py", "lessons.py", "loader.py")


def cache_dir() -> Path | None:
    """The folder to cache in, made if need be; None when caching is off or impossible."""
    if os.environ.get(DISABLE_ENV, "").strip() not in ("", "0"):
        return None
    base = os.environ.get(DIR_ENV)
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
        base = str(root / "lessonpack")
    try:
        folder = Path(base).expanduser().resolve()
        if folder == _PACKAGE or _PACKAGE in folder.parents:
            return None
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        resolved = folder.resolve()
    except (OSError, RuntimeError):
        return None
    if not (resolved.is_dir() and os.access(resolved, os.W_OK | os.X_OK)):
        return None
    # Cached content and compiled templates are code to this process: a folder that
    # another user owns or may write to is not trusted with them.
    info = resolved.stat()
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return resolved


def store(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file renamed into place."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _read_sources(paths: list[Path]) -> list[bytes] | None:
    """Every content file's bytes, or None if any is not a small regular file (the
    uncached loader then reports it as it always has)."""
    sources = []
    for path in paths:
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CONTENT_FILE:
                return None
            sources.append(path.read_bytes())
        except OSError:
            return None
    return sources


def load_content_cached(
    directory: Path, extra_files: list[Path] | None = None, exclude: list[str] | None = None
) -> Content:
    """load_content, from the cache when the same content validated before."""
    folder = cache_dir()
    builtin = sorted(directory.glob("*.yaml"))
    paths = [*builtin, *(extra_files or [])]
    sources = _read_sources(paths) if folder is not None and builtin else None
    if folder is None or sources is None:
        return load_content(directory, extra_files=extra_files, exclude=exclude)
    # The same digest load_content records as the content's fingerprint.
    fingerprint = hashlib.sha256()
    for path, raw in zip(paths, sources, strict=True):
        fingerprint.update(path.name.encode() + b"\0" + raw)
    key = hashlib.sha256()
    key.update(json.dumps([__version__, len(builtin), sorted(exclude or [])]).encode())
    for module in MODEL_MODULES:
        key.update((_PACKAGE / "content" / module).read_bytes())
    key.update(fingerprint.digest())
    entry = folder / f"content-{key.hexdigest()}.pickle"
    expected = fingerprint.hexdigest()
    try:
        cached = pickle.loads(entry.read_bytes())
        if isinstance(cached, Content) and cached.fingerprint == expected:
            return cached
    except Exception:  # noqa: BLE001 - a missing or damaged entry is rebuilt, whatever is wrong
        pass
    content = load_content(directory, extra_files=extra_files, exclude=exclude)
    if content.fingerprint == expected:  # not edited while it was being loaded
        store(entry, pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
        prune(folder, "content-*.pickle", keep=KEEP_CONTENT)
    return content


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Drop all but the newest `keep` entries: each edit of the content makes a new one."""
    def age(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0
    for old in sorted(folder.glob(pattern), key=age, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def template_cache_dir() -> Path | None:
    """Where Jinja keeps compiled templates (keyed by each template's source), if caching."""
    folder = cache_dir()
    if folder is None:
        return None
    # Compiled code depends on the sandbox and environment it was compiled for, not only
    # on the template's source: a change to either starts a new folder.
    import jinja2

    flavour = hashlib.sha256(jinja2.__version__.encode())
    for module in ("rendering/sandbox.py", "rendering/templating.py"):
        flavour.update((_PACKAGE / module).read_bytes())
    templates = folder / f"templates-{flavour.hexdigest()[:16]}"
    try:
        templates.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        return None
    return templates
