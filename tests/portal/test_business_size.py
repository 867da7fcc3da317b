"""The R209.93 penalty tier (computed by rules) in words on the case page, in English and French, with
the thresholds of the rules' parameters (PostgreSQL)."""

from __future__ import annotations

import html
import re

from portal.cases import labels
from portal.extensions import db
from portal.models import Organization
from rules import params
from tests.conftest import ORG_DATA
from tests.portal.test_cases import _create_case


def _tier(client, case_id: int) -> str:
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    found = re.search(r'<li class="mb-1" id="business-size">(.*?)<span', page.get_data(as_text=True), re.S)
    assert found, "no R209.93 tier on the case page"
    return html.unescape(found.group(1)).strip()


def test_the_case_page_states_the_small_business_tier_in_both_languages(client, owner):
    case_id = _create_case(client)  # 40 employees
    assert _tier(client, case_id) == (
        "Small business (fewer than 100 employees or under $5 million gross annual revenue): "
        "the lower penalty tier of R209.93 applies."
    )
    assert client.post_form("/language", {"lang": "fr"}).status_code in (302, 303)
    assert _tier(client, case_id) == (
        "Petite entreprise (moins de 100 employés ou moins de 5 millions $ de revenus bruts annuels)\u00a0: "
        "le palier inférieur des sanctions de l'article 209.93 du RIPR s'applique."
    )


def test_the_tier_takes_its_numbers_from_the_parameters(client, owner, monkeypatch):
    case_id = _create_case(client)
    real = params.values_on
    changed = {
        "business_size_small_employees_below": 250,
        "business_size_small_revenue_below_cad": 12_500_000,
    }
    monkeypatch.setattr(labels.params, "values_on", lambda on: {**real(on), **changed})
    assert _tier(client, case_id).startswith(
        "Small business (fewer than 250 employees or under $12,500,000.00 gross annual revenue)"
    )


def test_a_large_employer_reads_the_higher_tier(app, client, owner):
    case_id = _create_case(client)
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        form = {**ORG_DATA, "legal_name": org.legal_name, "business_number": org.business_number}
    big = {**form, "employees": 450, "gross_annual_revenue": 80_000_000}
    assert client.post_form("/org/edit", big).status_code == 302
    assert _tier(client, case_id) == (
        "Not a small business (100 employees or more and $5 million or more gross annual revenue): "
        "the higher penalty tier of R209.93 applies."
    )
