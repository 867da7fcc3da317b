"""A transferee who is a Canadian citizen or permanent resident needs no work permit (rules route
``no_permit``): the case page says so in both languages, the case list names it, no support letter or
packet can be made (a clear 400, no document row) and the compliance page files no offer. Invented people."""

from __future__ import annotations

import html

from portal.extensions import db
from portal.models import Case, Document
from tests.helpers import count
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE, errors


def _case_of(client, person: dict) -> int:
    assert client.post_form("/group/new", ENTERPRISE).status_code == 302
    assert client.post_form("/roles/new", ROLE).status_code == 302
    response = client.post_form("/transferees/new", person)
    assert response.status_code == 302, errors(response)
    tid = int(response.location.rstrip("/").split("/")[-1])
    employment = {
        "foreign_enterprise_id": "1",
        "capacity": "executive",
        "job_title": "VP Operations",
        "start_date": "2022-01-10",
        "full_time": "y",
    }
    assert client.post_form(f"/transferees/{tid}/employment", employment).status_code == 302
    response = client.post_form("/cases/new", {"transferee_id": str(tid), "position_id": "1"})
    assert response.status_code == 302
    return int(response.location.rstrip("/").split("/")[-1])


def test_a_canadian_transferee_needs_no_permit_and_gets_no_documents(app, client, owner):
    case_id = _case_of(client, {**PERSON, "citizenships": ["US", "CA"]})
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.route == "no_permit" and case.recommended_code is None
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "No work permit needed" in page and "The worker is a Canadian citizen" in page
    assert "IRPA s. 30(1)" in page and "LMIA needed" not in page
    assert 'id="candidates"' not in page  # no code is considered: no empty "Codes considered"
    assert "No permit needed" in html.unescape(client.get("/cases/").get_data(as_text=True))

    documents = html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))
    assert 'id="no-documents"' in documents and 'id="request"' not in documents
    before = count(app, Document)
    response = client.post_form(
        f"/cases/{case_id}/documents", {"kind": "support_letter", "language": "en", "signatory_name": "A B"}
    )
    assert response.status_code == 400
    assert "there is no support letter or packet to make" in html.unescape(response.get_data(as_text=True))
    assert count(app, Document) == before

    compliance = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert 'id="submission-none"' in compliance and 'id="submission-form"' not in compliance
    assert 'id="triggers"' not in compliance and 'id="review-state"' not in compliance

    client.post_form("/language", {"lang": "fr"})
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Aucun permis de travail requis" in page and "citoyen canadien" in page and "LIPR" in page


def test_a_permanent_resident_of_canada_is_told_so(client, owner):
    case_id = _case_of(client, {**PERSON, "permanent_residences": ["CA"]})
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "No work permit needed" in page and "permanent resident of Canada" in page
