from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from portal.forms_common import (
    MIN_PASSWORD,
    PROVINCES,
    IntegerField,
    SelectChoice,
    business_number,
    canadian_postal_code,
    cicc_licence,
    lower_strip,
    normalize_business_number,
    postal_code_in_province,
    strip,
    telephone,
)
from portal.i18n import lazy_gettext as _l
from portal.models.org import TIME_ZONES
from portal.validation import BoundedNumberRange, NumberRequired


class PasswordFields:
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD, max=200, message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD)
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class PersonFields(PasswordFields):
    name = StringField(_l("Your full name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Email"),
        filters=[lower_strip],
        validators=[DataRequired(), Email(message=_l("Enter a valid email address.")), Length(max=254)],
    )


class OrganizationFields:
    legal_name = StringField(_l("Legal name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    operating_name = StringField(
        _l("Operating name (if different)"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    business_number = StringField(
        _l("CRA business number"),
        filters=[normalize_business_number],
        validators=[DataRequired(), business_number],
        description=_l("9 digits"),
    )
    street_address = StringField(
        _l("Street address"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    city = StringField(_l("City"), filters=[strip], validators=[DataRequired(), Length(max=100)])
    # no province chosen for the employer: a default would register most of them in the wrong one (and time zone)
    province = SelectField(
        _l("Province or territory"), choices=[SelectChoice("", ""), *PROVINCES], validators=[DataRequired()]
    )
    postal_code = StringField(
        _l("Postal code"),
        filters=[strip],
        validators=[DataRequired(), canadian_postal_code, postal_code_in_province],
    )
    telephone = StringField(_l("Telephone"), filters=[strip], validators=[DataRequired(), telephone])
    employees = IntegerField(
        _l("Number of employees in Canada"),
        validators=[
            NumberRequired(_l("Enter a whole number.")),
            BoundedNumberRange(min=1, max=10_000_000),
        ],
    )
    gross_annual_revenue = IntegerField(
        _l("Gross annual revenue (CAD)"),
        validators=[
            NumberRequired(_l("Enter a whole number of dollars.")),
            BoundedNumberRange(min=0, max=10**13),
        ],
    )


class OrganizationForm(OrganizationFields, FlaskForm):
    time_zone = SelectField(
        _l("Time zone"),
        choices=[SelectChoice("", _l("The province's or territory's"))]
        + [SelectChoice(z, z.replace("_", " ")) for z in TIME_ZONES],
        validators=[Optional()],
        description=_l("Times in the history and on the dashboard are shown in this zone."),
    )
    submit = SubmitField(_l("Save"))


class EmployerRegistrationForm(PersonFields, OrganizationFields, FlaskForm):
    submit = SubmitField(_l("Register the employer"))


def _licence_field() -> StringField:
    """A consultant's CICC licence number, as registration takes it (and the account page, later)."""
    return StringField(
        _l("CICC licence number"),
        filters=[strip],
        validators=[DataRequired(), cicc_licence],
        description="R123456",
    )


class ConsultantRegistrationForm(PersonFields, FlaskForm):
    cicc_licence = _licence_field()
    submit = SubmitField(_l("Register as a consultant"))


class LicenceForm(FlaskForm):
    """A consultant without a licence number enters it on their account page."""

    cicc_licence = _licence_field()
    submit = SubmitField(_l("Save the licence number"))


def _account_email() -> EmailField:
    """The email of an existing account (signing in, asking for a reset link)."""
    return EmailField(
        _l("Email"),
        filters=[lower_strip],
        validators=[DataRequired(), Email(message=_l("Enter a valid email address."))],
    )


class LoginForm(FlaskForm):
    email = _account_email()
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign in"))


class ResetRequestForm(FlaskForm):
    email = _account_email()
    submit = SubmitField(_l("Send me a reset link"))


class NewPasswordLabels:
    """A form that replaces a password names its boxes "New password": beside "Current password", a
    box labelled "Password" read as the one to type again (tour)."""

    password: Any
    confirm: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password.label.text = _l("New password")
        self.confirm.label.text = _l("Repeat the new password")


class ResetPasswordForm(NewPasswordLabels, PasswordFields, FlaskForm):
    submit = SubmitField(_l("Set the new password"))


class AcceptInvitationForm(PasswordFields, FlaskForm):
    """For an invited person who has no account yet."""

    name = StringField(_l("Your full name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create my account and join"))


class TakeOverForm(AcceptInvitationForm):
    """For an invited person whose address has an account never confirmed (not theirs): they take it over."""

    submit = SubmitField(_l("Take over the address and join"))


class ConsultantTakeOverForm(PasswordFields, FlaskForm):
    """For an engaged consultant whose address has an account never confirmed (not theirs)."""

    name = StringField(_l("Your full name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    cicc_licence = _licence_field()
    submit = SubmitField(_l("Take over the address and accept"))


class ChangePasswordForm(NewPasswordLabels, PasswordFields, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change the password"))
