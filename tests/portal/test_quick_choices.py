"""The country fields check their choice with a set lookup (forms_common.QuickChoices): the same
answers and messages as WTForms' own check, which built every option's label on each validation."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice

from portal import labels
from portal.forms_common import CountriesField, CountryField


def _forms(app):
    with app.test_request_context():
        countries = labels.country_choices()

    class Quick(Form):
        one = CountryField(choices=[SelectChoice("", ""), *countries])
        many = CountriesField(choices=countries)

    class Plain(Form):
        one = SelectField(choices=[SelectChoice("", ""), *countries])
        many = SelectMultipleField(choices=countries)

    return Quick, Plain


@pytest.mark.parametrize(
    "one, many",
    [
        ("FR", ["IN", "US"]),
        ("", []),
        ("XX", ["IN"]),
        ("FR", ["IN", "ZZ", "QQ"]),
        ("fr", ["in"]),
    ],
)
def test_the_quick_check_answers_like_wtforms(app, one, many):
    Quick, Plain = _forms(app)
    with app.test_request_context():
        data = MultiDict([("one", one), *(("many", m) for m in many)])
        quick, plain = Quick(formdata=data), Plain(formdata=data)
        assert quick.validate() == plain.validate()
        assert quick.errors == plain.errors


def test_every_country_is_a_choice_in_both_languages(app):
    Quick, _Plain = _forms(app)
    with app.test_request_context():
        codes = [c.value for c in labels.country_choices()]
        assert len(codes) > 240 and "IN" in codes and "CA" in codes
        assert Quick(formdata=MultiDict([("one", "IN"), *(("many", c) for c in codes)])).validate()
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        french = labels.country_choices()
        assert sorted(c.value for c in french) == sorted(codes)
        assert french is not labels.country_choices()  # each caller gets its own list to extend
