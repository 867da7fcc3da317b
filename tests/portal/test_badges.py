"""The criterion status badge (templates/macros/badges.html) of the case and review pages: its words from
labels.CRITERION_STATUS in the page's language, anything else shown as unknown."""

from __future__ import annotations

import html
import re

import pytest
from flask_babel import force_locale

from tests.portal.test_consult import consultant, employer, packet, reviewing  # noqa: F401 (fixtures)


@pytest.mark.parametrize(
    ("status", "lang", "css", "words"),
    [
        ("met", "en", "text-bg-success", "Met"),
        ("not_met", "en", "text-bg-danger", "Not met"),
        ("unknown", "en", "text-bg-warning", "Unknown"),
        ("something_else", "en", "text-bg-warning", "Unknown"),
        ("not_met", "fr", "text-bg-danger", "Non rempli"),
    ],
)
def test_a_criterion_status_badge_names_the_status_in_the_page_language(app, status, lang, css, words):
    with app.test_request_context(), force_locale(lang):
        badges = app.jinja_env.get_template("macros/badges.html").make_module({})
        html = " ".join(str(badges.criterion_status(status)).split())
    # text-nowrap: its word or two never break over two lines beside a code's long name (tour, 1280 px)
    assert html == f'<span class="badge text-nowrap {css}">{words}</span>'


def _first_is_capital(text: str) -> bool:
    first = text.strip()[:1]
    return first.isupper() or first.isdigit()


def test_every_badge_word_is_in_sentence_case_in_both_languages(app):
    """Tour of 2026-12-11: the badges read "ready", "failed", "not met" beside "Returned", "Ready for
    documents", "Needs answers". Every status and badge word is defined in portal/labels.py (BADGE_TABLES)
    or is a case stage (cases.labels.STAGE_LABELS), each with a capital first letter, in English and in
    French."""
    from portal import labels  # noqa: PLC0415
    from portal.cases.labels import STAGE_LABELS  # noqa: PLC0415

    for lang in ("en", "fr"):
        with app.test_request_context(), force_locale(lang):
            words = [str(w) for table in (*labels.BADGE_TABLES, STAGE_LABELS) for w in table.values()]
            lowered = [w for w in words if not _first_is_capital(w)]
        assert not lowered, (lang, lowered)


BADGE_SPAN = re.compile(r'<span class="badge [^"]*"[^>]*>(.*?)</span>', re.S)


def test_the_badges_of_the_pages_start_with_a_capital(app, client, employer, consultant):  # noqa: F811
    """The badges as the pages draw them (the case, its documents with a packet and its checklist, the
    dashboards of the employer and of the consultant, the review page, the import page), in both
    languages: none starts with a small letter."""
    _account, case_id = employer
    reviewer = reviewing(app, client, consultant)
    document_id = packet(client, case_id)
    for lang in ("en", "fr"):
        client.post_form("/language", {"lang": lang})
        reviewer.post_form("/language", {"lang": lang})
        pages = {
            url: client.get(url).get_data(as_text=True)
            for url in (
                f"/cases/{case_id}",
                f"/cases/{case_id}/documents",
                "/dashboard",
                "/cases/",
                "/import/",
            )
        }
        for url in ("/dashboard", f"/documents/{document_id}/review", f"/cases/{case_id}"):
            pages["consultant " + url] = reviewer.get(url).get_data(as_text=True)
        seen = {
            (url, html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for url, page in pages.items()
            for text in BADGE_SPAN.findall(page)
        }
        assert len(seen) > 5, seen
        lowered = sorted(s for s in seen if s[1] and not _first_is_capital(s[1]))
        assert not lowered, (lang, lowered)
