from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from portal import labels
from portal.forms_common import CountriesField, CountryField, DecimalField, SelectChoice, strip
from portal.i18n import lazy_gettext as _l
from portal.validation import BoundedNumberRange, Optional

TRISTATE = [
    SelectChoice("", _l("Not known yet")),
    SelectChoice("yes", _l("Yes")),
    SelectChoice("no", _l("No")),
]


def tristate(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def tristate_value(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


class ForeignEnterpriseForm(FlaskForm):
    name = StringField(_l("Company name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    country = CountryField(
        _l("Country"), validators=[DataRequired(message=_l("Choose the company's country."))]
    )
    # no default: a company saved without a choice took the list's first (Afghanistan, a parent company),
    # facts the codes then read as given
    relationship = SelectField(
        _l("Relationship to the Canadian employer"),
        choices=labels.choices(labels.RELATIONSHIP, blank=""),
        validators=[DataRequired(message=_l("Choose how the company is related to the Canadian employer."))],
    )
    ownership_pct = DecimalField(
        _l("Share of capital and votes (%)"),
        places=2,
        validators=[
            Optional(),
            BoundedNumberRange(min=0, max=100, message=_l("A percent between 0 and 100.")),
        ],
        description=_l(
            "For a parent company, what it holds of the Canadian employer; for a subsidiary, what the "
            "Canadian employer holds of it; for an affiliate, what their common owner holds of the "
            "Canadian employer. The support letter states it."
        ),
    )
    countries_of_operation = CountriesField(_l("Countries where it operates (outside Canada)"))
    doing_business = SelectField(_l("Actively doing business?"), choices=TRISTATE)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", ""), *labels.country_choices()]

    def validate_countries_of_operation(self, field: Field) -> None:
        # the letter lists them as where the group operates abroad (tour of 2026-12-06: "Germany, Canada")
        if field.data and "CA" in field.data:
            raise ValidationError(
                _l("List the countries outside Canada: the Canadian employer is not one of them.")
            )
