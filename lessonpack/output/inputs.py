"""The run's inputs are never written over: no output replaces, or sits above, one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from lessonpack.errors import OutputError


def check_not_inputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Refuse before writing if any output would replace (or sit inside) an input file.

    A batch has three outputs a school and may have a logo as an input for each: so each
    output is resolved once (its folder's resolution shared with its neighbours') and
    looked up in the inputs' paths and folders, not compared with every input in turn.
    """
    sources = [Path(source) for source in inputs if os.path.lexists(source)]
    if not sources:
        return
    inside: dict[Path, Path] = {}  # an input's real path, or a folder it is in → the input
    identities: dict[tuple[int, int], Path] = {}  # the same file under another name
    for given in sources:
        real = given.resolve()
        for holder in (*reversed(real.parents), real):
            inside[holder] = given
        with contextlib.suppress(OSError):
            info = os.stat(given)
            identities[(info.st_dev, info.st_ino)] = given
    resolve = _resolver()
    for target in outputs:
        source: Path | None = inside.get(resolve(Path(target)))
        if source is None and os.path.lexists(target):
            with contextlib.suppress(OSError):
                info = os.stat(target)
                source = identities.get((info.st_dev, info.st_ino))
        if source is not None:
            raise OutputError(f"refusing to write {target}: it would replace the input "
                              f"{source}; choose another --out")


def _resolver() -> Callable[[Path], Path]:
    """Path.resolve, remembering each folder's answer: siblings share their parents' lookups."""
    known: dict[Path, Path] = {}

    def resolve(path: Path) -> Path:
        if path not in known:
            if path.name in ("", ".", "..") or path.parent == path:
                known[path] = path.resolve()
            else:
                parent = resolve(path.parent)
                known[path] = path.resolve() if os.path.islink(path) else parent / path.name
        return known[path]

    return resolve
