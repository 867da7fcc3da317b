"""A case no LMIA exemption fits (the rules' TFWP route: an LMIA is needed): the documents page offered the
request form and refused only once it was sent ("Answer the open questions first", though none was open).
It now says why no IMP letter or packet applies and what to do (check the facts, apply to ESDC for an LMIA,
the worker then applies for the permit), without the form; a request sent anyway is refused with the same
reason and makes no row. English and French; invented people (case 03 of the reference)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import rules
from portal.cases.decision import stored_columns
from portal.extensions import db
from portal.models import Case, Document, Review
from rules.params import load_text
from tests.helpers import count
from tests.portal.document_helpers import refused_requests
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import accept, consultant, employer, engage, packet  # noqa: F401 - fixtures


def _tfwp_case(app, client) -> int:
    """A case given the reference's LMIA outcome (a Mexican marketing manager: every code fails on a known fact)."""
    reference = load_text(
        (Path(__file__).parents[1] / "rules/cases/case03-mexican-marketing-manager.yaml").read_text()
    )
    assessment = rules.assess(rules.facts_from_dict(reference["facts"]), date(2026, 11, 24))
    assert assessment.route == "TFWP"
    case_id = _create_case(client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.assessment = rules.stored_form(assessment)
        case.route, case.recommended_code = "TFWP", None
        case.likely_code, case.ict_blocked = stored_columns(case.assessment)
        case.open_questions = len(assessment.needed_questions)
        db.session.commit()
    return case_id


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_an_lmia_case_is_told_what_to_do_instead_of_getting_a_request_form(app, client, owner):
    case_id = _tfwp_case(app, client)

    documents = _page(client, f"/cases/{case_id}/documents")
    assert 'id="request-form"' not in documents and 'id="request"' not in documents
    card = documents.split('id="no-documents"', 1)[1].split("</section>", 1)[0]
    assert "No LMIA exemption fits this case" in card
    assert "Labour Market Impact Assessment (LMIA) from ESDC" in card
    steps = card.split('id="tfwp-steps"', 1)[1]
    assert f'href="/cases/{case_id}#outcome"' in steps  # why each code fails, on the case page
    assert "processing fee of $1,000.00 per position" in steps
    assert (
        'href="https://www.canada.ca/en/employment-social-development/services/foreign-workers.html"' in steps
    )
    assert "no offer of employment is filed in IRCC's Employer Portal" in steps
    # the evidence an LMIA application needs stays listed (the rules' checklist for the TFWP)
    assert "LMIA application to ESDC" in documents.split('id="evidence"', 1)[1]

    before = count(app, Document)
    for answer in refused_requests(client, case_id):
        assert "No LMIA exemption fits this case" in answer and "Answer the open questions" not in answer
    assert count(app, Document) == before

    client.post_form("/language", {"lang": "fr"})
    documents = _page(client, f"/cases/{case_id}/documents")
    assert 'id="request-form"' not in documents
    card = documents.split('id="no-documents"', 1)[1].split("</section>", 1)[0]
    assert "Aucune dispense d'EIMT ne s'applique à ce dossier" in card
    assert "frais de traitement de 1\u00a0000,00\u00a0$ par poste" in card
    assert "Que faire" in card


def test_an_lmia_case_reads_lmia_needed_not_draft_in_its_page_the_list_and_the_filter(app, client, owner):
    """The stage of a case no exemption fits read "Draft", as if it were still being written."""
    case_id = _tfwp_case(app, client)
    page = _page(client, f"/cases/{case_id}")
    assert 'data-stage="lmia_needed"' in page and "LMIA needed — nothing to file here" in page
    assert 'data-stage="draft"' not in page
    # no code above it: its questions card does not speak of one
    questions = page.split('id="questions"', 1)[1].split("</section>", 1)[0]
    assert "every code considered fails on a fact already known" in questions
    assert "The code above" not in questions
    listed = _page(client, "/cases/?stage=lmia_needed")
    assert f'href="/cases/{case_id}"' in listed and 'data-stage="lmia_needed"' in listed
    assert f'href="/cases/{case_id}"' not in _page(client, "/cases/?stage=draft")
    client.post_form("/language", {"lang": "fr"})
    assert "EIMT requise — rien à déposer ici" in _page(client, f"/cases/{case_id}")


def test_a_packet_whose_case_now_fits_no_exemption_is_not_approved_but_may_be_returned(
    app,
    client,
    employer,  # noqa: F811
    consultant,  # noqa: F811
):
    """A packet made while a code fitted; the facts entered since fit none (the TFWP route): the consultant
    could approve it for filing under a code that no longer applies. Approval is refused with the reason;
    returning it to the employer stays possible."""
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    version = packet(client, case_id)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.route, case.recommended_code = "TFWP", None
        db.session.commit()
    refused = rc.post_form(f"/documents/{version}/review", {"decision": "approved", "as_it_is": "y"})
    assert refused.status_code == 400 and count(app, Review) == 0
    assert "fit no LMIA exemption" in html.unescape(refused.get_data(as_text=True))
    returned = rc.post_form(
        f"/documents/{version}/review", {"decision": "returned", "comment": "The offer no longer fits T37."}
    )
    assert returned.status_code == 302 and count(app, Review) == 1
    # the packet leads nowhere now: the case reads "LMIA needed", not the packet's "Returned"
    assert 'data-stage="lmia_needed"' in _page(client, f"/cases/{case_id}")


def test_the_card_of_a_case_with_nothing_to_file_is_not_headed_make_a_document(app, client, owner):
    case_id = _tfwp_case(app, client)
    page = html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))
    card = page[page.index('id="no-documents"') :]
    assert "No document to make" in card[:300] and "Make a document" not in page
