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

from lessonpack.cache import PackCache, Table, active_cache, memoized
from lessonpack.errors import TemplateError
from lessonpack.rendering import i18n
from lessonpack.rendering.loader import FolderLoader
from lessonpack.rendering.sandbox import BoundedSandbox, render_bounded
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


class TemplateText(str):
    """A `{% trans %}` block's sentence in the pack's language: the template's own text
    (its Markdown is Markdown, as any other text of the template), with the values it
    names already placeholders."""


def _trans(message: str, **variables: Any) -> TemplateText:
    # Jinja's i18n extension (newstyle) calls this for each {% trans %} block; a literal
    # % in the block is %% in `message`, so the English is formatted like a translation.
    return TemplateText(i18n.gettext(message) % {k: _finalize(v) for k, v in variables.items()})


def _ntrans(singular: str, plural: str, num: int, **variables: Any) -> TemplateText:
    return _trans(singular if num == 1 else plural, num=num, **variables)


def _text(message: str, **variables: Any) -> str:
    """`_("...")` in an expression: a translated string, printed as text like any value."""
    text = i18n.gettext(message)
    return text % variables if variables else text


def _finalize(value: Any) -> str:
    if type(value) is TemplateText:
        return value
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
            extensions=["jinja2.ext.i18n"],
        )
        # Our own gettext callables (not Jinja's installed ones), so that the values a
        # {% trans %} block names become placeholders like every other value.
        self.env.newstyle_gettext = True  # type: ignore[attr-defined]
        self.env.globals.update(gettext=_trans, ngettext=_ntrans, _=_text)

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

    def unmarked_text(self) -> list[tuple[str, int, str]]:
        """Text in the built-in templates outside {% trans %} blocks: in a Welsh pack it
        would stay English. Each as (template, line, text); the Markdown and the notes'
        step names are not words to translate."""
        return _unmarked_text(self._search[-1])

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


# A container's name, and a slide's step and layout words (`::: notes STEP LAYOUT ARGS`).
_STRUCTURE = re.compile(r":::[ \t]*(notes[ \t]+[\w-]+([ \t]+[\w,-]+)*|[\w-]*)|https?://\S+")
_WORD = re.compile(r"[^\W\d_]{2,}")


@memoized("unmarked template text", 4)
def _unmarked_text(folder: str) -> list[tuple[str, int, str]]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    found = []
    for path in sorted(Path(folder).glob("*.j2")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for node in tree.find_all(jinja2.nodes.TemplateData):
            for offset, line in enumerate(node.data.split("\n")):
                if _WORD.search(_STRUCTURE.sub("", line)):
                    found.append((path.name, node.lineno + offset, line.strip()))
    return found


def _template_error(name: str, exc: BaseException, search: tuple[str, ...]) -> TemplateError:
    frame_file, frame_line = _template_frame(exc, search)
    # A parse too deep for Python names no file: the first folder that has the template.
    found = next((str(Path(f) / name) for f in search if (Path(f) / name).is_file()), None)
    filename = getattr(exc, "filename", None) or frame_file or found or name
    line = getattr(exc, "lineno", None) or frame_line
    where = f"{filename}, line {line}" if line else filename
    kind = {
        "TemplateSyntaxError": "syntax error",
        "UndefinedError": "unknown variable",
        "SecurityError": "not allowed in a template",
        "TemplateNotFound": "template not found",
        "RenderLimit": "over its limits",
        "RecursionError": "nested too deeply (a macro or include that calls itself without "
                          "end, or hundreds of brackets or filters in a row)",
    }.get(type(exc).__name__, "error")
    hint = _TRANS_HINT if kind == "syntax error" and _inside_trans(exc, filename) else ""
    return TemplateError(f"template {where}: {kind}: {exc}{hint}")


# A DSL who edits a built-in template types {{ school.name }} into a sentence; inside a
# translated block Jinja allows only plain names, and its own message does not say so.
_TRANS_HINT = ("; inside {% trans %}…{% endtrans %} only a plain name such as {{ name }} may appear: "
               "write the sentence outside the block, or set the name first with {% set %}")
_TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\b", re.S)
_PLAIN_NAME = re.compile(r"\{\{-?\s*\w+\s*-?\}\}")


def _inside_trans(exc: BaseException, filename: str) -> bool:
    """Whether the error's line lies in a translated block that holds more than a plain name."""
    source, line = getattr(exc, "source", None), getattr(exc, "lineno", None)
    if source is None and Path(filename).is_file():
        source = Path(filename).read_text(encoding="utf-8", errors="replace")
    if not isinstance(source, str) or not isinstance(line, int):
        return False
    for block in _TRANS_BLOCK.finditer(source):
        first = source.count("\n", 0, block.start()) + 1
        last = first + block.group().count("\n")
        if first <= line <= last and "{{" in _PLAIN_NAME.sub("", block.group()):
            return True
    return False


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
