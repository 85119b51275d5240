"""The validated lesson content, kept in the disk cache (lessonpack/cache.py) from run to run.

A cold `generate` otherwise spends most of its time parsing YAML, validating it with
pydantic (and importing phonenumbers to check every help line's number). Content is keyed
by the SHA-256 of every content file's name and bytes (the built-in or `--lessons` folder
and any extra content), the exclusions, and the cache's code key (every file of the
installed package and the dependencies' versions), so any edit misses. Only content that
validated is stored; an entry that cannot be read back is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from lessonpack.cache import PackCache
from lessonpack.content.lessons import Content
from lessonpack.content.loader import load_content

MAX_CONTENT_FILE = 2 * 1024 * 1024  # larger files take the uncached path, which reports them


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
    cache: PackCache, directory: Path, extra_files: list[Path] | None = None,
    exclude: list[str] | None = None,
) -> Content:
    """load_content, from the disk cache when the same content validated before."""
    builtin = sorted(directory.glob("*.yaml"))
    paths = [*builtin, *(extra_files or [])]
    sources = _read_sources(paths) if cache.folder() is not None and builtin else None
    if sources is None:
        return load_content(directory, extra_files=extra_files, exclude=exclude)
    # The same digest load_content records as the content's fingerprint.
    fingerprint = hashlib.sha256()
    for path, raw in zip(paths, sources, strict=True):
        fingerprint.update(path.name.encode() + b"\0" + raw)
    expected = fingerprint.hexdigest()
    key = cache.disk_key(json.dumps([len(builtin), sorted(exclude or [])]), expected)
    cached = cache.load("content", key, Content)
    if cached is not None and cached.fingerprint == expected:
        return cached
    content = load_content(directory, extra_files=extra_files, exclude=exclude)
    if content.fingerprint == expected:  # not edited while it was being loaded
        cache.save("content", key, content)
    return content
