"""The Jinja environment: sandboxed, strict, and values inserted as text, never markup.

Every `{{ value }}` is replaced by a placeholder (private-use characters around an
index) and the value kept aside; the Markdown parser sees only the template's own
structure, and the value is put back into the parsed text afterwards. So a school
called `St Mary's *C of E*` stays literal, whatever Markdown it contains.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError

from lessonpack.cache import PackCache, Table, active_cache
from lessonpack.errors import TemplateError
from lessonpack.rendering.sandbox import BoundedSandbox, FolderLoader, render_bounded
from lessonpack.xmltext import clean_text, xml_text

OPEN, CLOSE = "\ue000", "\ue001"
# A secret per process inside every placeholder: text from a file that happens to hold
# OPEN, digits and CLOSE is not a placeholder, so it can never print another value.
_NONCE = secrets.token_hex(6)
_PLACEHOLDER = re.compile(f"{OPEN}{_NONCE}:(\\d+){CLOSE}")
# The same placeholders without the secret, for output whose parse is kept between runs;
# only used on text checked to hold no other OPEN or CLOSE (Rendered.canonical).
_CANONICAL = re.compile(f"{OPEN}(\\d+){CLOSE}")

_values: ContextVar[tuple[list[str], Table]] = ContextVar("template_values")
CLEANED = 8192  # distinct values kept cleaned: most are the content's own sentences


def _clean_rendered(value: str) -> str:
    """Template output printed again (a `{% set %}` block, a macro's result): its own
    placeholders kept, everything between them cleaned as any other value."""
    pieces = _PLACEHOLDER.split(value)
    pieces[::2] = (xml_text(piece) for piece in pieces[::2])
    return "".join(piece if i % 2 == 0 else f"{OPEN}{_NONCE}:{piece}{CLOSE}"
                   for i, piece in enumerate(pieces))


def _finalize(value: Any) -> str:
    if value is None:
        # A blank where a phone number should be is worse than an error.
        raise TemplateError("a template printed an empty (None) value; guard it with {% if %}")
    if isinstance(value, int) and not isinstance(value, bool):
        # A number cannot carry markup, and `{{ loop.index }}.` must stay a list marker.
        return str(value)
    values, cleaned = _values.get()
    if isinstance(value, str) and OPEN in value and _PLACEHOLDER.search(value):
        values.append(_clean_rendered(value))
    else:
        text = str(value)
        clean = cleaned.get(text)
        values.append(clean if clean is not None else cleaned.put(text, clean_text(text)))
    return f"{OPEN}{_NONCE}:{len(values) - 1}{CLOSE}"


class Rendered(str):
    """Template output holding placeholders, with the values that fill them."""

    values: list[str]

    def __new__(cls, text: str, values: list[str]) -> Rendered:
        obj = super().__new__(cls, text)
        obj.values = values
        return obj

    def fill(self, text: str) -> str:
        """Put the inserted values back into `text` (a piece of this output)."""
        if OPEN not in text:
            return text
        return _PLACEHOLDER.sub(lambda m: self.fill(self.values[int(m.group(1))]), text)

    def canonical(self) -> str | None:
        """This output with each placeholder written as OPEN, its index and CLOSE: the
        same in every process, so that its parse can be kept and reused. None when the
        template's own text holds OPEN or CLOSE, which would then pass for a placeholder."""
        text, count = _PLACEHOLDER.subn(lambda m: f"{OPEN}{m.group(1)}{CLOSE}", self)
        if text.count(OPEN) != count or text.count(CLOSE) != count:
            return None
        return text

    def fill_canonical(self, text: str) -> str:
        """`fill`, for a piece of the canonical text."""
        if OPEN not in text:
            return text
        return _CANONICAL.sub(lambda m: self.fill(self.values[int(m.group(1))]), text)


def _bytecode_cache(kind: str, cache: PackCache | None) -> jinja2.BytecodeCache | None:
    # Compiled templates, keyed by each template's source, so a cold run skips compiling.
    # Sandboxed and trusted code differ for the same source (the sandbox routes every
    # call and operator through its hooks), so each kind has its own files.
    folder = cache.templates_folder() if cache is not None else None
    return _Compiled(str(folder), f"{kind}-%s.cache") if folder else None


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, where a folder that vanished (removed by
    another version sharing the cache folder, or by hand) means compiling, never a crash."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


class Templates:
    """Templates looked up in the user's folders first, then the built-in ones.

    A school's or a force's templates are code from outside: they run in the bounded
    sandbox. Only when the caller vouches for the built-in folder (`trusted`: it is
    lessonpack's own) and there are no overrides do the templates run in a plain
    environment (the same settings, no hooks on every call), which halves the time to
    render a pack; the values they print are placeholders either way.
    """

    def __init__(self, builtin: Path, overrides: list[Path] | None = None,
                 trusted: bool = False, cache: PackCache | None = None) -> None:
        search = [str(p) for p in (overrides or [])] + [str(builtin)]
        self._search = tuple(search)
        self._loader = FolderLoader([Path(p) for p in search])
        self._custom = len(overrides or [])
        self.sandboxed = bool(overrides) or not trusted
        environment = BoundedSandbox if self.sandboxed else jinja2.Environment
        self.env = environment(
            loader=self._loader,
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A template is read once per process: asking the disk whether it changed at
            # every render cost a batch 75 stat calls a pack.
            auto_reload=False,
            bytecode_cache=_bytecode_cache("sandboxed" if self.sandboxed else "trusted",
                                           cache if cache is not None else PackCache()),
        )

    def source_of(self, name: str) -> str:
        """Where template `name` is read from (an override or the built-in)."""
        try:
            return self.env.get_template(name).filename or name
        except jinja2.TemplateError as exc:
            raise _template_error(name, exc, self._search) from None

    def is_custom(self, name: str) -> bool:
        """Whether template `name` comes from a school's own folder, not the built-in one."""
        self.source_of(name)
        return self._loader.found_in.get(name, self._custom) < self._custom

    def render(self, name: str, context: Mapping[str, Any]) -> Rendered:
        values: list[str] = []
        # Values cleaned in the library's cache (pack after pack), else for this render only.
        cache = active_cache()
        token = _values.set((values, cache.table("clean-text", CLEANED) if cache else Table(CLEANED)))
        try:
            template = self.env.get_template(name)
            text = (render_bounded(template, context) if self.sandboxed
                    else "".join(template.generate(context)))
        except (jinja2.TemplateError, SecurityError, TemplateError) as exc:
            raise _template_error(name, exc, self._search) from None
        except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError,
                RecursionError, MemoryError) as exc:
            # A runtime error in the template itself (1//0, '%s %s'|format(1), a macro that
            # calls itself): the template's file and line, not a traceback.
            raise _template_error(name, exc, self._search) from None
        finally:
            _values.reset(token)
        return Rendered(text, values)


def _template_error(name: str, exc: BaseException, search: tuple[str, ...]) -> TemplateError:
    frame_file, frame_line = _template_frame(exc, search)
    filename = getattr(exc, "filename", None) or frame_file or name
    line = getattr(exc, "lineno", None) or frame_line
    where = f"{filename}, line {line}" if line else filename
    kind = {
        "TemplateSyntaxError": "syntax error",
        "UndefinedError": "unknown variable",
        "SecurityError": "not allowed in a template",
        "TemplateNotFound": "template not found",
        "RenderLimit": "over its limits",
        "RecursionError": "a macro or include calls itself without end",
    }.get(type(exc).__name__, "error")
    return TemplateError(f"template {where}: {kind}: {exc}")


def _template_frame(exc: BaseException, search: tuple[str, ...]) -> tuple[str | None, int | None]:
    """The innermost template file and line in the traceback.

    Jinja rewrites tracebacks so that template frames carry the template's own file
    name and line number; an error in an included template names that template.
    """
    tb = exc.__traceback__ or sys.exc_info()[2]
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(search):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
