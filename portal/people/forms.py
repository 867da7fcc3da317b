from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from portal import labels
from portal.forms_common import CountriesField, strip
from portal.group.forms import TRISTATE
from portal.validation import BoundedNumberRange, Optional


class TransfereeForm(FlaskForm):
    given_names = StringField(
        _l("Given names"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    family_name = StringField(
        _l("Family name"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()])
    citizenships = CountriesField(
        _l("Citizenships (all of them)"),
        validators=[DataRequired(message=_l("Choose at least one citizenship."))],
    )
    permanent_residences = CountriesField(_l("Permanent residence in"), validators=[Optional()])
    residence_country = SelectField(_l("Country of residence"), validators=[Optional()])
    in_canada = SelectField(_l("In Canada now?"), choices=TRISTATE)
    current_permit_type = SelectField(
        _l("Permit held now"), choices=labels.choices(labels.PERMIT, blank=""), validators=[Optional()]
    )
    current_permit_expiry = DateField(_l("Permit expiry"), validators=[Optional()])
    passport_number = StringField(
        _l("Passport number"), filters=[strip], validators=[Optional(), Length(max=30)]
    )
    passport_country = SelectField(_l("Passport issued by"), validators=[Optional()])
    passport_expiry = DateField(_l("Passport expiry"), validators=[Optional()])
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
    submit = SubmitField(_l("Save the transferee"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = labels.country_choices()
        self.residence_country.choices = [SelectChoice("", ""), *countries]
        self.passport_country.choices = [SelectChoice("", ""), *countries]

    def validate_passport_country(self, field):
        if field.data and self.citizenships.data and field.data not in self.citizenships.data:
            raise ValidationError(_l("The passport must be from one of the citizenships."))


class EmploymentForm(FlaskForm):
    foreign_enterprise_id = SelectField(_l("Employer"), validators=[Optional()])
    employer_name = StringField(
        _l("Or another employer's name"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    country = SelectField(_l("Country"), validators=[Optional()])
    job_title = StringField(_l("Job title abroad"), filters=[strip], validators=[Optional(), Length(max=200)])
    capacity = SelectField(
        _l("Capacity"), choices=labels.choices(labels.CAPACITY, blank=""), validators=[Optional()]
    )
    start_date = DateField(_l("From"), validators=[DataRequired(message=_l("Give the start date."))])
    end_date = DateField(_l("To (empty if current)"), validators=[Optional()])
    full_time = BooleanField(_l("Full time"), default=True)
    submit = SubmitField(_l("Add the job"))

    def __init__(self, enterprises=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.foreign_enterprise_id.choices = [SelectChoice("", "—")] + [
            SelectChoice(str(e.id), e.name) for e in enterprises
        ]
        self.country.choices = [SelectChoice("", "")] + labels.country_choices()

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_employer_name(self, field):
        if not field.data and not self.foreign_enterprise_id.data:
            raise ValidationError(_l("Choose a group company or give the employer's name."))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip])
