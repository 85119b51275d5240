"""The one cache: what packs share, held by the library object, and the folder on disk
that keeps what is slow to make from one run to the next.

A `PackCache` belongs to one `Library` (pack.py): its tables hold each part that does not
depend on the school (a key stage's context, parsed patterns, slide and document parts,
compressed zip entries), keyed by the values that made them, and the school's values are
filled in last. No module keeps a cache of its own: a module marks a pure function
`@memoized(name)`, and the call is remembered in the table of that name of the cache that
is active, the library's while it builds a pack (`with cache.active():`); with none
active the function is simply called. A new library starts empty: that is how a test gets
a fresh state.

On disk ($LESSONPACK_CACHE_DIR, else $XDG_CACHE_HOME/lessonpack, else
~/.cache/lessonpack; never inside the package), entries are keyed by `code_key()`: a hash
of every file of the installed package and its built-in templates, found by walking
them, and the versions of the libraries whose output is kept. Entries are written to a
temporary file and renamed into place, and the folder is kept under `MAX_DISK_BYTES`
(oldest first out). A folder that cannot be made, is not the user's own or that others
may write to, or LESSONPACK_NO_CACHE=1, turns the disk cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from lessonpack import __version__
from lessonpack.resources import data_dir

DISABLE_ENV = "LESSONPACK_NO_CACHE"
DIR_ENV = "LESSONPACK_CACHE_DIR"
MAX_DISK_BYTES = 96 * 1024 * 1024  # every pack's parts several times over; oldest go first
KEEP_TEMPLATE_FOLDERS = 4  # compiled templates of this and a few other versions
DEFAULT_ENTRIES = 1024  # a table's bound unless its function names another
_PACKAGE = Path(__file__).resolve().parent
# Whose output the disk cache keeps: pickled content (pydantic, PyYAML), parsed Markdown
# (markdown-it-py and its plugins), compiled templates (Jinja). A new version of any misses.
DEPENDENCIES = frozenset({"pydantic", "pydantic_core", "pyyaml", "jinja2", "markupsafe",
                          "markdown_it_py", "mdit_py_plugins", "lxml"})
_DIST = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$")
_MISSING = object()
_ACTIVE: ContextVar[PackCache | None] = ContextVar("lessonpack_cache", default=None)

T = TypeVar("T")


@dataclass(frozen=True)
class SharedKey:
    """What every school of one pack shares: its parts that no school value goes into are
    made once for this key and reused for every school."""

    key_stage: str
    force: str | None  # the force's slug; None for the national contacts
    nation: str
    minutes: int
    large_print: bool
    language: str  # the content's language tag
    references: tuple[str, ...]  # the reference documents' SHA-256, pptx then docx


class Table(dict):
    """One bounded table of a cache: past `maxsize` entries the oldest goes first."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def put(self, key: Hashable, value: T) -> T:
        if len(self) >= self.maxsize:
            # A web page's checking threads share the library's tables: another may have
            # taken the oldest first.
            self.pop(next(iter(self), None), None)
        self[key] = value
        return value


class PackCache:
    """Every table of one library, and its disk folder."""

    def __init__(self, disk: bool = True) -> None:
        self.tables: dict[str, Table] = {}
        self._disk = disk
        self._folder: Path | None | bool = False  # False: not looked for yet
        self._code_key: str | None = None

    def table(self, name: str, maxsize: int = DEFAULT_ENTRIES) -> Table:
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = Table(maxsize)
        return table

    def remember(self, name: str, key: Hashable, make: Callable[[], T],
                 maxsize: int = DEFAULT_ENTRIES) -> T:
        table = self.table(name, maxsize)
        try:
            return table[key]
        except KeyError:
            return table.put(key, make())

    @contextlib.contextmanager
    def active(self) -> Iterator[PackCache]:
        """Make this the cache that `@memoized` functions use, for the `with` block."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def folder(self) -> Path | None:
        """The disk cache's folder, looked for once; None when off or impossible."""
        if self._folder is False:
            self._folder = cache_dir() if self._disk else None
        return self._folder if isinstance(self._folder, Path) else None

    def code_key(self) -> str:
        """What the installed code and its dependencies are: part of every disk key."""
        if self._code_key is None:
            self._code_key = code_key()
        return self._code_key

    def load(self, kind: str, key: str, expect: type) -> Any:
        """The disk entry `kind-key`, or None when missing, damaged or of another type."""
        folder = self.folder()
        if folder is None:
            return None
        try:
            found = pickle.loads((folder / f"{kind}-{key}.pickle").read_bytes())
        except Exception:  # noqa: BLE001 - a missing or damaged entry is made again
            return None
        return found if isinstance(found, expect) else None

    def save(self, kind: str, key: str, value: object) -> None:
        folder = self.folder()
        if folder is not None:
            store(folder / f"{kind}-{key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            prune(folder, MAX_DISK_BYTES)

    def templates_folder(self) -> Path | None:
        """Where Jinja keeps compiled templates (keyed by each template's source). Each code
        key has its own folder; all but the newest few, unused for a day, are removed (other
        versions sharing the folder may still be running)."""
        folder = self.folder()
        if folder is None:
            return None
        templates = folder / f"templates-{self.code_key()[:16]}"
        try:
            templates.mkdir(exist_ok=True, mode=0o700)
            os.utime(templates)  # in use: the newest
        except OSError:
            return None
        folders = []
        for path in folder.glob("templates-*"):
            with contextlib.suppress(OSError):
                folders.append((path.stat().st_mtime, path))
        stale = time.time() - 86400
        for mtime, old in sorted(folders, reverse=True)[KEEP_TEMPLATE_FOLDERS:]:
            if mtime < stale:
                shutil.rmtree(old, ignore_errors=True)
        return templates

    def disk_key(self, *parts: str | bytes) -> str:
        digest = hashlib.sha256(self.code_key().encode())
        for part in parts:
            digest.update(b"\0" + (part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part))
        return digest.hexdigest()


def active_cache() -> PackCache | None:
    """The cache of the library building a pack now, if any."""
    return _ACTIVE.get()


def memoized(name: str, maxsize: int = DEFAULT_ENTRIES) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Remember a pure function's results in the active cache's table `name`."""
    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        @wraps(function)
        def remembered(*args: Any) -> T:
            cache = _ACTIVE.get()
            if cache is None:
                return function(*args)
            table = cache.tables.get(name)
            if table is None:
                table = cache.table(name, maxsize)
            found = table.get(args, _MISSING)
            return table.put(args, function(*args)) if found is _MISSING else found
        remembered.memo_name, remembered.memo_maxsize = name, maxsize  # type: ignore[attr-defined]
        return remembered
    return decorate


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


def code_key() -> str:
    """SHA-256 of lessonpack's version, every file of the package and its built-in
    templates (walked, so a new module is never left out), and the dependencies' versions."""
    digest = hashlib.sha256(__version__.encode())
    roots = [_PACKAGE]
    with contextlib.suppress(FileNotFoundError):
        roots.append(data_dir("templates"))
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(files):
                if name.endswith((".pyc", ".tmp")):
                    continue
                path = Path(folder) / name
                with contextlib.suppress(OSError):
                    digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
    for name, version in dependency_versions():
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


def dependency_versions() -> list[tuple[str, str]]:
    """(name, version) of each of DEPENDENCIES installed, from the `.dist-info` folders on
    the path (as importlib.metadata finds them, without the cost of importing it)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            match = _DIST.match(name)
            if match:
                dist = match["name"].lower().replace(".", "_").replace("-", "_")
                if dist in DEPENDENCIES:
                    found.setdefault(dist, match["version"])
    return sorted(found.items())


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


def prune(folder: Path, max_bytes: int, pattern: str = "*.pickle") -> None:
    """Remove the oldest entries until those left fit in `max_bytes`."""
    entries = []
    for path in folder.glob(pattern):
        with contextlib.suppress(OSError):
            info = path.stat()
            entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda e: e[0]):
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
