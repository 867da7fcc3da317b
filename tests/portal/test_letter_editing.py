"""Editing the support letter before it is signed: sections typed over in the browser (CSRF), every
edit kept with its author, no markup injection, the snapshot covering the edited text, and edits kept
when the facts change (PostgreSQL, real WeasyPrint, read back with pdfplumber)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.documents import assembly, editing, markup, requests
from portal.documents.content import letter_context
from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.models import Case, LetterSection, Organization, User
from tests.portal.document_helpers import ROLE, create_case, download, laid_out_text, requested
from tests.portal.test_consult import accept, engage


def textareas(html: str) -> dict[str, str]:
    return {
        k: unescape(v)
        for k, v in re.findall(r'<textarea[^>]*name="section-([a-z_]+)"[^>]*>(.*?)</textarea>', html, re.S)
    }


def rows(app) -> list[LetterSection]:
    with app.app_context():
        found = db.session.scalars(select(LetterSection).order_by(LetterSection.id)).all()
        for r in found:
            db.session.expunge(r)
        return found


def edit(client, case_id: int, lang: str = "en", **sections):
    return client.post_form(
        f"/cases/{case_id}/letter/{lang}", {f"section-{k}": v for k, v in sections.items()}
    )


def make_letter(client, case_id: int, lang: str = "en"):
    document = requested(client.application, client, case_id, "support_letter", lang)
    assert document.status == "ready", document.error
    return document, laid_out_text(download(client, document.id))


def test_an_edited_section_goes_into_the_letter_and_its_snapshot(app, client, owner):
    case_id = create_case(app, client)
    before, _text = make_letter(client, case_id)
    page = client.get(f"/cases/{case_id}/letter/en")
    assert page.status_code == 200
    generated = textareas(page.get_data(as_text=True))
    assert {"introduction", "relationship", "employment_abroad", "canadian_role", "legal_basis"} <= set(
        generated
    )
    assert "[to complete: share of the capital" in generated["relationship"]

    typed = (
        "Maple Invented Analytics Ltd. is **wholly owned** (100 % of the shares) by Rocky Invented Inc.\n\n"
        "- Share register of 2024\n- Organization chart of the group"
    )
    response = edit(client, case_id, relationship=typed, employment_abroad=generated["employment_abroad"])
    assert response.status_code == 302
    [row] = rows(app)  # the unchanged section is not stored
    assert (row.section_key, row.text, row.author_id, row.language) == (
        "relationship",
        typed,
        owner.user_id,
        "en",
    )

    after, text = make_letter(client, case_id)
    assert "is wholly owned (100 % of the shares) by Rocky Invented Inc." in text
    assert "• Share register of 2024 • Organization chart of the group" in text
    assert "[to complete: share of the capital" not in text
    sections = {s["key"]: s for s in after.snapshot["letter"]["sections"]}
    assert sections["relationship"]["edited"] and sections["relationship"]["text"] == typed
    assert not sections["canadian_role"]["edited"]
    assert after.snapshot_sha256 != before.snapshot_sha256  # the hash covers the edited text


def test_markup_typed_into_a_section_comes_out_as_literal_text(app, client, owner):
    case_id = create_case(app, client)
    attack = (
        "<img src=file:///etc/passwd> <script>alert(1)</script>\n\n"
        'Style: background: url(file:///etc/passwd); @import url("http://127.0.0.1:9/x.css");\n\n'
        '<link rel="stylesheet" href="http://127.0.0.1:9/y.css"> **<b>bold</b>**'
    )
    assert edit(client, case_id, capacity=attack).status_code == 302
    document, text = make_letter(client, case_id)
    for literal in (
        "<img src=file:///etc/passwd>",
        "<script>alert(1)</script>",
        "url(file:///etc/passwd);",
        '@import url("http://127.0.0.1:9/x.css");',
        '<link rel="stylesheet" href="http://127.0.0.1:9/y.css">',
        "<b>bold</b>",
    ):
        assert literal in text, literal
    with app.app_context():
        html = assembly.render_html(
            "documents/support_letter.html", "en", letter_context(document.snapshot["letter"])
        )
    assert "<img src=file" not in html and "<script>" not in html and "<link rel" not in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html and "<strong>&lt;b&gt;bold&lt;/b&gt;</strong>" in html


def test_a_fact_change_keeps_the_edits_and_shows_what_changed(app, client, owner):
    case_id = create_case(app, client)
    generated = textareas(client.get(f"/cases/{case_id}/letter/en").get_data(as_text=True))
    assert "$95.00 per hour" in generated["canadian_role"]
    mine = "Avery Inventedname will earn $95.00 an hour, as agreed in the signed contract."
    assert (
        edit(client, case_id, canadian_role=mine, relationship="Rocky owns all of Maple.").status_code == 302
    )

    response = client.post_form("/roles/1/edit", {**ROLE, "wage_amount": "97"})  # the facts change
    assert response.status_code == 302
    page = client.get(f"/cases/{case_id}/letter/en").get_data(as_text=True)
    now = textareas(page)
    assert now["canadian_role"] == mine and now["relationship"] == "Rocky owns all of Maple."
    # the generated role section changed under the edit (the wage), the relationship's did not
    changed = re.findall(r'id="section-([a-z_]+)"(?:(?!id="section-).)*?generated-changed', page, re.S)
    assert changed == ["canadian_role"]
    assert "$97.00 per hour" in page  # the new generated text, shown for comparison
    document, text = make_letter(client, case_id)
    assert mine in text and "$97.00" not in text and "Rocky owns all of Maple." in text
    sections = {s["key"]: s for s in document.snapshot["letter"]["sections"]}
    assert (
        sections["canadian_role"]["generated_changed"] and not sections["relationship"]["generated_changed"]
    )


def test_every_edit_is_kept_and_bad_edits_are_refused(app, client, owner, make_employer, login):
    case_id = create_case(app, client)
    assert edit(client, case_id, relationship="First version.").status_code == 302
    assert edit(client, case_id, relationship="Second version.").status_code == 302
    assert edit(client, case_id, relationship="").status_code == 302  # back to the generated text
    assert [(r.text, r.author_id) for r in rows(app)] == [
        ("First version.", owner.user_id),
        ("Second version.", owner.user_id),
        (None, owner.user_id),
    ]
    page = client.get(f"/cases/{case_id}/letter/en").get_data(as_text=True)
    assert "[to complete: share of the capital" in textareas(page)["relationship"]
    # the history names the section by its heading, at the organization's time, never by its key in UTC
    history = page.split('id="edit-history"', 1)[1].split("</ul>", 1)[0]
    assert history.count("The corporate relationship") == 3 and "UTC" not in history, history
    assert not re.search(r": relationship\b", history), history

    assert edit(client, case_id, nonsense="x").status_code == 400
    assert edit(client, case_id, relationship="x" * 10_001).status_code == 400
    response = client.post(f"/cases/{case_id}/letter/en", data={"section-relationship": "no token"})
    assert response.status_code == 400
    assert len(rows(app)) == 3

    other = app.test_client()
    login(other, make_employer(legal_name="Another Invented Employer Inc."))
    assert other.get(f"/cases/{case_id}/letter/en").status_code == 404
    assert edit(other, case_id, relationship="taken over").status_code == 404
    assert len(rows(app)) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LetterSection)) == 3


def test_light_markup():
    html = str(markup.to_html("Intro line\n- one **two**\n- three\n\nSecond <p> para\nnext line"))
    assert html == (
        '<p>Intro line</p><ul class="items"><li>•&nbsp;one <strong>two</strong></li>'
        "<li>•&nbsp;three</li></ul><p>Second &lt;p&gt; para<br>next line</p>"
    )
    assert str(markup.to_html('**"><script>x</script>**')) == (
        "<p><strong>&#34;&gt;&lt;script&gt;x&lt;/script&gt;</strong></p>"
    )


def test_an_engaged_consultant_edits_the_cases_in_scope_only(app, client, owner, make_consultant, login):
    case_id = create_case(app, client)
    other_case = create_case(app, client, person={"given_names": "Second", "passport_number": "Y2345678"})
    engage(client, case_ids=[case_id])
    consultant = make_consultant(email="rae@consult.example.com", licence="R512345")
    rc = app.test_client()
    login(rc, consultant)
    accept(app, rc)
    assert edit(rc, case_id, relationship="Checked by the consultant.").status_code == 302
    assert edit(rc, other_case, relationship="Out of scope.").status_code == 404
    assert rc.get(f"/cases/{other_case}/letter/en").status_code == 404
    assert [(r.case_id, r.text, r.author_id) for r in rows(app)] == [
        (case_id, "Checked by the consultant.", consultant.user_id)
    ]


def test_the_editor_and_a_document_request_refuse_the_same_letters(app, client, owner):
    """One check of a letter's language and case (editing.draft) for the editing page and for a document
    request: a language other than English or French, and a case without an exemption code, are refused
    by both with the same message and field."""
    case_id = create_case(app, client)
    pending_id = create_case(app, client, answers={})
    with app.app_context():
        user, org = db.session.get(User, owner.user_id), db.session.get(Organization, owner.org_id)
        case, pending = db.session.get(Case, case_id), db.session.get(Case, pending_id)
        assert case.route == "IMP" and pending.route != "IMP"
        on = clock.today()
        for target, lang, field in ((case, "de", "language"), (pending, "en", None)):
            with pytest.raises(editing.EditError) as edit:
                editing.draft(target, org, lang=lang, actor=user, on=on)
            with pytest.raises(DocumentError) as request:
                requests.request_document(target, org, kind="support_letter", lang=lang, actor=user, on=on)
            assert (str(request.value), request.value.field) == (str(edit.value), edit.value.field)
            assert edit.value.field == field
        db.session.rollback()


@pytest.mark.parametrize(
    ("lang", "limit"), [("en", "at most 10,000 characters"), ("fr", "au plus 10\u00a0000 caractères")]
)
def test_a_section_too_long_is_refused_with_its_limit_as_the_reader_writes_numbers(
    app, client, owner, lang, limit
):
    """Tour (fr-CA, 390 px): "Objet de la présente lettre : au plus 10000 caractères." -- the pages write
    10 000 (and 10,000 in English)."""
    case_id = create_case(app, client)
    client.post_form("/language", {"lang": lang})
    response = edit(client, case_id, lang, introduction="Lorem ipsum dolor sit amet. " * 400)
    assert response.status_code == 400
    assert limit in unescape(response.get_data(as_text=True))
    assert rows(app) == []
