"""Reading an import file into rows of text cells: CSV (UTF-8, its delimiter guessed) or an Excel
workbook (first sheet), told apart by content. Every bound (bytes, lines, cells, a cell's length, what a
workbook unpacks to) is checked before or while the file is read, never after; a file that passes none
raises ImportFileError with the message for the page.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from werkzeug.datastructures import FileStorage

from portal.errors import ServiceError
from portal.messages import N_, Count

MAX_BYTES = 2 * 1024 * 1024  # 2 MB
MAX_ROWS = 1000
# Bounds on what a file may unpack, checked before or while it is read (never after): a 0.5 MB
# workbook can hold 200,000 cells of 1,000 characters and held a web worker for 30 s.
MAX_CELLS = 100_000  # cells read, blank ones included (1,000 rows of 100 columns)
MAX_CELL_CHARS = 10_000  # the longest field takes 4,000
MAX_LINES = 20 * MAX_ROWS  # lines read, blank ones included
XLSX_MAX_UNPACKED = 20 * 1024 * 1024  # the sum of the sizes the zip declares for its members
XLSX_MAX_MEMBERS = 500


class ImportFileError(ServiceError):
    """The file as a whole cannot be read (encoding, size, columns, number of rows); ``str()`` gives the
    message in the reader's language."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def read_upload(storage: FileStorage) -> bytes:
    """The bytes of an uploaded file, refusing more than MAX_BYTES."""
    raw: bytes = storage.stream.read(MAX_BYTES + 1)
    check_size(raw)
    return raw


def check_size(raw: bytes) -> None:
    """Refuse a file larger than MAX_BYTES (413)."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            N_(
                "The file is larger than %(size)s MB. Split it into smaller files.",
                size=MAX_BYTES // (1024 * 1024),
            ),
            status=413,
        )


def _decode(raw: bytes) -> str:
    """The file's text: UTF-8 ("CSV UTF-8"), else Windows-1252, what Excel on Windows writes for plain
    "CSV" in English and French (accents included: most users' Excel saves it so)."""
    text: str | None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # any 8-bit text reads as Windows-1252 but five bytes: a Mac Roman or CP850 file passes with
            # wrong accents ("IngŽnieure"), which the check's preview shows before anything is imported
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        # a workbook that is not one (damaged, or another format renamed .xlsx) lands here too: the
        # message names both formats the import reads (a tour's damaged .xlsx was told to save as CSV only)
        raise ImportFileError(
            N_(
                "The file is neither UTF-8 text nor a readable Excel workbook. In your spreadsheet, use "
                "“Save as” and choose “CSV UTF-8” or “Excel Workbook (.xlsx)”."
            )
        )
    return text


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    best = max((",", ";", "\t"), key=header.count)
    return best if header.count(best) else ","


XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive


def read_table(raw: bytes) -> list[list[str]]:
    """The rows of the upload as text cells: an Excel workbook (first sheet) or CSV, told apart by content."""
    if raw.startswith(XLSX_MAGIC):
        return _xlsx_rows(raw)
    text = _decode(raw)
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(_cell_too_long()) from None
        raise ImportFileError(N_("The file cannot be read as CSV (%(error)s).", error=str(exc))) from None


_BLANK: list[str] = []  # every blank line shares it


def _bounded(rows: Iterable[list[str]]) -> list[list[str]]:
    """Read the rows of ``rows`` (text cells) while they stay within the bounds; refuse the file as
    soon as one is passed, before anything more is read."""
    table: list[list[str]] = []
    cells = data_rows = 0
    for row in rows:
        if len(table) >= MAX_LINES:
            raise ImportFileError(too_many_rows())
        cells += len(row)
        if cells > MAX_CELLS:
            raise ImportFileError(
                N_(
                    "The file has more than %(max)s cells. Keep only the columns of the template "
                    "and at most %(rows)s rows.",
                    max=Count(MAX_CELLS),
                    rows=Count(MAX_ROWS),
                )
            )
        if any(len(cell) > MAX_CELL_CHARS for cell in row):
            raise ImportFileError(_cell_too_long(len(table) + 1))
        if not any(cell.strip() for cell in row):
            table.append(_BLANK)
            continue
        data_rows += 1
        if data_rows > MAX_ROWS + 1:  # the header and MAX_ROWS rows
            raise ImportFileError(too_many_rows())
        table.append(row)
    return table


def too_many_rows() -> str:
    return N_("The file has more than %(max)s rows. Split it into smaller files.", max=Count(MAX_ROWS))


def _cell_too_long(row: int | None = None) -> str:
    if row is None:
        return N_("A cell is longer than %(max)s characters.", max=MAX_CELL_CHARS)
    return N_("Row %(row)s has a cell longer than %(max)s characters.", row=row, max=MAX_CELL_CHARS)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_archive(raw: bytes) -> None:
    """Refuse a workbook whose zip declares more than XLSX_MAX_UNPACKED bytes, before openpyxl opens it.
    The declared sizes bind: Python's zipfile never unpacks a member beyond its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(_not_a_workbook()) from None
    unpacked = sum(m.file_size for m in members)
    if len(members) > XLSX_MAX_MEMBERS or unpacked > XLSX_MAX_UNPACKED:
        raise ImportFileError(
            N_(
                "The workbook unpacks to %(size)s MB; at most %(max)s MB unpacked are accepted. "
                "Keep only the rows to import, or save them as CSV UTF-8.",
                size=f"{unpacked / (1024 * 1024):.0f}",
                max=XLSX_MAX_UNPACKED // (1024 * 1024),
            )
        )


def _not_a_workbook() -> str:
    return N_("The file is not a readable Excel workbook (.xlsx).")


# What a damaged or truncated workbook raises while openpyxl reads it (with openpyxl's
# InvalidFileException, added where openpyxl is imported).
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    OSError,
    EOFError,
    zlib.error,
)


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    # openpyxl is imported here, not with the module: about 5 MB of memory that the web server's and the
    # workers' processes would otherwise hold for an Excel import they may never see (bench part 5).
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_archive(raw)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (*_XLSX_ERRORS, InvalidFileException):
        raise ImportFileError(_not_a_workbook()) from None
    try:
        sheet = workbook.worksheets[0]
        declared = (sheet.max_row or 0) * (sheet.max_column or 0)  # the sheet's own <dimension>
        if declared > 4 * MAX_CELLS:
            raise ImportFileError(
                N_(
                    "The sheet spans %(rows)s rows and %(columns)s columns. Keep only the columns of the "
                    "template and at most %(max)s rows.",
                    rows=Count(sheet.max_row or 0),
                    columns=Count(sheet.max_column or 0),
                    max=Count(MAX_ROWS),
                )
            )
        return _bounded([_cell(v) for v in cells] for cells in sheet.iter_rows(values_only=True))
    except ImportFileError:
        raise
    except _XLSX_ERRORS:
        raise ImportFileError(_not_a_workbook()) from None
    finally:
        workbook.close()
