"""Where a school's or a force's templates are read from: their own folder, and nothing
a link in it points at outside."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError

from lessonpack.safe_io import InputFileError, read_input


class FolderLoader(jinja2.BaseLoader):
    """Templates from folders, in order; never through a link that leads out of its folder.

    Like Jinja's FileSystemLoader (which also refuses `..` in names), plus: a template
    that is a link, or sits behind one, must stay inside the folder it was found in, and
    it is read as a regular file within the template size cap.
    """

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [Path(f) for f in folders]
        self.found_in: dict[str, int] = {}  # template name → index of the folder it came from

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for index, folder in enumerate(self.folders):
            candidate = folder.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            try:
                real = candidate.resolve(strict=True)
                inside = real.is_relative_to(folder.resolve())
            except (OSError, RuntimeError):
                raise jinja2.TemplateError(f"{candidate} is a broken link or a link loop") from None
            if not inside:
                raise SecurityError(f"{candidate} is a link to {real}, outside {folder}; "
                                    "a template must be a file in its own folder")
            try:
                source = read_input(real, "template").decode("utf-8")
            except InputFileError as exc:
                raise jinja2.TemplateError(str(exc)) from None
            except UnicodeDecodeError as exc:
                raise jinja2.TemplateError(f"{candidate}: not UTF-8 text (byte {exc.start})") from None
            self.found_in[template] = index
            mtime = real.stat().st_mtime_ns
            return source, str(candidate), functools.partial(_same_mtime, real, mtime)
        raise jinja2.TemplateNotFound(template)


def _same_mtime(path: Path, mtime: int) -> bool:
    try:
        return path.stat().st_mtime_ns == mtime
    except OSError:
        return False
