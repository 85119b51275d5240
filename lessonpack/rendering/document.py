"""The small document model that Markdown is parsed into and the writers read.

It knows nothing about sextortion and nothing about pptx or docx.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Span, ...]


def plain(spans: Inline) -> str:
    return "".join(span.text for span in spans)


@dataclass(frozen=True)
class Heading:
    level: int
    spans: Inline


@dataclass(frozen=True)
class Paragraph:
    spans: Inline


@dataclass(frozen=True)
class ListItem:
    spans: Inline
    level: int = 0  # nesting depth, 0 for a top-level item
    number: int | None = None  # set for items of an ordered list


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    style: str = ""  # "cards": every cell a card to cut out; "mat": a sorting mat; "": a table


@dataclass(frozen=True)
class WriteSpace:
    """Ruled lines for a pupil to write on."""

    lines: int


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class PocketCards:
    """A sheet of one pocket-sized card, repeated: the fronts on one page, the backs on the
    next, in the same places so that they meet when printed double-sided."""

    front: tuple[Block, ...]
    back: tuple[Block, ...] = ()
    link: str = ""  # one web address, given on the back as a QR code


Block = Heading | Paragraph | ListItem | Table | WriteSpace | PageBreak | PocketCards


def _hash_once(self: object) -> int:
    # The model's values are keys of the library's cache pack after pack (a block's XML,
    # a slide's body): like a str, each is hashed once, then the hash is kept on it.
    found = self.__dict__.get("_hash")
    if found is None:
        found = hash((type(self).__name__, *self.__dict__.values()))
        object.__setattr__(self, "_hash", found)
    return found


def _state(self: object) -> dict:
    # A kept hash is this process's (str hashes differ between runs): never pickled.
    return {k: v for k, v in self.__dict__.items() if k != "_hash"}


for _kind in (Span, Heading, Paragraph, ListItem, Table, WriteSpace, PageBreak, PocketCards):
    _kind.__hash__ = _hash_once  # type: ignore[method-assign]
    _kind.__getstate__ = _state  # type: ignore[method-assign]


@dataclass(frozen=True)
class Slide:
    title: str
    blocks: list[Block] = field(default_factory=list)
    notes: str = ""
    step: str = ""  # the lesson step the slide belongs to (from its notes)
    layout: str = ""  # how the writer draws it, and its arguments (after the step in its notes)
    is_title: bool = False
    continued: bool = False  # a continuation made because the content did not fit


@dataclass(frozen=True)
class Deck:
    title: str
    slides: list[Slide]


@dataclass
class Document:
    title: str
    blocks: list[Block]
    header: list[Block] = field(default_factory=list)  # repeated on every page
    letterhead: list[Block] = field(default_factory=list)  # first page only


def block_text(block: Block) -> str:
    if isinstance(block, Heading | Paragraph | ListItem):
        return plain(block.spans)
    if isinstance(block, Table):
        cells = [*block.header, *(cell for row in block.rows for cell in row)]
        return "\n".join(plain(cell) for cell in cells)
    if isinstance(block, PocketCards):
        return "\n".join(block_text(b) for b in (*block.front, *block.back))
    return ""
