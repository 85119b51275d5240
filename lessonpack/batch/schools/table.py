"""A school list's bytes → a header and numbered records, whatever saved it.

Excel and the Department for Education save school lists as .xlsx workbooks, as CSV in
UTF-8 (with or without a byte-order mark), as "Unicode text" (UTF-16, tab-separated) or
as Windows-1252 CSV, separated by commas, semicolons or tabs. What the file is decides
how it is read, not its name; a file that is none of these is refused in one line that
says what it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lessonpack.errors import BatchInputError
from lessonpack.safe_io import InputFileError, check_zip, read_input


@dataclass
class Table:
    """A header and the records below it; `line` is the file line (or sheet row) a record starts on."""

    header: list[str]
    records: list[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)  # e.g. "read as Windows-1252"
    header_line: int = 1
    where: str = "line"  # "line" in a CSV, "row" in a sheet


# Magic numbers of files people save by mistake, and what to say about each.
_NOT_A_LIST = (
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls) or another old Office file; "
                          "open it in Excel and save it as .xlsx or CSV"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a Rich Text document"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
)
_ZIP_KINDS = (
    ("word/", "a Word document (.docx)"),
    ("ppt/", "a PowerPoint deck (.pptx)"),
    ("content.xml", "an OpenDocument file; save it from LibreOffice as .xlsx or CSV"),
)
SAVE_AS = "save the school list from Excel as .xlsx or CSV"


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The file's header and records; BatchInputError (one line) when it is not a school list."""
    try:
        # Only a regular file, and at most the cap: never a FIFO, a device or /dev/zero.
        raw = read_input(path, "schools file")
    except InputFileError as exc:
        raise BatchInputError(str(exc)) from None
    if raw.startswith(b"PK\x03\x04"):
        if zipfile.is_zipfile(io.BytesIO(raw)):  # a damaged zip is named as such below
            try:  # sizes and ratios first: an xlsx may be a zip bomb
                check_zip(path, raw, "schools file")
            except InputFileError as exc:
                raise BatchInputError(str(exc)) from None
        return _workbook(path, raw, sheet)
    for magic, kind in _NOT_A_LIST:
        if raw.startswith(magic):
            raise BatchInputError(f"{path}: is {kind}, not a school list; {SAVE_AS}")
    if sheet is not None:
        raise BatchInputError(f"{path}: --sheet is for .xlsx workbooks; this is a CSV file")
    text, notes = _decode(path, raw)
    return Table(*_parse_csv(path, text), notes=notes)


def _decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise BatchInputError(f"{path}: starts as UTF-16 text but is damaged; {SAVE_AS}") from None
    if b"\x00" in raw[:4096]:
        raise BatchInputError(f"{path}: is a binary file, not a school list; {SAVE_AS}")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise BatchInputError(f"{path}: line {line}: neither UTF-8 nor Windows-1252 text; "
                              "in Excel use Save As → 'CSV UTF-8 (Comma delimited)'") from None
    # Excel's "CSV (Comma delimited)" on a UK PC, and the DfE register, are Windows-1252.
    return text, [f"{path}: not UTF-8 (line {line} is the first that is not); read as Windows-1252"]


def _parse_csv(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    records: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None) or []
        start = reader.line_num + 1
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise BatchInputError(f"{path}: line {reader.line_num}: {exc}") from None
    return header, records


def delimiter(text: str) -> str:
    """The separator the header line uses most: a comma, a tab (Excel's Unicode text) or a semicolon.

    Decided on the header alone: key stage cells such as "ks3;ks4" hold semicolons too.
    """
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])  # ties go to the first: the comma
    return best if counts[best] else ","


def _workbook(path: Path, raw: bytes, sheet: str | None) -> Table:
    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except zipfile.BadZipFile:
        raise BatchInputError(f"{path}: is a damaged zip file, not a school list; {SAVE_AS}") from None
    if "xl/workbook.xml" not in names:
        kind = next((k for marker, k in _ZIP_KINDS if any(n.startswith(marker) for n in names)),
                    "a zip archive")
        raise BatchInputError(f"{path}: is {kind}, not an .xlsx workbook or CSV; {SAVE_AS}")
    import openpyxl  # only for workbooks: keeps start-up fast for CSVs

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise BatchInputError(f"{path}: is a damaged .xlsx workbook ({type(exc).__name__}); "
                              "open it in Excel and save it again") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise BatchInputError(f"{path}: no sheet {sheet!r}; the sheets are: "
                                  f"{', '.join(map(repr, book.sheetnames))}")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        worksheet.reset_dimensions()  # some writers record a wrong size: read every row there is
        rows = [(n, [_cell(v) for v in values])
                for n, values in enumerate(worksheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    # The header is the first row with anything in it: a title above it is common.
    while rows and not any(c.strip() for c in rows[0][1]):
        rows.pop(0)
    if not rows:
        return Table([], [], where="row")
    return Table(rows[0][1], rows[1:], header_line=rows[0][0], where="row")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a URN typed as a number: 100001, not 100001.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)
