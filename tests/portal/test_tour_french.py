"""Found on a browser tour of the portal in French as a new employer (and its consultant): what a French
reader met that an English one did not."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.portal.document_helpers import create_case, request_document
from tests.portal.test_cases import ROLE
from tests.portal.test_consult import engage
from tests.portal.test_letters import flat, render


def test_signing_out_keeps_the_language_chosen(client, owner):
    """Tour: signing out of the French portal showed "Vous êtes déconnecté." on an English sign-in page
    (the sign-out cleared the session, the language chosen with it)."""
    client.post_form("/language", {"lang": "fr"})
    response = client.post_form("/logout")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Vous êtes déconnecté." in page
    assert "Mot de passe oublié" in page
    assert "Forgot your password?" not in page
    # and signed out for real: the dashboard asks to sign in again
    assert client.get("/dashboard").status_code == 302


def test_the_next_document_is_signed_by_whoever_signed_the_last_one(app, client, owner):
    """Tour: the employer typed the signatory's title for the packet; the consultant sent it back, and the
    form that makes the next version offered an empty title again (the letterhead has none): the new
    version, made as offered, lost the title the returned one had ("[to be completed: signatory's title]")."""
    case_id = create_case(app, client)
    response = request_document(
        client, case_id, "packet", signatory_name="Élodie Tremblay", signatory_title="Directrice des RH"
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert re.search(r'name="signatory_name"[^>]*value="Élodie Tremblay"', page)
    assert re.search(r'name="signatory_title"[^>]*value="Directrice des RH"', page)


def test_the_list_of_roles_writes_the_start_date_in_the_readers_words(client, owner):
    """Tour: the list of roles wrote the start date as the database keeps it ("2027-03-01"), cut at its
    hyphen in its narrow column ("2027-" over "03-01"), where every other page writes "1er mars 2027"."""
    assert client.post_form("/roles/new", {**ROLE, "start_date": "2027-03-01"}).status_code == 302
    page = client.get("/roles/").get_data(as_text=True)
    assert '<time datetime="2027-03-01">March 1, 2027</time>' in page
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/roles/").get_data(as_text=True)
    assert '<time datetime="2027-03-01">1er mars 2027</time>' in page
    assert ">2027-03-01<" not in page


@pytest.mark.parametrize(
    ("lang", "dateline"),
    [("fr", r"Toronto, le \d{1,2}(er)? \w+ \d{4}"), ("en", r"Toronto, \w+ \d{1,2}, \d{4}")],
)
def test_the_letters_dateline_reads_as_a_letter_of_its_language(app, client, owner, lang, dateline):
    """Tour: the French letter was dated "Montréal, 7 décembre 2026"; a French letter is dated
    "Montréal, le 7 décembre 2026" (the Translation Bureau's and the OQLF's usage)."""
    text, _letter = render(client, create_case(app, client), lang)
    assert re.search(dateline, flat(text)), flat(text)[:300]


def test_the_import_page_writes_its_row_limit_as_french_writes_numbers(client, owner):
    """Tour: the French import page said "Au plus 1000 lignes"; French groups the thousands ("1 000")."""
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/import/").get_data(as_text=True)
    assert "Au plus 1\u202f000 lignes" in page or "Au plus 1\u00a0000 lignes" in page
    client.post_form("/language", {"lang": "en"})
    assert "At most 1,000 rows" in client.get("/import/").get_data(as_text=True)


def test_a_consultant_without_an_account_is_mailed_where_to_register(client, owner, outbox):
    """Tour: the engagement mailed to an address with no account yet linked to the dashboard only, which
    sent the consultant to the sign-in page: registering meant finding "Register as a consultant" there and
    typing the address again. The mail now links to the consultant's registration, the address filled in."""
    client.post_form("/language", {"lang": "fr"})
    engage(client, email="jacques.invented@cabinet.example.com")
    body = outbox[-1].body
    register = re.search(r"http\S+/register/consultant\?email=\S+", body)
    assert register, body
    assert "/dashboard" in body
    assert "Inscrivez-vous comme consultant avec cette adresse\u00a0:" in body
    visitor = client.application.test_client()
    address = urlsplit(register.group(0))
    page = visitor.get(f"{address.path}?{address.query}").get_data(as_text=True)
    assert re.search(r'name="email"[^>]*value="jacques.invented@cabinet.example.com"', page), page[-3000:]


def test_the_french_pages_say_who_answers_the_questions(client, owner):
    """Tour: "une fois qu'il a été répondu à toutes les questions", "une fois qu'il aura été répondu aux
    questions ci-dessous": an impersonal passive of "répondre" that reads as a translation; the French
    now says who answers ("une fois que vous aurez répondu", "une fois que toutes les questions ont reçu
    une réponse")."""
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert "une fois que toutes les questions ont reçu une réponse" in page
    po = (Path(__file__).resolve().parents[2] / "portal/translations/fr/LC_MESSAGES/messages.po").read_text()
    assert "il a été répondu" not in po and "il aura été répondu" not in po


def test_the_language_switch_returns_to_the_page_without_a_stray_question_mark(client, owner):
    """Tour of 2026-12-07: the switch's form sent next=/dashboard? (Werkzeug's full_path ends with "?" when
    there is no query string); a page with a query keeps it."""
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'action="/language?next=/dashboard"' in page, re.findall(r'action="/language[^"]*"', page)
    page = client.get("/cases/?status=all").get_data(as_text=True)
    assert 'action="/language?next=/cases/?status%3Dall"' in page, re.findall(
        r'action="/language[^"]*"', page
    )
    response = client.post_form("/language?next=/dashboard", {"lang": "fr"})
    assert response.status_code == 302 and response.location.endswith("/dashboard")
