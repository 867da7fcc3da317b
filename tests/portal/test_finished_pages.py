"""Every page finished in both languages: no raw fact key, Python repr or audit code in what a reader
sees, in English and in French (PostgreSQL, the test client).

The walk opens every GET route of the application (found in ``app.url_map``, so a page added
tomorrow is walked too) with its ids filled with a world that has everything the browser tests
make (a group company, a role, transferees, cases with answers, a packet, evidence, consultants,
a review, the calendar, a rule-set change, the audit log), as the employer's owner and as an
engaged consultant, in English and in French. The French catalogue's completeness (every extracted
msgid translated) is ``tests/portal/test_i18n.py::test_every_marked_string_has_a_french_translation``.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from sqlalchemy import select

from portal import labels
from portal.extensions import db
from portal.main.labels import ACTIONS
from portal.models import Case, Engagement, Transferee
from rules.fields import BY_PATH
from tests.conftest import PASSWORD, Account
from tests.portal.test_cases import PERSON
from tests.portal.test_isolation import PUBLIC_ENDPOINTS, world  # noqa: F401 (the fixture)

PO = Path(__file__).resolve().parents[2] / "portal/translations/fr/LC_MESSAGES/messages.po"
# Routes whose answer is not a page (files, feeds, JSON, redirects) are skipped by content type.
# What a raw value looks like in a page's visible text, whatever the language.
RAW = [
    (re.compile(r"(?<![\w-])(True|False)(?![\w-])"), "a Python boolean"),
    (re.compile(r"\[\s*'|'\s*\]"), "a Python list"),
    (re.compile(r"\{\s*'"), "a Python dict"),
    (re.compile(r"(?<![\d.,])\d{3,}\.0(?![\d])"), "a float repr"),
    (re.compile(r"\b(Decimal|datetime\.date|datetime)\("), "a Python repr"),
    (re.compile(r"<[A-Za-z]+ object at 0x|<portal\.|<rules\."), "an object repr"),
]
# In French "None" is never a word: a raw None shows there.
RAW_FR = [(re.compile(r"(?<![\w-])None(?![\w-])"), "Python's None")]
FACT_KEYS = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(p) for p in sorted(BY_PATH, key=len, reverse=True)) + r")(?![\w])"
)
ACTION_CODES = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(a) for a in sorted(ACTIONS, key=len, reverse=True)) + r")(?![\w])"
)
SNAKE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z]+)+(?![\w./@-])")  # initial_max, ict_cap_pooled


class VisibleText(HTMLParser):
    """The text a reader sees as words: text nodes outside <script>, <style>, <template>, <head>,
    and outside <code>, <kbd> and <samp>, which show literal text on purpose (the column names and
    codes an import file must hold, a SHA-256)."""

    HIDDEN = {"script", "style", "template", "head", "code", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        # Text inside an element that declares its own language (lang="en" on a French page: an English
        # packet's pre-checks, as its PDF says them) is the reader's to see in that language: kept apart.
        self.declared: list[str] = []
        self._declared_tag: str | None = None
        self._declared_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1
        if self._declared_tag is None and tag != "html" and dict(attrs).get("lang"):
            self._declared_tag, self._declared_depth = tag, 1
        elif tag == self._declared_tag:
            self._declared_depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1
        if tag == self._declared_tag:
            self._declared_depth -= 1
            if not self._declared_depth:
                self._declared_tag = None

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.parts.append(data.strip())
            if self._declared_tag is None:
                self.declared.append(data.strip())


def visible_text(html: str, *, in_page_language: bool = False) -> str:
    """The text a reader sees; ``in_page_language``: without what an element declares in its own language."""
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.declared if in_page_language else parser.parts)


@functools.cache
def english_only() -> frozenset[str]:
    """The catalogue's English phrases whose French differs: one of them in a French page was not
    translated when the page was made (a string formatted too early, or outside ``_()``). Single
    words are left out: a person's profession "Executive" is their data, not a label."""
    with PO.open("rb") as f:
        catalog = read_po(f)
    return frozenset(
        m.id
        for m in catalog
        if isinstance(m.id, str) and m.id and m.string and m.string != m.id and " " in m.id
    )


def raw_values(text: str, lang: str, content_lang: str | None = None, own: str | None = None) -> list[str]:
    """What ``text`` shows raw; in French, the English phrases of ``own`` (the text in the page's language:
    ``text`` itself by default)."""
    found = []
    for pattern, what in RAW + (RAW_FR if lang == "fr" else []):
        found += [f"{what}: {_around(text, m)}" for m in pattern.finditer(text)]
    found += [f"a fact key: {_around(text, m)}" for m in FACT_KEYS.finditer(text)]
    found += [f"an audit code: {_around(text, m)}" for m in ACTION_CODES.finditer(text)]
    found += [f"a snake_case key: {_around(text, m)}" for m in SNAKE.finditer(text)]
    if lang == "fr" and content_lang != "en":  # the English letter's editor shows English text
        own = text if own is None else own
        found += [f"English text: {line!r}" for line in own.split("\n") if line in english_only()]
    return found


def _around(text: str, match: re.Match) -> str:
    return repr(text[max(0, match.start() - 40) : match.end() + 40])


def test_english_text_in_a_french_page_is_found_unless_declared_english():
    """An untranslated phrase of the catalogue is found in a French page; the same phrase in an element that
    declares its language (lang="en": an English packet's pre-checks, as its PDF says them) is not."""
    page = '<html lang="fr"><body><p>Support letter</p><ul><li lang="en"><ul><li>x</li></ul>Support letter</li></ul></body></html>'
    own = visible_text(page, in_page_language=True)
    assert raw_values(visible_text(page), "fr", own=own) == ["English text: 'Support letter'"]
    declared = '<html lang="fr"><body><ul><li lang="en"><strong>Support letter</strong></li></ul><p>Lettre</p></body></html>'
    assert raw_values(visible_text(declared), "fr", own=visible_text(declared, in_page_language=True)) == []


def test_the_check_finds_raw_values():
    """The detector itself: each kind of raw value is found, a finished sentence is not."""
    page = (
        "<html><head><title>x</title></head><body><p>Actively engaged: True</p>"
        "<li>Citizenships: ['IN']</li><td>24500000.0</td><dd>{'US': 60}</dd>"
        "<span>employer.actively_engaged</span><td>document.ready</td><p>ict cap: ict_cap_pooled</p>"
        "<script>var ok = true_value;</script></body></html>"
    )
    found = " ".join(raw_values(visible_text(page), "en"))
    for what in (
        "Python boolean",
        "Python list",
        "float repr",
        "Python dict",
        "fact key",
        "audit code",
        "snake_case",
    ):
        assert what in found, what
    assert "true_value" not in found
    assert raw_values(visible_text("<a>Register an employer</a>"), "fr")  # English left in a French page
    assert not raw_values(visible_text("<a>Register an employer</a>"), "en")
    assert raw_values(visible_text("<p>None</p>"), "fr") and not raw_values(visible_text("<p>None</p>"), "en")
    finished = (
        "<p>Revenue $24,500,000.00, 36 months initially, then up to 24 more. Email a.b@c.example.com</p>"
    )
    assert raw_values(visible_text(finished), "en") == []


# Pages the walk must reach (a path's start): the ones the browser tests visit, at least.
EMPLOYER_PAGES = (
    "/dashboard",
    "/cases/",
    "/cases/{case_id}",
    "/cases/{case_id}/documents",
    "/audit/cases/{case_id}",
    "/cases/{case_id}/compliance",
    "/roles/",
    "/roles/{position_id}/edit",
    "/transferees/",
    "/transferees/{transferee_id}",
    "/group/",
    "/group/{enterprise_id}/edit",
    "/calendar",
    "/org/",
    "/audit/",
    "/import/",
    "/rule-changes/",
)
CONSULTANT_PAGES = ("/dashboard", "/cases/", "/cases/{case_id}", "/documents/{document_id}/review")


def _urls(app, values: dict) -> list[tuple[str, str | None]]:
    """(url, the language of its content) of every GET route, filled with ``values``; the pages of
    every case and transferee of the world besides (a pending case asks other questions)."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in PUBLIC_ENDPOINTS - {"main.index"}:
            continue
        if rule.endpoint == "main.outbox":  # the mails' own text, not the portal's pages
            continue
        url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments})
        urls.append((url, values["lang"] if "lang" in rule.arguments else None))
    with app.app_context():
        for case_id in db.session.scalars(select(Case.id)):
            urls += [(f"/cases/{case_id}", None), (f"/cases/{case_id}/documents", None)]
            urls += [(f"/cases/{case_id}/compliance", None), (f"/audit/cases/{case_id}", None)]
        urls += [(f"/transferees/{t}", None) for t in db.session.scalars(select(Transferee.id))]
    return list(dict.fromkeys(urls))


def _walk(app, client, values: dict, lang: str) -> tuple[set[str], list[str]]:
    assert client.post_form("/language", {"lang": lang}).status_code in (302, 303)
    walked, failures = set(), []
    for url, content_lang in _urls(app, values):
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()
            continue
        walked.add(url)
        html = response.get_data(as_text=True)
        text, own = visible_text(html), visible_text(html, in_page_language=True)
        failures += [f"{lang} {url}: {f}" for f in raw_values(text, lang, content_lang, own)]
    return walked, failures


def _missing(walked: set[str], pages: tuple[str, ...], values: dict) -> list[str]:
    return [p for p in (p.format(**values) for p in pages) if p not in walked]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_page_shows_a_raw_value(app, client, world, login, lang):  # noqa: F811
    values = world.values
    consultant = app.test_client()
    with app.app_context():
        email = db.session.get(Engagement, values["engagement_id"]).email
    login(consultant, Account(0, email, PASSWORD))
    assert consultant.post_form(f"/engagements/{values['engagement_id']}/accept").status_code == 302
    # A packet returned with a comment: the dashboard's returned panel, the review history.
    response = consultant.post_form(
        f"/documents/{values['document_id']}/review",
        {"decision": "returned", "comment": "Add the org chart, please."},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]

    # A case still pending (a worker from India: the questions of every code family are open).
    response = client.post_form(
        "/transferees/new",
        {**PERSON, "given_names": "Indira", "citizenships": ["IN"], "passport_country": "IN"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form("/cases/new", {"transferee_id": str(transferee_id), "position_id": "1"})
    assert response.status_code == 302
    pending = response.location.rstrip("/").split("/")[-1]
    assert "Save the answers" in client.get(f"/cases/{pending}").get_data(as_text=True)  # it asks

    walked, failures = _walk(app, client, values, lang)
    assert not _missing(walked, EMPLOYER_PAGES, values), sorted(walked)
    assert f"/cases/{pending}" in walked and len(walked) >= 35, sorted(walked)
    consultant_walked, consultant_failures = _walk(app, consultant, values, lang)
    assert not _missing(consultant_walked, CONSULTANT_PAGES, values), sorted(consultant_walked)
    failures += [f"consultant {f}" for f in consultant_failures]
    assert not failures, "\n".join(failures)


def test_fact_values_read_as_words_in_both_languages(app):
    cases = [
        ("employer.actively_engaged", True, "Yes", "Oui"),
        ("worker.citizenships", ["IN", "US"], "India, United States", "Inde, États-Unis"),
        ("worker.permanent_residences", [], "None", "Aucun"),
        ("employer.gross_revenue_cad", 24500000.0, "$24,500,000.00", "24\u00a0500\u00a0000,00\u00a0$"),
        ("position.duration_months", 36.0, "36 months", "36 mois"),
        ("position.province", "QC", "Quebec", "Québec"),
        ("position.capacity", "specialized_knowledge", "Specialized knowledge", "Connaissances spécialisées"),
        ("position.start_date", "2027-01-04", "January 4, 2027", "4 janvier 2027"),
    ]
    for lang in ("en", "fr"):
        with app.test_request_context(), force_locale(lang):
            for path, value, en, fr in cases:
                shown = labels.fact_value(path, value)
                assert shown.replace("\u202f", "\u00a0") == (fr if lang == "fr" else en), (path, lang, shown)
            name = labels.fact_label("employer.actively_engaged")
            assert name and "employer.actively_engaged" not in name and "_" not in name
