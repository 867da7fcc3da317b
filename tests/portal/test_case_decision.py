"""The case list and the case page say the same of what the assessment decided (cases.decision): tour of
2026-12-11, the list said "Needs answers" where the page said "Likely T37 — 5 answers needed", and "—"
where the page said "Open work permit"."""

from __future__ import annotations

import html
import re

import pytest

from portal.cases.decision import FOREIGN_NOT_DOING_BUSINESS, DecisionKind, decide, stored_columns
from portal.cases.display import codes_failing_on
from portal.extensions import db
from portal.models import Case
from tests.portal.test_cases import ENTERPRISE, PERSON, _create_case
from tests.portal.test_consult import T37_ANSWERS


def _listed(client, case_id: int) -> tuple[str, str]:
    """The case's line in the list: (its decision's kind, the words in its "Code" column)."""
    page = html.unescape(client.get("/cases/").get_data(as_text=True))
    line = page.split(f'href="/cases/{case_id}"', 1)[1].split("</tr>", 1)[0]
    found = re.search(r'class="case-decision" data-decision="(\w+)">(.*?)</td>', line, re.S)
    assert found, line
    return found.group(1), re.sub(r"<[^>]+>", "", found.group(2)).strip()


def _headline(client, case_id: int) -> str:
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    return re.sub(r"<[^>]+>", "", page.split('id="recommended-code">', 1)[1].split("</div>", 1)[0]).strip()


def _state(app, case_id: int) -> tuple[Case, dict]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case, case.assessment_in("en")


@pytest.mark.parametrize(
    ("setup", "kind", "words"),
    [
        ("pending", DecisionKind.LIKELY, {"en": "Likely T37 — ", "fr": "Probablement T37 — "}),
        ("blocked", DecisionKind.NO_TRANSFER, {"en": "No intra-company transfer", "fr": "Pas de mutation"}),
        ("answered", DecisionKind.CODE, {"en": "T37", "fr": "T37"}),
        (
            "open_permit",
            DecisionKind.OPEN_PERMIT,
            {"en": "Open work permit", "fr": "Permis de travail ouvert"},
        ),
    ],
)
def test_the_list_says_what_the_case_page_headlines(app, client, owner, monkeypatch, setup, kind, words):
    if setup == "open_permit":
        monkeypatch.setitem(PERSON, "in_canada", "yes")
        monkeypatch.setitem(PERSON, "current_permit_type", "open")
        monkeypatch.setitem(PERSON, "current_permit_expiry", "2028-12-31")
    case_id = _create_case(client)
    if setup == "blocked":
        assert client.post_form("/group/1/edit", {**ENTERPRISE, "doing_business": "no"}).status_code == 302
    if setup == "answered":
        assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    case, a = _state(app, case_id)
    assert decide(case).kind == kind, (a["route"], a.get("pending"))
    # the stored columns say what the stored assessment says
    assert case.likely_code == (a["pending"][0]["code"] if a["route"] == "pending" and a["pending"] else None)
    assert case.ict_blocked is bool(codes_failing_on(a, FOREIGN_NOT_DOING_BUSINESS))
    for lang in ("en", "fr"):
        client.post_form("/language", {"lang": lang})
        listed_kind, listed = _listed(client, case_id)
        headline = _headline(client, case_id)
        assert listed_kind == kind.value
        assert listed == headline and words[lang] in listed, (lang, listed, headline)


def test_stored_columns_read_the_stored_form():
    stored = {"format": 1, "route": "pending", "pending": [["T37", [0]], ["T35", [1]]], "not_met": ["x"]}
    assert stored_columns(stored) == ("T37", False)
    assert stored_columns({**stored, "not_met": [FOREIGN_NOT_DOING_BUSINESS]}) == ("T37", True)
    assert stored_columns({**stored, "route": "IMP"}) == (None, False)  # a likely code only while pending
    assert stored_columns({**stored, "pending": []}) == (None, False)


def test_the_dates_of_the_case_page_are_written_as_the_portal_writes_dates(app, client, owner):
    """Tour of 2026-12-11 (FR): the case page said "Évalué en date du 2026-12-06", the list "2026-12-06"."""
    from portal.i18n import day  # noqa: PLC0415

    case_id = _create_case(client)
    case, _a = _state(app, case_id)
    for lang, said in (("en", "Assessed as of %s"), ("fr", "Évalué en date du %s")):
        client.post_form("/language", {"lang": lang})
        with app.test_request_context():
            shown = day(case.assessed_as_of, lang)
        listing = html.unescape(client.get("/cases/").get_data(as_text=True))
        assert f'<time datetime="{case.assessed_as_of.isoformat()}">{shown}</time>' in listing
        page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
        assert said % shown in page and case.assessed_as_of.isoformat() not in page
    # the code's former number, with the date it changed (T37 was T24)
    # (the template compiled in English first: a date formatted once would stay English)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    for lang, said in (
        ("en", "Before December 15, 2022 this was code T24."),
        ("fr", "Avant le 15 décembre 2022, c'était le code T24."),
    ):
        client.post_form("/language", {"lang": lang})
        page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
        assert said in page and "2022-12-15" not in page, lang
