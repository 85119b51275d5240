"""What every written file carries besides its content, and byte-identical zips."""

from __future__ import annotations

import datetime as dt
import io
import struct
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
    """Stamp every entry of an Office zip with `when`, so the same inputs give the same bytes.

    python-pptx and python-docx stamp each zip entry with the current time; the
    reproducible-builds convention is SOURCE_DATE_EPOCH instead (the caller decides
    `when`). Only the two-byte DOS time and date fields of each local header and
    central-directory entry change, in place: nothing is decompressed or compressed again.
    """
    stamp = max(when.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    dos_time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    dos_date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        position = archive.start_dir
    for entry in entries:
        struct.pack_into("<HH", buffer, entry.header_offset + 10, dos_time, dos_date)
    for _ in entries:
        if buffer[position:position + 4] != b"PK\x01\x02":
            raise ValueError("unexpected zip layout")  # never from python-pptx/python-docx
        struct.pack_into("<HH", buffer, position + 12, dos_time, dos_date)
        name, extra, comment = struct.unpack_from("<HHH", buffer, position + 28)
        position += 46 + name + extra + comment
    return bytes(buffer)
