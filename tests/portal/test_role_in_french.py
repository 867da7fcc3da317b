"""A role's job title and duties in French: the role form keeps them, French documents state them, English
ones the role's own (a French letter quoted the title and duties as typed in English), and the roles import
takes them as the form does (PostgreSQL; Celery eager: the request renders the document)."""

from __future__ import annotations

import html

from sqlalchemy import select

from portal.extensions import db
from portal.models import Position
from tests.portal import document_helpers as docs
from tests.portal.test_imports import _token, _upload

FRENCH = {
    "title_fr": "Vice-présidente, Opérations Canada",
    "duties": "Directs the Canadian operations and their budget.",
    "duties_fr": "Dirige les opérations canadiennes et leur budget.",
}


def test_french_documents_state_the_role_in_french_and_english_ones_in_english(app, client, owner):
    case_id = docs.create_case(app, client, role=FRENCH)
    with app.app_context():
        role = db.session.scalars(select(Position)).one()
        assert (role.title_fr, role.duties_fr) == (FRENCH["title_fr"], FRENCH["duties_fr"])

    french = docs.requested(app, client, case_id, "support_letter", lang="fr")
    assert french.status == "ready", french.error
    text = docs.squash(docs.pdf_text(docs.download(client, french.id)))
    assert docs.squash(FRENCH["title_fr"]) in text and docs.squash(FRENCH["duties_fr"]) in text
    assert docs.squash("Vice-President, Operations Canada") not in text
    assert docs.squash(FRENCH["duties"]) not in text

    packet = docs.requested(app, client, case_id, "packet", lang="fr")
    assert packet.status == "ready", packet.error
    body = docs.squash(docs.pdf_text(docs.download(client, packet.id)))
    assert docs.squash(FRENCH["title_fr"]) in body and docs.squash("Vice-President, Operations") not in body

    english = docs.requested(app, client, case_id, "support_letter", lang="en")
    text = docs.squash(docs.pdf_text(docs.download(client, english.id)))
    assert docs.squash("Vice-President, Operations Canada") in text and docs.squash(FRENCH["duties"]) in text
    assert docs.squash(FRENCH["title_fr"]) not in text and docs.squash(FRENCH["duties_fr"]) not in text


def test_without_a_french_title_a_french_letter_gives_the_title_as_typed(app, client, owner):
    case_id = docs.create_case(app, client)
    french = docs.requested(app, client, case_id, "support_letter", lang="fr")
    text = docs.squash(docs.pdf_text(docs.download(client, french.id)))
    assert docs.squash("Vice-President, Operations Canada") in text


NO_FRENCH = "The role has no French job title or duties: this French document gives them as typed."


def _flashed_after_request(client, case_id: int, lang: str) -> str:
    docs.document_id_of(docs.request_document(client, case_id, "support_letter", lang))
    return html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))


def test_a_french_document_of_a_role_typed_in_english_says_so_when_asked_for(app, client, owner):
    """Tour: a French letter read "occupera le poste de Senior Data Engineer" and quoted the duties in
    English, and nothing said why nor where to give them in French."""
    case_id = docs.create_case(app, client)
    assert NO_FRENCH not in _flashed_after_request(client, case_id, "en")
    page = _flashed_after_request(client, case_id, "fr")
    assert NO_FRENCH in page and "under “Job title and duties in French”" in page


def test_a_french_document_of_a_role_given_in_french_says_nothing_of_it(app, client, owner):
    case_id = docs.create_case(app, client, role=FRENCH)
    assert NO_FRENCH not in _flashed_after_request(client, case_id, "fr")


def test_the_role_form_shows_the_french_fields_and_limits_them(app, client, owner):
    page = client.get("/roles/new").get_data(as_text=True)
    assert 'name="title_fr"' in page and 'name="duties_fr"' in page
    response = client.post_form(
        "/roles/new", {"title": "Analyst", "noc_code": "21223", "title_fr": "x" * 201, "wage_unit": "year"}
    )
    assert response.status_code == 400
    assert any("200" in e for e in docs.errors(response)), docs.errors(response)
    with app.app_context():
        assert db.session.scalars(select(Position)).first() is None, "nothing written"


def test_the_roles_import_takes_the_french_title_and_duties(app, client, owner):
    header = "title,noc_code,title_fr,duties_fr,wage_unit\r\n"
    row = "Plant Manager,90010,Directeur d’usine,Dirige la production de l’usine.,year\r\n"
    preview = _upload(client, "roles", (header + row).encode("utf-8"), "roles.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:3000]
    response = client.post_form(f"/import/roles/{_token(page, 'roles')}/confirm")
    assert response.status_code == 302
    with app.app_context():
        role = db.session.scalars(select(Position)).one()
        assert (role.title, role.title_fr, role.duties_fr) == (
            "Plant Manager",
            "Directeur d’usine",
            "Dirige la production de l’usine.",
        )
        assert role.title_in("fr") == "Directeur d’usine" and role.title_in("en") == "Plant Manager"


def test_the_documents_page_names_the_role_in_the_pages_language(app, client, owner):
    """The documents page's header gave the English title in the French pages, above the French documents
    that state the French one."""
    case_id = docs.create_case(app, client, role=FRENCH)
    assert client.post_form("/language", {"lang": "fr"}).status_code in (302, 303)
    french = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert '<html lang="fr">' in french
    header = french.split('<div class="text-body-secondary">', 1)[1].split("</div>", 1)[0]
    assert FRENCH["title_fr"] in header and "Vice-President" not in header, header
    english = client.post_form("/language", {"lang": "en"}) and client.get(f"/cases/{case_id}/documents")
    header = (
        english.get_data(as_text=True).split('<div class="text-body-secondary">', 1)[1].split("</div>", 1)[0]
    )
    assert "Vice-President, Operations Canada" in header and FRENCH["title_fr"] not in header, header
