"""Bulk import of roles and transferees from CSV. Services flush; the caller commits.

Each row is checked by the same WTForms class as the page that edits one record
(``PositionForm`` / ``TransfereeForm``), so the rules are those of the UI. Nothing is
imported unless every row is valid. Between the preview and the confirmation the uploaded
file waits in the document store, under ``imports/<organization id>/<user id>/`` and a random
token, so only the same user in the same organization can confirm it; the confirmation reads
the file again and checks every row again (the browser never resends the data).
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from flask import current_app
from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from werkzeug.datastructures import MultiDict
from wtforms import DateField, DecimalField, IntegerField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired

from portal import labels
from portal.imports.values import parse_country, parse_date
from portal.models import Organization, Transferee, User
from portal.people.forms import TransfereeForm
from portal.people.services import add_employment, find_same_person, save_transferee
from portal.roles.forms import PositionForm
from portal.roles.services import save_position

MAX_BYTES = 2 * 1024 * 1024  # 2 MB
MAX_ROWS = 1000
# Bounds on what a file may unpack, checked before or while it is read (never after): a 0.5 MB
# workbook can hold 200,000 cells of 1,000 characters and held a web worker for 30 s.
MAX_CELLS = 100_000  # cells read, blank ones included (1,000 rows of 100 columns)
MAX_CELL_CHARS = 10_000  # the longest field takes 4,000
MAX_LINES = 20 * MAX_ROWS  # lines read, blank ones included
XLSX_MAX_UNPACKED = 20 * 1024 * 1024  # the sum of the sizes the zip declares for its members
XLSX_MAX_MEMBERS = 500
TOKEN_MAX_AGE = 24 * 3600  # seconds a checked file waits for its confirmation
MULTI_SEPARATOR = ";"
BOM = "\ufeff"

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, size, columns, number of rows)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Kind:
    name: str
    form_class: type
    save: Callable
    list_endpoint: str
    example: dict[str, str]
    extra_columns: tuple[str, ...] = ()  # columns that are not fields of the form


KINDS: dict[str, Kind] = {
    "roles": Kind(
        name="roles",
        form_class=PositionForm,
        save=lambda org, data, actor: save_position(org, data, actor=actor),
        list_endpoint="roles.index",
        example={
            "title": "Senior Software Developer",
            "noc_code": "21231",
            "duties": "Designs and builds the billing platform; mentors two developers.",
            "capacity": "specialized_knowledge",
            "work_type": "regular",
            "wage_amount": "120000",
            "wage_unit": "year",
            "hours_per_week": "37.5",
            "prevailing_wage_hourly": "52.00",
            "street_address": "100 Example Street, Suite 400",
            "city": "Montréal",
            "province": "QC",
            "start_date": "2026-09-01",
            "duration_months": "24",
            "paid": "yes",
        },
    ),
    "transferees": Kind(
        name="transferees",
        form_class=TransfereeForm,
        save=lambda org, data, actor: save_transferee(org, data, actor=actor),
        list_endpoint="people.index",
        example={
            "given_names": "Priya",
            "family_name": "Sharma-Lévesque",
            "date_of_birth": "1990-04-15",
            "citizenships": "IN;US",
            "permanent_residences": "",
            "residence_country": "US",
            "in_canada": "no",
            "current_permit_type": "none",
            "current_permit_expiry": "",
            "passport_number": "Z1234567",
            "passport_country": "IN",
            "passport_expiry": "2031-01-31",
            "education_level": "master",
            "education_field": "Computer science",
            "profession": "Software engineer",
            "french_nclc": "",
            "english_clb": "9",
            "language_proof": "IELTS General",
            "ownership_pct": "",
            "job_employer": "Example Technologies Pvt Ltd",
            "job_country": "India",
            "job_title": "Lead engineer",
            "job_capacity": "specialized_knowledge",
            "job_start": "01/06/2019",
            "job_end": "",
            "job_full_time": "yes",
        },
        extra_columns=(
            "job_employer",
            "job_country",
            "job_title",
            "job_capacity",
            "job_start",
            "job_end",
            "job_full_time",
        ),
    ),
}

# The employment history in the transferee file: one row per job, joined on the person (same
# given names, family name and date of birth); the person's columns may be left empty on the
# rows after the first.
JOB_COLUMNS = KINDS["transferees"].extra_columns
PERSON_KEY = ("given_names", "family_name", "date_of_birth")
YES = {"yes", "y", "oui", "o", "true", "1", "x"}
NO = {"no", "n", "non", "false", "0"}


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)


# --- Columns -----------------------------------------------------------------------------------


def _probe(kind: Kind):
    """An empty form of the kind (needs a request context, like every FlaskForm)."""
    return kind.form_class(formdata=None, meta={"csrf": False})


def _fields(form) -> list:
    return [f for f in form if not isinstance(f, SubmitField) and f.name != "csrf_token"]


def _choice_values(f) -> list[str]:
    return [str(c.value) for c in (f.choices or [])]


def _required(f) -> bool:
    return any(isinstance(v, DataRequired) for v in f.validators)


def columns(kind: Kind) -> list[str]:
    return [f.name for f in _fields(_probe(kind))] + list(kind.extra_columns)


def _is_country(f) -> bool:
    return isinstance(f, SelectField) and len(f.choices or []) > 50


def _country_error(value: str) -> str:
    return _(
        "“%(value)s” is not a country: write a two-letter ISO code (IN) or the name in English or French"
        " (India, Inde).",
        value=value,
    )


def _date_error(value: str) -> str:
    return _(
        "“%(value)s” is not a date: write it as YYYY-MM-DD, DD/MM/YYYY or with the month's name"
        " (31 December 1989, 31 décembre 1989).",
        value=value,
    )


def column_help(kind: Kind) -> list[dict]:
    """One line per column for the page: name, label, required, what to write."""
    out = []
    for f in _fields(_probe(kind)):
        if isinstance(f, SelectMultipleField):
            accepted = _(
                "Countries separated by “;”: two-letter ISO codes or names in English or French, e.g. IN;United States"
            )
        elif _is_country(f):
            accepted = _("A country: two-letter ISO code or name in English or French, e.g. IN, India, Inde")
        elif isinstance(f, SelectField):
            values = [v for v in _choice_values(f) if v]
            accepted = ", ".join(values)
            if f.default:
                accepted += " " + _("(empty: %(default)s)", default=f.default)
        elif isinstance(f, DateField):
            accepted = _("A date as YYYY-MM-DD, DD/MM/YYYY or 31 December 1989")
        elif isinstance(f, IntegerField):
            accepted = _("A whole number")
        elif isinstance(f, DecimalField):
            accepted = _("A number, with a dot for decimals (e.g. 37.5)")
        else:
            accepted = _("Text")
        out.append(
            {"name": f.name, "label": str(f.label.text), "required": _required(f), "accepted": accepted}
        )
    if kind.extra_columns == JOB_COLUMNS:
        job = _(
            "Employment history, one row per job (repeat the given names, family name and date of birth):"
        )
        out += [
            {
                "name": "job_employer",
                "label": _("Employer abroad"),
                "required": False,
                "accepted": job + " " + _("Text"),
            },
            {
                "name": "job_country",
                "label": _("Country"),
                "required": False,
                "accepted": _(
                    "A country: two-letter ISO code or name in English or French, e.g. IN, India, Inde"
                ),
            },
            {"name": "job_title", "label": _("Job title abroad"), "required": False, "accepted": _("Text")},
            {
                "name": "job_capacity",
                "label": _("Capacity"),
                "required": False,
                "accepted": ", ".join(labels.CAPACITY),
            },
            {
                "name": "job_start",
                "label": _("From"),
                "required": False,
                "accepted": _("A date as YYYY-MM-DD, DD/MM/YYYY or 31 December 1989"),
            },
            {
                "name": "job_end",
                "label": _("To (empty if current)"),
                "required": False,
                "accepted": _("A date as YYYY-MM-DD, DD/MM/YYYY or 31 December 1989"),
            },
            {
                "name": "job_full_time",
                "label": _("Full time"),
                "required": False,
                "accepted": _("yes or no (empty: yes)"),
            },
        ]
    return out


def template_csv(kind: Kind) -> bytes:
    """The header row and one invented example row, in UTF-8 with a BOM so Excel shows the accents."""
    names = columns(kind)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerow([kind.example.get(name, "") for name in names])
    return (BOM + buffer.getvalue()).encode("utf-8")


# --- Parsing and validation ------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # as in the spreadsheet: the header is row 1
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    data: dict | None = None  # the form's data when the row is valid
    job: dict | None = None  # a job of the employment history (transferees)
    person_row: int | None = None  # the row that gives this job's person, when it is an earlier one
    existing: Transferee | None = None  # the same person already in the portal (see mark_duplicates)


@dataclass
class Parsed:
    kind: Kind
    columns: list[str]
    rows: list[Row]

    @property
    def invalid_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.invalid_rows

    @property
    def duplicates(self) -> list[Row]:
        return [r for r in self.rows if r.existing is not None]

    @property
    def records(self) -> int:
        """The records the file holds: its rows, or for transferees the people."""
        return sum(1 for r in self.rows if r.person_row is None)


def read_upload(storage) -> bytes:
    """The bytes of an uploaded file, refusing more than MAX_BYTES."""
    raw = storage.stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            _(
                "The file is larger than %(size)s MB. Split it into smaller files.",
                size=MAX_BYTES // (1024 * 1024),
            ),
            status=413,
        )
    return raw


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not UTF-8 text. In your spreadsheet, use “Save as” and choose “CSV UTF-8”.")
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file. Save the spreadsheet as “CSV UTF-8”."))
    return text


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    best = max((",", ";", "\t"), key=header.count)
    return best if header.count(best) else ","


XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive


def _table(raw: bytes) -> list[list[str]]:
    """The rows of the upload as text cells: an Excel workbook (first sheet) or CSV, told apart by content."""
    if raw.startswith(XLSX_MAGIC):
        return _xlsx_rows(raw)
    text = _decode(raw)
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(_cell_too_long()) from None
        raise ImportFileError(_("The file cannot be read as CSV (%(error)s).", error=str(exc))) from None


_BLANK: list[str] = []  # every blank line shares it


def _bounded(rows) -> list[list[str]]:
    """Read the rows of ``rows`` (text cells) while they stay within the bounds; refuse the file as
    soon as one is passed, before anything more is read."""
    table: list[list[str]] = []
    cells = data_rows = 0
    for row in rows:
        if len(table) >= MAX_LINES:
            raise ImportFileError(_too_many_rows())
        cells += len(row)
        if cells > MAX_CELLS:
            raise ImportFileError(
                _(
                    "The file has more than %(max)s cells. Keep only the columns of the template "
                    "and at most %(rows)s rows.",
                    max=MAX_CELLS,
                    rows=MAX_ROWS,
                )
            )
        if any(len(cell) > MAX_CELL_CHARS for cell in row):
            raise ImportFileError(_cell_too_long(len(table) + 1))
        if not any(cell.strip() for cell in row):
            table.append(_BLANK)
            continue
        data_rows += 1
        if data_rows > MAX_ROWS + 1:  # the header and MAX_ROWS rows
            raise ImportFileError(_too_many_rows())
        table.append(row)
    return table


def _too_many_rows() -> str:
    return _("The file has more than %(max)s rows. Split it into smaller files.", max=MAX_ROWS)


def _cell_too_long(row: int | None = None) -> str:
    if row is None:
        return _("A cell is longer than %(max)s characters.", max=MAX_CELL_CHARS)
    return _("Row %(row)s has a cell longer than %(max)s characters.", row=row, max=MAX_CELL_CHARS)


def _cell(value) -> str:
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
            _(
                "The workbook unpacks to %(size)s MB; at most %(max)s MB unpacked are accepted. "
                "Keep only the rows to import, or save them as CSV UTF-8.",
                size=f"{unpacked / (1024 * 1024):.0f}",
                max=XLSX_MAX_UNPACKED // (1024 * 1024),
            )
        )


def _not_a_workbook() -> str:
    return _("The file is not a readable Excel workbook (.xlsx).")


# What a damaged or truncated workbook raises while openpyxl reads it.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
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
    _check_archive(raw)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except _XLSX_ERRORS:
        raise ImportFileError(_not_a_workbook()) from None
    try:
        sheet = workbook.worksheets[0]
        declared = (sheet.max_row or 0) * (sheet.max_column or 0)  # the sheet's own <dimension>
        if declared > 4 * MAX_CELLS:
            raise ImportFileError(
                _(
                    "The sheet spans %(rows)s rows and %(columns)s columns. Keep only the columns of the "
                    "template and at most %(max)s rows.",
                    rows=sheet.max_row,
                    columns=sheet.max_column,
                    max=MAX_ROWS,
                )
            )
        return _bounded([_cell(v) for v in cells] for cells in sheet.iter_rows(values_only=True))
    except ImportFileError:
        raise
    except _XLSX_ERRORS:
        raise ImportFileError(_not_a_workbook()) from None
    finally:
        workbook.close()


def parse(kind: Kind, raw: bytes) -> Parsed:  # noqa: C901  (17: issue 13 splits parsing out of this module)
    """Read the CSV or XLSX file and check every row; file-level problems raise ImportFileError."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            _(
                "The file is larger than %(size)s MB. Split it into smaller files.",
                size=MAX_BYTES // (1024 * 1024),
            ),
            status=413,
        )
    table = _table(raw)
    header = table[0] if table else None
    if header is None or not any(h.strip() for h in header):
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    names = [h.strip().lower() for h in header]
    records: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(records) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.", max=MAX_ROWS)
            )
        records.append((number, cells))

    known = columns(kind)
    # Columns without a name are ignored when they are empty (spreadsheets add them).
    blank = [i for i, n in enumerate(names) if not n]
    if any(i < len(cells) and cells[i].strip() for i in blank for _n, cells in records):
        raise ImportFileError(_("A column has values but no name in the first row."))
    used = [n for n in names if n]
    duplicates = sorted({n for n in used if used.count(n) > 1})
    if duplicates:
        raise ImportFileError(
            _("These columns appear more than once: %(names)s.", names=", ".join(duplicates))
        )
    unknown = [n for n in used if n not in known]
    if unknown:
        raise ImportFileError(
            _(
                "Unknown columns: %(names)s. The columns are those of the template: %(known)s.",
                names=", ".join(unknown),
                known=", ".join(known),
            )
        )
    probe = _probe(kind)
    missing = [f.name for f in _fields(probe) if _required(f) and f.name not in used]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(names)s.", names=", ".join(missing)))
    if not records:
        raise ImportFileError(_("The file has a header row but no data rows."))

    rows = []
    people: dict[tuple, Row] = {}
    for number, cells in records:
        values = {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names) if n}
        row = Row(number=number, values=values)
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            row.errors.append(("", _("The row has more cells than the header has columns.")))
        first = None
        if kind.extra_columns == JOB_COLUMNS:
            key = _person_key(values)
            first = people.get(key) if key else None
            if key and first is None:
                people[key] = row
        if first is not None:
            _check_same_person(kind, probe, row, first)
        else:
            _validate(kind, probe, row)
        if kind.extra_columns == JOB_COLUMNS:
            _validate_job(row)
        rows.append(row)
    return Parsed(kind=kind, columns=used, rows=rows)


def _person_key(values: dict[str, str]) -> tuple | None:
    given, family = values.get("given_names", "").casefold(), values.get("family_name", "").casefold()
    born = parse_date(values.get("date_of_birth", ""))
    if not (given or family):
        return None
    return (" ".join(given.split()), " ".join(family.split()), born or values.get("date_of_birth", ""))


def _check_same_person(kind: Kind, probe, row: Row, first: Row) -> None:
    """A later row of the same person only adds a job: its other person cells are empty or the same."""
    row.person_row = first.number
    for f in _fields(probe):
        value = row.values.get(f.name, "")
        if f.name in PERSON_KEY or not value:
            continue
        if value.casefold() != first.values.get(f.name, "").casefold():
            row.errors.append(
                (
                    f.name,
                    _(
                        "Row %(row)s gives this person already, with “%(other)s”: leave the cell empty on"
                        " the rows that only add a job.",
                        row=first.number,
                        other=first.values.get(f.name, ""),
                    ),
                )
            )


def _validate_job(row: Row) -> None:
    v = {name: row.values.get(name, "") for name in JOB_COLUMNS}
    if not any(v.values()):
        if row.person_row is not None:
            row.errors.append(("job_employer", _("This row repeats a person without a job: remove it.")))
        return
    errors: list[tuple[str, str]] = []
    country = parse_country(v["job_country"]) if v["job_country"] else ""
    if country is None:
        errors.append(("job_country", _country_error(v["job_country"])))
    start = parse_date(v["job_start"]) if v["job_start"] else None
    if not v["job_start"]:
        errors.append(
            ("job_start", _("Give the start date of the job (YYYY-MM-DD, DD/MM/YYYY or 31 December 1989)."))
        )
    elif start is None:
        errors.append(("job_start", _date_error(v["job_start"])))
    end = parse_date(v["job_end"]) if v["job_end"] else None
    if v["job_end"] and end is None:
        errors.append(("job_end", _date_error(v["job_end"])))
    elif start and end and end < start:
        errors.append(("job_end", _("The end date is before the start date.")))
    if not v["job_employer"]:
        errors.append(("job_employer", _("Give the employer's name.")))
    elif len(v["job_employer"]) > 200:
        errors.append(("job_employer", _("At most 200 characters.")))
    if len(v["job_title"]) > 200:
        errors.append(("job_title", _("At most 200 characters.")))
    capacity = v["job_capacity"].lower()
    if capacity and capacity not in labels.CAPACITY:
        errors.append(
            (
                "job_capacity",
                _(
                    "“%(value)s” is not one of: %(choices)s.",
                    value=v["job_capacity"],
                    choices=", ".join(labels.CAPACITY),
                ),
            )
        )
    full_time = v["job_full_time"].lower()
    if full_time and full_time not in YES | NO:
        errors.append(("job_full_time", _("“%(value)s” is not one of: yes, no.", value=v["job_full_time"])))
    row.errors += errors
    if not errors:
        row.job = {
            "employer_name": v["job_employer"],
            "country": country or None,
            "job_title": v["job_title"] or None,
            "capacity": capacity or None,
            "start_date": start,
            "end_date": end,
            "full_time": full_time not in NO,
        }


def _canonical(choices: list[str], value: str) -> str:
    """The choice spelled as the form expects it (``on`` → ``ON``, ``Yes`` → ``yes``); else the value as is."""
    lowered = value.lower()
    return next((c for c in choices if c.lower() == lowered), value)


def _formdata(probe, values: dict[str, str], errors: list[tuple[str, str]]) -> MultiDict:
    """What a browser would send for this row: every field, empty ones left out when they have a
    default; countries and dates read as people write them (a value that cannot be read is an error
    naming the expected format)."""
    data = MultiDict()
    for f in _fields(probe):
        value = values.get(f.name, "")
        if isinstance(f, SelectMultipleField):
            for piece in (c.strip() for c in value.split(MULTI_SEPARATOR)):
                if piece:
                    code = parse_country(piece) if _is_country(f) else _canonical(_choice_values(f), piece)
                    if code is None:
                        errors.append((f.name, _country_error(piece)))
                    else:
                        data.add(f.name, code)
        elif value == "" and f.default is not None:
            continue  # the form's default applies, as when the page opens
        elif _is_country(f) and value:
            code = parse_country(value)
            if code is None:
                errors.append((f.name, _country_error(value)))
            else:
                data.add(f.name, code)
        elif isinstance(f, SelectField):
            data.add(f.name, _canonical(_choice_values(f), value))
        elif isinstance(f, DateField) and value:
            parsed = parse_date(value)
            if parsed is None:
                errors.append((f.name, _date_error(value)))
            else:
                data.add(f.name, parsed.isoformat())
        else:
            data.add(f.name, value)
    return data


def _validate(kind: Kind, probe, row: Row) -> None:
    read_errors: list[tuple[str, str]] = []
    form = kind.form_class(formdata=_formdata(probe, row.values, read_errors), meta={"csrf": False})
    if form.validate() and not row.errors and not read_errors:
        row.data = form.data
        return
    row.errors += read_errors
    already = {name for name, _m in read_errors}
    for name, messages in form.errors.items():
        if name in already:
            continue  # the value could not be read: that message says what to write
        f = form[name] if name in form else None  # noqa: SIM401  (a WTForms form has no .get)
        value = row.values.get(name, "")
        for message in messages:
            if (
                isinstance(f, SelectField)
                and not _is_country(f)
                and value
                and f.data not in _choice_values(f)
            ):
                choices = ", ".join(v for v in _choice_values(f) if v)
                message = _("“%(value)s” is not one of: %(choices)s.", value=value, choices=choices)
            elif isinstance(f, IntegerField | DecimalField) and value and f.data is None:
                message = _(
                    "“%(value)s” is not a number: write digits, with a dot for decimals (e.g. 37.5).",
                    value=value,
                )
            row.errors.append((name or "", str(message)))


def mark_duplicates(org: Organization, parsed: Parsed) -> None:
    """Flag the people of a transferee file who are already in the portal (same given names,
    family name and date of birth): the import offers to update them instead of adding them twice."""
    if parsed.kind.extra_columns != JOB_COLUMNS:
        return
    for row in parsed.rows:
        if row.person_row is None and row.data is not None:
            row.existing = find_same_person(
                org, row.data["given_names"], row.data["family_name"], row.data.get("date_of_birth")
            )


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    skipped: int = 0  # people already in the portal, left as they are
    jobs: int = 0


def import_rows(org: Organization, parsed: Parsed, *, actor: User, update_existing: bool = False) -> Imported:
    """Save every row through the feature's service (they flush and write the audit); the caller
    commits. A person already in the portal is updated when ``update_existing``, else left alone."""
    if not parsed.valid:
        raise ValueError("Only a file whose rows are all valid is imported.")
    done = Imported()
    if parsed.kind.extra_columns != JOB_COLUMNS:
        for row in parsed.rows:
            parsed.kind.save(org, row.data, actor)
            done.created += 1
        return done
    people: dict[int, Transferee | None] = {}
    for row in parsed.rows:
        if row.person_row is None:
            if row.existing is not None and not update_existing:
                people[row.number] = None
                done.skipped += 1
                continue
            people[row.number] = save_transferee(org, row.data, actor=actor, transferee=row.existing)
            if row.existing is not None:
                done.updated += 1
            else:
                done.created += 1
        person = people[row.person_row or row.number]
        if person is None or row.job is None:
            continue
        if any(
            (r.employer_name or "").casefold() == row.job["employer_name"].casefold()
            and r.start_date == row.job["start_date"]
            for r in person.employment
        ):
            continue  # the job is already in the history (a file imported again)
        add_employment(org, person, row.job, actor=actor)
        done.jobs += 1
    return done


# --- The file waiting between the preview and the confirmation -----------------------------------


def _folder(org: Organization, user: User) -> Path:
    return Path(current_app.config["DOCUMENT_STORE"]) / "imports" / str(int(org.id)) / str(int(user.id))


def _path(org: Organization, user: User, kind: Kind, token: str, suffix: str = "csv") -> Path | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    return _folder(org, user) / f"{token}.{kind.name}.{suffix}"


def store(org: Organization, user: User, kind: Kind, raw: bytes) -> str:
    """Keep the checked file for the confirmation; returns the token naming it."""
    folder = _folder(org, user)
    folder.mkdir(parents=True, exist_ok=True)
    prune(folder)
    token = secrets.token_urlsafe(32)
    path = _path(org, user, kind, token)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(raw)
    return token


def prune(folder: Path) -> None:
    limit = time.time() - TOKEN_MAX_AGE
    for old in folder.glob("*.*.*"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except FileNotFoundError:
            pass


def claim(org: Organization, user: User, kind: Kind, token: str) -> Path | None:
    """Take the stored file for one confirmation (a second click or tab finds nothing); None if absent."""
    path = _path(org, user, kind, token)
    if path is None:
        return None
    claimed = path.with_suffix(f".{secrets.token_hex(4)}.importing")
    try:
        if path.stat().st_mtime < time.time() - TOKEN_MAX_AGE:
            path.unlink(missing_ok=True)
            return None
        path.rename(claimed)
    except FileNotFoundError:
        return None
    return claimed


def release(claimed: Path, org: Organization, user: User, kind: Kind, token: str) -> None:
    """Put a claimed file back (the import failed: the user may try again)."""
    path = _path(org, user, kind, token)
    if path is not None:
        claimed.rename(path)


def discard(claimed: Path) -> None:
    claimed.unlink(missing_ok=True)
