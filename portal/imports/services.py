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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import DateField, DecimalField, IntegerField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired

from portal.models import Organization, User
from portal.people.forms import TransfereeForm
from portal.people.services import save_transferee
from portal.roles.forms import PositionForm
from portal.roles.services import save_position

MAX_BYTES = 2 * 1024 * 1024  # 2 MB
MAX_ROWS = 1000
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
        },
    ),
}


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
    return [f.name for f in _fields(_probe(kind))]


def column_help(kind: Kind) -> list[dict]:
    """One line per column for the page: name, label, required, what to write."""
    out = []
    for f in _fields(_probe(kind)):
        if isinstance(f, SelectMultipleField):
            accepted = _("Two-letter ISO 3166 country codes separated by “;”, e.g. IN;US")
        elif isinstance(f, SelectField):
            values = [v for v in _choice_values(f) if v]
            if len(values) > 50:
                accepted = _("A two-letter ISO 3166 country code, e.g. IN")
            else:
                accepted = ", ".join(values)
                if f.default:
                    accepted += " " + _("(empty: %(default)s)", default=f.default)
        elif isinstance(f, DateField):
            accepted = _("A date as YYYY-MM-DD")
        elif isinstance(f, IntegerField):
            accepted = _("A whole number")
        elif isinstance(f, DecimalField):
            accepted = _("A number, with a dot for decimals (e.g. 37.5)")
        else:
            accepted = _("Text")
        out.append(
            {"name": f.name, "label": str(f.label.text), "required": _required(f), "accepted": accepted}
        )
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
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise ImportFileError(_("The file cannot be read as CSV (%(error)s).", error=str(exc))) from None


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


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ImportFileError(_("The file is not a readable Excel workbook (.xlsx).")) from None
    try:
        rows = []
        for cells in workbook.worksheets[0].iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into smaller files.", max=MAX_ROWS)
                )
            rows.append([_cell(v) for v in cells])
        return rows
    finally:
        workbook.close()


def parse(kind: Kind, raw: bytes) -> Parsed:
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
    for number, cells in records:
        values = {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names) if n}
        row = Row(number=number, values=values)
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            row.errors.append(("", _("The row has more cells than the header has columns.")))
        _validate(kind, probe, row)
        rows.append(row)
    return Parsed(kind=kind, columns=used, rows=rows)


def _canonical(choices: list[str], value: str) -> str:
    """The choice spelled as the form expects it (``on`` → ``ON``, ``Yes`` → ``yes``); else the value as is."""
    lowered = value.lower()
    return next((c for c in choices if c.lower() == lowered), value)


def _formdata(probe, values: dict[str, str]) -> MultiDict:
    """What a browser would send for this row: every field, empty ones left out when they have a default."""
    data = MultiDict()
    for f in _fields(probe):
        value = values.get(f.name, "")
        if isinstance(f, SelectMultipleField):
            choices = _choice_values(f)
            for code in (c.strip() for c in value.split(MULTI_SEPARATOR)):
                if code:
                    data.add(f.name, _canonical(choices, code))
        elif value == "" and f.default is not None:
            continue  # the form's default applies, as when the page opens
        elif isinstance(f, SelectField):
            data.add(f.name, _canonical(_choice_values(f), value))
        else:
            data.add(f.name, value)
    return data


def _validate(kind: Kind, probe, row: Row) -> None:
    form = kind.form_class(formdata=_formdata(probe, row.values), meta={"csrf": False})
    if form.validate() and not row.errors:
        row.data = form.data
        return
    for name, messages in form.errors.items():
        for message in messages:
            row.errors.append((name or "", str(message)))


def import_rows(org: Organization, parsed: Parsed, *, actor: User) -> int:
    """Save every row through the feature's service (they flush and write the audit); the caller commits."""
    if not parsed.valid:
        raise ValueError("Only a file whose rows are all valid is imported.")
    for row in parsed.rows:
        parsed.kind.save(org, row.data, actor)
    return len(parsed.rows)


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
