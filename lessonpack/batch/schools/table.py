"""A school list's bytes → its tables: a header and numbered records, whatever saved it.

Excel, LibreOffice and the four nations' publishers save school lists as .xlsx, .xls
and .ods workbooks (every sheet a table), as CSV in UTF-8 (with or without a
byte-order mark), as "Unicode text" (UTF-16, tab-separated) or as Windows-1252 CSV,
separated by commas, semicolons or tabs, and GIAS hands out its CSV inside a zip. What
the file is decides how it is read, not its name; a file that is none of these is
refused in one line that says what it is.

A CSV's records are read as they are used, never all held at once: the DfE register is
some 130 columns by 50,000 rows, and only the few schools a force wants are kept.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lessonpack.errors import BatchInputError
from lessonpack.safe_io import InputFileError, read_input

Records = Iterable[tuple[int, list[str]]]


@dataclass
class Table:
    """A header and the records below it; `line` is the file line (or sheet row) a record starts on."""

    header: list[str]
    records: Records
    notes: list[str] = field(default_factory=list)  # e.g. "read as Windows-1252"
    header_line: int = 1
    where: str = "line"  # "line" in a CSV, "row" in a sheet
    sheet: str = ""  # the workbook's sheet, where there are sheets

    @property
    def place(self) -> str:
        """'line 3', or "sheet 'PRU' row 3" in a workbook of several sheets."""
        return f"{self.where} {self.header_line}" if not self.sheet else (
            f"sheet {self.sheet!r} {self.where} {self.header_line}")


# Magic numbers of files people save by mistake, and what to say about each.
_NOT_A_LIST = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a Rich Text document"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
)
SAVE_AS = "save the school list as .xlsx, .ods or CSV"
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


def read_tables(path: Path, sheet: str | None = None) -> list[Table]:
    """The file's tables (a workbook's sheets, or one CSV); BatchInputError (one line)
    when it is not a school list."""
    try:
        # Only a regular file, and at most the cap: never a FIFO, a device or /dev/zero.
        raw = read_input(path, "schools file")
    except InputFileError as exc:
        raise BatchInputError(str(exc)) from None
    if raw.startswith((ZIP, OLE)):
        from lessonpack.batch.schools.workbooks import read_packed

        return read_packed(path, raw, sheet)
    return [csv_table(path, raw, sheet)]


def csv_table(path: Path, raw: bytes, sheet: str | None = None) -> Table:
    for magic, kind in _NOT_A_LIST:
        if raw.startswith(magic):
            raise BatchInputError(f"{path}: is {kind}, not a school list; {SAVE_AS}")
    if sheet is not None:
        raise BatchInputError(f"{path}: --sheet is for workbooks (.xlsx, .xls, .ods); this is a CSV file")
    encoding, notes = _encoding(path, raw)
    header, records = _parse_csv(path, raw, encoding)
    return Table(header, records, notes=notes)


def _encoding(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """The text's encoding, found without holding a decoded copy of the whole file."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return "utf-16", []
    if b"\x00" in raw[:4096]:
        raise BatchInputError(f"{path}: is a binary file, not a school list; {SAVE_AS}")
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = 1 << 16  # small: the check holds no more than this of the text at once
    try:
        for start in range(0, len(raw), chunk):
            decoder.decode(raw[start:start + chunk], final=start + chunk >= len(raw))
        decoder.decode(b"", final=True)
        return "utf-8-sig", []
    except UnicodeDecodeError as exc:
        bad = start + exc.start
    line = raw[:bad].count(b"\n") + 1
    if any(b in raw for b in _NOT_CP1252):
        raise BatchInputError(f"{path}: line {line}: neither UTF-8 nor Windows-1252 text; "
                              "in Excel use Save As → 'CSV UTF-8 (Comma delimited)'")
    # Excel's "CSV (Comma delimited)" on a UK PC, and the DfE register, are Windows-1252.
    return "cp1252", [f"{path}: not UTF-8 (line {line} is the first that is not); read as Windows-1252"]


# The five bytes Windows-1252 leaves undefined (Python's cp1252 refuses them).
_NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def _parse_csv(path: Path, raw: bytes, encoding: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    # Decoded as it is read: a register's text is never held whole beside its bytes.
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, newline="")
    try:
        first = stream.readline()
        stream.seek(0)
    except UnicodeDecodeError:
        raise BatchInputError(f"{path}: starts as UTF-16 text but is damaged; {SAVE_AS}") from None
    reader = csv.reader(stream, delimiter=delimiter(first))
    try:
        header = next(reader, None) or []
    except (csv.Error, UnicodeDecodeError) as exc:
        raise BatchInputError(f"{path}: line {reader.line_num}: {_why(exc)}") from None

    def records() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as exc:
            raise BatchInputError(f"{path}: line {reader.line_num}: {_why(exc)}") from None

    return header, records()


def _why(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"damaged text ({exc.encoding}); {SAVE_AS}"
    return str(exc)


def delimiter(text: str) -> str:
    """The separator the header line uses most: a comma, a tab (Excel's Unicode text) or a semicolon.

    Decided on the header alone: key stage cells such as "ks3;ks4" hold semicolons too.
    """
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])  # ties go to the first: the comma
    return best if counts[best] else ","
