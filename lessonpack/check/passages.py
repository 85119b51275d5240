"""The text of a written pack, read back from its .pptx and .docx bytes with python-pptx and python-docx."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from docx import Document as open_docx
from pptx import Presentation as open_pptx

from lessonpack.check.problems import (
    FOOTER_BAND,
)


@dataclass(frozen=True)
class Passage:
    """A paragraph, bullet, table cell or title: a run of text that ends a sentence."""

    text: str
    place: str  # "slide 4", "slide 4 notes", "header": where in the document it is
    reading: bool  # counted in the reading level (pupil-facing, not notes or boilerplate)
    title: bool = False


def passages(name: str, data: bytes) -> list[Passage]:
    """Every piece of text in one file of a pack; files that are not documents have none.

    Raises whatever python-pptx or python-docx raise on a file that is not a document.
    """
    if name.endswith(".pptx"):
        return list(_deck_passages(data))
    if name.endswith(".docx"):
        return list(_docx_passages(data))
    return []


def _deck_passages(data: bytes) -> Iterator[Passage]:
    prs = open_pptx(io.BytesIO(data))
    footer_top = (prs.slide_height or 0) - FOOTER_BAND
    for number, slide in enumerate(prs.slides, start=1):
        place = f"slide {number}"
        title = slide.shapes.title
        for shape in _shapes(slide.shapes):
            is_title = title is not None and shape.shape_id == title.shape_id
            reading = shape.top is None or shape.top < footer_top
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    yield Passage(paragraph.text, place, reading, is_title)
            if getattr(shape, "has_table", False):
                for row in shape.table.rows:
                    for cell in row.cells:
                        for paragraph in cell.text_frame.paragraphs:
                            yield Passage(paragraph.text, place, reading)
        if slide.has_notes_slide:
            for paragraph in slide.notes_slide.notes_text_frame.paragraphs:
                yield Passage(paragraph.text, f"{place} notes", False)


def _shapes(shapes: Iterable) -> Iterator:
    for shape in shapes:
        if hasattr(shape, "shapes"):  # a group: its members are what hold text
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _docx_passages(data: bytes) -> Iterator[Passage]:
    doc = open_docx(io.BytesIO(data))
    for paragraph in doc.paragraphs:
        yield Passage(paragraph.text, "", True)
    for table in doc.tables:
        for cell in _cells(table):
            for paragraph in cell.paragraphs:
                yield Passage(paragraph.text, "table", True)
    # The letterhead and footers are the school's name and address, not reading.
    for section in doc.sections:
        for part, label in ((section.header, "header"), (section.footer, "footer")):
            for paragraph in part.paragraphs:
                yield Passage(paragraph.text, label, False)


def _cells(table: Any) -> Iterator:
    seen: set[Any] = set()
    for row in table.rows:
        for cell in row.cells:
            # Merged cells come back once per grid column: count their text once. The set
            # holds the elements themselves: an id() outlives lxml's proxy for an element,
            # and a later cell's proxy can be given the same id, which skipped real cells.
            if cell._tc not in seen:
                seen.add(cell._tc)
                yield cell
                for inner in cell.tables:
                    yield from _cells(inner)


# ---------------------------------------------------------------------------
# Reading level
