"""A transferee who is a Canadian citizen or permanent resident needs no work permit (rules route
``no_permit``): the case page says so in both languages, the case list names it, no support letter or
packet can be made (a clear 400, no document row) and the compliance page files no offer. Invented people."""

from __future__ import annotations

import html
import re
from datetime import date

from portal.cases import lifecycle
from portal.extensions import db
from portal.models import Case, Document, Review
from tests.helpers import count
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE, errors
from tests.portal.test_compliance import GOOD
from tests.portal.test_consult import accept, consultant, employer, engage, packet  # noqa: F401 - fixtures


def _why(page: str) -> str:
    """The outcome's own sentence (the side column says the reason too, in other words)."""
    found = re.search(r'<p class="mb-0" id="no-permit-why">(.*?)</p>', page, re.S)
    assert found, page[:3000]
    return found.group(1)


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
    assert "No work permit needed" in page
    assert _why(page).startswith(
        "The worker is a Canadian citizen, and only foreign nationals need a work permit"
    )
    assert "IRPA s. 30(1)" in page and "LMIA needed" not in page
    assert 'id="candidates"' not in page  # no code is considered: no empty "Codes considered"
    assert "No work permit needed" in html.unescape(client.get("/cases/").get_data(as_text=True))

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
    assert "Aucun permis de travail requis" in page and "LIPR" in page
    assert _why(page).startswith("Le travailleur est citoyen canadien, et seuls les étrangers")


def test_the_stage_of_a_case_needing_no_permit_says_so_not_draft(app, client, owner):
    """Its stage is "No work permit needed — nothing to file" (it read "Draft", as if something were left to
    do) on the case page, the case list and its stage filter and the dashboard's counts, in both languages."""
    case_id = _case_of(client, {**PERSON, "citizenships": ["US", "CA"]})
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'data-stage="no_permit">No work permit needed — nothing to file<' in page
    assert 'data-stage="draft"' not in page
    assert 'id="no-permit-nothing"' in page
    listed = html.unescape(client.get("/cases/").get_data(as_text=True))
    assert 'data-stage="no_permit">No work permit needed — nothing to file<' in listed
    assert 'data-stage="draft"' not in listed
    assert f"/cases/{case_id}" in client.get("/cases/?stage=no_permit").get_data(as_text=True)
    assert f"/cases/{case_id}" not in client.get("/cases/?stage=draft").get_data(as_text=True)
    dashboard = html.unescape(client.get("/dashboard").get_data(as_text=True))
    counts = dashboard.split('id="stage-counts"', 1)[1].split("</div>", 1)[0]
    assert "No work permit needed — nothing to file · 1" in counts and "Draft" not in counts
    with app.app_context():
        assert (
            lifecycle.recorded_stage(db.session.get(Case, case_id)) == "no_permit"
        )  # the history says it too

    client.post_form("/language", {"lang": "fr"})
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'data-stage="no_permit">Aucun permis de travail requis — rien à déposer<' in page
    assert ">Ébauche<" not in page
    assert "aucune offre d'emploi à présenter" in page.split('id="no-permit-nothing"', 1)[1]
    listed = html.unescape(client.get("/cases/").get_data(as_text=True))
    assert 'data-stage="no_permit">Aucun permis de travail requis — rien à déposer<' in listed


def test_a_permanent_resident_of_canada_is_told_so(client, owner):
    case_id = _case_of(client, {**PERSON, "permanent_residences": ["CA"]})
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "No work permit needed" in page
    assert _why(page).startswith("The worker is a permanent resident of Canada, and only foreign nationals")
    assert "Keep a copy of the permanent resident card" in _why(page)


def _found_canadian(client, app, case_id: int) -> None:
    """The worker turns out to hold Canadian citizenship too (a fact corrected on the person's page)."""
    with app.app_context():
        transferee_id = db.session.get(Case, case_id).transferee_id
    response = client.post_form(
        f"/transferees/{transferee_id}/edit", {**PERSON, "citizenships": ["US", "CA"]}
    )
    assert response.status_code == 302, errors(response)
    with app.app_context():
        assert db.session.get(Case, case_id).route == "no_permit"


def test_a_packet_made_before_the_worker_was_known_canadian_leads_nowhere(app, client, employer, consultant):  # noqa: F811
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    v1 = packet(client, case_id)
    with app.app_context():
        assert lifecycle.stage_of(db.session.get(Case, case_id), on=date(2026, 12, 6)) == "in_review"
    _found_canadian(client, app, case_id)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert lifecycle.stage_of(case, on=date(2026, 12, 6)) == "no_permit" and case.status == "draft"
    refused = rc.post_form(f"/documents/{v1}/review", {"decision": "approved", "as_it_is": "y"})
    assert refused.status_code == 400 and count(app, Review) == 0
    assert "there is nothing to approve for filing" in html.unescape(refused.get_data(as_text=True))


def test_a_filed_offer_keeps_its_code_and_calendar_when_the_worker_is_found_canadian(app, client, employer):  # noqa: F811
    _account, case_id = employer
    assert client.post_form(f"/cases/{case_id}/compliance", GOOD).status_code == 302
    _found_canadian(client, app, case_id)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.recommended_code is None and case.filing_code == "T37"  # pinned when the offer was filed
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "No work permit needed" in page
    assert "An offer was filed for this case under T37 (offer A1234567)" in page
    compliance = client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    assert 'id="submission-form"' in compliance and "2033-01-04" in compliance  # records kept six years
    assert "2033-01-04" in client.get("/calendar").get_data(as_text=True)
    later = client.post_form(f"/cases/{case_id}/compliance", {**GOOD, "permit_expiry_on": "2029-06-30"})
    assert later.status_code == 302


def _left_column(page: str) -> str:
    """The case page's left column (the questions, the codes considered; here, what no permit means)."""
    return page.split('<div class="col-lg-7">', 1)[1].split('<div class="col-lg-5">', 1)[0]


def test_the_left_column_of_a_case_needing_no_permit_says_what_it_means(app, client, owner):
    """The column had nothing in it (no question, no code considered): it now says plainly that no work
    permit, offer or letter is needed, why (the assessment's reason, with its source) and what the employer
    may keep on file, with where to keep it; in both languages, for a citizen and a permanent resident."""
    case_id = _case_of(client, {**PERSON, "citizenships": ["US", "CA"]})
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    column = _left_column(page)
    summary = column.split('id="no-permit-summary"', 1)[1]
    assert "No work permit needed" in summary
    assert "there is no offer of employment to file" in summary.split('id="no-permit-nothing"', 1)[1]
    reasons = summary.split('id="no-permit-reasons"', 1)[1].split("</ul>", 1)[0]
    assert (
        "The worker is a Canadian citizen: only foreign nationals need a work permit (IRPA s. 30(1))"
        in reasons
    )
    assert 'href="https://laws-lois.justice.gc.ca/eng/acts/I-2.5/section-30.html"' in reasons
    keep = summary.split('id="no-permit-keep"', 1)[1].split("</ul>", 1)[0]
    assert "Proof of Canadian citizenship or permanent residence" in keep
    assert f'href="/cases/{case_id}/documents#evidence"' in summary
    assert page.count("Proof of Canadian citizenship or permanent residence") == 1  # not again on the right

    client.post_form("/language", {"lang": "fr"})
    summary = _left_column(html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True)))
    assert "Aucun permis de travail requis" in summary and "Pourquoi" in summary
    assert "Ce que l'employeur peut conserver au dossier" in summary
    assert "seuls les étrangers" in summary.split('id="no-permit-reasons"', 1)[1]


def test_the_left_column_gives_a_permanent_resident_its_own_reason(client, owner):
    resident = _case_of(client, {**PERSON, "permanent_residences": ["CA"]})
    column = _left_column(html.unescape(client.get(f"/cases/{resident}").get_data(as_text=True)))
    assert "The worker is a permanent resident of Canada: only foreign nationals need a work permit" in column
