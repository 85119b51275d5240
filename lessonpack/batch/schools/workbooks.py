"""Zipped and binary school lists → tables: .xlsx, .xls and .ods workbooks (read with
python-calamine, which opens all three), and GIAS's download, a zip holding its CSV."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from lessonpack.batch.schools.table import OLE, SAVE_AS, Table, csv_table
from lessonpack.errors import BatchInputError
from lessonpack.safe_io import MB, InputFileError, check_zip

_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_SHEET_XML = 64 * MB  # unpacked: some 1.5 million cells; Scotland's whole list is 6 MB
# Other files that are zips, by a part only they have.
_ZIP_KINDS = (
    ("word/", "a Word document (.docx)"),
    ("ppt/", "a PowerPoint deck (.pptx)"),
)


def read_packed(path: Path, raw: bytes, sheet: str | None) -> list[Table]:
    if raw.startswith(OLE):
        return _workbook(path, raw, sheet, "an Excel 97-2003 workbook (.xls)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = archive.namelist()
    except zipfile.BadZipFile:
        raise BatchInputError(f"{path}: is a damaged zip file, not a school list; {SAVE_AS}") from None
    try:  # sizes and ratios first: a workbook may be a zip bomb
        check_zip(path, raw, "schools file")
    except InputFileError as exc:
        raise BatchInputError(str(exc)) from None
    if "xl/workbook.xml" in names:
        _check_cells(path, archive, ("xl/worksheets/", "xl/sharedStrings"))
        return _workbook(path, raw, sheet, "an .xlsx workbook")
    if "mimetype" in names and archive.read("mimetype").strip() == _ODS:
        _check_cells(path, archive, ("content.xml",))
        return _workbook(path, raw, sheet, "an OpenDocument spreadsheet (.ods)")
    if "content.xml" in names:
        raise BatchInputError(f"{path}: is an OpenDocument file but not a spreadsheet; {SAVE_AS}")
    kind = next((k for marker, k in _ZIP_KINDS if any(n.startswith(marker) for n in names)), None)
    if kind:
        raise BatchInputError(f"{path}: is {kind}, not a school list; {SAVE_AS}")
    return [_zipped_csv(path, archive, names, sheet)]


def _check_cells(path: Path, archive: zipfile.ZipFile, parts: tuple[str, ...]) -> None:
    """Refuse a workbook whose sheets unpack to more than a school list ever needs, before
    they are parsed: a 24 MB file of wide rows unpacked to 185 MB and took the reader
    seconds and half a gigabyte. A CSV, read row by row, has no such limit."""
    size = sum(i.file_size for i in archive.infolist() if i.filename.startswith(parts))
    if size > MAX_SHEET_XML:
        raise BatchInputError(f"{path}: its sheets unpack to {size / MB:.0f} MB; a workbook may "
                              f"hold at most {MAX_SHEET_XML // MB} MB of sheets: keep only the "
                              "schools' rows and columns, or save it as CSV")


def _zipped_csv(path: Path, archive: zipfile.ZipFile, names: list[str], sheet: str | None) -> Table:
    """The one CSV in a zip (GIAS's download is edubasealldataYYYYMMDD.csv in a zip)."""
    found = [n for n in names if n.lower().endswith(".csv") and not n.endswith("/")]
    if len(found) > 1:
        found = [n for n in found if Path(n).name.lower().startswith("edubasealldata")] or found
    if not found:
        raise BatchInputError(f"{path}: is a zip archive with no workbook or CSV in it, not a "
                              f"school list; {SAVE_AS}")
    if len(found) > 1:
        raise BatchInputError(f"{path}: is a zip archive holding {', '.join(map(repr, found[:5]))}; "
                              "unzip it and give the one school list")
    table = csv_table(path, archive.read(found[0]), sheet)
    table.notes.insert(0, f"{path}: read {found[0]} from the zip")
    return table


def _workbook(path: Path, raw: bytes, sheet: str | None, kind: str) -> list[Table]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except (CalamineError, ValueError, OSError) as exc:
        raise BatchInputError(f"{path}: looks like {kind} but cannot be read ({_why(exc)}); "
                              "open it and save it again as .xlsx, .ods or CSV") from None
    if not names:
        raise BatchInputError(f"{path}: {kind} with no sheets; {SAVE_AS}")
    if sheet is not None and sheet not in names:
        raise BatchInputError(f"{path}: no sheet {sheet!r}; the sheets are: {', '.join(map(repr, names))}")
    tables = []
    for name in [sheet] if sheet is not None else names:
        try:
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, OverflowError) as exc:
            raise BatchInputError(f"{path}: sheet {name!r} cannot be read ({_why(exc)}); "
                                  "open it and save it again") from None
        rows = [(n, [_cell(v) for v in cells]) for n, cells in enumerate(values, start=1)]
        # The header is the first row with anything in it: a title above it is common.
        while rows and not any(c.strip() for c in rows[0][1]):
            rows.pop(0)
        label = name if len(names) > 1 else ""
        if not rows:
            tables.append(Table([], [], where="row", sheet=label))
        else:
            tables.append(Table(rows[0][1], rows[1:], header_line=rows[0][0], where="row", sheet=label))
    return tables


def _why(exc: BaseException) -> str:
    """The reader's own words, on one line and short: "Cell string index not found in
    shared strings table", "Parse float error: invalid float literal"."""
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a URN typed as a number: 100001, not 100001.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
