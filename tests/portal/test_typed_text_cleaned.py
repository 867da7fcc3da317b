"""Typed text read field by field, without a WTForms class, goes through ``forms_common.strip`` as the forms'
text fields do: the letter's sections, the consultant's comments on them, and the case's answers lose the
control characters and bidirectional overrides a paste brings in (which went into the signed letter, and
made "US\u202e:60" an unreadable answer). PostgreSQL; invented people."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, LetterSection, ReviewComment
from tests.portal.document_helpers import create_case
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS, accept, consultant, employer, engage, packet  # noqa: F401
from tests.portal.test_review_page import _letter_key

PASTED = "Wholly owned by Rocky\u202e Invented\x02 Inc.\u2066\n\n- Share register\x1b of 2024\x85"
CLEAN = "Wholly owned by Rocky Invented Inc.\n\n- Share register of 2024"


def test_an_edited_letter_section_is_stored_without_invisible_characters(app, client, owner):
    case_id = create_case(app, client)
    response = client.post_form(f"/cases/{case_id}/letter/en", {"section-relationship": PASTED})
    assert response.status_code == 302
    with app.app_context():
        [row] = db.session.scalars(select(LetterSection)).all()
        assert row.text == CLEAN


def test_a_consultants_section_comment_is_stored_without_invisible_characters(
    app,
    client,
    employer,  # noqa: F811 - the fixture
    consultant,  # noqa: F811 - the fixture
):
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    document_id = packet(client, case_id)
    key, _heading = _letter_key(app, document_id)
    response = rc.post_form(
        f"/documents/{document_id}/review", {"decision": "returned", f"section-letter:{key}": PASTED}
    )
    assert response.status_code == 302
    with app.app_context():
        [comment] = db.session.scalars(select(ReviewComment)).all()
        assert comment.text == CLEAN


def test_typed_answers_are_read_without_invisible_characters(app, client, owner):
    case_id = _create_case(client)
    answers = {
        **T37_ANSWERS,
        "employer.ownership_by_nationality": "US\u202e:60, CA:40\x02",
        "worker.experience_years": "\u206612\x1b",
    }
    response = client.post_form(f"/cases/{case_id}/answers", answers)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        facts = db.session.get(Case, case_id).facts_snapshot
        assert facts["employer"]["ownership_by_nationality"] == {"US": 60.0, "CA": 40.0}
        assert facts["worker"]["experience_years"] == 12.0
