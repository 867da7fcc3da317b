"""The one "facts changed" step (portal.cases.changes.facts_changed): the roles, people and group services
save rows and know nothing of cases; the caller re-assesses the cases that use them (PostgreSQL)."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale

import rules
from portal.cases.changes import facts_changed
from portal.cases.decision import stored_columns
from portal.cli import headline
from portal.extensions import db
from portal.models import Case, ForeignEnterprise, Organization, Transferee, User
from portal.people.services import add_employment
from portal.roles.services import FIELDS, save_position
from portal.tenancy import Access
from rules.params import load_text
from tests.conftest import ORG_DATA
from tests.portal.test_cases import ENTERPRISE, PERSON, _create_case

ON = date(2026, 12, 1)


def _case(case_id: int) -> Case:
    return db.session.get(Case, case_id)


def test_a_service_saves_the_row_only_and_facts_changed_reassesses_its_cases(app, client, owner):
    case_id = _create_case(client)
    with app.app_context():
        case = _case(case_id)
        org, user = db.session.get(Organization, case.organization_id), db.session.get(User, owner.user_id)
        first = case.assessed_at
        data = {key: getattr(case.position, key) for key in FIELDS}
        save_position(
            org, {**data, "wage_amount": Decimal(99), "paid": "yes"}, actor=user, position=case.position
        )
        db.session.flush()
        assert _case(case_id).assessed_at == first  # the service did not touch the case
        assert facts_changed(org, position=case.position, on=ON) == [case]
        db.session.commit()
        case = _case(case_id)
        assert case.facts_snapshot["position"]["wage_hourly_cad"] == 99.0
        assert case.assessed_at > first and case.assessed_as_of == ON


def test_the_employment_history_and_the_group_company_pages_reassess_the_case(app, client, owner):
    case_id = _create_case(client)
    with app.app_context():
        transferee_id = _case(case_id).transferee_id
        assert len(_case(case_id).facts_snapshot["worker"]["employment"]) == 1
    response = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {
            "employer_name": "Invented Works",
            "country": "US",
            "start_date": "2015-01-05",
            "end_date": "2021-12-31",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        jobs = _case(case_id).facts_snapshot["worker"]["employment"]
        assert len(jobs) == 2
        employment = db.session.get(Transferee, transferee_id).employment
        record_id = next(r.id for r in employment if r.employer_name == "Invented Works")
    client.post_form(f"/transferees/{transferee_id}/employment/{record_id}/remove", {"confirmed": "1"})
    with app.app_context():
        assert len(_case(case_id).facts_snapshot["worker"]["employment"]) == 1
        enterprise_id = db.session.query(ForeignEnterprise.id).scalar()
        first = _case(case_id).assessed_at
    response = client.post_form(
        f"/group/{enterprise_id}/edit",
        {
            "name": "Rocky Invented Inc.",
            "country": "US",
            "relationship": "subsidiary",
            "countries_of_operation": ["US"],
            "doing_business": "yes",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert _case(case_id).assessed_at > first


def test_facts_changed_takes_the_access_or_the_organization_and_stays_in_it(
    app, client, owner, make_employer
):
    case_id = _create_case(client)
    other = make_employer(legal_name="Other Invented Ltd.")
    with app.app_context():
        case = _case(case_id)
        stranger = db.session.get(Organization, other.org_id)
        # Another organization's re-assessment never reaches this case, even named by its rows.
        assert facts_changed(stranger, position=case.position, on=ON) == []
        assert facts_changed(stranger, on=ON) == []
        user = db.session.get(User, owner.user_id)
        org = db.session.get(Organization, case.organization_id)
        add_employment(
            org,
            case.transferee,
            {"employer_name": "Invented Co", "country": "GB", "start_date": date(2010, 1, 1)},
            actor=user,
            on=ON,
        )
        changed = facts_changed(Access(organization=org), transferee=case.transferee, on=ON)
        assert [c.id for c in changed] == [case_id]
        assert [c.id for c in facts_changed(org, on=ON)] == [case_id]  # nothing named: every case


def test_editing_the_organization_reassesses_its_cases_when_an_employer_fact_changes(app, client, owner):
    """Employer facts live on the organization (employees, revenue: the R209.93 tier; the legal name):
    the organization's edit form re-assesses every case, and only when such a fact changed."""
    case_id = _create_case(client)
    with app.app_context():
        case = _case(case_id)
        assert case.assessment_in("en")["business_size"]["tier"] == "small"  # 40 employees
        first = case.assessed_at
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        form = {**ORG_DATA, "legal_name": org.legal_name, "business_number": org.business_number}
    # A change to no case fact (the telephone) re-assesses nothing.
    assert client.post_form("/org/edit", {**form, "telephone": "416-555-0100"}).status_code == 302
    with app.app_context():
        assert _case(case_id).assessed_at == first
    big = {**form, "employees": 450, "gross_annual_revenue": 80_000_000, "legal_name": "Grown Invented Inc."}
    assert client.post_form("/org/edit", big).status_code == 302
    with app.app_context():
        case = _case(case_id)
        assert case.assessed_at > first
        assert case.assessment_in("en")["business_size"]["tier"] == "large"
        assert case.facts_snapshot["employer"]["employees"] == 450
        assert case.facts_snapshot["employer"]["name"] == "Grown Invented Inc."


def test_facts_changed_for_an_organization_refuses_another_one(app, client, owner, make_employer):
    other = make_employer(legal_name="Other Invented Ltd.")
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        stranger = db.session.get(Organization, other.org_id)
        with pytest.raises(ValueError):
            facts_changed(org, organization=stranger, on=ON)


def test_the_transferee_page_and_an_import_update_reassess_the_persons_cases(app, client, owner):
    """The other owners of facts: the transferee's own form, and an import that updates a person already
    in the portal (a new job and a new citizenship from the file) re-assess that person's cases."""
    case_id = _create_case(client)
    with app.app_context():
        transferee_id = _case(case_id).transferee_id
        first = _case(case_id).assessed_at
    response = client.post_form(
        f"/transferees/{transferee_id}/edit", {**PERSON, "citizenships": ["US", "FR"]}
    )
    assert response.status_code == 302
    with app.app_context():
        assert set(_case(case_id).facts_snapshot["worker"]["citizenships"]) == {"US", "FR"}
        assert _case(case_id).assessed_at > first
    csv = (
        b"given_names,family_name,date_of_birth,citizenships,job_employer,job_country,job_title,job_start,job_end\n"
        b"Avery,Inventedname,1980-05-05,United States,Older Invented Co,US,Analyst,2001-01-01,2005-12-31\n"
    )
    page = client.post_form(
        "/import/transferees", {"file": (io.BytesIO(csv), "people.csv")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    token = re.search(r'action="/import/transferees/([A-Za-z0-9_-]+)/confirm"', page)
    assert token, page[:2000]
    response = client.post_form(f"/import/transferees/{token.group(1)}/confirm", {"update_existing": "y"})
    assert response.status_code == 302
    with app.app_context():
        jobs = _case(case_id).facts_snapshot["worker"]["employment"]
        assert [j["start_date"] for j in jobs if j.get("start_date") == "2001-01-01"], jobs


def test_a_tfwp_case_says_lmia_with_the_fee_and_where_the_reasons_are_never_that_answers_could_change_it(
    app, client, owner
):
    """TFWP is said only when every candidate failed on known facts (case 03 of the reference: a Mexican
    marketing manager, with only the place of application still asked): the page shows the LMIA fee and
    points to the reasons; it never claims that the open question could change the route."""
    reference = load_text(
        (Path(__file__).parents[1] / "rules/cases/case03-mexican-marketing-manager.yaml").read_text()
    )
    assessment = rules.assess(rules.facts_from_dict(reference["facts"]), date(2026, 11, 24))
    assert assessment.route == "TFWP" and assessment.to_dict()["questions"]  # a question is still open
    case_id = _create_case(client)
    with app.app_context():
        case = _case(case_id)
        case.assessment = rules.stored_form(assessment)
        case.route, case.recommended_code = "TFWP", None
        # the columns stored with it (cases.decision: what the page and the list say)
        case.likely_code, case.ict_blocked = stored_columns(case.assessment)
        case.open_questions = len(assessment.needed_questions)
        db.session.commit()
    for lang, fee, reasons in (("en", "$1,000", "Codes considered"), ("fr", "1\u00a0000", "Codes examinés")):
        page = client.get(f"/cases/{case_id}", headers={"Accept-Language": lang}).get_data(as_text=True)
        why = page.split('id="tfwp-why"', 1)[1].split("</p>", 1)[0]
        assert fee in why, why
        assert reasons in page.split('id="tfwp-reasons"', 1)[1].split("</p>", 1)[0]
        assert "could change that" not in page and "pourraient changer" not in page


def test_nothing_fits_while_an_open_permit_may_exist_reads_as_answers_needed_never_lmia(app, client, owner):
    """Audit of 2026-12-06: case 03 with the worker in Canada on a permit not yet described may already
    hold an open permit (no employer step at all): the page asks, says nothing is due, and does not say
    "LMIA needed"; the CLI's headline says the same."""
    reference = load_text(
        (Path(__file__).parents[1] / "rules/cases/case03-mexican-marketing-manager.yaml").read_text()
    )
    reference["facts"]["worker"].update(in_canada=True, current_permit_type=None)
    assessment = rules.assess(rules.facts_from_dict(reference["facts"]), date(2026, 11, 24))
    assert assessment.route == "pending" and not assessment.pending
    case_id = _create_case(client)
    with app.app_context():
        case = _case(case_id)
        case.assessment = rules.stored_form(assessment)
        case.route, case.recommended_code = "pending", None
        # the columns stored with it (cases.decision: what the page and the list say)
        case.likely_code, case.ict_blocked = stored_columns(case.assessment)
        case.open_questions = len(assessment.needed_questions)
        db.session.commit()
    for lang, heading, why in (
        ("en", "1 answer needed", "If the worker already holds an open work permit"),
        ("fr", "1 réponse requise", "Si le travailleur détient déjà un permis de travail ouvert"),
    ):
        page = html.unescape(
            client.get(f"/cases/{case_id}", headers={"Accept-Language": lang}).get_data(as_text=True)
        )
        assert heading in page.split('id="recommended-code"', 1)[1].split("</div>", 1)[0]
        assert why in page.split('id="pending-why"', 1)[1].split("</p>", 1)[0]
        assert 'id="tfwp-why"' not in page and "LMIA needed" not in page and "EIMT requise" not in page
        assert "open_permit" not in page.split('id="questions"', 1)[1]  # the rules' key, never shown
    with app.app_context(), force_locale("en"):
        assert headline(_case(case_id), assessment.to_dict("en")) == "1 answer needed"


def test_a_foreign_company_not_doing_business_is_said_before_any_other_code(app, client, owner):
    """Tour of 2026-12-07: the US executive's case, its group company recorded as not doing business, was
    headlined "Likely T35 — 3 answers needed" (CUSMA investors), which read as the way the transfer goes;
    the page says first that the intra-company codes fail and why, then the code that could still fit."""
    case_id = _create_case(client)
    enterprise = {**ENTERPRISE, "doing_business": "no"}
    assert client.post_form("/group/1/edit", enterprise).status_code == 302
    with app.app_context():
        a = _case(case_id).assessment_in("en")
    assert a["route"] == "pending" and a["pending"][0]["code"] not in {"T37", "C62"}  # the rules' outcome
    for lang, heading, why, other in (
        ("en", "No intra-company transfer", "recorded as not doing business", "Another code could still fit"),
        ("fr", "Pas de mutation intra-société", "inscrite comme n'exerçant pas d'activités", "Un autre code"),
    ):
        page = html.unescape(
            client.get(f"/cases/{case_id}", headers={"Accept-Language": lang}).get_data(as_text=True)
        )
        outcome = page.split('id="outcome"', 1)[1].split("</section>", 1)[0]
        assert heading in outcome.split('id="recommended-code"', 1)[1].split("</div>", 1)[0]
        blocked = outcome.split('id="ict-blocked"', 1)[1].split("</p>", 1)[0]
        assert why in blocked and "T37" in blocked and "C62" in blocked and 'href="/group/"' in blocked
        assert outcome.index('id="ict-blocked"') < outcome.index(a["pending"][0]["code"])
        assert other in outcome.split('id="pending-why"', 1)[1] and "Probablement" not in outcome
        assert "Likely" not in outcome
    with app.app_context(), force_locale("en"):
        assert headline(_case(case_id), a) == "No intra-company transfer"
    # every code failed (case 05 of the reference): the LMIA headline stands, the blocker is the first reason
    reference = load_text(
        (Path(__file__).parents[1] / "rules/cases/case05-ict-below-prevailing-wage.yaml").read_text()
    )
    reference["facts"]["foreign_enterprise"]["doing_business"] = False
    assessment = rules.assess(rules.facts_from_dict(reference["facts"]), date(2026, 11, 24))
    assert assessment.route == "TFWP"
    with app.app_context():
        case = _case(case_id)
        case.assessment = rules.stored_form(assessment)
        case.route, case.recommended_code = "TFWP", None
        # the columns stored with it (cases.decision: what the page and the list say)
        case.likely_code, case.ict_blocked = stored_columns(case.assessment)
        case.open_questions = len(assessment.needed_questions)
        db.session.commit()
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "LMIA needed" in page.split('id="recommended-code"', 1)[1].split("</div>", 1)[0]
    assert "C62" in page.split('id="ict-blocked"', 1)[1].split('id="tfwp-why"', 1)[0]


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        ("case11-italian-css", ("Annex 10-E", "annexe 10-E")),  # §8 item 12: CETA sector list
        ("case22-francophone-cook", ("C16", "C16")),  # §8 item 12: C16 status in 2026
    ],
)
def test_the_case_page_says_to_verify_where_an_unconfirmed_point_decides_the_outcome(
    app, client, owner, reference, words
):
    data = load_text((Path(__file__).parents[1] / f"rules/cases/{reference}.yaml").read_text())
    assessment = rules.assess(rules.facts_from_dict(data["facts"]), date.fromisoformat(str(data["as_of"])))
    assert assessment.to_dict()["to_verify"]
    case_id = _create_case(client)
    with app.app_context():
        case = _case(case_id)
        case.assessment = rules.stored_form(assessment)
        case.route, case.recommended_code = assessment.route, assessment.recommended
        # the columns stored with it (cases.decision: what the page and the list say)
        case.likely_code, case.ict_blocked = stored_columns(case.assessment)
        case.open_questions = len(assessment.needed_questions)
        db.session.commit()
    for lang, badge, word in (("en", "to verify", words[0]), ("fr", "à vérifier", words[1])):
        page = client.get(f"/cases/{case_id}", headers={"Accept-Language": lang}).get_data(as_text=True)
        assert 'id="to-verify"' in page, lang
        block = page.split('id="to-verify"', 1)[1].split("</section>", 1)[0]
        assert badge in block.lower() and word in block, block[:600]
