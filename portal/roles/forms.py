from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    Form,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from portal import labels
from portal.forms_common import PROVINCES, DecimalField, IntegerField, SelectChoice, strip
from portal.group.forms import TRISTATE
from portal.i18n import lazy_gettext as _l
from portal.i18n import money, semicolons
from portal.models.position import hourly_rate
from portal.validation import BoundedNumberRange, Optional, WorkDate, numeric_limit
from rules import noc

# More than this an hour is a slip of the amount or its unit (a chief executive on $10 million a year at
# 40 hours a week earns about $4,800 an hour)
MAX_HOURLY = 10_000
HOURS_MIN, HOURS_MAX = 1, 168  # hours a week


def _finite(value: object, *, empty: bool = False) -> bool:
    """A number that is neither NaN nor infinite (None: ``empty``)."""
    if value is None:
        return empty
    return isinstance(value, Decimal) and value.is_finite()


def noc_2021(form: Form, field: Field) -> None:
    """A NOC 2021 code; a NOC 2016 code whose concordance gives one unit group is taken as that group (the
    form says it is mapped: 0731 was refused with "Enter one of them" and 70020 alone named, tour); one that
    gives several is refused, naming them."""
    code = (field.data or "").strip()
    if len(code) == 4 and code.isdigit() and len(mapped := noc.noc2016_to_2021(code)) == 1:
        code = mapped[0].code
    field.data = code
    if not noc.is_valid(code):
        raise ValidationError(_what_to_enter(code))


def _what_to_enter(code: str) -> str:
    """Why ``code`` is refused and what to enter: the NOC 2021 unit groups of a NOC 2016 code, the
    closest unit groups of a job title typed in the code box (no JavaScript), else the rule."""
    lang = labels.lang()
    if len(code) == 4 and code.isdigit() and (mapped := noc.noc2016_to_2021(code)):
        return _l(
            "%(code)s is a NOC 2016 code. Its NOC 2021 unit groups: %(options)s. Enter one of them.",
            code=code,
            options=", ".join(f"{u.code} ({u.title_in(lang)})" for u in mapped),
        )
    if code and not code.isdigit() and (found := noc.find(code, lang=lang, limit=3)):
        return _l(
            "Enter the five-digit code. Unit groups for “%(title)s”: %(options)s.",
            title=code,
            options=semicolons((f"{m.unit.code} {m.unit.title_in(lang)}" for m in found), lang),
        )
    return _l("Enter one of the 516 five-digit NOC 2021 codes.")


def _wage_checks(precision: int) -> list[Optional | BoundedNumberRange]:
    """An optional wage in dollars and cents: not negative, and within its ``Numeric(precision, 2)`` column."""
    return [
        Optional(),
        BoundedNumberRange(
            min=0, message=_l("The wage cannot be negative."), limit=numeric_limit(precision, 2)
        ),
    ]


class PositionForm(FlaskForm):
    title = StringField(_l("Job title"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    noc_code = StringField(
        _l("NOC 2021 code"),
        filters=[strip],
        validators=[DataRequired(), noc_2021],
        description=_l(
            "Type a job title (in English or French) or a code; a NOC 2016 code is mapped to NOC 2021."
        ),
        render_kw={"list": "noc-options", "autocomplete": "off", "data-noc-lookup": "1"},
    )
    duties = TextAreaField(_l("Main duties"), filters=[strip], validators=[Optional(), Length(max=4000)])
    title_fr = StringField(
        _l("Job title in French"),
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description=_l("For documents in French; if empty, they give the job title as typed above."),
    )
    duties_fr = TextAreaField(
        _l("Main duties in French"),
        filters=[strip],
        validators=[Optional(), Length(max=4000)],
        description=_l("For documents in French; if empty, they give the duties as typed above."),
    )
    capacity = SelectField(
        _l("Capacity"), choices=labels.choices(labels.CAPACITY, blank=""), validators=[Optional()]
    )
    work_type = SelectField(
        _l("Kind of work"), choices=labels.choices(labels.WORK_TYPE, blank=""), validators=[Optional()]
    )
    wage_amount = DecimalField(_l("Wage (CAD)"), places=2, validators=_wage_checks(precision=12))
    wage_unit = SelectField(_l("Per"), choices=labels.choices(labels.WAGE_UNIT), default="year")
    hours_per_week = DecimalField(
        _l("Hours per week"),
        places=2,
        validators=[
            Optional(),
            BoundedNumberRange(min=HOURS_MIN, max=HOURS_MAX, message=_l("Between 1 and 168 hours.")),
        ],
    )
    prevailing_wage_hourly = DecimalField(
        _l("Prevailing wage for this NOC and region (CAD per hour)"),
        places=2,
        validators=_wage_checks(precision=10),
        description=_l("The median wage that Job Bank publishes for the occupation in the region of work."),
    )
    street_address = StringField(
        _l("Work address"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    city = StringField(_l("City"), filters=[strip], validators=[Optional(), Length(max=100)])
    province = SelectField(
        _l("Province or territory"), choices=[SelectChoice("", ""), *PROVINCES], validators=[Optional()]
    )
    start_date = DateField(_l("Start date"), validators=[Optional(), WorkDate()])
    duration_months = IntegerField(
        _l("Duration (months)"),
        validators=[Optional(), BoundedNumberRange(min=1, max=120, message=_l("Between 1 and 120 months."))],
    )
    paid = SelectField(_l("Paid?"), choices=TRISTATE)
    submit = SubmitField(_l("Save the role"))

    def validate_wage_amount(self, field: Field) -> None:
        # Hours given but out of range (0) or not a number ("forty") get their own message on their own
        # field: this one is only for hours left empty (nothing typed; the import's row checker gives each
        # field the cell's data and raw data too).
        typed = "".join(self.hours_per_week.raw_data or []).strip()
        if (
            field.data is not None
            and self.wage_unit.data != "hour"
            and self.hours_per_week.data is None
            and not typed
        ):
            raise ValidationError(_l("Give the hours per week so the wage can be converted to hourly."))
        if field.errors or not _finite(field.data) or not _finite(self.hours_per_week.data, empty=True):
            return  # not a number in range: its own message is given (NaN, 400 digits)
        if field.data == 0 and self.paid.data == "yes":
            # a paid role at $0.00 was saved (a slip for the amount), for the letter and the offer to state (tour)
            raise ValidationError(
                _l("A paid role's wage is more than $0: enter it, or answer No to “Paid?”.")
            )
        hours = self.hours_per_week.data
        if hours is not None and not HOURS_MIN <= hours <= HOURS_MAX:
            # hours out of their range get their own message; "5e-400" hours made the hourly rate a number
            # of 400 digits, which Decimal could not round to cents (a 500, found by the outside probe)
            return
        hourly = hourly_rate(field.data, self.wage_unit.data, self.hours_per_week.data)
        if hourly is not None and hourly > MAX_HOURLY:  # $99,999,999 per hour was saved (a unit slip)
            raise ValidationError(
                _l(
                    "That is %(rate)s an hour: check the amount and its unit (per hour, week, month or year).",
                    rate=money(hourly),
                )
            )
