"""Roles, transferees, group companies and cases: forms, services, re-assessment and isolation (PostgreSQL)."""

from __future__ import annotations

import html
import json
import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

import rules
from portal.cases.services import AnswersRefused, CaseError, answer_from_form, parse_answer
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    Document,
    EmploymentRecord,
    ForeignEnterprise,
    Organization,
    Position,
    Transferee,
    User,
)
from rules import noc
from rules.fields import BY_PATH
from tests.helpers import count
from tests.rules.test_stored import strings_in

AS_OF = date(2026, 11, 24)

ROLE = {
    "title": "Vice-President, Operations Canada",
    "noc_code": "00012",
    "capacity": "executive",
    "work_type": "regular",
    "wage_amount": "95",
    "wage_unit": "hour",
    "hours_per_week": "40",
    "prevailing_wage_hourly": "70",
    "street_address": "1 Example Square",
    "city": "Toronto",
    "province": "ON",
    "start_date": "2027-01-04",
    "duration_months": "36",
    "paid": "yes",
    "duties": "Runs the Canadian operations.",
}
PERSON = {
    "given_names": "Avery",
    "family_name": "Inventedname",
    "date_of_birth": "1980-05-05",
    "citizenships": ["US"],
    "residence_country": "US",
    "in_canada": "no",
    "current_permit_type": "none",
    "passport_number": "X1234567",
    "passport_country": "US",
    "education_level": "master",
    "profession": "Executive",
}
ENTERPRISE = {
    "name": "Rocky Invented Inc.",
    "country": "US",
    "relationship": "parent",
    "countries_of_operation": ["US", "GB"],
    "doing_business": "yes",
}


def errors(response) -> list[str]:
    return re.findall(r'invalid-feedback d-block">([^<]*)', response.get_data(as_text=True))


def _create_case(client):
    response = client.post_form("/group/new", ENTERPRISE)  # a second case reuses the recorded one (id 1)
    assert response.status_code == 302 or "already one of your group companies" in " ".join(errors(response))
    assert client.post_form("/roles/new", ROLE).status_code == 302
    response = client.post_form("/transferees/new", PERSON)
    assert response.status_code == 302
    tid = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form(
        f"/transferees/{tid}/employment",
        {
            "foreign_enterprise_id": "1",
            "capacity": "executive",
            "job_title": "VP Operations",
            "start_date": "2022-01-10",
            "full_time": "y",
        },
    )
    assert response.status_code == 302, errors(response)
    response = client.post_form("/cases/new", {"transferee_id": str(tid), "position_id": "1"})
    assert response.status_code == 302
    return int(response.location.rstrip("/").split("/")[-1])


def test_role_form_rejects_bad_input_beside_the_field_and_writes_nothing(app, client, owner):
    cases = [
        ({"noc_code": "99999"}, "516 five-digit NOC 2021 codes"),
        # a NOC 2016 code of several NOC 2021 groups names them (one of one group is taken as it: below)
        ({"noc_code": "2171"}, "21211 (Data scientists), 21220 (Cybersecurity specialists)"),
        ({"wage_amount": "-3"}, "cannot be negative"),
        ({"hours_per_week": "200"}, "Between 1 and 168"),
        ({"wage_unit": "year", "hours_per_week": ""}, "hours per week"),
        ({"title": ""}, "This field is required"),
        ({"start_date": "2027-02-31"}, "Not a valid date"),
        ({"start_date": "9999-12-31"}, "Give a date from"),  # a slip for 2029: no end date can follow it
        # tour of 2026-12-06: $99,999,999 an hour was saved; a slip of the amount or the unit
        ({"wage_amount": "99999999", "wage_unit": "hour"}, "$99,999,999.00 an hour: check the amount"),
        ({"wage_amount": "30000000", "wage_unit": "month"}, "an hour: check the amount and its unit"),
        ({"wage_amount": "120000", "wage_unit": "day"}, "Not a valid choice"),  # a tampered post: no 500
    ]
    events_before = count(app, AuditEvent)
    for change, message in cases:
        response = client.post_form("/roles/new", {**ROLE, **change})
        assert response.status_code == 400, change
        assert any(message in e for e in errors(response)), (change, errors(response))
    assert count(app, Position) == 0 and count(app, AuditEvent) == events_before
    # hours that are not a number get the one message about them, not also "give the hours"
    response = client.post_form("/roles/new", {**ROLE, "wage_unit": "year", "hours_per_week": "forty"})
    assert response.status_code == 400 and len(errors(response)) == 1, errors(response)
    assert count(app, Position) == 0


def test_a_paid_role_at_no_wage_is_refused_and_an_unpaid_one_saved(app, client, owner):
    """Tour: a paid role was saved at $0.00 (a slip for the amount), for its letter and offer to state."""
    response = client.post_form("/roles/new", {**ROLE, "wage_amount": "0", "wage_unit": "year"})
    assert response.status_code == 400
    assert errors(response) == ["A paid role's wage is more than $0: enter it, or answer No to “Paid?”."]
    assert count(app, Position) == 0
    for paid in ("no", ""):  # unpaid, or not known yet: nothing to contradict
        response = client.post_form(
            "/roles/new", {**ROLE, "title": f"Role {paid}", "wage_amount": "0", "paid": paid}
        )
        assert response.status_code == 302, errors(response)
    assert count(app, Position) == 2


def test_a_noc_2016_code_of_one_unit_group_is_saved_as_that_group(app, client, owner):
    """The form says a NOC 2016 code is mapped to NOC 2021: 2131 (civil engineers) and 0731 (managers in
    transportation) have one NOC 2021 unit group each, and were refused with "Enter one of them" (tour)."""
    for old, new in (("2131", "21300"), ("0731", "70020")):
        response = client.post_form("/roles/new", {**ROLE, "title": f"Role {old}", "noc_code": old})
        assert response.status_code == 302, errors(response)
        with app.app_context():
            saved = db.session.scalars(select(Position).where(Position.title == f"Role {old}")).one()
            assert saved.noc_code == new


def test_role_wage_is_converted_to_hourly(app, client, owner):
    client.post_form(
        "/roles/new", {**ROLE, "wage_amount": "104000", "wage_unit": "year", "hours_per_week": "40"}
    )

    with app.app_context():
        position = db.session.query(Position).one()
        assert position.wage_hourly == Decimal("50.00")
    assert "$50.00" in client.get("/roles/").get_data(as_text=True)  # money in the reader's format (en_CA)


def test_roles_are_archived_and_restored(app, client, owner):
    client.post_form("/roles/new", ROLE)
    listing = client.get("/roles/").get_data(as_text=True)
    assert 'data-confirm="Archive the role' in listing
    asked = client.post_form("/roles/1/archive", {"archived": "1"})  # asks first, changes nothing
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-page"' in page
    assert 'name="archived" value="1"' in page and 'name="confirmed" value="1"' in page
    assert ROLE["title"] in client.get("/roles/").get_data(as_text=True)
    assert client.post_form("/roles/1/archive", {"archived": "1", "confirmed": "1"}).status_code == 302
    assert ROLE["title"] not in client.get("/roles/").get_data(as_text=True)
    assert ROLE["title"] in client.get("/roles/?archived=1").get_data(as_text=True)
    client.post_form("/roles/1/archive", {"archived": "0"})
    assert ROLE["title"] in client.get("/roles/").get_data(as_text=True)


def test_noc_lookup_by_code_title_and_noc_2016(client, owner):
    by_title = client.get("/roles/noc?q=civil engineers").get_json()["results"]
    assert by_title[0]["code"] == "21300" and by_title[0]["title"] == "Civil engineers"
    assert by_title[0]["teer"] == 1 and by_title[0]["summary"].startswith("Civil engineers plan")
    by_2016 = client.get("/roles/noc?q=2131").get_json()["results"]
    assert by_2016[0]["code"] == "21300" and by_2016[0]["from_2016"] == "2131"


def test_opening_the_role_form_starts_building_the_job_title_index(client, owner, monkeypatch):
    """The first lookup would otherwise wait for the index (1.7 s of CPU): the form starts it in a thread."""
    built = noc._index()
    started = []
    monkeypatch.setattr(noc, "_INDEX", [])
    monkeypatch.setattr(noc, "_build_index", lambda: started.append(threading.current_thread().name) or built)
    assert client.get("/roles/new").status_code == 200
    for thread in threading.enumerate():
        if thread.name == "noc-index":
            thread.join(5)
    assert started == ["noc-index"]
    assert noc._INDEX[0] is built
    assert client.get("/roles/noc?q=civil engineers").get_json()["results"][0]["code"] == "21300"
    client.get("/roles/new")  # built: no second thread
    assert started == ["noc-index"]


def test_noc_lookup_by_the_job_titles_people_use_in_english_and_french(client, owner):
    found = client.get("/roles/noc?q=software engineering manager").get_json()["results"]
    assert found[0]["code"] == "20012" and found[0]["matched"] == "Software engineering manager"
    assert found[0]["title"] == "Computer and information systems managers" and found[0]["teer"] == 0
    assert client.get("/roles/noc?q=IT manager").get_json()["results"][0]["code"] == "20012"
    client.post_form("/language", {"lang": "fr"})
    found = client.get("/roles/noc?q=gestionnaire en génie logiciel").get_json()["results"]
    assert found[0]["code"] == "20012" and found[0]["title"] == "Gestionnaires des systèmes informatiques"
    assert found[0]["summary"].startswith("Exemples\u00a0: ")


def test_role_form_without_javascript_names_the_unit_groups_of_a_typed_job_title(app, client, owner):
    response = client.post_form("/roles/new", {**ROLE, "noc_code": "data scientist"})
    assert response.status_code == 400
    assert any("21211 Data scientists" in e for e in errors(response)), errors(response)
    assert count(app, Position) == 0


def test_french_pages_show_the_cnp_title(client, owner):
    client.post_form("/roles/new", {**ROLE, "noc_code": "20012"})
    assert "Computer and information systems managers" in client.get("/roles/").get_data(as_text=True)
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/roles/").get_data(as_text=True)
    assert "Gestionnaires des systèmes informatiques" in page
    assert "Computer and information systems managers" not in page
    page = client.get("/roles/1/edit").get_data(as_text=True)
    assert "20012 — Gestionnaires des systèmes informatiques (FEER 0)" in page


def test_transferee_form_rejects_bad_input_and_writes_nothing(app, client, owner):
    for change, message in [
        ({"citizenships": ["ZZ"]}, "not a valid choice"),
        ({"citizenships": []}, "at least one citizenship"),
        ({"passport_country": "FR"}, "one of the citizenships"),
        ({"french_nclc": "13"}, "0 to 12"),
        ({"date_of_birth": "yesterday"}, "Not a valid date"),
    ]:
        response = client.post_form("/transferees/new", {**PERSON, **change})
        assert response.status_code == 400, change
        assert any(message in e for e in errors(response)), (change, errors(response))
    assert count(app, Transferee) == 0


def test_employment_end_before_start_is_refused(app, client, owner):
    client.post_form("/transferees/new", PERSON)
    response = client.post_form(
        "/transferees/1/employment",
        {
            "employer_name": "Somewhere Else GmbH",
            "country": "DE",
            "start_date": "2024-05-01",
            "end_date": "2023-01-01",
        },
    )
    assert response.status_code == 400 and "before the start date" in " ".join(errors(response))
    assert count(app, EmploymentRecord) == 0


def test_transferee_search(client, owner):
    client.post_form("/transferees/new", PERSON)
    client.post_form(
        "/transferees/new",
        {**PERSON, "given_names": "Blake", "family_name": "Otherperson", "passport_number": "Z9"},
    )
    page = client.get("/transferees/?q=otherper").get_data(as_text=True)
    assert "Blake Otherperson" in page and "Avery Inventedname" not in page


@pytest.mark.parametrize("born", ["2030-01-01", "1800-01-01"])
def test_a_date_of_birth_answered_on_the_case_page_has_the_forms_bounds(app, client, owner, born):
    case_id = _create_case(client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        with pytest.raises(AnswersRefused) as refused:
            answer_from_form(
                case,
                db.session.get(Organization, case.organization_id),
                {"worker.date_of_birth": born},
                actor=None,
                on=date(2026, 12, 5),
            )
        assert refused.value.errors["worker.date_of_birth"].startswith(
            "A date of birth is in the past and at most 100 years ago: from 1926-12-05 to 2026-12-04."
        )
        assert str(db.session.get(Transferee, case.transferee_id).date_of_birth) == "1980-05-05"


@pytest.mark.parametrize("q", ["_", "%", "a_e", "%very"])
def test_transferee_search_takes_percent_and_underscore_as_themselves(client, owner, q):
    client.post_form("/transferees/new", PERSON)
    client.post_form("/transferees/new", {**PERSON, "given_names": "Blake", "profession": "Rate_100%"})
    assert "Blake Inventedname" in client.get("/transferees/").get_data(as_text=True)  # (the flash shown)
    page = client.get("/transferees/", query_string={"q": q}).get_data(as_text=True)
    assert "Avery Inventedname" not in page
    assert ("Blake Inventedname" in page) == (q in ("_", "%"))


def test_a_case_shows_its_assessment_and_saving_a_fact_reassesses_it(app, client, owner):
    case_id = _create_case(client)

    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.assessment_in("en")["ruleset_version"] and case.assessed_as_of is not None
        assert case.facts_snapshot["position"]["noc_code"] == "00012"
        assert case.facts_snapshot["worker"]["employment"][0]["with_foreign_enterprise"] is True
        first = case.assessed_at
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="recommended-code"' in page and "Avery Inventedname" in page
    # Changing the role re-assesses the case: the new wage is in its facts.
    client.post_form("/roles/1/edit", {**ROLE, "wage_amount": "97"})
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.facts_snapshot["position"]["wage_hourly_cad"] == 97.0
        assert case.assessed_at > first


def test_answering_questions_stores_the_facts_and_reassesses(app, client, owner):
    case_id = _create_case(client)

    with app.app_context():
        questions = [q["fact"] for q in db.session.get(Case, case_id).assessment_in("en")["questions"]]
    bools = [
        q
        for q in questions
        if q.startswith("employer.")
        and q in {"employer.actively_engaged", "employer.physical_premises", "employer.substantial_trade"}
    ]
    assert bools, questions
    response = client.post_form(f"/cases/{case_id}/answers", {bools[0]: "yes"})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert db.session.get(Organization, owner.org_id).extra_facts[bools[0]] is True  # the employer's fact
        assert bools[0] not in case.answers
        assert bools[0] not in [q["fact"] for q in case.assessment_in("en")["questions"]]
        assert case.facts_snapshot["employer"][bools[0].split(".")[1]] is True


def test_a_malformed_answer_gets_a_message_and_writes_nothing(app, client, owner):
    case_id = _create_case(client)

    with app.app_context():
        case = db.session.get(Case, case_id)
        questions = {q["fact"]: q for q in case.assessment_in("en")["questions"]}
        before = (
            dict(case.answers),
            case.assessed_at,
            dict(db.session.get(Organization, owner.org_id).extra_facts),
        )

    numeric = next(p for p in questions if BY_PATH[p].kind in ("int", "number"))
    other = next(p for p in questions if BY_PATH[p].kind == "bool")
    response = client.post_form(f"/cases/{case_id}/answers", {numeric: "lots", other: "yes"})
    assert response.status_code == 400
    assert "Enter a number." in response.get_data(as_text=True)  # what a number answer should be
    assert 'value="lots"' in response.get_data(as_text=True)  # what was typed is kept
    with app.app_context():
        case = db.session.get(Case, case_id)
        org = db.session.get(Organization, owner.org_id)
        assert (dict(case.answers), case.assessed_at, dict(org.extra_facts)) == before


def test_case_list_filters_by_status_code_and_open_questions(app, client, owner):
    case_id = _create_case(client)

    with app.app_context():
        case = db.session.get(Case, case_id)
        code, has_questions = case.recommended_code, case.open_questions > 0
    listing = client.get("/cases/").get_data(as_text=True)
    assert "Avery Inventedname" in listing
    filtered = client.get("/cases/?questions=" + ("no" if has_questions else "yes")).get_data(as_text=True)
    assert "Avery Inventedname" not in filtered
    assert "Avery Inventedname" in client.get(
        "/cases/?questions=" + ("yes" if has_questions else "no")
    ).get_data(as_text=True)
    assert "Avery Inventedname" not in client.get("/cases/?status=closed").get_data(as_text=True)
    if code:
        assert "Avery Inventedname" in client.get(f"/cases/?code={code}").get_data(as_text=True)
    assert "Avery Inventedname" not in client.get("/cases/?code=C99").get_data(as_text=True)


def test_case_page_is_in_french_too(client, owner):
    case_id = _create_case(client)
    client.post_form("/language", {"lang": "fr"})
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "La démarche de l'employeur" in page and "Questions en suspens" in page


def test_another_organization_gets_404_on_every_new_route(app, client, owner, make_employer, login):
    case_id = _create_case(client)

    with app.app_context():
        record_id = db.session.query(EmploymentRecord).one().id
    other = app.test_client()
    login(other, make_employer(legal_name="Other Invented Co."))
    gets = ["/group/1/edit", "/roles/1/edit", "/transferees/1", "/transferees/1/edit", f"/cases/{case_id}"]
    posts = [
        ("/group/1/edit", ENTERPRISE),
        ("/roles/1/edit", ROLE),
        ("/roles/1/archive", {}),
        ("/transferees/1/edit", PERSON),
        ("/transferees/1/employment", {"employer_name": "X", "start_date": "2020-01-01"}),
        (f"/transferees/1/employment/{record_id}/remove", {}),
        (f"/cases/{case_id}/answers", {"employer.actively_engaged": "yes"}),
    ]
    for url in gets:
        assert other.get(url).status_code == 404, url
    for url, data in posts:
        assert other.post_form(url, data).status_code == 404, url
    # Lists show nothing of organization A; a case cannot be opened on A's transferee and role.
    for url in ["/group/", "/roles/", "/transferees/", "/cases/"]:
        body = other.get(url).get_data(as_text=True)
        assert "Avery" not in body and "Rocky Invented" not in body and "Vice-President" not in body
    cases_before = count(app, Case)
    response = other.post_form("/cases/new", {"transferee_id": "1", "position_id": "1"})
    assert response.status_code == 400 and count(app, Case) == cases_before
    with app.app_context():
        assert db.session.get(Position, 1).title == ROLE["title"]
        assert db.session.get(ForeignEnterprise, 1).name == ENTERPRISE["name"]
        assert db.session.query(EmploymentRecord).count() == 1


@pytest.mark.parametrize(
    "url", ["/group/", "/roles/", "/roles/new", "/transferees/", "/cases/", "/cases/1", "/import/"]
)
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.location


def test_the_employer_may_file_under_another_code_that_fits(app, client, owner):
    case_id = _create_case(client)
    client.post_form(
        f"/cases/{case_id}/answers",
        {
            "employer.actively_engaged": "yes",
            "employer.physical_premises": "yes",
            "worker.retains_position_abroad": "yes",
            "worker.position_abroad_letter": "yes",
        },
    )
    refused = client.post_form(f"/cases/{case_id}/code", {"code": "T36"})
    assert refused.status_code == 400 and "codes that fit" in refused.get_data(as_text=True)
    assert client.post_form(f"/cases/{case_id}/code", {"code": "C62"}).status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="recommended-code">T37' in page and "Filed under C62" in page
    response = client.post_form(f"/cases/{case_id}/documents", {"kind": "support_letter", "language": "en"})
    assert response.status_code == 302

    with app.app_context():
        assert db.session.query(Document).one().snapshot["letter"]["code"] == "C62"
    # When the chosen code stops fitting (the job is no longer executive or managerial), it is dropped.
    client.post_form("/roles/1/edit", {**ROLE, "capacity": "specialized_knowledge"})
    with app.app_context():
        assert db.session.get(Case, case_id).chosen_code is None


PENDING_ANSWERS = {  # the needed answers of an Indian manager transferred from a US parent (C62)
    "employer.actively_engaged": "yes",
    "employer.physical_premises": "yes",
    "employer.start_up": "no",
    "worker.retains_position_abroad": "yes",
    "worker.position_abroad_letter": "yes",
    "worker.permanent_residences": ["NONE"],  # an explicit "none"
    "employer.reciprocity_agreement": "no",
    "position.significant_benefit": "no",
    "worker.french_nclc_speaking": "0",
    "worker.french_nclc_listening": "0",
    "worker.provincial_business_candidate": "no",
    "position.fta_listed_occupation": "no",
    "worker.specialized_knowledge": "no",
}


@pytest.fixture
def indian_case(client, owner, monkeypatch) -> int:
    """The signed-in owner's case of a citizen of India with an Indian passport (not CUSMA: the textbook
    R205 transfer); the test's other transferees (PERSON) are Indian too."""
    monkeypatch.setitem(PERSON, "citizenships", ["IN"])
    monkeypatch.setitem(PERSON, "passport_country", "IN")
    return _create_case(client)


def test_a_case_is_pending_not_tfwp_until_its_needed_questions_are_answered(app, client, indian_case):
    case_id = indian_case
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.route == "pending" and case.status == "draft"
        pending = case.assessment_in("en")["pending"]
        needed = [q for q in case.assessment_in("en")["questions"] if q["needed"]]
        assert pending[0]["code"] == "C62" and case.open_questions == len(needed) > 0
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f"Likely C62 — {len(needed)} answers needed" in page
    assert "LMIA needed" not in page and "Fee: $" not in page and "border-danger" not in page
    assert "Other codes that might also fit" in page
    assert 'value="NONE"' in page  # list questions accept an explicit "none"
    listing = client.get("/cases/").get_data(as_text=True)
    assert "case-pending" in listing and "Needs answers" in listing
    assert "Avery Inventedname" in client.get("/cases/?code=PENDING").get_data(as_text=True)
    assert "Avery Inventedname" not in client.get("/cases/?code=TFWP").get_data(as_text=True)

    for _round in range(4):
        with app.app_context():
            a = db.session.get(Case, case_id).assessment_in("en")
        needed = [q["fact"] for q in a["questions"] if q["needed"]]
        if not needed:
            break
        unplanned = [f for f in needed if f not in PENDING_ANSWERS]
        assert not unplanned, unplanned
        response = client.post_form(f"/cases/{case_id}/answers", {f: PENDING_ANSWERS[f] for f in needed})
        assert response.status_code == 302, errors(response)
    with app.app_context():
        case = db.session.get(Case, case_id)
        a = case.assessment_in("en")
        assert (case.route, case.recommended_code, a["complete"]) == ("IMP", "C62", True)
        assert case.open_questions == 0 and case.status == "ready"
        assert case.facts_snapshot["worker"]["permanent_residences"] == []
        assert case.transferee.permanent_residences == []  # the column still means "not given"
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="recommended-code">C62<' in page
    assert "case-pending" not in client.get("/cases/").get_data(as_text=True)


def test_none_and_countries_together_are_refused(app, client, indian_case):
    case_id = indian_case
    response = client.post_form(f"/cases/{case_id}/answers", {"worker.permanent_residences": ["NONE", "US"]})
    assert response.status_code == 400
    assert "not both" in response.get_data(as_text=True)


def _questions(case_id) -> list[str]:
    return [q["fact"] for q in db.session.get(Case, case_id).assessment_in("en")["questions"]]


def _same_person_again(app, client, case_id) -> tuple[int, int]:
    """(transferee id, the id of a second case of the case's transferee, on a new role)."""
    with app.app_context():
        transferee_id = db.session.get(Case, case_id).transferee_id
    return transferee_id, _another_case(app, client, transferee_id)


def _another_case(app, client, transferee_id=None):
    """A second case of the same employer: a new role, and a new transferee unless one is given."""
    response = client.post_form("/roles/new", {**ROLE, "title": "Director, Invented Projects"})
    assert response.status_code == 302, errors(response)
    with app.app_context():
        position_id = db.session.scalar(select(func.max(Position.id)))
    if transferee_id is None:
        response = client.post_form("/transferees/new", {**PERSON, "given_names": "Blake"})
        assert response.status_code == 302
        transferee_id = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form(
        "/cases/new", {"transferee_id": str(transferee_id), "position_id": str(position_id)}
    )
    assert response.status_code == 302, errors(response)
    return int(response.location.rstrip("/").split("/")[-1])


def test_an_employer_answer_is_stored_on_the_organization_and_asked_once(
    app, client, owner, make_employer, login, indian_case
):
    case_id = indian_case
    earlier_id = _another_case(app, client)  # an open case of the same employer, before the answer
    with app.app_context():
        assert "employer.actively_engaged" in _questions(case_id)
        assert "employer.actively_engaged" in _questions(earlier_id)
    response = client.post_form(f"/cases/{case_id}/answers", {"employer.actively_engaged": "yes"})
    assert response.status_code == 302, errors(response)
    later_id = _another_case(app, client)
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        assert org.extra_facts == {"employer.actively_engaged": True}
        for other in (case_id, earlier_id, later_id):  # re-assessed, or assessed with the fact
            assert "employer.actively_engaged" not in _questions(other)
            assert db.session.get(Case, other).facts_snapshot["employer"]["actively_engaged"] is True
            assert db.session.get(Case, other).answers == {}
    # Another employer is unaffected: the fact stays unknown there.
    other_owner = make_employer(legal_name="Other Invented Employer Inc.")
    other_client = app.test_client()
    login(other_client, other_owner)
    foreign_id = _another_case(app, other_client)
    with app.app_context():
        assert db.session.get(Organization, other_owner.org_id).extra_facts == {}
        assert "actively_engaged" not in db.session.get(Case, foreign_id).facts_snapshot["employer"]


def test_a_worker_answer_shows_on_every_case_of_the_transferee(app, client, indian_case):
    case_id = indian_case
    transferee_id, second_id = _same_person_again(app, client, case_id)
    other_person_id = _another_case(app, client)
    with app.app_context():
        assert "worker.provincial_business_candidate" in _questions(second_id)
    response = client.post_form(
        f"/cases/{case_id}/answers",
        {"worker.provincial_business_candidate": "no", "worker.permanent_residences": ["NONE"]},
    )
    assert response.status_code == 302, errors(response)
    with app.app_context():
        second = db.session.get(Case, second_id)
        assert second.facts_snapshot["worker"]["provincial_business_candidate"] is False
        assert second.facts_snapshot["worker"]["permanent_residences"] == []  # "none", not unknown
        assert "worker.provincial_business_candidate" not in _questions(second_id)
        assert db.session.get(Transferee, transferee_id).permanent_residences == []
        other = db.session.get(Case, other_person_id)  # another transferee: still unknown
        assert "provincial_business_candidate" not in other.facts_snapshot["worker"]
        assert "permanent_residences" not in other.facts_snapshot["worker"]


def test_a_fact_of_this_transfer_only_stays_on_the_case(app, client, indian_case):
    case_id = indian_case
    _transferee_id, second_id = _same_person_again(app, client, case_id)
    response = client.post_form(f"/cases/{case_id}/answers", {"worker.retains_position_abroad": "yes"})
    assert response.status_code == 302, errors(response)
    with app.app_context():
        assert db.session.get(Case, case_id).answers == {"worker.retains_position_abroad": True}
        assert "retains_position_abroad" not in db.session.get(Case, second_id).facts_snapshot["worker"]


@pytest.mark.parametrize(
    ("path", "message"),
    [("employer.actively_engaged", "not in the expected form"), ("employer.employees", "Enter a number.")],
)
def test_a_list_where_one_answer_is_expected_is_refused_with_a_message(app, path, message):
    """Only country lists take several values; a list for a yes/no or a number is the caller's mistake,
    answered like any malformed answer (it raised TypeError, a 500, before)."""
    with app.app_context(), pytest.raises(CaseError, match=message):
        parse_answer(path, ["yes"])


def _criterion_links(page: str) -> list[str]:
    body = page.split('id="candidates"', 1)[1].split("</section>", 1)[0]
    return [
        html.unescape(u) for u in re.findall(r'<li class="mb-2">.*?— <a href="([^"]+)"', body, flags=re.S)
    ]


# What a case row may hold of the rules' texts: none. Every text of the displayed assessment is longer
# than a criterion id, so a stored row that held them again would contain one of these.
def _texts(displayed: dict) -> set[str]:
    found = {cr["text"] for c in displayed["candidates"] for cr in c["criteria"]}
    found |= {c["label"] for c in displayed["candidates"]} | {e["text"] for e in displayed["excluded"]}
    found |= {q["question"] for q in displayed["questions"]} | set(displayed["evidence"])
    found |= {o["text"] for o in displayed["obligations"]} | {w["text"] for w in displayed["warnings"]}
    return found


def test_a_case_stores_its_assessment_without_the_rules_texts(app, client, owner):
    """The case row holds the assessment's language-neutral form (the outcome, each criterion's value, the
    questions' facts, the warnings' ids): no text in English or French, a few kB instead of ~64 kB."""
    case_id = _create_case(client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        stored = case.assessment
        assert rules.is_stored_form(stored) and "en" not in stored and "fr" not in stored
        full = rules.assess(rules.facts_from_dict(case.facts_snapshot), as_of=case.assessed_as_of).to_dicts()
        texts = _texts(full["en"]) | _texts(full["fr"])
        assert len(texts) > 50
        assert not texts & strings_in(stored)
        assert len(json.dumps(stored)) < 8_000 < len(json.dumps(full)) // 4


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_displayed_assessment_is_the_rules_output_for_the_stored_facts(app, client, owner, lang):
    """What pages and documents read (``assessment_in``) is the rules engine's ``to_dict(lang)`` on the
    facts the case stored, as of its date: in English and in French, every key and text."""
    case_id = _create_case(client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        direct = rules.assess(rules.facts_from_dict(case.facts_snapshot), as_of=case.assessed_as_of)
        expected = json.loads(json.dumps(direct.to_dict(lang)))
        assert case.assessment_in(lang) == expected
        assert expected["lang"] == lang and expected["candidates"]
        # each reader gets its own copy: changing one does not change what the next reader gets
        case.assessment_in(lang)["candidates"].clear()
        assert case.assessment_in(lang) == expected


def test_the_case_page_links_every_criterion_from_either_stored_shape(app, client, owner):
    """The page links every criterion to the rules' address; a row stored before migration 0014 (both
    languages, a criterion's address left out when it was its code's) shows the same links."""
    case_id = _create_case(client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        full = rules.assess(rules.facts_from_dict(case.facts_snapshot), as_of=case.assessed_as_of).to_dicts()
        expected = [cr["citation"]["url"] for c in full["en"]["candidates"] for cr in c["criteria"]]
    assert expected
    assert _criterion_links(client.get(f"/cases/{case_id}").get_data(as_text=True)) == expected
    for lang in full.values():  # the shape stored before 0014
        for candidate in lang["candidates"]:
            for criterion in candidate["criteria"]:
                if criterion["citation"]["url"] == candidate["citation"]["url"]:
                    del criterion["citation"]["url"]
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.assessment = full
        db.session.commit()
    assert _criterion_links(client.get(f"/cases/{case_id}").get_data(as_text=True)) == expected


def _given(page: str) -> str:
    """The case page's section of the answers given before ('' when it has none)."""
    if 'id="given-answers"' not in page:
        return ""
    return page.split('id="given-answers"', 1)[1].split("</section>", 1)[0]


def test_a_given_answer_is_shown_and_changing_it_reassesses_the_case(app, client, owner):
    case_id = _create_case(client)
    path = "employer.actively_engaged"
    assert client.post_form(f"/cases/{case_id}/answers", {path: "yes"}).status_code == 302
    given = _given(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert f'data-fact="{path}"' in given and "<strong>Yes</strong>" in given
    assert 'value="yes" selected' in given  # the same input as the question, holding the answer
    with app.app_context():
        before = db.session.get(Case, case_id).assessed_at

    response = client.post_form(f"/cases/{case_id}/answers", {"given": path, path: "no"})
    assert response.status_code == 302, errors(response)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert db.session.get(Organization, owner.org_id).extra_facts[path] is False
        assert case.facts_snapshot["employer"]["actively_engaged"] is False and case.assessed_at > before
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.answered").order_by(AuditEvent.id.desc())
        ).first()
        assert event.data == {path: False}
    given = _given(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "<strong>No</strong>" in given and 'value="no" selected' in given


def test_clearing_a_given_answer_asks_its_question_again(app, client, indian_case):
    case_id = indian_case
    path = "worker.retains_position_abroad"  # kept on the case itself
    assert client.post_form(f"/cases/{case_id}/answers", {path: "yes"}).status_code == 302
    with app.app_context():
        assert path not in _questions(case_id)
    response = client.post_form(f"/cases/{case_id}/answers", {"given": path, path: ""})
    assert response.status_code == 302, errors(response)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert path not in case.answers and path in _questions(case_id)
        assert "retains_position_abroad" not in case.facts_snapshot["worker"]
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.answered").order_by(AuditEvent.id.desc())
        ).first()
        assert event.data == {path: None}
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'data-fact="{path}"' not in _given(page) and f'data-fact="{path}"' in page


def test_another_employer_cannot_change_a_given_answer(app, client, owner, make_employer, login):
    case_id = _create_case(client)
    path = "employer.actively_engaged"
    client.post_form(f"/cases/{case_id}/answers", {path: "yes"})
    other = app.test_client()
    login(other, make_employer(legal_name="Other Invented Co."))
    assert other.post_form(f"/cases/{case_id}/answers", {"given": path, path: "no"}).status_code == 404
    assert other.post_form(f"/cases/{case_id}/answers", {"given": path, path: ""}).status_code == 404
    assert other.get(f"/cases/{case_id}").status_code == 404
    with app.app_context():
        assert db.session.get(Organization, owner.org_id).extra_facts[path] is True


def test_every_bad_answer_is_named_at_once_in_the_readers_language_and_nothing_is_saved(
    app, client, indian_case
):
    case_id = indian_case
    with app.app_context():
        case = db.session.get(Case, case_id)
        bounded = [
            p
            for p in _questions(case_id)
            if p in BY_PATH and BY_PATH[p].kind in ("int", "number") and BY_PATH[p].maximum is not None
        ]
        before = (dict(case.answers), case.assessed_at, dict(case.transferee.extra_facts))
    assert len(bounded) >= 2, bounded
    sent = {p: str(int(BY_PATH[p].maximum) + 87) for p in bounded}
    decimal = next((p for p in bounded if BY_PATH[p].kind == "number"), None)
    if decimal:
        sent[decimal] = "1e400"
    client.post_form("/language", {"lang": "fr"})
    response = client.post_form(f"/cases/{case_id}/answers", sent)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    found = errors(response)
    assert len(found) == len(sent), found
    for p in bounded:
        spec = BY_PATH[p]
        assert f"Entre {spec.minimum:g} et {spec.maximum:g}." in found, (p, found)
        assert f'value="{sent[p]}"' in page  # what was typed is kept
    assert "must be" not in page and "expected a finite number" not in page
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (dict(case.answers), case.assessed_at, dict(case.transferee.extra_facts)) == before


def test_a_role_stored_with_a_start_in_9999_still_opens_a_case_and_its_page(app, client, owner):
    """A start typed as 9999 and stored before the form refused it (or by an older import): the end date
    (start + the months) is past the calendar. Opening a case on the role answered 500 ("year 10002 is
    out of range"); the role's end is now simply not known."""
    case_id = _create_case(client)
    with app.app_context():
        position = db.session.get(Position, 1)
        position.start_date, position.duration_months = date(9999, 12, 31), 36
        db.session.commit()
    response = client.post_form(f"/cases/{case_id}/answers", {"employer.actively_engaged": "yes"})
    assert response.status_code == 302, errors(response)  # answered and assessed again: no 500
    assert client.get(f"/cases/{case_id}").status_code == 200
    with app.app_context():
        assert db.session.get(Case, case_id).facts_snapshot["employer"]["actively_engaged"] is True


def test_an_ownership_answer_reads_as_people_type_it_and_says_its_form_when_it_cannot(app, client, owner):
    """The percent-per-country answer: "US 60 %, CA 40%" reads as US:60, CA:40; words ("60% American")
    get the message that shows the form (not "not in the expected form"), and the form is shown under
    the box before anything is typed."""
    with app.app_context():
        assert parse_answer("employer.ownership_by_nationality", "US 60 %, ca=40%") == {
            "US": 60.0,
            "CA": 40.0,
        }
        assert parse_answer("employer.ownership_by_nationality", "US:60;CA:40") == {"US": 60.0, "CA": 40.0}
        with pytest.raises(CaseError, match=r"country code and a percent .*\(US:60, CA:40\)"):
            parse_answer("employer.ownership_by_nationality", "60% American, 40% Canadian")
        with pytest.raises(CaseError, match="Enter a date as YYYY-MM-DD"):
            parse_answer("position.start_date", "next spring")
    # shares of one whole (tour of 2026-12-06: "DE:90, CA:90" was stored): refused with the reason, as the
    # rules refuse them; a rounded third each is accepted
    response = client.post_form(
        f"/cases/{_create_case(client)}/answers", {"employer.ownership_by_nationality": "DE:90, CA:90"}
    )
    assert response.status_code == 400
    assert "add up to more than 100%" in html.unescape(response.get_data(as_text=True))
    ok = client.post_form(
        f"/cases/{_create_case(client)}/answers",
        {"employer.ownership_by_nationality": "DE:33.4, FR:33.3, CA:33.4"},
    )
    assert ok.status_code == 302  # thirds, typed rounded
    # the rules take a stored answer as it is: one saved before this check never stops a re-assessment
    rules.facts_from_dict({"employer": {"ownership_by_nationality": {"DE": 90, "CA": 90}}})


def test_a_date_answer_far_from_today_is_refused_like_on_the_forms(app, client, owner):
    case_id = _create_case(client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        org = db.session.get(Organization, owner.org_id)
        user = db.session.get(User, owner.user_id)
        with pytest.raises(AnswersRefused) as refused:
            answer_from_form(
                case, org, {"worker.current_permit_expiry": "9999-01-01"}, actor=user, on=date(2026, 12, 5)
            )
        assert (
            "Give a date from 1966-12-05 to 2046-12-05."
            in refused.value.errors["worker.current_permit_expiry"]
        )


def test_a_second_case_of_the_same_person_in_the_same_role_is_opened_on_purpose_only(app, client, owner):
    """Browser tours of 2026-12-06: the same person and role were opened again, beside a case with an
    approved packet and an issued permit, without a word; then with a word, but after the second case
    was made. A second case stays allowed (a new assignment, a renewal), once the box says it is meant:
    until then the form says which case exists and nothing is written."""
    first = _create_case(client)
    with app.app_context():
        case = db.session.get(Case, first)
        data = {"transferee_id": str(case.transferee_id), "position_id": str(case.position_id)}
    cases, events = count(app, Case), count(app, AuditEvent)
    refused = client.post_form("/cases/new", data)
    assert refused.status_code == 400
    page = html.unescape(refused.get_data(as_text=True))
    assert f"already has a case for this role (case {first})" in page
    assert 'name="again"' in page  # the box to tick, shown with the word
    assert count(app, Case) == cases and count(app, AuditEvent) == events
    response = client.post_form("/cases/new", {**data, "again": "y"})
    assert response.status_code == 302
    page = html.unescape(client.get(response.location).get_data(as_text=True))
    assert f"already has a case for this role (case {first})" in page
    assert count(app, Case) == cases + 1
    third = client.post_form("/cases/new", data)  # the next one names both
    assert third.status_code == 400 and f"(case {first}, " in html.unescape(third.get_data(as_text=True))
    # another role for the same person is no second case
    assert 'name="again"' not in client.get("/cases/new").get_data(as_text=True)


def test_the_countries_where_a_group_company_operates_are_outside_canada(app, client, owner):
    """Tour of 2026-12-06: Canada was accepted, and the letter said the group operates in "Germany, Canada"."""
    response = client.post_form("/group/new", {**ENTERPRISE, "countries_of_operation": ["US", "CA"]})
    assert response.status_code == 400
    assert "List the countries outside Canada" in html.unescape(response.get_data(as_text=True))
    assert count(app, ForeignEnterprise) == 0


def test_a_group_company_already_recorded_is_refused_on_create_and_edit(
    app, client, owner, make_employer, login
):
    """Tour: the same company in the same country was added twice; the lists showed two identical entries."""
    assert client.post_form("/group/new", ENTERPRISE).status_code == 302
    duplicate = (
        "Rocky Invented Inc. (United States) is already one of your group companies: edit that one instead."
    )
    response = client.post_form("/group/new", {**ENTERPRISE, "name": "  ROCKY invented inc. "})
    assert response.status_code == 400
    assert errors(response) == [duplicate]
    assert 'value="ROCKY invented inc."' in response.get_data(as_text=True)  # what was typed is kept
    assert count(app, ForeignEnterprise) == 1
    # the same name in another country is another company; so is the same one at another employer
    response = client.post_form("/group/new", {**ENTERPRISE, "country": "GB"})
    assert response.status_code == 302, errors(response)
    assert client.post_form("/group/new", {**ENTERPRISE, "name": "Other Invented Ltd."}).status_code == 302
    with app.app_context():
        ids = {e.country + e.name: e.id for e in db.session.scalars(select(ForeignEnterprise))}
    # saving a company unchanged is no duplicate of itself; renaming it as another one is
    first = ids["USRocky Invented Inc."]
    assert (
        client.post_form(f"/group/{first}/edit", {**ENTERPRISE, "name": "Rocky invented INC."}).status_code
        == 302
    )
    other = ids["USOther Invented Ltd."]
    response = client.post_form(f"/group/{other}/edit", ENTERPRISE)
    assert response.status_code == 400
    assert errors(response) == [duplicate.replace("Rocky Invented Inc.", "Rocky invented INC.")]
    client.post_form("/logout")
    login(client, make_employer())
    response = client.post_form("/group/new", ENTERPRISE)
    assert response.status_code == 302, errors(response)
    assert count(app, ForeignEnterprise) == 4


@pytest.mark.parametrize(
    ("typed", "message"), [("1e999", "This number is too large."), ("nan", "Enter a number.")]
)
def test_an_infinite_or_nan_number_answer_is_named_as_such(app, client, owner, typed, message):
    """ "1e999" reads as infinity: the answer was refused as "0 or more.", which it is."""
    assert BY_PATH["worker.experience_years"].kind == "number"
    case_id = _create_case(client)
    response = client.post_form(f"/cases/{case_id}/answers", {"worker.experience_years": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "0 or more." not in page
