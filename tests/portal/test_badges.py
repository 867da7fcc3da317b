"""The criterion status badge (templates/macros/badges.html) of the case and review pages: its words from
labels.CRITERION_STATUS in the page's language, anything else shown as unknown."""

from __future__ import annotations

import pytest
from flask_babel import force_locale


@pytest.mark.parametrize(
    ("status", "lang", "css", "words"),
    [
        ("met", "en", "text-bg-success", "met"),
        ("not_met", "en", "text-bg-danger", "not met"),
        ("unknown", "en", "text-bg-warning", "unknown"),
        ("something_else", "en", "text-bg-warning", "unknown"),
        ("not_met", "fr", "text-bg-danger", "non rempli"),
    ],
)
def test_a_criterion_status_badge_names_the_status_in_the_page_language(app, status, lang, css, words):
    with app.test_request_context(), force_locale(lang):
        badges = app.jinja_env.get_template("macros/badges.html").make_module({})
        html = " ".join(str(badges.criterion_status(status)).split())
    assert html == f'<span class="badge {css}">{words}</span>'
