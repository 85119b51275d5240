"""What every written file carries besides its content, and byte-identical zips."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..templating import clean_text


@dataclass
class ReferenceFile:
    """A reference document (pandoc's --reference-doc idea), read once per process."""

    path: Path

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()


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
    """Set the core properties and save a python-pptx or python-docx document as bytes."""
    set_core_properties(document.core_properties, meta)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), meta.when)


def set_core_properties(props, meta: DocMeta) -> None:
    """Title, author and the rest, on a python-pptx or python-docx core-properties object.

    Both libraries expose the same core-properties object, so one function serves both.
    """
    # Core properties are XML too, and Office caps them at 255 characters.
    props.title = clean_text(meta.title)[:255]
    props.subject = clean_text(meta.subject)[:255]
    props.author = clean_text(meta.author)[:255]
    props.keywords = clean_text(meta.keywords)[:255]
    props.language = "en-GB"
    props.last_modified_by = "lessonpack"
    props.revision = 1
    props.created = props.modified = props.last_printed = meta.when


def dos_stamp(when: dt.datetime) -> tuple[int, int]:
    """`when` as a zip entry's DOS (time, date); zip cannot say anything before 1980."""
    stamp = max(when.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    dos_time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    dos_date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
    return dos_time, dos_date


@dataclass(frozen=True)
class ZipEntry:
    """One member of a zip, compressed once: a reference document's unchanging parts are
    compressed per process, not per file."""

    name: bytes
    crc: int
    size: int
    data: bytes  # raw deflate stream

    @classmethod
    def of(cls, name: str, content: bytes, level: int = 6) -> ZipEntry:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = packer.compress(content) + packer.flush()
        return cls(name.encode(), zlib.crc32(content), len(content), data)


def write_zip(entries: list[ZipEntry], when: dt.datetime) -> bytes:
    """A zip of already-compressed entries, every one stamped `when`.

    The same layout zipfile writes (deflate, no data descriptors, no extra fields), put
    together directly so that unchanging parts need not be compressed again.
    """
    dos_time, dos_date = dos_stamp(when)
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        flags = 0x800 if not e.name.isascii() else 0  # UTF-8 names, as zipfile marks them
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, dos_time, dos_date,
                             e.crc, len(e.data), e.size, len(e.name), 0)
        # Made by "Unix, zip 2.0", so the permission bits below mean rw------- as zipfile's.
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x314, 20, flags, 8, dos_time,
                                   dos_date, e.crc, len(e.data), e.size, len(e.name), 0, 0, 0,
                                   0, 0o600 << 16, offset) + e.name)
        local += (header, e.name, e.data)
        offset += len(header) + len(e.name) + len(e.data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), offset, 0)
    return b"".join(local) + directory + end


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Stamp every entry of an Office zip with `when`, so the same inputs give the same bytes.

    python-pptx and python-docx stamp each zip entry with the current time; the
    reproducible-builds convention is SOURCE_DATE_EPOCH instead (the caller decides
    `when`). Only the two-byte DOS time and date fields of each local header and
    central-directory entry change, in place: nothing is decompressed or compressed again.
    """
    dos_time, dos_date = dos_stamp(when)
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
