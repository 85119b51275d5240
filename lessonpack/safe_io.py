"""Reading files a user or a stranger supplies: regular files only, each kind with a size cap.

Every input reader goes through `read_input`. A FIFO, a device (`/dev/zero`, `/dev/tty`)
or a folder would hang the run or exhaust memory; a file larger than its kind ever needs
to be is refused before it is read. The caps are stated in docs/limits.md.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from lessonpack.errors import InputFileError

__all__ = ["InputFileError"]  # defined in errors; imported from here too

MB = 1024 * 1024
LIMITS: dict[str, int] = {
    "school file": 256 * 1024,  # school.toml: 20 full help routes are 30 kB; TOML parses 1 MB in 1.5 s
    "schools file": 200 * MB,  # the batch CSV or xlsx: the DfE register of every school is ~70 MB
    "YAML file": 2 * MB,  # lesson content, [content] extra
    "force file": 1 * MB,
    "template": 128 * 1024,  # six times the largest built-in; Jinja compiles ~100 kB a second
    "reference document": 50 * MB,  # reference.docx / reference.pptx
    "logo": 5 * MB,
    "pack file": 100 * MB,  # a file of an existing pack, read to check it is current
}
# A zip (reference document, xlsx) is checked before any member is read.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_TOTAL = 200 * MB  # all members, uncompressed
ZIP_MAX_RATIO = 200  # uncompressed / compressed, for any member over 1 MB

_KINDS = {stat.S_IFIFO: "a pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFDIR: "a folder", stat.S_IFSOCK: "a socket"}


def _open_regular(path: Path, kind: str, follow: bool) -> int:
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError(path, f"{kind} not found") from None
    except OSError as exc:
        if not follow and os.path.islink(path):
            raise InputFileError(path, f"{kind} is a link; give the file itself") from None
        raise InputFileError(path, f"{kind} cannot be read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise InputFileError(path, f"{kind} is {what}, not a file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_input(path: Path | str, kind: str, follow: bool = True, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most the cap for its kind (InputFileError otherwise)."""
    path = Path(path)
    cap = limit if limit is not None else LIMITS[kind]
    fd = _open_regular(path, kind, follow)
    try:
        size = os.fstat(fd).st_size
        if size > cap:
            raise InputFileError(path, f"{kind} is {_size(size)}; the limit is {_size(cap)}")
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(cap + 1)  # a file that grows while read is still capped
    except OSError as exc:
        raise InputFileError(path, f"{kind} cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > cap:
        raise InputFileError(path, f"{kind} is over the limit of {_size(cap)}")
    return data


def check_regular(path: Path | str, kind: str) -> None:
    """Refuse anything but a regular file within its cap, without reading it."""
    path = Path(path)
    fd = _open_regular(path, kind, follow=True)
    try:
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if size > LIMITS[kind]:
        raise InputFileError(path, f"{kind} is {_size(size)}; the limit is {_size(LIMITS[kind])}")


def check_zip(path: Path | str, data: bytes, kind: str) -> None:
    """Refuse a zip whose members would unpack to far more than it holds (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise InputFileError(path, f"{kind} is not a valid Office file (zip): {exc}") from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise InputFileError(path, f"{kind} has {len(members)} parts; the limit is {ZIP_MAX_MEMBERS}")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > ZIP_MAX_RATIO:
            raise InputFileError(path, f"{kind}: part {member.filename!r} would unpack to "
                                       f"{_size(member.file_size)} ({ratio:.0f}× its stored size): "
                                       "refused as a likely zip bomb")
    if total > ZIP_MAX_TOTAL:
        raise InputFileError(path, f"{kind} would unpack to {_size(total)}; "
                                   f"the limit is {_size(ZIP_MAX_TOTAL)}")


def read_zip_input(path: Path | str, kind: str) -> bytes:
    """A reference document or spreadsheet: read within its cap, then checked as a zip."""
    data = read_input(path, kind)
    check_zip(path, data, kind)
    return data


def _size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    return f"{n / 1024:.0f} kB" if n >= 10 * 1024 else f"{n:,} bytes"


def path_in_folder(base: Path, value: str, setting: str) -> Path:
    """A file a data file names (a CSV's or a force file's logo): inside the file's folder.

    Absolute paths, `~` and `..` are refused, and so is a link that leads out: a file
    from someone else must not make lessonpack read (and embed) a private file.
    Only the user's own school.toml and command line may name files elsewhere.
    """
    if value.startswith(("/", "\\", "~")) or Path(value).is_absolute() or ".." in Path(value).parts:
        raise ValueError(f"{setting}: {value!r} must be a file in the same folder as the file "
                         "that names it (no absolute path, '~' or '..')")
    root = base.resolve()
    try:
        path = (root / value).resolve()
    except (OSError, RuntimeError):
        raise ValueError(f"{setting}: {value!r} is a link that cannot be followed") from None
    if not path.is_relative_to(root):
        raise ValueError(f"{setting}: {value!r} is a link to a file outside {root}; refused")
    return path
