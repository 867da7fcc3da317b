"""The person form's spouse facts (portal/people: the rules' worker.principal_* facts, kept in the transferee's
extra_facts) and the case page of a worker who applies for an open permit as the spouse or common-law partner
of a foreign worker (rules/README.md item 60), in English and in French."""

from __future__ import annotations

import html

from portal.extensions import db
from portal.models import Transferee
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE, errors

SPOUSE = {"principal_permit_code": "t44", "principal_country": "FR"}


def _spouse_case(client, person: dict) -> tuple[int, int]:
    response = client.post_form("/group/new", ENTERPRISE)
    assert response.status_code == 302
    assert client.post_form("/roles/new", ROLE).status_code == 302
    response = client.post_form("/transferees/new", person)
    assert response.status_code == 302, errors(response)
    tid = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form("/cases/new", {"transferee_id": str(tid), "position_id": "1"})
    assert response.status_code == 302
    return tid, int(response.location.rstrip("/").split("/")[-1])


def test_the_form_saves_the_partners_permit_and_the_case_page_shows_the_spouse_permit(app, client, owner):
    tid, case_id = _spouse_case(client, {**PERSON, **SPOUSE})
    with app.app_context():
        extra = db.session.get(Transferee, tid).extra_facts
    assert extra["worker.principal_permit_code"] == "T44" and extra["worker.principal_country"] == "FR"
    assert "worker.principal_noc_code" not in extra  # an empty field is no fact

    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="recommended-code">T45<' in page
    assert "Open work permit for a spouse or common-law partner" in page
    assert "CETA – spouses and common-law partners of intra-corporate transferees" in page
    assert "a worker holding T44 and applies for an open work permit (T45)" in page
    assert "No employer step: no offer of employment and no compliance fee." in page
    assert "open work permit holder fee ($100.00)" in page
    assert "spouse_open_permit" not in page  # the rules' key is said in words

    client.post_form("/language", {"lang": "fr"})
    french = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    client.post_form("/language", {"lang": "en"})
    assert 'id="recommended-code">T45<' in french
    assert "Permis de travail ouvert d'époux ou de conjoint de fait" in french
    assert "AECG – époux et conjoints de fait des personnes mutées" in french
    assert "titulaire du code T44 et demande un permis de travail ouvert (T45)" in french
    assert "R204a)" in french

    # the person's page and the form give the facts back
    person = html.unescape(client.get(f"/transferees/{tid}").get_data(as_text=True))
    assert "Code on the permit of the spouse or common-law partner" in person and "France" in person
    form = client.get(f"/transferees/{tid}/edit").get_data(as_text=True)
    assert 'name="principal_permit_code"' in form and 'value="T44"' in form
    assert "Spouse or common-law partner of a foreign worker" in form

    # the documents page: as for any open permit, no support letter to edit, the open permit's copy asked for
    docs = html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))
    assert 'id="edit-letter"' not in docs and "Copy of the worker's open work permit" in docs


def test_emptying_the_partners_code_removes_the_fact_and_the_spouse_permit(app, client, owner):
    tid, case_id = _spouse_case(client, {**PERSON, **SPOUSE})
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Open work permit for a spouse or common-law partner" in page
    response = client.post_form(f"/transferees/{tid}/edit", {**PERSON, "principal_permit_code": ""})
    assert response.status_code == 302, errors(response)
    with app.app_context():
        extra = db.session.get(Transferee, tid).extra_facts
    assert "worker.principal_permit_code" not in extra and "worker.principal_country" not in extra
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Open work permit for a spouse or common-law partner" not in page


def test_a_code_that_is_no_code_is_refused_beside_the_field(app, client, owner):
    response = client.post_form("/transferees/new", {**PERSON, "principal_permit_code": "T4"})
    assert response.status_code == 400
    assert any("a letter and two digits" in e for e in errors(response))
    response = client.post_form("/transferees/new", {**PERSON, "principal_noc_code": "99999"})
    assert response.status_code == 400


def test_a_case_waiting_only_on_the_partner_says_so(app, client, owner):
    """No code fits the job yet, and the partner's code is one two agreements used (T44, before 2022-12-15 CETA's
    and CUKTCA's): the page asks for the partner's country, and says why it asks, in English and in French."""
    role = {**ROLE, "title": "Server", "noc_code": "65200", "capacity": "other", "wage_amount": "18"}
    person = {
        **PERSON,
        "citizenships": ["IN"],
        "residence_country": "IN",
        "passport_country": "IN",
        "education_level": "secondary",
        "profession": "",
        "principal_permit_code": "T44",
    }
    response = client.post_form("/group/new", ENTERPRISE)
    assert client.post_form("/roles/new", role).status_code == 302
    response = client.post_form("/transferees/new", person)
    assert response.status_code == 302, errors(response)
    tid = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form("/cases/new", {"transferee_id": str(tid), "position_id": "1"})
    case_id = int(response.location.rstrip("/").split("/")[-1])
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'data-fact="worker.principal_country"' in page
    assert (
        "As the spouse or common-law partner of a foreign worker, the worker may get an open work permit"
        in page
    )
    client.post_form("/language", {"lang": "fr"})
    french = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    client.post_form("/language", {"lang": "en"})
    assert "le travailleur pourrait obtenir son propre permis de travail ouvert" in french
