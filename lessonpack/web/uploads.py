"""What a visitor uploads: a logo (checked by its content) and a school.toml to load back."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import ValidationError

from lessonpack.diagnostics import line_of
from lessonpack.errors import SchoolFileError, UploadError
from lessonpack.school.config import parse_toml
from lessonpack.school.keys import _key_lines, _unknown_keys
from lessonpack.school.models import MAX_LOGO_BYTES
from lessonpack.school.sections import MAX_SCHOOL_FILE, SchoolFile
from lessonpack.web import language
from lessonpack.web.forms import field_name
from lessonpack.web.language import gettext as _
from lessonpack.web.messages import for_error, say

MAX_LOGO_PIXELS = 25_000_000  # a 5000 × 5000 logo is already far more than a slide needs
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def check_logo_bytes(data: bytes) -> str:
    """The logo's file extension ("png" or "jpg"), or UploadError saying what is wrong.

    Judged by content, never by the file's name or the browser's word for its type;
    the image's size is read from its header and refused before anything is decoded,
    so a small file that would expand to gigabytes (a "decompression bomb") costs nothing.
    Then the whole image is decoded, here, when it is checked: a damaged one is the
    visitor's to fix on the form, never a 500 when the pack is built.
    """
    if len(data) > MAX_LOGO_BYTES:
        raise UploadError(_("The logo is {size} MB; use one under 5 MB.").format(
            size=f"{len(data) / 1048576:.1f}"))
    if not data:
        raise UploadError(_("The logo file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(LOGO_FORMATS)) as image:
                kind = image.format or ""
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    raise UploadError(_("The logo is {width} × {height} pixels; use a smaller "
                                        "image (under 25 million pixels).").format(
                                          width=width, height=height))
                image.verify()  # the file's structure and checksums, then every pixel:
            with Image.open(io.BytesIO(data), formats=list(LOGO_FORMATS)) as image:
                image.load()  # a PNG whose IDAT is not zlib, or a JPEG cut short, fails here
    except UploadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(_("The logo is far too large in pixels; use a smaller image.")) from None
    except Exception:  # Pillow raises many kinds of error for what is not a good image
        raise UploadError(_("The logo must be a PNG or JPEG image; this file is not one, "
                            "or it is damaged.")) from None
    if kind not in LOGO_FORMATS:
        raise UploadError(_("The logo must be a PNG or JPEG image."))
    return LOGO_FORMATS[kind]


@dataclass
class Loaded:
    settings: SchoolFile | None
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def read_school_toml(data: bytes) -> Loaded:
    """An uploaded school.toml → its settings, or every problem with its line."""
    name = "school.toml"
    if len(data) > MAX_SCHOOL_FILE:
        return Loaded(None, [_("The file is too large for a school.toml (over 256 kB).")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Loaded(None, [_("The file is not UTF-8 text: is it a school.toml? "
                               "Save it as UTF-8 in your editor.")])
    try:
        raw = parse_toml(Path(name), text)
    except SchoolFileError as exc:
        return Loaded(None, [not_toml(str(exc).removeprefix(name + ": "))])
    lines = _key_lines(text)
    unknown: list[tuple[tuple, str, str]] = []
    raw = _unknown_keys(raw, SchoolFile, (), unknown)
    notices = [unknown_setting(".".join(map(str, where)), lines.get(where, 1),
                               ".".join(map(str, (*where[:-1], near))) if near else "")
               for where, _message, near in unknown]
    school = raw.get("school")
    if isinstance(school, dict) and school.pop("logo", None):
        notices.append(_("The file names a logo: choose the logo file again below."))
    for table in ("content", "templates"):
        if raw.pop(table, None):
            notices.append(_("The [{table}] settings work with the command line only; "
                             "they were left out.").format(table=table))
    try:
        return Loaded(SchoolFile.model_validate(raw), notices=notices)
    except ValidationError as exc:
        return Loaded(None, [_plain(lines, e) for e in exc.errors()], notices)


# Where tomllib says the problem is: "... (at line 3, column 7)" or "(at end of document)".
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def not_toml(problem: str) -> str:
    """The parser's problem, in the page's words. Python's own sentence is English, so a
    Welsh page says where the problem is, not what the parser called it."""
    if language.page_language.get() == "en":
        return _("The file is not valid TOML: {problem}.").format(problem=problem)
    place = _TOML_PLACE.search(problem)
    if place and place[1]:
        return _("The file is not valid TOML: there is a problem at line {line}, column {column}."
                 ).format(line=place[1], column=place[2])
    if place:
        return _("The file is not valid TOML: it ends before a setting is finished.")
    return _("The file is not valid TOML: is it a school.toml?")


def unknown_setting(key: str, line: int, near: str) -> str:
    """A setting the page does not know, in the page's words, with the nearest one."""
    if near:
        return _("“{key}” (line {line}) is not a setting: did you mean “{near}”? It was left "
                 "out.").format(key=key, line=line, near=near)
    return _("“{key}” (line {line}) is not a setting; it was left out.").format(key=key, line=line)


def _plain(lines: dict, error: Any) -> str:
    """A problem in a loaded file in the words the form uses for its field, with its line
    (never pydantic's "lesson.key_stages.0: Input should be 'ks2'")."""
    loc = tuple(error["loc"])
    name = field_name(loc, {})
    if name in ("school", "dsl", "deputy_dsl", "signatory"):  # a table missing: its name is
        name += ".name"
    message = for_error(name, error)
    return say("rule", "line", line=line_of(lines, loc), message=message) + "."
