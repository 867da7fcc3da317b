"""A case whose outcome is an open work permit (here an invited IEC Working Holiday participant): the employer
files no offer, so the portal makes no support letter or packet. Its stage says so ("Open permit — nothing to
file", not "Ready for documents") on the case page, the case list and its stage filter and the dashboard; the
documents page offers no request and refuses one; the compliance page offers no packet. Invented people."""

from __future__ import annotations

import html

from portal.extensions import db
from portal.models import Case, Document
from tests.helpers import count
from tests.portal.document_helpers import refused_requests
from tests.portal.test_cases import PERSON, _create_case
from tests.portal.test_iec_headline import WORKING_HOLIDAY, YOUNG_FRENCH


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def _open_permit_case(app, client, monkeypatch) -> int:
    for key, value in YOUNG_FRENCH.items():
        monkeypatch.setitem(PERSON, key, value)
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", WORKING_HOLIDAY).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.route == "open_permit" and not case.open_questions
        assert case.status == "draft"  # not "ready": there is nothing to make documents for
    return case_id


def test_an_open_permit_case_has_nothing_to_file_and_no_documents_to_make(app, client, owner, monkeypatch):
    case_id = _open_permit_case(app, client, monkeypatch)

    page = _page(client, f"/cases/{case_id}")
    assert 'data-stage="open_permit">Open permit — nothing to file<' in page
    assert "Ready for documents" not in page
    assert 'id="open-permit-nothing"' in page

    listed = _page(client, "/cases/")
    assert 'data-stage="open_permit"' in listed and 'data-stage="ready_for_documents"' not in listed
    assert f"/cases/{case_id}" in _page(client, "/cases/?stage=open_permit")
    assert f"/cases/{case_id}" not in _page(client, "/cases/?stage=ready_for_documents")

    dashboard = _page(client, "/dashboard")
    counts = dashboard.split('id="stage-counts"', 1)[1].split("</div>", 1)[0]
    assert "Open permit — nothing to file · 1" in counts and "Ready for documents" not in counts
    documents_panel = dashboard.split('id="panel-documents"', 1)[1].split('id="panel-returned"', 1)[0]
    assert f"/cases/{case_id}" not in documents_panel

    documents = _page(client, f"/cases/{case_id}/documents")
    assert 'id="no-documents"' in documents and 'id="request-form"' not in documents
    assert "the employer files no offer of employment" in documents
    before = count(app, Document)
    for answer in refused_requests(client, case_id):
        assert "so there is no support letter or packet to make" in answer
    assert count(app, Document) == before

    compliance = _page(client, f"/cases/{case_id}/compliance")
    assert "Open work permit" in compliance and "Make one" not in compliance
    assert "there is no packet to review" in compliance
    assert "answer its open questions" not in compliance
    assert 'id="triggers"' not in compliance  # no offer, so no change "needs a new offer first"

    client.post_form("/language", {"lang": "fr"})
    page = _page(client, f"/cases/{case_id}")
    assert 'data-stage="open_permit">Permis ouvert — rien à déposer<' in page
    assert "Prêt pour les documents" not in page
    documents = _page(client, f"/cases/{case_id}/documents")
    assert "il n'y a donc ni lettre d'appui ni dossier à préparer" in documents
