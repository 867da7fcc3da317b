"""The import page's help: one line per column of a kind's file, with what to write, in the reader's
language (display text: the caller's side of the import; ``kinds`` holds the columns themselves)."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, DecimalField, IntegerField, SelectField, SelectMultipleField

from portal import labels
from portal.i18n import gettext as _
from portal.imports.kinds import (
    JOB_COLUMNS,
    Kind,
    choices_of,
    empty_form,
    form_fields,
    is_country,
    is_required,
)
from portal.models.transferee import DUTIES_MAX, HOURS_MAX, HOURS_MIN


def column_help(kind: Kind) -> list[dict[str, Any]]:
    """One line per column for the page: name, label, required, what to write."""
    out: list[dict[str, Any]] = []
    for f in form_fields(empty_form(kind)):
        codes: list[tuple[str, str]] = []  # the codes a cell may hold, with their label
        if isinstance(f, SelectMultipleField):
            accepted = _(
                "Countries separated by “;”: two-letter ISO codes or names in English or French, e.g. IN;United States"
            )
        elif is_country(f):
            accepted = _("A country: two-letter ISO code or name in English or French, e.g. IN, India, Inde")
        elif isinstance(f, SelectField):
            codes = [(str(c.value), str(c.label)) for c in choices_of(f) if c.value]
            default = dict(codes).get(str(f.default), f.default) if f.default else None
            accepted = _("(empty: %(default)s)", default=default) if default else ""
        elif isinstance(f, DateField):
            accepted = _("A date as YYYY-MM-DD, DD/MM/YYYY or 31 December 1989")
        elif isinstance(f, IntegerField):
            accepted = _("A whole number")
        elif isinstance(f, DecimalField):
            accepted = _("A number, with a dot for decimals (e.g. 37.5)")
        else:
            accepted = _("Text")
        out.append(
            {
                "name": f.name,
                "label": str(f.label.text),
                "required": is_required(f),
                "accepted": accepted,
                "codes": codes,
            }
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
                "accepted": job
                + " "
                + _(
                    "Text. The name of one of your group companies, as entered in the portal, links the job to it."
                ),
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
                "accepted": "",
                "codes": [(code, str(name)) for code, name in labels.CAPACITY.items()],
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
            {
                "name": "job_hours",
                "label": _("Hours per week"),
                "required": False,
                "accepted": _(
                    "A number from %(min)s to %(max)s, with a dot for decimals (e.g. 37.5); the hours decide full time",
                    min=HOURS_MIN,
                    max=HOURS_MAX,
                ),
            },
            {
                "name": "job_duties",
                "label": _("Duties in that job"),
                "required": False,
                "accepted": _("Text, at most %(max)s characters; one duty a line", max=DUTIES_MAX),
            },
            {
                "name": "job_duties_fr",
                "label": _("French version of the duties"),
                "required": False,
                "accepted": _(
                    "Text, at most %(max)s characters; one duty a line. For documents in French; if empty, "
                    "they give job_duties.",
                    max=DUTIES_MAX,
                ),
            },
        ]
    return out
