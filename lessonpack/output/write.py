"""Writing packs under --out: atomically, only inside it, and honest about interruptions.

Only a pack is ever replaced (`packs.check_replaceable`): with `--overwrite` or in a batch.

A pack is written into a hidden staging folder beside its place, then renamed into
place; an old pack is first renamed aside (`.ks3.old-PID`) and removed only once the new
one is there. A run killed between the two renames leaves both, and the next run puts
the old one back (or, if the new one made it, removes the old one).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lessonpack.errors import InterruptedRun, LessonpackError, OutputError, OutputExistsError
from lessonpack.output.packs import check_replaceable
from lessonpack.processes import pid_alive, terminate_as_interrupt


def pack_dir(out: Path, school_slug: str, key_stage: str) -> Path:
    """`out/<school>/<key stage>`, refusing links and anything that leads outside `out`."""
    try:
        root = out.resolve()
        target = (out / school_slug / key_stage).resolve()
    except (OSError, RuntimeError) as exc:  # a link loop: RuntimeError before Python 3.13
        raise OutputError(f"--out {out}: cannot be followed ({_why(exc)})") from None
    if not target.is_relative_to(root):
        raise LessonpackError(f"refusing to write outside {out}: {target}")
    for part in (root / school_slug, root / school_slug / key_stage):
        if part.is_symlink():
            raise LessonpackError(f"refusing to write through the link {part}: "
                                  "a pack folder must be a real folder inside --out")
    return target


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_tree(path: Path) -> None:
    """Remove a leftover without following a link: a link is removed, never its target."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path, ignore_errors=True)  # rmtree never descends into links
    else:
        path.unlink(missing_ok=True)


def hidden_names(folder: Path, follow: bool = False) -> list[str]:
    """The names in `folder` that start with a dot, where leftovers live; [] for a link
    unless `follow` (--out itself may be a link; a school's folder in it may not).

    One listing, and no glob patterns to compile: this runs for every pack of a batch.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(folder, flags)
    except OSError:  # missing, a link, or not a folder: nothing of ours is in there
        return []
    try:
        with os.scandir(fd) as entries:
            return [e.name for e in entries if e.name.startswith(".")]
    finally:
        os.close(fd)


def leftovers(folder: Path, name: str,
              names: list[str] | None = None) -> tuple[list[Path], list[Path]]:
    """Old packs set aside and staging folders for `folder/name`, never through a link.

    `names` is `hidden_names(folder)` when the caller has listed the folder already.
    """
    names = hidden_names(folder) if names is None else names
    old, partial = f".{name}.old-", f".{name}.partial-"
    olds = sorted((folder / n for n in names if n.startswith(old)),
                  key=lambda p: os.lstat(p).st_mtime_ns)
    return olds, [folder / n for n in names if n.startswith(partial)]


def recover(target: Path, names: list[str] | None = None) -> None:
    """Put back or remove what an interrupted write of `target` left behind."""
    olds, partials = leftovers(target.parent, target.name, names)
    if olds and not os.path.lexists(target) and stat.S_ISDIR(os.lstat(olds[-1]).st_mode):
        olds[-1].rename(target)  # the new pack never made it: the old one is the pack
        olds = olds[:-1]
    for leftover in [*olds, *partials]:
        remove_tree(leftover)


def write_pack(files: dict[str, bytes], target: Path, overwrite: bool) -> list[Path]:
    """Write a pack into `target` all at once: a temporary folder, then a rename.

    An interrupted run leaves either the old pack or the new one, never a mixture.
    """
    recover(target)
    if os.path.lexists(target) and not overwrite:
        raise OutputExistsError(f"{target} already exists; use --overwrite to replace it")
    check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    old: Path | None = None
    try:
        for name, data in files.items():
            _write_new(staging / name, data)
        # mkdtemp makes the folder private (0700); a pack is meant to be shared.
        staging.chmod(0o777 & ~_umask())
        if os.path.lexists(target):
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            remove_tree(old)
            target.rename(old)
        staging.rename(target)
    except BaseException:
        remove_tree(staging)
        if old is not None and not os.path.lexists(target):
            old.rename(target)
        raise
    if old is not None:
        remove_tree(old)
    return [target / name for name in files]


def _write_new(path: Path, data: bytes) -> None:
    """A new file in a folder of ours: O_EXCL and O_NOFOLLOW, so never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    with os.fdopen(os.open(path, flags, 0o666), "wb") as stream:
        stream.write(data)


def write_all(packs: list[tuple[dict[str, bytes], Path]], overwrite: bool) -> list[Path]:
    """Write several packs; if interrupted or the disk fills, say which were written."""
    written: list[Path] = []
    done: list[Path] = []
    with terminate_as_interrupt():
        for files, target in packs:
            try:
                written += write_pack(files, target, overwrite)
            except KeyboardInterrupt:
                raise InterruptedRun(_report("Interrupted", done, packs, target)) from None
            except OSError as exc:
                what = "No space left on device" if exc.errno == errno.ENOSPC else (
                    f"Could not write {exc.filename or target}: {_why(exc)}")
                raise OutputError(_report(what, done, packs, target)) from None
            done.append(target)
    return written


def _report(what: str, done: list[Path], packs: list[tuple[dict, Path]], failed: Path) -> str:
    rest = [target for _, target in packs if target not in done]
    lines = [f"{what} while writing {failed}."]
    if done:
        lines.append("Written, complete: " + ", ".join(map(str, done)) + ".")
    lines.append("Not written (any earlier pack there is unchanged): "
                 + ", ".join(map(str, rest)) + ".")
    if done:
        lines.append("Run the same command again with --overwrite to make them all.")
    return " ".join(lines)


def lstat_mode(path: Path) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0


@contextlib.contextmanager
def school_lock(out: Path, slug: str) -> Iterator[None]:
    """Hold the school's folder while its packs are written.

    Two identical runs at once (or a run and its own retry) then take turns: the second
    finds the first's packs complete and skips them, instead of failing on a folder the
    first is renaming. The lock is the kernel's (flock): a killed run releases it.
    """
    folder = out / slug
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP or folder.is_symlink():
            raise LessonpackError(f"refusing to write through the link {folder}: a school's "
                                  "folder must be a real folder inside --out") from None
        raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def writer_alive(name: str) -> bool:
    match = re.search(r"\.partial-(\d+)-", name)
    if not match:
        return False
    return pid_alive(int(match[1]))
