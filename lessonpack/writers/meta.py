"""What every written file carries besides its content."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from lessonpack.cache import PackCache
from lessonpack.errors import ReferenceDocumentError
from lessonpack.rendering import alt_text


class ReferenceFile:
    """A reference document (pandoc's --reference-doc idea): its bytes, read once, and the
    cache of the library that writes with it (what the writers make from it is kept there)."""

    def __init__(self, path: Path, data: bytes | None = None, cache: PackCache | None = None) -> None:
        self.path = path
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise ReferenceDocumentError(f"{path}: cannot be read ({exc.strerror})") from None
        self.data = data
        self.digest = hashlib.sha256(data).hexdigest()  # what the reference is, for cache keys
        self.cache = cache if cache is not None else PackCache(disk=False)


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
    body_pt: int = 0  # body text at least this size (pupils' sheets: 12 pt), 0 for the reference's
    language: str = "en-GB"  # BCP 47: the proofing language of every run (writers/language.py)
    # A bilingual document: the language after its `n`+1'th page break, and n.
    later_language: tuple[str, int] | None = None
    # What each drawing on a slide says to a screen reader ((drawing, words), rendering/alt_text.py)
    drawings: tuple[tuple[str, str], ...] = alt_text.ENGLISH
