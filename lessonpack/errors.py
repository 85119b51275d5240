"""One exception hierarchy, caught once in the CLI and shown as a one-line message."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lessonpack.diagnostics import Diagnostic, format_diagnostics


class LessonpackError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback."""

    exit_code = 1
    diagnostics: tuple[Diagnostic, ...] = ()  # each problem, when the error lists several

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> LessonpackError:
        """The error for these problems, one per line (warnings marked `warning: `)."""
        found = tuple(diagnostics)
        error = cls(format_diagnostics(found))
        error.diagnostics = found
        return error


class ContentError(LessonpackError):
    """Lesson content, a force file or a school file is missing, broken or invalid."""


class TemplateError(LessonpackError):
    """A template has a syntax error, names an unknown variable or breaks the sandbox."""


class TranslationError(LessonpackError):
    """A pack in Welsh would print a string that has no Welsh translation."""


class UnknownForceError(LessonpackError):
    exit_code = 2


class OutputExistsError(LessonpackError):
    """A pack is already there and --overwrite was not given."""


class ReferenceDocumentError(LessonpackError):
    """A reference .pptx or .docx cannot be read or lacks what a pack needs."""


class ReferenceWarning(UserWarning):
    """A reference document is usable, but not as it stands (a layout missing, say)."""


# Every other exception the package raises lives here too, so that one `except` in the
# CLI (LessonpackError) covers them all; the modules that raise them re-export them.


class InputFileError(LessonpackError, ValueError):
    """An input file that is not a regular file, too large, or a zip bomb (exit 2).

    A ValueError too, so that callers which report a bad row or setting by ValueError
    (a CSV's logo, say) report this the same way.
    """

    exit_code = 2

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = Path(path), reason


class SchoolFileError(ContentError):
    """Every problem in a school file, one per line."""


class ForceFileError(ContentError):
    """The force file is missing, unreadable or invalid: nothing is built (exit 2)."""

    exit_code = 2


class BatchInputError(LessonpackError):
    """The schools file or an option is unusable as a whole: nothing is written."""

    exit_code = 2


class OutputError(LessonpackError):
    """--out is unusable, or a write failed part-way: says what was and was not written."""

    exit_code = 2


class InterruptedRun(LessonpackError):
    """Ctrl-C or a termination signal during writing: says exactly which packs were made."""

    exit_code = 130


class DateRangeError(LessonpackError):
    """A lesson date (or SOURCE_DATE_EPOCH) that Office files cannot record."""

    exit_code = 2


class IndexError_(LessonpackError):  # noqa: N801 - "IndexError" is Python's own
    """`lessonpack index` found no packs, or an index it cannot read."""

    exit_code = 2


class MissingProgramError(LessonpackError):
    """LibreOffice or poppler is not installed."""


class ProgramFailedError(LessonpackError):
    """LibreOffice or poppler ran but failed, or took too long."""


class UploadError(ValueError):
    """The web page's upload is unusable; shown on the form, not as an HTTP error."""


class Busy(Exception):
    """Too many packs are waiting already (the web server answers 503)."""


class TooSlow(Exception):
    """A pack took longer than it is allowed (the web server answers 504)."""
