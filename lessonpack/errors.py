"""One exception hierarchy, caught once in the CLI and shown as a one-line message."""


class LessonpackError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback."""

    exit_code = 1


class ContentError(LessonpackError):
    """Lesson content, a force file or a school file is missing, broken or invalid."""


class TemplateError(LessonpackError):
    """A template has a syntax error, names an unknown variable or breaks the sandbox."""


class UnknownForceError(LessonpackError):
    exit_code = 2


class OutputExistsError(LessonpackError):
    """A pack is already there and --overwrite was not given."""


class ReferenceDocumentError(LessonpackError):
    """A reference .pptx or .docx cannot be read or lacks what a pack needs."""


class ReferenceWarning(UserWarning):
    """A reference document is usable, but not as it stands (a layout missing, say)."""
