"""Checking every row of an import file: each row through the form of its kind (values read as people
write them: countries, dates, choices in any case), the employment history of transferees (one row per
job, joined on the person), and the people already in the portal. Nothing is imported unless every row
is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, DecimalField, IntegerField, SelectField, SelectMultipleField

from portal import labels
from portal.imports.kinds import (
    JOB_COLUMNS,
    MULTI_SEPARATOR,
    Kind,
    choice_values,
    columns,
    empty_form,
    form_fields,
    is_country,
    is_required,
)
from portal.imports.table import MAX_ROWS, ImportFileError, check_size, read_table, too_many_rows
from portal.imports.values import parse_country, parse_date
from portal.messages import N_
from portal.models import Organization, Transferee
from portal.models.transferee import DUTIES_MAX, HOURS_MAX, HOURS_MIN
from portal.people.services import find_same_people, same_person_key
from rules.params import full_time_hours

PERSON_KEY = ("given_names", "family_name", "date_of_birth")
YES = {"yes", "y", "oui", "o", "true", "1", "x"}
NO = {"no", "n", "non", "false", "0"}


def _country_error(value: str) -> str:
    return N_(
        "“%(value)s” is not a country: write a two-letter ISO code (IN) or the name in English or French"
        " (India, Inde).",
        value=value,
    )


def _date_error(value: str) -> str:
    return N_(
        "“%(value)s” is not a date: write it as YYYY-MM-DD, DD/MM/YYYY or with the month's name"
        " (31 December 1989, 31 décembre 1989).",
        value=value,
    )


@dataclass
class Row:
    number: int  # as in the spreadsheet: the header is row 1
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    data: dict[str, Any] | None = None  # the form's data when the row is valid
    job: dict[str, Any] | None = None  # a job of the employment history (transferees)
    person_row: int | None = None  # the row that gives this job's person, when it is an earlier one
    existing: Transferee | None = None  # the same person already in the portal (see mark_duplicates)

    def valid_data(self) -> dict[str, Any]:
        """The form's data of a valid row (importing an invalid row is a programming error)."""
        if self.data is None:
            raise ValueError(f"Row {self.number} is not valid: it cannot be imported.")
        return self.data


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


def parse(kind: Kind, raw: bytes) -> Parsed:
    """Read the CSV or XLSX file and check every row; file-level problems raise ImportFileError."""
    check_size(raw)
    names, records = _records(read_table(raw))
    used = _check_columns(kind, names, records)
    return Parsed(kind=kind, columns=used, rows=_check_rows(kind, names, records))


def _records(table: list[list[str]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header's column names and the rows that are not blank, with their row numbers."""
    header = table[0] if table else None
    if header is None or not any(h.strip() for h in header):
        raise ImportFileError(N_("The file is empty: the first row must name the columns."))
    names = [h.strip().lower() for h in header]
    records: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(records) >= MAX_ROWS:
            raise ImportFileError(too_many_rows())
        records.append((number, cells))
    return names, records


def _check_columns(kind: Kind, names: list[str], records: list[tuple[int, list[str]]]) -> list[str]:
    """The named columns, each known to the kind, none twice, the required ones there; else ImportFileError."""
    known = columns(kind)
    # Columns without a name are ignored when they are empty (spreadsheets add them).
    blank = [i for i, n in enumerate(names) if not n]
    if any(i < len(cells) and cells[i].strip() for i in blank for _n, cells in records):
        raise ImportFileError(N_("A column has values but no name in the first row."))
    used = [n for n in names if n]
    duplicates = sorted({n for n in used if used.count(n) > 1})
    if duplicates:
        raise ImportFileError(
            N_("These columns appear more than once: %(names)s.", names=", ".join(duplicates))
        )
    unknown = [n for n in used if n not in known]
    if unknown:
        raise ImportFileError(
            N_(
                "Unknown columns: %(names)s. The columns are those of the template: %(known)s.",
                names=", ".join(unknown),
                known=", ".join(known),
            )
        )
    missing = [f.name for f in form_fields(empty_form(kind)) if is_required(f) and f.name not in used]
    if missing:
        raise ImportFileError(N_("Required columns are missing: %(names)s.", names=", ".join(missing)))
    if not records:
        raise ImportFileError(N_("The file has a header row but no data rows."))
    return used


def _check_rows(kind: Kind, names: list[str], records: list[tuple[int, list[str]]]) -> list[Row]:
    """Every row checked by the kind's form; for transferees, a later row of the same person adds a job."""
    probe = empty_form(kind)
    rows = []
    people: dict[tuple[str, str, object], Row] = {}
    for number, cells in records:
        values = {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names) if n}
        row = Row(number=number, values=values)
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            row.errors.append(("", N_("The row has more cells than the header has columns.")))
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
    return rows


def _person_key(values: dict[str, str]) -> tuple[str, str, object] | None:
    given, family = values.get("given_names", "").casefold(), values.get("family_name", "").casefold()
    born = parse_date(values.get("date_of_birth", ""))
    if not (given or family):
        return None
    return (" ".join(given.split()), " ".join(family.split()), born or values.get("date_of_birth", ""))


def _check_same_person(kind: Kind, probe: FlaskForm, row: Row, first: Row) -> None:
    """A later row of the same person only adds a job: its other person cells are empty or the same."""
    row.person_row = first.number
    for f in form_fields(probe):
        value = row.values.get(f.name, "")
        if f.name in PERSON_KEY or not value:
            continue
        if value.casefold() != first.values.get(f.name, "").casefold():
            row.errors.append(
                (
                    f.name,
                    N_(
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
            row.errors.append(("job_employer", N_("This row repeats a person without a job: remove it.")))
        return
    errors: list[tuple[str, str]] = []
    country = parse_country(v["job_country"]) if v["job_country"] else ""
    if country is None:
        errors.append(("job_country", _country_error(v["job_country"])))
    start = parse_date(v["job_start"]) if v["job_start"] else None
    if not v["job_start"]:
        errors.append(
            ("job_start", N_("Give the start date of the job (YYYY-MM-DD, DD/MM/YYYY or 31 December 1989)."))
        )
    elif start is None:
        errors.append(("job_start", _date_error(v["job_start"])))
    end = parse_date(v["job_end"]) if v["job_end"] else None
    if v["job_end"] and end is None:
        errors.append(("job_end", _date_error(v["job_end"])))
    elif start and end and end < start:
        errors.append(("job_end", N_("The end date is before the start date.")))
    if not v["job_employer"]:
        errors.append(("job_employer", N_("Give the employer's name.")))
    elif len(v["job_employer"]) > 200:
        errors.append(("job_employer", N_("At most 200 characters.")))
    if len(v["job_title"]) > 200:
        errors.append(("job_title", N_("At most 200 characters.")))
    capacity = v["job_capacity"].lower()
    if capacity and capacity not in labels.CAPACITY:
        errors.append(
            (
                "job_capacity",
                N_(
                    "“%(value)s” is not one of: %(choices)s.",
                    value=v["job_capacity"],
                    choices=", ".join(labels.CAPACITY),
                ),
            )
        )
    full_time, hours = _job_time(v, start, errors)
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
            "hours_per_week": hours,
            "duties": v["job_duties"] or None,
        }


def _job_time(
    v: dict[str, str], start: date | None, errors: list[tuple[str, str]]
) -> tuple[str, Decimal | None]:
    """The full-time cell (lower case) and the hours a week; they must agree when both are given
    (full time from the rules' threshold, IRPR R73(1)); duties within their length."""
    full_time = v["job_full_time"].lower()
    if full_time and full_time not in YES | NO:
        errors.append(("job_full_time", N_("“%(value)s” is not one of: yes, no.", value=v["job_full_time"])))
    hours = _job_hours(v["job_hours"], errors)
    if hours is not None and full_time in YES | NO and start and not errors:
        threshold = full_time_hours(start)
        if (full_time in YES) != (hours >= threshold):
            errors.append(
                (
                    "job_full_time",
                    N_(
                        "%(hours)s hours a week is %(kind)s (full time is %(threshold)s hours or more): "
                        "correct job_full_time or job_hours.",
                        hours=v["job_hours"],
                        kind=N_("full time") if hours >= threshold else N_("part time"),
                        threshold=threshold,
                    ),
                )
            )
    if len(v["job_duties"]) > DUTIES_MAX:
        errors.append(("job_duties", N_("At most %(max)s characters.", max=DUTIES_MAX)))
    return full_time, hours


def _job_hours(text: str, errors: list[tuple[str, str]]) -> Decimal | None:
    """The hours a week of a job (a dot or a comma for decimals), or None; an error names the range."""
    if not text:
        return None
    try:
        hours = Decimal(text.replace(",", ".").strip())
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or not HOURS_MIN <= hours <= HOURS_MAX:
        errors.append(
            (
                "job_hours",
                N_(
                    "“%(value)s” is not a number of hours a week from %(min)s to %(max)s (e.g. 37.5).",
                    value=text,
                    min=HOURS_MIN,
                    max=HOURS_MAX,
                ),
            )
        )
        return None
    return hours.quantize(Decimal("0.1"))


def _canonical(choices: list[str], value: str) -> str:
    """The choice spelled as the form expects it (``on`` → ``ON``, ``Yes`` → ``yes``); else the value as is."""
    lowered = value.lower()
    return next((c for c in choices if c.lower() == lowered), value)


def _formdata(probe: FlaskForm, values: dict[str, str], errors: list[tuple[str, str]]) -> MultiDict[str, str]:
    """What a browser would send for this row: every field, empty ones left out when they have a
    default; countries and dates read as people write them (a value that cannot be read is an error
    naming the expected format)."""
    data: MultiDict[str, str] = MultiDict()
    for f in form_fields(probe):
        value = values.get(f.name, "")
        if isinstance(f, SelectMultipleField):
            for piece in (c.strip() for c in value.split(MULTI_SEPARATOR)):
                if piece:
                    code = parse_country(piece) if is_country(f) else _canonical(choice_values(f), piece)
                    if code is None:
                        errors.append((f.name, _country_error(piece)))
                    else:
                        data.add(f.name, code)
        elif value == "" and f.default is not None:
            continue  # the form's default applies, as when the page opens
        elif is_country(f) and value:
            code = parse_country(value)
            if code is None:
                errors.append((f.name, _country_error(value)))
            else:
                data.add(f.name, code)
        elif isinstance(f, SelectField):
            data.add(f.name, _canonical(choice_values(f), value))
        elif isinstance(f, DateField) and value:
            parsed = parse_date(value)
            if parsed is None:
                errors.append((f.name, _date_error(value)))
            else:
                data.add(f.name, parsed.isoformat())
        else:
            data.add(f.name, value)
    return data


def _validate(kind: Kind, probe: FlaskForm, row: Row) -> None:
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
            if isinstance(f, SelectField) and not is_country(f) and value and f.data not in choice_values(f):
                choices = ", ".join(v for v in choice_values(f) if v)
                message = N_("“%(value)s” is not one of: %(choices)s.", value=value, choices=choices)
            elif isinstance(f, IntegerField | DecimalField) and value and f.data is None:
                message = N_(
                    "“%(value)s” is not a number: write digits, with a dot for decimals (e.g. 37.5).",
                    value=value,
                )
            row.errors.append((name or "", str(message)))


def mark_duplicates(org: Organization, parsed: Parsed) -> None:
    """Flag the people of a transferee file who are already in the portal (same given names,
    family name and date of birth): the import offers to update them instead of adding them twice."""
    if parsed.kind.extra_columns != JOB_COLUMNS:
        return
    rows = [r for r in parsed.rows if r.person_row is None and r.data is not None]
    keys = [
        (r.valid_data()["given_names"], r.valid_data()["family_name"], r.valid_data().get("date_of_birth"))
        for r in rows
    ]
    found = find_same_people(org, keys)  # one query for the whole file
    for row, key in zip(rows, keys, strict=True):
        row.existing = found.get(same_person_key(*key))
