from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtf_translations
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from portal import clock, labels
from portal.errors import translate
from portal.forms_common import (
    CountriesField,
    CountryField,
    DecimalField,
    IntegerField,
    SelectChoice,
    citizenships,
    strip,
)
from portal.group.forms import TRISTATE
from portal.i18n import gettext, number
from portal.i18n import lazy_gettext as _l
from portal.models import ForeignEnterprise
from portal.models.transferee import DUTIES_MAX, HOURS_MAX, HOURS_MIN
from portal.roles.forms import noc_2021
from portal.validation import BoundedNumberRange, JobStarted, Optional, WorkDate, birth_date_problem
from rules.params import full_time_hours

# Letters and digits (any alphabet), groups apart by one space or hyphen: "XK1234567", "AB 123456".
PASSPORT_NUMBER = re.compile(r"[^\W_]+(?:[ -][^\W_]+)*")


def _full_time_help() -> str:
    """The hours help, with the full-time threshold of the rules in force today (values.yaml
    full_time_hours_per_week), read when the form is shown."""
    hours = full_time_hours(clock.today())
    return gettext(
        "Full time is %(hours)s hours a week or more: the hours, when given, decide it.", hours=number(hours)
    )


class _FullTimeHelp:
    """The hours help as a form field's description, worded when the page shows it."""

    def __str__(self) -> str:
        return _full_time_help()


class HoursField(DecimalField):
    """Hours a week as people write them: "45", not "45.0"; "37,5" (a French decimal comma) is
    read as 37.5."""

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        return format(self.data.normalize(), "f")

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


def _hours_field() -> DecimalField:
    return HoursField(
        _l("Hours per week"),
        places=1,
        validators=[
            Optional(),
            BoundedNumberRange(
                min=HOURS_MIN,
                max=HOURS_MAX,
                message=_l("Between %(min)s and %(max)s hours a week.", min=HOURS_MIN, max=HOURS_MAX),
            ),
        ],
        description=cast(str, _FullTimeHelp()),
    )


def _duties_field() -> TextAreaField:
    return TextAreaField(
        _l("Duties in that job"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=DUTIES_MAX, message=_l("At most %(max)s characters.", max=DUTIES_MAX)),
        ],
        description=_l("What the person did, one duty a line: the support letter quotes them."),
    )


def _duties_fr_field() -> TextAreaField:
    """The duties in French, for French documents (as a role's ``duties_fr``): a French letter quoted the
    duties abroad as typed, in English."""
    return TextAreaField(
        _l("French version of the duties"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=DUTIES_MAX, message=_l("At most %(max)s characters.", max=DUTIES_MAX)),
        ],
        description=_l("For documents in French; if empty, they give the duties as typed above."),
    )


def _employer_name_field() -> StringField:
    return StringField(
        _l("Or another employer's name"), filters=[strip], validators=[Optional(), Length(max=200)]
    )


def _job_title_field() -> StringField:
    return StringField(_l("Job title abroad"), filters=[strip], validators=[Optional(), Length(max=200)])


def _capacity_field() -> SelectField:
    return SelectField(
        _l("Capacity"), choices=labels.choices(labels.CAPACITY, blank=""), validators=[Optional()]
    )


def _enterprise_choices(enterprises: Iterable[ForeignEnterprise]) -> list[SelectChoice]:
    """A past job's group company: none, or one of the organization's."""
    return [SelectChoice("", "—")] + [SelectChoice(str(e.id), e.name) for e in enterprises]


def _add_error(field: Field, message: str) -> None:
    """Add a message to a field after validation, when its errors are a list (typed as a sequence)."""
    cast(list[str], field.errors).append(message)


# What a job row holds besides its dates and flags: a row where all of these are empty is not a job.
JOB_TEXT_FIELDS = (
    "foreign_enterprise_id",
    "employer_name",
    "country",
    "job_title",
    "capacity",
    "start_date",
    "end_date",
    "hours_per_week",
    "duties",
    "duties_fr",
)


def _record_id(text: str | None) -> int | None:
    """The recorded job a row of the history edits, from its hidden field: None for a new job (nothing
    sent). Any other text than ASCII digits names no job of ours (a tampered row; "²" passes isdigit()
    but int() refused it with a 500): 0, which matches no job, so the service refuses the row as it
    refuses a job of another person."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else 0


class JobForm(Form):
    """One job of the employment history, a row of the transferee form (``jobs-<n>-<field>``). A row
    left empty is no job; a filled row needs its start date and its employer."""

    class Meta:
        def get_translations(self, form: Form) -> Any:
            """WTForms' own messages ("Not a valid date value.") in the reader's language, as in a
            FlaskForm: a plain Form (a row of another form) would give them in English."""
            return wtf_translations

    record_id = HiddenField()
    foreign_enterprise_id = SelectField(_l("Group company"), validators=[Optional()])
    employer_name = _employer_name_field()
    country = CountryField(_l("Country"), validators=[Optional()])
    job_title = _job_title_field()
    capacity = _capacity_field()
    start_date = DateField(_l("From"), validators=[Optional(), WorkDate(), JobStarted()])
    end_date = DateField(_l("To (empty if current)"), validators=[Optional(), WorkDate()])
    full_time = BooleanField(_l("Full time"), default=True)
    hours_per_week = _hours_field()
    duties = _duties_field()
    duties_fr = _duties_fr_field()
    remove = BooleanField(_l("Remove this job"))

    def set_choices(self, enterprises: Iterable[ForeignEnterprise], countries: list[SelectChoice]) -> None:
        self.foreign_enterprise_id.choices = _enterprise_choices(enterprises)
        self.country.choices = [SelectChoice("", ""), *countries]

    def is_blank(self) -> bool:
        """Nothing typed or chosen in the row (the full-time box, ticked by default, aside)."""
        return not any(any(str(v).strip() for v in (self[name].raw_data or ())) for name in JOB_TEXT_FIELDS)

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        if (self.is_blank() and not self.record_id.data) or (self.remove.data and self.record_id.data):
            # no job here, or one to remove: nothing to check (an emptied recorded job is checked)
            return True
        ok = super().validate(extra_validators)
        if not self.start_date.data and not self.start_date.errors:
            _add_error(self.start_date, _l("Give the start date."))
            ok = False
        if self.end_date.data and self.start_date.data and self.end_date.data < self.start_date.data:
            _add_error(self.end_date, _l("The end date is before the start date."))
            ok = False
        if not self.employer_name.data and not self.foreign_enterprise_id.data:
            _add_error(self.employer_name, _l("Choose a group company or give the employer's name."))
            ok = False
        return ok

    def job(self) -> dict[str, Any] | None:
        """The row as the service takes it (None for an empty row)."""
        if self.is_blank() and not self.record_id.data:
            return None
        return {
            "record_id": _record_id(self.record_id.data),
            "remove": bool(self.remove.data),
            **{name: self[name].data for name in JOB_TEXT_FIELDS},
            "full_time": bool(self.full_time.data),
        }


# At most this many job rows on the transferee form (more can be added on the person's page).
JOBS_MAX = 30


def _upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


def _permit_code(form: Form, field: Field) -> None:
    """An exemption code as IRCC prints it (a letter and two digits), LMIA, or NONE (no one's spouse)."""
    code = field.data or ""
    if not (code in ("LMIA", "NONE") or (len(code) == 3 and code[0].isalpha() and code[1:].isdigit())):
        raise ValidationError(
            _l("Enter the code as on the permit: a letter and two digits (e.g. T44), or LMIA.")
        )


class TransfereeForm(FlaskForm):
    given_names = StringField(
        _l("Given names"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    family_name = StringField(
        _l("Family name"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    form_of_address = SelectField(
        _l("In letters, after the first mention"),
        choices=labels.choices(labels.FORM_OF_ADDRESS, blank=_l("The full name each time")),
        validators=[Optional()],
        description=_l(
            "The support letter names the person in full once, then “Ms. Rivera” rather than the full name in "
            "every sentence."
        ),
    )
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()])
    citizenships = CountriesField(
        _l("Citizenships (all of them)"),
        validators=[DataRequired(message=_l("Choose at least one citizenship.")), citizenships],
    )
    permanent_residences = CountriesField(_l("Permanent residence in"), validators=[Optional()])
    residence_country = CountryField(_l("Country of residence"), validators=[Optional()])
    in_canada = SelectField(_l("In Canada now?"), choices=TRISTATE)
    current_permit_type = SelectField(
        _l("Permit held now"), choices=labels.choices(labels.PERMIT, blank=""), validators=[Optional()]
    )
    current_permit_expiry = DateField(_l("Permit expiry"), validators=[Optional(), WorkDate()])
    # the worker as the spouse or common-law partner of a foreign worker (the rules' worker.principal_* facts,
    # kept in the transferee's extra_facts: services.SPOUSE_FACTS)
    principal_permit_code = StringField(
        _l("Code on the spouse's or partner's work permit"),
        filters=[strip, _upper],
        validators=[Optional(), Length(max=4), _permit_code],
        description=_l(
            "Only if this person is the spouse or common-law partner of a foreign worker who holds (or is approved "
            "for) a Canadian work permit: the exemption code on that permit (e.g. T44, F61, T51, C62), or LMIA. "
            "Some partners' permits give the spouse an open work permit: no offer and no fee for the employer."
        ),
    )
    principal_country = CountryField(
        _l("The partner's permit comes through the citizenship of"),
        validators=[Optional()],
        description=_l("Or permanent residence, where the trade agreement covers permanent residents."),
    )
    principal_noc_code = StringField(
        _l("NOC 2021 code of the partner's job"),
        filters=[strip],
        validators=[Optional(), noc_2021],
        render_kw={"autocomplete": "off"},
    )
    principal_permit_expiry = DateField(
        _l("The partner's permit expires"), validators=[Optional(), WorkDate()]
    )
    principal_pr_track = SelectField(
        _l("The partner is applying for permanent residence?"), choices=TRISTATE, validators=[Optional()]
    )
    passport_number = StringField(
        _l("Passport number"), filters=[strip], validators=[Optional(), Length(max=30)]
    )
    passport_country = CountryField(_l("Passport issued by"), validators=[Optional()])
    passport_expiry = DateField(_l("Passport expiry"), validators=[Optional(), WorkDate()])
    education_level = SelectField(
        _l("Highest education completed"),
        choices=labels.choices(labels.EDUCATION, blank=""),
        validators=[Optional()],
    )
    education_field = StringField(
        _l("Field of study"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    profession = StringField(_l("Profession"), filters=[strip], validators=[Optional(), Length(max=200)])
    french_nclc = IntegerField(
        _l("French level (NCLC, lower of speaking and listening)"),
        validators=[
            Optional(),
            BoundedNumberRange(min=0, max=12, message=_l("NCLC levels go from 0 to 12.")),
        ],
    )
    english_clb = IntegerField(
        _l("English level (CLB)"),
        validators=[Optional(), BoundedNumberRange(min=0, max=12, message=_l("CLB levels go from 0 to 12."))],
    )
    language_proof = StringField(
        _l("How the language levels are proven"),
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description=_l("e.g. TEF Canada, TCF Canada, CELPIP, IELTS General, or a diploma taught in French"),
    )
    ownership_pct = DecimalField(
        _l("Share of the Canadian employer owned (%)"),
        places=2,
        validators=[Optional(), BoundedNumberRange(min=0, max=100, message=_l("Between 0 and 100."))],
    )
    jobs = FieldList(FormField(JobForm), label=_l("Employment history"), max_entries=JOBS_MAX)
    add_job = SubmitField(_l("Add a job"))
    submit = SubmitField(_l("Save the transferee"))

    def __init__(self, *args: Any, enterprises: Iterable[ForeignEnterprise] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = labels.country_choices()
        self.residence_country.choices = [SelectChoice("", ""), *countries]
        self.passport_country.choices = [SelectChoice("", ""), *countries]
        self.principal_country.choices = [SelectChoice("", ""), *countries]
        self._enterprises, self._countries = list(enterprises), countries
        for entry in self.jobs:
            entry.form.set_choices(self._enterprises, countries)

    def add_job_row(self) -> None:
        """One more empty job row (the "Add a job" button, without JavaScript), up to JOBS_MAX."""
        if len(self.jobs) < JOBS_MAX:
            self.jobs.append_entry()
            self.jobs[-1].form.set_choices(self._enterprises, self._countries)

    def job_rows(self) -> list[dict[str, Any]]:
        """The filled job rows, in order, with their row number (for errors)."""
        return [dict(job, row=i) for i, entry in enumerate(self.jobs) if (job := entry.form.job())]

    def validate_date_of_birth(self, field: Field) -> None:
        if field.data and (problem := birth_date_problem(field.data, clock.today())):
            raise ValidationError(translate(problem))

    def validate_passport_number(self, field: Field) -> None:
        # "!!@@##" was saved and printed in the letter and the Employer Portal's data sheet (tour): a passport
        # number is letters and digits, as printed (a space or a hyphen between groups is kept)
        if field.data and not PASSPORT_NUMBER.fullmatch(field.data):
            raise ValidationError(
                _l("A passport number has only letters and digits, as printed in the passport.")
            )

    def validate_passport_country(self, field: Field) -> None:
        if field.data and self.citizenships.data and field.data not in self.citizenships.data:
            raise ValidationError(_l("The passport must be from one of the citizenships."))


class EmploymentForm(FlaskForm):
    foreign_enterprise_id = SelectField(_l("Employer"), validators=[Optional()])
    employer_name = _employer_name_field()
    country = CountryField(_l("Country"), validators=[Optional()])
    job_title = _job_title_field()
    capacity = _capacity_field()
    start_date = DateField(
        _l("From"),
        validators=[DataRequired(message=_l("Give the start date.")), WorkDate(), JobStarted()],
    )
    end_date = DateField(_l("To (empty if current)"), validators=[Optional(), WorkDate()])
    full_time = BooleanField(_l("Full time"), default=True)
    hours_per_week = _hours_field()
    duties = _duties_field()
    duties_fr = _duties_fr_field()
    submit = SubmitField(_l("Add the job"))

    def __init__(self, enterprises: Iterable[ForeignEnterprise] = (), *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.foreign_enterprise_id.choices = _enterprise_choices(enterprises)
        self.country.choices = [SelectChoice("", "")] + labels.country_choices()

    def validate_end_date(self, field: Field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        # Here, not in a validate_employer_name: an empty name stops at its Optional() before any inline
        # validator runs, so a job with neither employer was saved and the history showed "None" (tour).
        ok = super().validate(extra_validators)
        if not self.employer_name.data and not self.foreign_enterprise_id.data:
            _add_error(self.employer_name, _l("Choose a group company or give the employer's name."))
            ok = False
        return ok


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip])
