"""Input bounds shared by every view: what PostgreSQL would refuse is refused here first, with a 4xx and
a clear message instead of a database error and a 500.

* ids in paths fit the integer columns (a larger one matches no route: 404);
* no NUL character in a path, a query, a form field or a file name (PostgreSQL text cannot hold it);
* numbers in forms are bounded before WTForms compares them (a 400-digit integer overflows a float).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import Flask, request
from flask.typing import ResponseReturnValue
from werkzeug.routing import IntegerConverter, Map
from wtforms import Field, SelectFieldBase, SelectMultipleField
from wtforms.form import BaseForm
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.validators import Optional as _Optional

from portal import clock
from portal.errors import render_error, translate
from portal.i18n import lazy_gettext as _l
from portal.i18n import number
from portal.messages import N_, Message

# The range of PostgreSQL's ``integer`` (ids and the integer columns).
INT_MAX = 2**31 - 1

TOO_LARGE = _l("This number is too large.")
NOT_A_NUMBER = _l("Enter a number: digits, with a dot for decimals (e.g. 37.5).")
NUL_MESSAGE = _l(
    "The request contains a NUL character (code 0), which no text field can hold. Remove it and try again."
)


class IdConverter(IntegerConverter):
    """``<int:...>`` bounded to the integer column range: a larger id is a missing page (404)."""

    def __init__(  # noqa: A002 (werkzeug names)
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(
            map, fixed_digits=fixed_digits, min=min, max=INT_MAX if max is None else max, signed=signed
        )


def valid_id(value: object) -> bool:
    """True when ``value`` can be an id of an integer column (bounded before any query)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT_MAX


def has_nul(value: object) -> bool:
    return isinstance(value, str) and "\x00" in value


def request_has_nul() -> bool:
    """A NUL in the path, a query or form key or value, or an uploaded file's name."""
    if "\x00" in request.path:
        return True
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if has_nul(key) or has_nul(value):
                return True
    return any(has_nul(key) or has_nul(storage.filename) for key, storage in request.files.items(multi=True))


def _is_nan(data: object) -> bool:
    """Whether a number field got "nan", "NaN" or "snan" (Decimal and float take them)."""
    if isinstance(data, Decimal):
        return data.is_nan()
    return isinstance(data, float) and math.isnan(data)


class BoundedNumberRange(NumberRange):
    """WTForms' NumberRange that refuses any number beyond ``limit`` (by default what a float holds) with
    a message, instead of raising OverflowError on ``math.isnan`` or passing a value no column can store."""

    def __init__(  # noqa: A002 (wtforms names)
        self,
        min: float | Decimal | None = None,
        max: float | Decimal | None = None,
        message: str | None = None,
        limit: float | Decimal | None = None,
    ) -> None:
        super().__init__(min=min, max=max, message=message)
        self.limit = limit

    def __call__(self, form: BaseForm, field: Field) -> None:
        data = field.data
        if data is None and field.process_errors:  # not a number at all ("forty"): its message says so
            return
        if data is not None:
            if _is_nan(data):  # "nan" reads as a Decimal, but it is no number: not "too large" either
                raise ValidationError(NOT_A_NUMBER)
            try:
                finite = math.isfinite(data)
            except (OverflowError, InvalidOperation, ValueError):
                finite = False
            if not finite or (self.limit is not None and abs(data) > self.limit):
                raise ValidationError(TOO_LARGE)
            low, high = self.min is not None and data < self.min, self.max is not None and data > self.max
            if self.message is None and (low or high):
                raise ValidationError(self._default_message(field))
        super().__call__(form, field)

    def _default_message(self, field: Field) -> str:
        """WTForms' own words for a number out of range, its bounds in the reader's format."""
        bounds = {"min": number(self.min), "max": number(self.max)}
        if self.max is None:
            return str(field.gettext("Number must be at least %(min)s.") % bounds)
        if self.min is None:
            return str(field.gettext("Number must be at most %(max)s.") % bounds)
        return str(field.gettext("Number must be between %(min)s and %(max)s.") % bounds)


def drop_blanks(values: object) -> object:
    """A multiple choice's filter: blank entries ("", " ") are no choice (a browser never sends them)."""
    if isinstance(values, list):
        return [v for v in values if not (isinstance(v, str) and not v.strip())]
    return values


class NumberRequired:
    """A number that must be given: WTForms' DataRequired, except that 0 is a number (DataRequired refused a
    gross annual revenue of 0, which the range allows, as "Enter a whole number of dollars"). Nothing typed
    says "This field is required." as every other empty required field does (an empty number of employees
    said "Enter a whole number.", tour); no number ("many") is refused with ``message`` alone; the range says
    what a number must be."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: BaseForm, field: Field) -> None:
        if field.data is None:
            field.errors = []
            typed = "".join(v for v in field.raw_data or () if isinstance(v, str))
            if not typed.strip():
                raise StopValidation(field.gettext("This field is required."))
            raise StopValidation(self.message)


class Optional(_Optional):
    """WTForms' Optional, except for choices: WTForms' own clears the "not a valid choice" error of a
    blank-looking value (" ", or ["", "US"]), which then reached the rules engine and the database.
    Here a choice field is optional only when nothing is chosen: blank entries of a multiple choice
    are dropped, a blank single choice is empty, and any other value must be one of the choices."""

    def __call__(self, form: BaseForm, field: Field) -> None:
        if not isinstance(field, SelectFieldBase):
            return super().__call__(form, field)
        if isinstance(field, SelectMultipleField):
            field.data = [v for v in field.data or [] if not (isinstance(v, str) and not v.strip())]
            blank = not field.data
        else:
            blank = field.data is None or (isinstance(field.data, str) and not field.data.strip())
            if blank and field.data is not None:
                field.data = ""
        field.errors = []
        if blank:
            raise StopValidation()
        try:
            field.pre_validate(form)  # again, on what is left
        except ValidationError as exc:
            field.errors = [*field.errors, str(exc)]
            raise StopValidation() from None
        return None


def _years_from(today: date, years: int) -> date:
    """The same day ``years`` years away (28 February for a 29 February in a year that has none)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year + years, day=28)


# A date of birth further back than this is a typing slip (1800 for 1980), not a person to transfer.
BIRTH_YEARS_MAX = 100


def birth_date_problem(born: date, today: date) -> Message | None:
    """Why ``born`` cannot be a person's date of birth as of ``today`` (None when it can): it is in the
    past and at most BIRTH_YEARS_MAX years ago. Shared by the transferee form (and so its import) and
    the case page's questions, so a date refused on one is refused on all."""
    latest = date.fromordinal(today.toordinal() - 1)
    earliest = _years_from(today, -BIRTH_YEARS_MAX)
    if earliest <= born <= latest:
        return None
    return N_(
        "A date of birth is in the past and at most %(years)s years ago: from %(earliest)s to %(latest)s.",
        years=BIRTH_YEARS_MAX,
        earliest=earliest.isoformat(),
        latest=latest.isoformat(),
    )


# How far from today a date of the work (a role's start, a job held, a permit's or a passport's dates)
# may lie: further is a typing slip (9999 for 2029) that no calendar or duration can be counted from.
WORK_DATE_YEARS_BACK = 60
WORK_DATE_YEARS_AHEAD = 20


def work_date_problem(value: date, today: date) -> Message | None:
    """Why ``value`` cannot be a date of the work as of ``today`` (None when it can): it lies within
    WORK_DATE_YEARS_BACK years before and WORK_DATE_YEARS_AHEAD years after. Shared by the forms (and so
    the import) and the case page's questions."""
    earliest, latest = _years_from(today, -WORK_DATE_YEARS_BACK), _years_from(today, WORK_DATE_YEARS_AHEAD)
    if earliest <= value <= latest:
        return None
    return N_(
        "Give a date from %(earliest)s to %(latest)s.",
        earliest=earliest.isoformat(),
        latest=latest.isoformat(),
    )


def job_start_problem(value: date, today: date) -> Message | None:
    """Why ``value`` cannot be the start of a job of the employment history (None when it can): the job has
    started, or it would be read as the worker's latest (tour of 2026-12-06: a job "from 2030-01-01"
    became the current one and changed a case's outcome)."""
    if value <= today:
        return None
    return N_(
        "A job of the history has already started: give a start date up to today (%(today)s).",
        today=today.isoformat(),
    )


class DateCheck:
    """A form validator from a ``problem(value, today)`` function (today from the portal's clock)."""

    problem: Callable[[date, date], Message | None]

    def __call__(self, form: BaseForm, field: Field) -> None:
        if isinstance(field.data, date) and (problem := type(self).problem(field.data, clock.today())):
            raise ValidationError(translate(problem))


class WorkDate(DateCheck):
    problem = staticmethod(work_date_problem)


class JobStarted(DateCheck):
    problem = staticmethod(job_start_problem)


def numeric_limit(precision: int, scale: int) -> Decimal:
    """A bound under what a ``Numeric(precision, scale)`` column stores, rounding included."""
    return Decimal(10) ** (precision - scale) - 1


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered (the converter is read when routes are added)."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul() -> ResponseReturnValue | None:
        if request_has_nul():
            return render_error(400, str(NUL_MESSAGE))
        return None
