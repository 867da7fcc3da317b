"""A case whose assessment still waits for answers (the rules' pending route: no code decided yet): its
documents page offered the request form, and a request was refused only once sent, with a message naming no
place to answer. The page now says that the letter and the packet can be asked once the missing answers are
given, with a link to the case page's questions, and shows no form; a request sent anyway is refused (400)
with the same reason and makes no row (``eligibility.no_documents``, the rule the page, the letter editor and the request share).
English and French; invented people."""

from __future__ import annotations

import html

from portal.extensions import db
from portal.models import AuditEvent, Case, Document
from tests.helpers import count
from tests.portal.document_helpers import refused_requests
from tests.portal.test_cases import _create_case

ANSWERS_FIRST = "No LMIA exemption code is decided yet"


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_a_case_waiting_for_answers_is_sent_to_its_questions_instead_of_a_request_form(app, client, owner):
    case_id = _create_case(client)  # the executive's facts leave questions open: no code fits yet
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.route == "pending" and case.open_questions > 0
        needed = case.open_questions

    documents = _page(client, f"/cases/{case_id}/documents")
    assert 'id="request-form"' not in documents and 'id="request"' not in documents
    card = documents.split('id="no-documents"', 1)[1].split("</section>", 1)[0]
    assert "No document to make yet" in card and ANSWERS_FIRST in card
    assert f'href="/cases/{case_id}#questions"' in card
    assert f"Give the {needed} missing answers on the case page" in card
    # the questions the link leads to are on the case page
    assert 'id="questions"' in _page(client, f"/cases/{case_id}")

    before, events = count(app, Document), count(app, AuditEvent)
    for answer in refused_requests(client, case_id):
        assert ANSWERS_FIRST in answer and 'id="request-form"' not in answer
    assert count(app, Document) == before and count(app, AuditEvent) == events
    # the letter's editor gives the same reason (editing.draft, which every request goes through)
    editor = client.get(f"/cases/{case_id}/letter/en", follow_redirects=True)
    assert editor.status_code == 200 and ANSWERS_FIRST in html.unescape(editor.get_data(as_text=True))

    client.post_form("/language", {"lang": "fr"})
    documents = _page(client, f"/cases/{case_id}/documents")
    assert 'id="request-form"' not in documents
    card = documents.split('id="no-documents"', 1)[1].split("</section>", 1)[0]
    assert "Aucun document à produire pour l'instant" in card
    assert "Aucun code de dispense d'EIMT n'est encore retenu" in card
    assert f"Donner les {needed} réponses manquantes sur la page du dossier" in card
