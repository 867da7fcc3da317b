"""English and French: every marked string has a French translation, and pages switch language."""

from __future__ import annotations

import ast
import html
import re
from datetime import date, datetime
from pathlib import Path

import flask_babel
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale

from portal import i18n
from portal.main.labels import ACTIONS
from tests.conftest import PASSWORD
from tests.portal.test_auth import registration
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS
from tests.typography import french_typography_faults

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "portal/translations/fr/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}


def extracted_ids() -> set[str]:
    ids = set()
    for folder in ("portal", "workers", "templates"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python"), ("**.html", "jinja2")], keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def french_catalog():
    with PO.open("rb") as f:
        return read_po(f)


def test_every_marked_string_has_a_french_translation():
    catalog = french_catalog()
    # Plural entries (ngettext) have a tuple id and a tuple of forms: every form must be translated.
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id): (
            all(m.string) if isinstance(m.string, tuple) else m.string
        )
        for m in catalog
        if m.id
    }
    ids = extracted_ids()
    assert {"Dashboard", "Wrong email or password.", "Register an employer"} <= ids  # the extraction works
    missing = sorted(i for i in ids if not translated.get(i))
    assert missing == [], f"Untranslated (run `make translations-update` and translate): {missing}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


def test_french_placeholders_match_the_english_ones():
    catalog = french_catalog()
    problems = [(m.id, errors) for m, errors in catalog.check() if errors]
    assert problems == []


def test_language_switch_shows_french_pages(client, make_employer, login):
    account = make_employer()
    login(client, account)
    assert "Dashboard" in client.get("/dashboard").get_data(as_text=True)
    response = client.post_form("/language?next=/dashboard", {"lang": "fr"})
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Tableau de bord" in page and '<html lang="fr">' in page
    assert "Vos organisations" in page


def test_browser_language_is_used_until_the_user_chooses(client):
    page = client.get("/login", headers={"Accept-Language": "fr-CA,fr;q=0.9"}).get_data(as_text=True)
    assert "Se connecter" in page and "Mot de passe" in page


def test_validation_messages_are_french_too(client):
    response = client.post_form(
        "/register", {"email": "x@example.com", "business_number": "12"}, headers={"Accept-Language": "fr"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Le numéro d&#39;entreprise de l&#39;ARC compte 9 chiffres" in body or "compte 9 chiffres" in body


def test_unknown_language_is_refused(client):
    assert client.post_form("/language", {"lang": "de"}).status_code == 400


def test_pages_link_the_favicon(client):
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r'rel="icon" href="/static/img/favicon\.svg\?v=[0-9a-f]{12}"', page)
    for path in ("/static/img/favicon.svg", "/static/img/favicon-32.png", "/static/img/apple-touch-icon.png"):
        response = client.get(path)
        assert response.status_code == 200 and response.data
        response.close()


def _recorded_actions() -> set[str]:
    """Every audit action the code records with a literal name (``audit.record("x.y", ...)``)."""
    root = Path(__file__).resolve().parents[2]
    actions: set[str] = set()
    for path in [*root.joinpath("portal").rglob("*.py"), *root.joinpath("workers").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                actions.add(node.args[0].value)
    return actions


def test_every_recorded_audit_action_has_a_label_in_both_languages(app):
    actions = _recorded_actions()
    assert len(actions) > 20  # the walk found the calls
    missing = sorted(a for a in actions if a not in ACTIONS)
    assert not missing, f"audit actions shown raw in the history: {missing}"
    with app.test_request_context():
        with force_locale("en"):
            english = {a: str(ACTIONS[a]) for a in actions}
        with force_locale("fr"):
            untranslated = sorted(a for a in actions if str(ACTIONS[a]) == english[a])
    assert not untranslated, f"audit actions without a French label: {untranslated}"


def test_the_portals_gettext_translates_as_flask_babels_does(app):
    """portal.i18n's gettext, ngettext and lazy_gettext (the request's catalogue, looked up once) give
    Flask-Babel's texts: in the request's language, in a force_locale block and after it."""
    cases = [
        (i18n.gettext, flask_babel.gettext, ("Cases",), {}),
        (i18n.gettext, flask_babel.gettext, ("CICC licence number: %(licence)s",), {"licence": "R1"}),
        (i18n.ngettext, flask_babel.ngettext, ("%(num)d question", "%(num)d questions", 3), {}),
        (i18n.ngettext, flask_babel.ngettext, ("%(num)d question", "%(num)d questions", 1), {}),
    ]

    def same() -> list[str]:
        texts = []
        for ours, theirs, args, kw in cases:
            assert ours(*args, **kw) == theirs(*args, **kw)
            texts.append(ours(*args, **kw))
        assert str(i18n.lazy_gettext("Cases")) == flask_babel.gettext("Cases")
        return texts

    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        french = same()
        with force_locale("en"):
            assert same() != french
        assert same() == french
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert same() != french


def test_a_label_and_its_value_are_joined_as_each_language_writes_it(app, client, owner):
    """French puts a no-break space before a colon ("Preuves\u00a0: Manquant"); the pages and the packet's
    pre-checks joined a label and its text with an English ": " in both languages."""
    with app.test_request_context(), force_locale("fr"):
        assert flask_babel.gettext("Evidence") + i18n.colon() == "Preuves\u00a0: "
    with app.test_request_context(), force_locale("en"):
        assert i18n.colon() == ": "
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    client.post_form("/language", {"lang": "fr"})
    side = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "En ligne, de l'extérieur du Canada\u00a0: possible" in side and "Canada: " not in side


def test_official_sources_open_in_the_readers_language_or_say_they_open_in_english(app, client, owner):
    """Justice Laws has every section of the Regulations in French at an address of the same pattern, so a
    French page links the French section; canada.ca's French pages have paths the rules do not know, so a
    French page's link says that it opens in English. An English page is unchanged."""
    regulation = "https://laws-lois.justice.gc.ca/eng/regulations/SOR-2002-227/section-209.2.html"
    act = "https://laws-lois.justice.gc.ca/eng/acts/I-2.5/page-1.html"
    ircc = "https://www.canada.ca/en/immigration-refugees-citizenship/services/work-canada.html"
    with app.test_request_context(), force_locale("fr"):
        assert i18n.source_link(regulation) == (
            "https://laws-lois.justice.gc.ca/fra/reglements/DORS-2002-227/section-209.2.html",
            "fr",
            "",
        )
        assert i18n.source_link(act).href == "https://laws-lois.justice.gc.ca/fra/lois/I-2.5/page-1.html"
        assert i18n.source_link(ircc) == (ircc, "en", "(en anglais)")
        assert i18n.source_link("https://example.org/a") == ("https://example.org/a", None, "")
        macro = app.jinja_env.get_template("macros/links.html").module.source
        assert str(macro(None, "R205(a)")) == "R205(a)"  # no address: the citation alone, no empty link
    with app.test_request_context(), force_locale("en"):
        assert i18n.source_link(regulation) == (regulation, "en", "")
        assert i18n.source_link(ircc) == (ircc, "en", "")
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    english = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert (
        'href="https://laws-lois.justice.gc.ca/eng/regulations/SOR-2002-227/section-209.93.html"' in english
    )
    assert "/fra/" not in english and "(en anglais)" not in english and "(in English)" not in english
    client.post_form("/language", {"lang": "fr"})
    french = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'href="https://laws-lois.justice.gc.ca/fra/reglements/DORS-2002-227/section-209.93.html"' in french
    assert "/eng/regulations/" not in french
    # said by the link's title and to a screen reader, not by a note after each of a hundred links
    opens_in_english = 'hreflang="en" title="(en anglais)" rel="noopener" target="_blank">IRCC'
    assert f'{opens_in_english}<span class="visually-hidden"> (en anglais)</span></a>' in french
    assert french.count('title="(en anglais)"') == french.count('<span class="visually-hidden"> (en anglais)')


def test_percents_and_the_revenue_are_written_in_the_readers_format(app, client, owner):
    """Browser tour of 2026-12-05: "60 %" on English pages and a revenue written "24,000,000 $" in both
    languages (formatted by hand): Babel's percent and currency formats now, as everywhere else."""
    with app.test_request_context():
        assert i18n.percent(60, "en") == "60%" and i18n.percent(37.5, "en") == "37.5%"
        assert i18n.percent(60, "fr") == "60\xa0%" and i18n.percent(37.5, "fr") == "37,5\xa0%"
        assert i18n.percent(None) == ""
    assert "$5,000,000.00" in client.get("/org/").get_data(as_text=True)
    client.post_form("/language", {"lang": "fr"})
    assert "5\xa0000\xa0000,00\xa0$" in client.get("/org/").get_data(as_text=True)


def test_the_language_chosen_before_signing_in_stays_and_the_account_keeps_it(
    app, make_employer, login, outbox
):
    """A fresh session at sign-in (against fixation) dropped the language chosen on the sign-in or the
    register page: a visitor who registered in French found the portal in English. The choice now goes on,
    and the account keeps it for its next sign-in on another browser (and for its mails)."""
    visitor = app.test_client()
    visitor.post_form("/language", {"lang": "fr"})
    assert visitor.post_form("/register", registration()).status_code == 302
    [confirmation] = outbox  # (an account made by registering signs in once its address is confirmed)
    assert (
        visitor.get(re.search(r"https?://[^/\s]+(/verify/\S+)", confirmation.body).group(1)).status_code
        == 302
    )
    assert (
        visitor.post_form("/login", {"email": registration()["email"], "password": PASSWORD}).status_code
        == 302
    )
    assert "Tableau de bord" in visitor.get("/dashboard").get_data(as_text=True)

    account = make_employer()
    first = app.test_client()
    first.post_form("/language", {"lang": "fr"})
    login(first, account)
    assert "Tableau de bord" in first.get("/dashboard").get_data(as_text=True)
    elsewhere = app.test_client()  # another browser, no choice made there
    login(elsewhere, account)
    assert "Tableau de bord" in elsewhere.get("/dashboard").get_data(as_text=True)


def test_french_questions_put_a_no_break_space_before_their_question_mark():
    """Tour of 2026-12-11: the French case page asked "Dans quels pays le travailleur est-il résident
    permanent?" (French typography: "permanent ?", with a no-break space)."""
    from rules.fields import FIELDS  # noqa: PLC0415

    asked = [f for f in FIELDS if f.q_fr.endswith("?")]
    assert len(asked) > 50
    assert [f.path for f in asked if not f.q_fr.endswith("\u00a0?")] == []


def test_french_messages_follow_the_tours_typography():
    """~190 French messages put an ordinary space before a colon ("Frais : 230 $" could break before the
    colon) and inside guillemets, 6 a no-break space. Every message puts a no-break space before ':', ';',
    '?' and '!' and inside « » (the tours asked for France's usage before ';', '?' and '!')."""
    with PO.open("rb") as f:
        catalog = read_po(f)
    faults = []
    for message in catalog:
        if not message.id:
            continue  # the catalog's header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            faults += french_typography_faults(text or "")
    assert faults == []
    assert french_typography_faults("Frais : 230 $") and french_typography_faults("Bienvenue!")
    assert french_typography_faults("Rémunéré ?") and french_typography_faults("logiciels; Développeur")
    assert french_typography_faults("« CSV »") and not french_typography_faults(
        "«\u00a0;\u00a0»\u00a0: US:60, IN;US\u00a0; Bienvenue\u00a0! https://example.com/?q=1;x"
    )
    assert french_typography_faults("100 % au total") and french_typography_faults(
        "frais de %(fee)s $ par poste"
    )
    assert not french_typography_faults("100\u00a0%, %(fee)s\u00a0$, 60 %(unit)s")


def test_english_messages_quote_words_with_curly_quotes():
    """Tour (the English packet's data sheet): 'never write "see attached".' in straight quotes, where the
    other messages quote with “ ” (“[to complete: …]”). A straight quote stays only around what is typed
    character for character (a line starting with "- ")."""
    quoted = re.compile(r'"[A-Za-z\[][^"]*"')
    assert [i for i in extracted_ids() if quoted.search(i)] == []


def test_french_pages_cite_the_regulations_as_their_french_text_numbers_paragraphs(app, client, owner):
    """French pages wrote "R204(a)", "R209.2(1)(a)(i)", the English drafting; the French text of the
    Regulations numbers a paragraph "204a)", a subparagraph "209.2(1)a)(i)". The contract keeps one form."""
    with app.test_request_context():
        for english, french in (
            ("R205(a) / R204(a)", "R205a) / R204a)"),
            ("R205(c)(ii)", "R205c)(ii)"),
            ("R209.2(1)(a)(i)", "R209.2(1)a)(i)"),
            ("R209.2(1)(a.1)", "R209.2(1)a.1)"),
            ("R200(3)(a)", "R200(3)a)"),
            ("R209.93", "R209.93"),
            ("R303.1(5)", "R303.1(5)"),
        ):
            assert i18n.regulation(english, "fr") == french and i18n.regulation(english, "en") == english
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    english = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "R204(a)" in english and "R209.2(1)(a)(i)" in english and "R204a)" not in english
    client.post_form("/language", {"lang": "fr"})
    french = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "R204a)" in french and "R209.2(1)a)(i)" in french
    assert not re.search(r"R\d+(?:\.\d+)?(?:\(\d+\))?\([a-z]\)", french), "an English-style citation"


def test_a_date_is_written_once_per_language_and_then_read_from_memory():
    """``day`` keeps each date's text per language (Babel takes about 20 us a date; a case list writes 30)."""
    when = date(2031, 5, 1)
    before = i18n._long_date.cache_info().hits
    assert i18n.day(when, "en") == "May 1, 2031" and i18n.day(when, "fr") == "1er mai 2031"
    assert i18n.day(when, "en") == "May 1, 2031" and i18n.day(when.isoformat(), "fr") == "1er mai 2031"
    assert i18n.day(datetime(2031, 5, 1, 23, 59), "fr") == "1er mai 2031"
    assert i18n._long_date.cache_info().hits - before == 3


def test_a_moment_in_french_writes_the_hour_without_a_leading_zero():
    """The approval page (documents/approval.html, the ``moment`` filter) read "1er décembre 2026, 07 h 05 min
    00 s HNE": Babel's fr_CA long time has a leading zero French does not write ("7 h 05"); English is
    Babel's long format as before."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from babel.dates import format_datetime  # noqa: PLC0415

    morning = datetime(2026, 12, 1, 7, 5, tzinfo=ZoneInfo("America/Toronto"))
    assert i18n.moment(morning, "fr") == "1er décembre 2026, 7 h 05 min 00 s HNE"
    assert i18n.moment(morning.replace(hour=17, day=3), "fr") == "3 décembre 2026, 17 h 05 min 00 s HNE"
    assert i18n.moment(morning, "en") == format_datetime(
        morning, "long", tzinfo=morning.tzinfo, locale="en_CA"
    )
    assert i18n.moment(morning, "en").startswith("December 1, 2026, 7:05:00")
