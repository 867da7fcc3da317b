"""Checking every row of an import file: each row by the fields of the form of its kind (values read as
people write them: countries, dates, choices in any case), the employment history of transferees (one
row per job, joined on the person), and the people already in the portal. Nothing is imported unless
every row is valid. The rows of a valid file are kept with it until the confirmation (``dump``/``load``)
so that the file is parsed once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import DateField, DecimalField, Field, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import StopValidation, ValidationError

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
    is_example,
    is_required,
)
from portal.imports.table import MAX_ROWS, ImportFileError, check_size, read_table, too_many_rows
from portal.imports.values import parse_country, parse_date
from portal.messages import N_, Message
from portal.models import Organization, Transferee
from portal.models.transferee import DUTIES_MAX, HOURS_MAX, HOURS_MIN
from portal.people.services import find_same_people, same_person_key
from portal.validation import job_start_problem
from rules.params import full_time_hours, is_full_time

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
    skipped: list[int] = field(default_factory=list)  # rows skipped: the template's example row

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


# The shape of dump's output: a confirmation finding another one parses the file again.
DUMP_FORMAT = 1


def _encode(value: object) -> object:
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"{type(value).__name__} is not kept with a checked import file")


def _decode(obj: dict[str, Any]) -> object:
    if len(obj) == 1:
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
        if "$decimal" in obj:
            return Decimal(obj["$decimal"])
    return obj


def dump(parsed: Parsed) -> bytes:
    """The checked rows of a valid file, for its confirmation (``load``): what the import needs of
    each row (its number, data, job and person's row), in JSON."""
    if not parsed.valid:
        raise ValueError("Only the rows of a valid file are kept for its confirmation.")
    return json.dumps(
        {
            "format": DUMP_FORMAT,
            "kind": parsed.kind.name,
            "fields": columns(parsed.kind),
            "columns": parsed.columns,
            "rows": [[r.number, r.person_row, r.data, r.job] for r in parsed.rows],
        },
        default=_encode,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def load(kind: Kind, stored: bytes | None) -> Parsed | None:
    """The rows ``dump`` kept, or None when there are none, or they were kept for another kind or by
    another version of the import (the file is then parsed again)."""
    if not stored:
        return None
    try:
        kept = json.loads(stored, object_hook=_decode)
    except ValueError:
        return None
    if not isinstance(kept, dict) or kept.get("format") != DUMP_FORMAT or kept.get("kind") != kind.name:
        return None
    if kept.get("fields") != columns(kind):
        return None
    rows = [
        Row(number=number, values={}, data=data, job=job, person_row=person_row)
        for number, person_row, data, job in kept["rows"]
    ]
    return Parsed(kind=kind, columns=kept["columns"], rows=rows)


def parse(kind: Kind, raw: bytes, *, on: date) -> Parsed:
    """Read the CSV or XLSX file and check every row, by the rules in force ``on`` (a job's hours and
    its full-time cell); file-level problems raise ImportFileError."""
    check_size(raw)
    names, records, skipped = _records(read_table(raw))
    used = _check_columns(kind, names, records, skipped)
    return Parsed(kind=kind, columns=used, rows=_check_rows(kind, names, records, on), skipped=skipped)


def _records(table: list[list[str]]) -> tuple[list[str], list[tuple[int, list[str]]], list[int]]:
    """The header's column names, the rows that are not blank with their row numbers, and the numbers of
    the rows skipped: the template's example row (``kinds.is_example``), and no other."""
    header = table[0] if table else None
    if header is None or not any(h.strip() for h in header):
        raise ImportFileError(N_("The file is empty: the first row must name the columns."))
    names = [h.strip().lower() for h in header]
    records: list[tuple[int, list[str]]] = []
    skipped: list[int] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank line
        if is_example(cells[0]):
            skipped.append(number)
            continue
        if len(records) >= MAX_ROWS:
            raise ImportFileError(too_many_rows())
        records.append((number, cells))
    return names, records, skipped


def _check_columns(
    kind: Kind, names: list[str], records: list[tuple[int, list[str]]], skipped: list[int]
) -> list[str]:
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
    if not records and skipped:  # the template uploaded as downloaded: its example is no data
        raise ImportFileError(
            N_(
                "The file has no row to import: its only row is the template's example, which the import "
                "skips. Write your rows below the example, or over it."
            )
        )
    if not records:
        raise ImportFileError(N_("The file has a header row but no data rows."))
    return used


def _check_rows(kind: Kind, names: list[str], records: list[tuple[int, list[str]]], on: date) -> list[Row]:
    """Every row checked by the kind's form; for transferees, a later row of the same person adds a job."""
    checker = RowChecker(kind)
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
            _check_same_person(checker.fields, row, first)
        else:
            checker.check(row)
        if kind.extra_columns == JOB_COLUMNS:
            _validate_job(row, on)
        rows.append(row)
    return rows


def _person_key(values: dict[str, str]) -> tuple[str, str, object] | None:
    given, family = values.get("given_names", "").casefold(), values.get("family_name", "").casefold()
    born = parse_date(values.get("date_of_birth", ""))
    if not (given or family):
        return None
    return (" ".join(given.split()), " ".join(family.split()), born or values.get("date_of_birth", ""))


def _check_same_person(fields: list[Field], row: Row, first: Row) -> None:
    """A later row of the same person only adds a job: its other person cells are empty or the same."""
    row.person_row = first.number
    for f in fields:
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


def _validate_job(row: Row, on: date) -> None:
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
    elif problem := job_start_problem(start, on):
        errors.append(("job_start", problem))
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
    full_time, hours = _job_time(v, bool(start), on, errors)
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
            "duties_fr": v["job_duties_fr"] or None,
        }


def _job_time(
    v: dict[str, str], has_start: bool, on: date, errors: list[tuple[str, str]]
) -> tuple[str, Decimal | None]:
    """The full-time cell (lower case) and the hours a week; they must agree when both are given (full
    time from the hours by the rule in force ``on``: ``rules.params.is_full_time``, IRPR R73(1)); duties
    within their length."""
    full_time = v["job_full_time"].lower()
    if full_time and full_time not in YES | NO:
        errors.append(("job_full_time", N_("“%(value)s” is not one of: yes, no.", value=v["job_full_time"])))
    hours = _job_hours(v["job_hours"], errors)
    if hours is not None and full_time in YES | NO and has_start and not errors:
        by_hours = is_full_time(hours, None, on)
        if (full_time in YES) != by_hours:
            errors.append(
                (
                    "job_full_time",
                    N_(
                        "%(hours)s hours a week is %(kind)s (full time is %(threshold)s hours or more): "
                        "correct job_full_time or job_hours.",
                        hours=v["job_hours"],
                        kind=N_("full time") if by_hours else N_("part time"),
                        threshold=full_time_hours(on),
                    ),
                )
            )
    for name in ("job_duties", "job_duties_fr"):
        if len(v[name]) > DUTIES_MAX:
            errors.append((name, N_("At most %(max)s characters.", max=DUTIES_MAX)))
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


Sent = tuple[str, ...] | None  # what a browser would send for one field: its values, or None (left out)
Checked = tuple[
    Any, tuple[Any, ...], bool
]  # a field's data, its messages, whether its rules reached the form's


def _read_cell(f: Field, value: str) -> tuple[Sent, list[tuple[str, str]]]:
    """What a browser would send for this cell: empty ones left out when the field has a default;
    countries and dates read as people write them (a value that cannot be read is an error naming the
    expected format)."""
    errors: list[tuple[str, str]] = []
    if isinstance(f, SelectMultipleField):
        sent = []
        for piece in (c.strip() for c in value.split(MULTI_SEPARATOR)):
            if piece:
                code = parse_country(piece) if is_country(f) else _canonical(choice_values(f), piece)
                if code is None:
                    errors.append((f.name, _country_error(piece)))
                else:
                    sent.append(code)
        return tuple(sent), errors
    if value == "" and f.default is not None:
        return None, errors  # the form's default applies, as when the page opens
    if is_country(f) and value:
        code = parse_country(value)
        if code is None:
            return (), [(f.name, _country_error(value))]
        return (code,), errors
    if isinstance(f, SelectField):
        return (_canonical(choice_values(f), value),), errors
    if isinstance(f, DateField) and value:
        parsed = parse_date(value)
        if parsed is None:
            return (), [(f.name, _date_error(value))]
        return (parsed.isoformat(),), errors
    return (value,), errors


class RowChecker:
    """The rows of a file checked by the fields of the kind's form, built once for the file: each
    cell goes through its field's own parsing, filters and validators (and the form's
    ``validate_<field>`` methods), so the rules and the messages are the form's, without a form per
    row. A field's result depends on its cell alone (cross-field rules are the form's
    ``validate_<field>`` methods, run on every row), so each distinct cell of a column is checked
    once per file."""

    def __init__(self, kind: Kind):
        self.form = empty_form(kind)
        self.fields = form_fields(self.form)
        self.inline = {
            f.name: method
            for f in self.fields
            if (method := getattr(type(self.form), f"validate_{f.name}", None)) is not None
        }
        self._cells: dict[tuple[str, str], tuple[Sent, list[tuple[str, str]]]] = {}
        self._checked: dict[tuple[str, Sent], Checked] = {}

    def check(self, row: Row) -> None:
        """Check the row's cells; the form's data when every one is valid, else the row's messages."""
        read_errors: list[tuple[str, str]] = []
        results: dict[str, tuple[Any, tuple[Any, ...]]] = {}
        for f in self.fields:
            key = (f.name, row.values.get(f.name, ""))
            cell = self._cells.get(key)
            if cell is None:
                cell = self._cells[key] = _read_cell(f, key[1])
            sent, errors = cell
            read_errors += errors
            checked = self._checked.get((f.name, sent))
            if checked is None:
                checked = self._checked[(f.name, sent)] = self._check_field(f, sent)
            else:  # as _process leaves it: the form's cross-field rules read the data and what was typed
                f.data = list(checked[0]) if isinstance(checked[0], list) else checked[0]
                f.raw_data = list(sent) if sent is not None else []
            results[f.name] = checked[:2]
        for name, method in self.inline.items():  # every field has its data: the form's cross-field rules
            data, messages, reached = self._checked[(name, self._cells[(name, row.values.get(name, ""))][0])]
            if reached:  # the field's own rules did not stop its validation (Optional on an empty cell does)
                results[name] = (data, messages + self._run(method, self.form[name]))
        if not row.errors and not read_errors and not any(errors for _d, errors in results.values()):
            row.data = self.form.data
            return
        row.errors += read_errors
        already = {name for name, _m in read_errors}
        for f in self.fields:
            data, messages = results[f.name]
            if f.name in already:
                continue  # the value could not be read: that message says what to write
            value = row.values.get(f.name, "")
            for message in messages:
                if (
                    isinstance(f, SelectField)
                    and not is_country(f)
                    and value
                    and data not in choice_values(f)
                ):
                    choices = ", ".join(v for v in choice_values(f) if v)
                    message = N_("“%(value)s” is not one of: %(choices)s.", value=value, choices=choices)
                elif isinstance(f, IntegerField | DecimalField) and value and data is None:
                    message = N_(
                        "“%(value)s” is not a number: write digits, with a dot for decimals (e.g. 37.5).",
                        value=value,
                    )
                # a message of the form is already in the reader's language (a lazy string made text); the
                # import's own (N_) keeps its msgid, translated when the page is drawn (views._preview)
                row.errors.append((f.name, message if isinstance(message, Message) else str(message)))

    def _check_field(self, f: Field, sent: Sent) -> Checked:
        """The field's data and messages for this cell, by its own filters and validators, and whether
        they let the form's ``validate_<field>`` run (it runs last, as an extra validator)."""
        self._process(f, sent)
        reached: list[bool] = []
        f.validate(self.form, (lambda _form, _field: reached.append(True),))
        data = list(f.data) if isinstance(f.data, list) else f.data  # the rows' lists are their own
        return data, tuple(f.errors), bool(reached)

    def _run(self, method: Callable[[Any, Field], None], f: Field) -> tuple[Any, ...]:
        """The form's ``validate_<field>`` on this row, as Field.validate runs an extra validator."""
        try:
            method(self.form, f)
        except StopValidation as e:
            return (e.args[0],) if e.args and e.args[0] else ()
        except ValidationError as e:
            return (e.args[0],)
        return ()

    def _process(self, f: Field, sent: Sent) -> None:
        """The field given this cell, as ``form.process`` gives it a browser's form data."""
        formdata: MultiDict[str, str] = MultiDict([(f.name, v) for v in sent] if sent is not None else [])
        f.process(formdata)


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
