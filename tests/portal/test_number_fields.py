"""Numbers typed in the forms reach the server as typed. A ``type="number"`` input let the browser send
"1e309" (or "inf", "1,5") as an empty value on our novalidate forms: the role was saved with no wage and
no message (tour). Every number field is now text with a numeric keyboard, and the server refuses what
is no finite number in range beside its field, keeping what was entered."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import ForeignEnterprise, Organization, Position, Transferee
from tests.conftest import ORG_DATA
from tests.helpers import count
from tests.portal.document_helpers import create_case, errors
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE

FORM_PAGES = ["/roles/new", "/org/edit", "/group/new", "/transferees/new"]
NOT_NUMBERS = ["1e309", "inf", "-Infinity", "1e400", "nan"]


def page(response) -> str:
    return response.get_data(as_text=True)


def number_inputs(html: str) -> list[str]:
    return re.findall(r'<input[^>]*inputmode="(?:decimal|numeric)"[^>]*>', html)


@pytest.mark.parametrize("url", FORM_PAGES)
def test_no_form_lets_the_browser_drop_a_number_it_cannot_hold(app, client, owner, url):
    html = page(client.get(url))
    assert 'type="number"' not in html
    assert number_inputs(html), "the page's number fields ask for the digit keyboard"
    assert all('type="text"' in tag for tag in number_inputs(html))


def test_the_registration_form_and_the_case_questions_have_no_number_input(app, client, owner):
    case_id = create_case(app, client, answers=None)
    assert 'type="number"' not in page(client.get(f"/cases/{case_id}"))
    client.post_form("/logout", {})
    assert 'type="number"' not in page(client.get("/register"))


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("field", ["wage_amount", "hours_per_week", "prevailing_wage_hourly"])
def test_a_role_with_no_finite_number_is_refused_beside_the_field_and_kept(app, client, owner, field, value):
    response = client.post_form("/roles/new", {**ROLE, field: value})
    assert response.status_code == 400
    assert errors(response), page(response)[:2000]
    assert f'value="{value}"' in page(response)  # what was typed stays in the box
    assert count(app, Position) == 0


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_ownership_share_with_no_finite_number_is_refused(app, client, owner, value):
    response = client.post_form("/group/new", {**ENTERPRISE, "ownership_pct": value})
    assert response.status_code == 400 and errors(response)
    assert count(app, ForeignEnterprise) == 0
    response = client.post_form("/transferees/new", {**PERSON, "ownership_pct": value})
    assert response.status_code == 400 and errors(response)
    assert count(app, Transferee) == 0


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("field", ["employees", "gross_annual_revenue"])
def test_the_employer_with_no_finite_number_is_refused(app, client, owner, field, value):
    data = {
        "legal_name": "Employer Ltd.",
        "business_number": "123456789",
        "street_address": "1 Test Avenue",
        "city": "Toronto",
        "province": "ON",
        "postal_code": "M5V 2T6",
        "telephone": "416-555-0199",
        "employees": "40",
        "gross_annual_revenue": "5000000",
        field: value,
    }
    response = client.post_form("/org/edit", data)
    assert response.status_code == 400 and errors(response)


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [
        ("fr", "45,50", "45.50"),  # the French decimal comma (tour: refused once the box was text)
        ("fr", "1 234,5", "1234.50"),  # a space between thousands, a no-break one too
        ("fr", "1\u202f234,5 $", "1234.50"),
        ("en", "$1,234.50", "1234.50"),
        ("en", "45.5", "45.50"),
    ],
)
def test_a_wage_is_read_as_the_reader_types_it(app, client, owner, lang, typed, stored):
    client.post_form("/language", {"lang": lang})
    response = client.post_form("/roles/new", {**ROLE, "wage_amount": typed})
    assert response.status_code == 302, errors(response)
    with app.app_context():
        assert str(db.session.query(Position).one().wage_amount) == stored


@pytest.mark.parametrize(
    ("lang", "typed", "employees"), [("fr", "24 000 000", "1 200"), ("en", "$24,000,000", "1,200")]
)
def test_the_employers_revenue_and_staff_are_read_with_their_separators(
    app, client, owner, lang, typed, employees
):
    client.post_form("/language", {"lang": lang})
    data = {**ORG_DATA, "gross_annual_revenue": typed, "employees": employees}
    response = client.post_form("/org/edit", data)
    assert response.status_code == 302, errors(response)
    with app.app_context():
        org = db.session.query(Organization).one()
        assert (org.gross_annual_revenue, org.employees) == (24_000_000, 1200)


@pytest.mark.parametrize(
    ("typed", "lang"),
    [("1,234,5", "en"), ("1,000,00", "fr"), ("1.2,3", "fr"), ("4 5", "fr"), ("1.234.567", "fr")],
)
def test_a_number_typed_in_no_convention_is_refused_not_misread(app, client, owner, typed, lang):
    """Review finding: "1,234,5" was read as 12345, "4 5" as 45: a wage typed in no reader's convention
    is refused beside its field, what was typed kept, rather than saved as another number."""
    client.post_form("/language", {"lang": lang})
    response = client.post_form("/roles/new", {**ROLE, "wage_amount": typed})
    assert response.status_code == 400 and errors(response)
    assert count(app, Position) == 0
