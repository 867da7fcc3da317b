"""The documents page's route and evidence texts, kept per stored form (models.case.displayed_evidence),
are those of the assessment rendered in full, in English and in French, whether kept or made."""

from __future__ import annotations

import html

from portal.extensions import db
from portal.models import Case
from portal.models.case import EVIDENCE, displayed_evidence
from tests.portal.document_helpers import enter_worked_case
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS


def test_the_kept_route_and_evidence_are_the_rendered_assessments(app):
    case_id, _account, _code = enter_worked_case(app, "case02-us-executive")
    with app.app_context():
        case = db.session.get(Case, case_id)
        for lang in ("en", "fr", "de"):  # another language: the English texts, as assessment_in gives
            full = case.assessment_in(lang)
            expected = (full.get("route"), tuple(full.get("evidence") or ()))
            assert expected[1], "the worked case has evidence to gather"
            EVIDENCE.clear()
            assert displayed_evidence(case.assessment, lang) == expected  # made
            assert displayed_evidence(case.assessment, lang) == expected  # kept
        english = displayed_evidence(case.assessment, "en")[1]
        assert displayed_evidence(case.assessment, "fr")[1] != english
        assert displayed_evidence(None, "en") == (None, ())


def test_a_row_stored_in_both_languages_is_read_as_it_is():
    """A row stored before migration 0014 holds each language's texts: read, not rendered nor kept."""
    stored = {
        "en": {"route": "IMP", "evidence": ["Passport"]},
        "fr": {"route": "IMP", "evidence": ["Passeport"]},
    }
    EVIDENCE.clear()
    made = EVIDENCE.misses
    assert displayed_evidence(stored, "fr") == ("IMP", ("Passeport",))
    assert displayed_evidence(stored, "de") == ("IMP", ("Passport",))  # another language: the English
    assert displayed_evidence({"en": {"route": "TFWP"}}, "fr") == ("TFWP", ())
    assert EVIDENCE.misses == made  # nothing rendered nor kept


def test_an_empty_evidence_checklist_says_why_and_where_to_go(app, client, owner):
    """Tour: a case with questions still open showed an 'Evidence checklist' card with nothing in it. It now
    says the list follows from the code once the questions are answered, with the case page's link; the
    answers given, the list replaces it. In French too."""
    case_id = _create_case(client)
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert 'id="evidence-empty"' in page and "once the questions of the case are answered" in page
    assert f'href="/cases/{case_id}">Answer them on the case page' in page
    client.post_form("/language", {"lang": "fr"})
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert "Rien à réunir pour l'instant" in html.unescape(page)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert 'id="evidence-empty"' not in page and "Preuve" in page
