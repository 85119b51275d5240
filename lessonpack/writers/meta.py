"""What every written file carries besides its content, and byte-identical zips."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from ..templating import clean_text


@dataclass(frozen=True)
class DocMeta:
    title: str
    subject: str
    author: str  # the school, or "lessonpack"
    keywords: str
    when: dt.datetime  # written into core properties and zip entries: fixed, for reproducibility
    footer: str = ""
    accent: str = "#1D3A5F"  # brand colour, used for titles and rules
    logo: bytes | None = None  # PNG or JPEG, on the title slide and letterheads
    logo_alt: str = ""  # alternative text for screen readers
    large_print: bool = False  # 16 pt and up, 1.5 line spacing, wide margins


def save_reproducibly(document, meta: DocMeta) -> bytes:
    """Set the core properties and save a python-pptx or python-docx document as bytes.

    Both libraries expose the same core-properties object, so one function serves both.
    """
    props = document.core_properties
    # Core properties are XML too, and Office caps them at 255 characters.
    props.title = clean_text(meta.title)[:255]
    props.subject = clean_text(meta.subject)[:255]
    props.author = clean_text(meta.author)[:255]
    props.keywords = clean_text(meta.keywords)[:255]
    props.language = "en-GB"
    props.last_modified_by = "lessonpack"
    props.revision = 1
    props.created = props.modified = props.last_printed = meta.when
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), meta.when)


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite an Office zip so that the same inputs give the same bytes.

    python-pptx and python-docx stamp each zip entry with the current time; the
    reproducible-builds convention is to use SOURCE_DATE_EPOCH instead (the caller
    decides `when`). Entry order and content are kept as they are.
    """
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=when.tzinfo)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
