"""What every written file carries besides its content."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lessonpack.errors import ReferenceDocumentError


@dataclass
class ReferenceFile:
    """A reference document (pandoc's --reference-doc idea), read once per process."""

    path: Path

    @cached_property
    def data(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise ReferenceDocumentError(f"{self.path}: cannot be read ({exc.strerror})") from None


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
