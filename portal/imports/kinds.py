"""What an import file holds: the kinds of record (roles, transferees), their columns (those of the
form that edits one record, plus the employment history for transferees), the help line of each
column and the template file with an invented example row, which the import skips (``COMMENT``).

Each row is checked by the same WTForms class as the page that edits one record
(``PositionForm`` / ``TransfereeForm``), so the rules are those of the UI.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import Translations
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FieldList,
    SelectField,
    SubmitField,
)
from wtforms.validators import DataRequired

from portal.messages import N_
from portal.people.forms import TransfereeForm
from portal.people.services import save_transferee
from portal.roles.forms import PositionForm
from portal.roles.services import save_position

MULTI_SEPARATOR = ";"
BOM = "\ufeff"
# The template's example row starts with it and ``EXAMPLE_NOTE`` (in the language of the download): the
# import skips that row alone (``is_example``), so that a file uploaded as downloaded imports no invented
# role or person. Any other row is data, a first cell starting with "#" included: imported, or refused
# with its row's message (it was dropped without a word, as a "note").
COMMENT = "#"
EXAMPLE_NOTE = N_("Example, skipped by the import:")
_TRANSLATIONS = Path(__file__).parents[1] / "translations"


@cache
def _example_notes() -> tuple[str, ...]:
    """``EXAMPLE_NOTE`` in every language the portal has a catalogue for, spaces made plain: a template
    downloaded in French may be uploaded by someone reading English."""
    notes: set[str] = {EXAMPLE_NOTE}
    for folder in sorted(_TRANSLATIONS.iterdir()) if _TRANSLATIONS.is_dir() else ():
        if (folder / "LC_MESSAGES" / "messages.mo").is_file():
            notes.add(Translations.load(str(_TRANSLATIONS), [folder.name]).ugettext(EXAMPLE_NOTE))
    return tuple(sorted(_plain(n) for n in notes))


def _plain(text: str) -> str:
    """Every run of spaces (a no-break space before a French colon included) as one space."""
    return " ".join(text.split())


def is_example(first_cell: str) -> bool:
    """Is this the first cell of the template's example row (``template_csv``): ``COMMENT`` then the note?"""
    text = first_cell.strip()
    if not text.startswith(COMMENT):
        return False
    rest = _plain(text.removeprefix(COMMENT))
    return any(rest.startswith(note) for note in _example_notes())


@dataclass(frozen=True)
class Kind:
    name: str
    form_class: type[FlaskForm]
    save: Callable[..., object]  # (org, the row's form data, actor) -> the saved record
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
            "title_fr": "Développeur principal de logiciels",
            "duties_fr": "Conçoit et construit la plateforme de facturation et encadre deux développeurs.",
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
            "form_of_address": "ms",
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
            "job_start": "2019-06-01",  # written as the other dates: 01/06/2019 reads June or January
            "job_end": "",
            "job_full_time": "yes",
            "job_hours": "40",
            "job_duties": "Leads the payments platform team of 8 engineers",
            "job_duties_fr": "Dirige l’équipe de 8 ingénieurs de la plateforme de paiement",
        },
        extra_columns=(
            "job_employer",
            "job_country",
            "job_title",
            "job_capacity",
            "job_start",
            "job_end",
            "job_full_time",
            "job_hours",
            "job_duties",
            "job_duties_fr",
        ),
    ),
}

# The employment history in the transferee file: one row per job, joined on the person (same
# given names, family name and date of birth); the person's columns may be left empty on the
# rows after the first.
JOB_COLUMNS = KINDS["transferees"].extra_columns


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)


def empty_form(kind: Kind) -> FlaskForm:
    """An empty form of the kind (needs a request context, like every FlaskForm)."""
    return kind.form_class(formdata=None, meta={"csrf": False})


def form_fields(form: FlaskForm) -> list[Field]:
    # a form's list of rows (the transferee form's jobs) is not a column: the file's job_* columns are
    return [f for f in form if not isinstance(f, SubmitField | FieldList) and f.name != "csrf_token"]


def choice_values(f: Field) -> list[str]:
    return [str(c.value) for c in choices_of(f)]


def is_required(f: Field) -> bool:
    return any(isinstance(v, DataRequired) for v in f.validators)


def columns(kind: Kind) -> list[str]:
    return [f.name for f in form_fields(empty_form(kind))] + list(kind.extra_columns)


def choices_of(f: Field) -> list[Any]:
    """A choice field's choices: SelectChoice objects (the portal's forms declare them so), which
    types-WTForms does not know yet (it types choices as tuples)."""
    return list(getattr(f, "choices", None) or [])


def is_country(f: Field) -> bool:
    return isinstance(f, SelectField) and len(choices_of(f)) > 50


def _months_ahead(on: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``on``."""
    index = on.year * 12 + on.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def example_values(kind: Kind, *, on: date) -> dict[str, str]:
    """The kind's invented example, its dates that lie ahead (a role's start, a passport's expiry) counted
    from ``on``: a start date already past read as a mistake to copy."""
    dated = {
        "roles": {"start_date": _months_ahead(on, 4)},
        "transferees": {"passport_expiry": _months_ahead(on, 5 * 12)},
    }.get(kind.name, {})
    return {**kind.example, **{name: day.isoformat() for name, day in dated.items()}}


def template_csv(kind: Kind, *, on: date, note: str) -> bytes:
    """The header row and one invented example row, in UTF-8 with a BOM so Excel shows the accents. The
    example's first cell starts with ``COMMENT`` and ``note`` (``EXAMPLE_NOTE`` in the reader's language,
    which says that the import skips the row: ``is_example``), so the example never becomes a record."""
    names = columns(kind)
    example = example_values(kind, on=on)
    row = [example.get(name, "") for name in names]
    row[0] = f"{COMMENT} {note} {row[0]}".rstrip()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerow(row)
    return (BOM + buffer.getvalue()).encode("utf-8")
