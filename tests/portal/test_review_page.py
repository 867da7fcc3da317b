"""The consultant's review page (PostgreSQL, real rendered PDFs): the packet in the page's frame, the
criteria with the facts behind them in words, the employment history, what changed since the version
reviewed before, and returns with comments tied to a section that the employer sees."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from portal import clock
from portal.documents import views as document_views
from portal.extensions import db
from portal.labels import ENUM_LABELS
from portal.models import (
    Case,
    Document,
    DocumentStatus,
    EmploymentRecord,
    Membership,
    Review,
    ReviewComment,
    Transferee,
    User,
)
from rules.field_labels import LABELS
from rules.fields import BY_PATH, EMPLOYMENT_FIELDS, FIELDS
from tests.portal.test_cases import ROLE, _create_case
from tests.portal.test_consult import T37_ANSWERS, accept, engage, packet

RAW = (
    re.compile(r"\b(True|False|None)\b"),  # Python's booleans and None
    re.compile(r"\[\s*'"),  # a list's repr
    re.compile(r"\b\d+\.0\b"),  # a float's repr
    re.compile(r"\{'"),  # a dict's repr
)


def visible_text(page: str) -> str:
    """The page's text as a reader sees it (scripts, styles and tags removed)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def assert_no_raw(text: str) -> None:
    for pattern in RAW:
        found = pattern.search(text)
        assert found is None, (
            f"raw value {found.group(0)!r} in: …{text[max(0, found.start() - 80) : found.end() + 80]}…"
        )
    keys = [path for path in BY_PATH if path in text]
    assert not keys, f"raw fact keys in the page: {keys}"


@pytest.fixture
def reviewing(app, client, make_employer, make_consultant, login):
    """An employer with an answered T37 case, an engaged consultant, and packet v1 ready."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    engage(client)
    consultant = app.test_client()
    login(consultant, make_consultant(email="rae@consult.example.com", licence="R512345"))
    accept(app, consultant)
    return case_id, packet(client, case_id), consultant


def test_every_fact_field_and_enum_value_has_a_label_in_both_languages():
    assert {f.path for f in FIELDS + EMPLOYMENT_FIELDS} <= set(LABELS)
    assert all(en and fr and en != fr or en == fr == "Profession" for en, fr in LABELS.values())
    for f in FIELDS + EMPLOYMENT_FIELDS:
        if f.kind == "enum":
            assert set(f.values) <= set(ENUM_LABELS.get(f.path, {})), f.path


EARLIER_JOB = {
    "employer_name": "Old Invented GmbH",
    "country": "DE",
    "job_title": "Team lead",
    "capacity": "manager",
    "start_date": "2018-03-01",
    "end_date": "2021-12-31",
    "full_time": "y",
    "hours_per_week": "37.5",
    "duties": "Led a team of six engineers.",
}


def _transferee_id(app, case_id) -> int:
    with app.app_context():
        return db.session.get(Case, case_id).transferee_id


def test_review_page_shows_the_pdf_in_a_frame_and_the_facts_in_words(app, client, reviewing):
    case_id, document_id, consultant = reviewing
    response = client.post_form(f"/transferees/{_transferee_id(app, case_id)}/employment", EARLIER_JOB)
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[-600:]
    response = consultant.get(f"/documents/{document_id}/review")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"  # the page itself is never framed
    assert (
        '<iframe class="border rounded w-100 flex-grow-1 review-pdf d-none d-md-block" id="review-pdf"'
        in page
    )
    assert (
        'id="review-pdf-open"' in page
    )  # a phone opens it from a button (tests/browser/test_review_flow.py)
    assert f'src="/documents/{document_id}/pdf"' in page

    pdf = consultant.get(f"/documents/{document_id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.get_data()[:5] == b"%PDF-"
    assert pdf.headers["Content-Disposition"].startswith("inline")
    assert pdf.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf.headers["Content-Security-Policy"]
    with app.app_context():
        assert db.session.get(Document, document_id).pdf_sha256 in page

    text = visible_text(page)
    assert_no_raw(text)
    # Criteria with the facts behind them, in words and units.
    assessment = page[page.index('id="assessment"') : page.index('id="employment-history"')]
    assessment_text = visible_text(assessment)
    for expected in (
        "Actively doing business",
        "Relationship to the Canadian employer",
        "Parent company",
        "Yes",
        "United States",
    ):
        assert expected in assessment_text, expected
    # The employment history that decides an intra-company transfer.
    history = visible_text(page[page.index('id="employment-history"') :])
    for expected in ("VP Operations", "Rocky Invented Inc.", "Executive", "January 10, 2022 to today"):
        assert expected in history, expected
    # The earlier job, with its hours and duties, after the current one.
    earlier = history[history.index("Team lead") :]
    for expected in (
        "Old Invented GmbH",
        "Germany",
        "Senior manager or manager",
        "March 1, 2018 to December 31, 2021",
        "37.5",
        "Led a team of six engineers.",
    ):
        assert expected in earlier, expected
    assert history.index("VP Operations") < history.index("Team lead")
    assert "first version" in text

    consultant.post_form("/language", {"lang": "fr"})
    french = visible_text(consultant.get(f"/documents/{document_id}/review").get_data(as_text=True))
    assert_no_raw(french)
    for expected in (
        "Exerce activement ses activités",
        "Lien avec l'employeur canadien",
        "Oui",
        "États-Unis",
    ):
        assert expected in french, expected
    assert "du 10 janvier 2022 à aujourd'hui" in french and "37,5" in french and "Allemagne" in french


def test_the_pdf_route_and_the_review_page_answer_404_to_another_organization(
    app, reviewing, make_employer, make_consultant, login
):
    _case_id, document_id, _consultant = reviewing
    outsider = app.test_client()
    login(outsider, make_consultant(email="other@consult.example.com", licence="R600001"))
    other_owner = app.test_client()
    login(other_owner, make_employer(legal_name="Birch Invented Robotics Inc."))
    for client in (outsider, other_owner):
        for url in (f"/documents/{document_id}/pdf", f"/documents/{document_id}/review"):
            assert client.get(url).status_code == 404, url


def test_the_decision_has_no_default_and_none_chosen_records_nothing_and_keeps_the_comment(
    app, client, reviewing
):
    """A consultant who types a comment and records it without choosing does not approve by mistake:
    the form asks for a decision (in the reader's language), records nothing and keeps the text typed."""
    _case_id, document_id, consultant = reviewing
    page = consultant.get(f"/documents/{document_id}/review").get_data(as_text=True)
    select_tag = page[page.index('name="decision"') :]
    select_tag = select_tag[: select_tag.index("</select>")]
    assert select_tag.count("selected") == 1 and '<option selected value="">' in select_tag, select_tag
    for lang, error in (
        ("en", "Choose a decision: approve the document or return it with comments."),
        ("fr", "Choisissez une décision\u00a0: approuver le document ou le renvoyer avec des commentaires."),
    ):
        consultant.post_form("/language", {"lang": lang})
        for data in (
            {"comment": "Looks fine, but check the wage."},
            {"decision": "", "comment": "Looks fine, but check the wage."},
        ):
            response = consultant.post_form(f"/documents/{document_id}/review", data)
            text = response.get_data(as_text=True)
            assert response.status_code == 400 and html.escape(error) in text, visible_text(text)[-1500:]
            assert "Looks fine, but check the wage.</textarea>" in text
    with app.app_context():
        assert db.session.scalars(select(Review)).all() == []


def _letter_key(app, document_id) -> tuple[str, str]:
    with app.app_context():
        section = db.session.get(Document, document_id).snapshot["letter"]["sections"][1]
        return section["key"], section["heading"]


def test_a_return_ties_each_comment_to_its_section_and_the_employer_sees_it_there(
    app, client, reviewing, outbox
):
    case_id, document_id, consultant = reviewing
    key, heading = _letter_key(app, document_id)
    # An unknown section is refused and writes nothing; a return needs at least one comment.
    response = consultant.post_form(
        f"/documents/{document_id}/review", {"decision": "returned", "section-letter:nope": "x"}
    )
    assert response.status_code == 400 and "Unknown section" in response.get_data(as_text=True)
    response = consultant.post_form(f"/documents/{document_id}/review", {"decision": "returned"})
    assert response.status_code == 400
    # Approving while comments say what must change is refused: an approval is not a return.
    response = consultant.post_form(
        f"/documents/{document_id}/review",
        {"decision": "approved", "as_it_is": "y", f"section-letter:{key}": "Fix it."},
    )
    assert response.status_code == 400 and "return the document" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Review)).all() == []

    response = consultant.post_form(
        f"/documents/{document_id}/review",
        {
            "decision": "returned",
            f"section-letter:{key}": "State the hours per week of the job abroad.",
            "section-packet:sheet": "The telephone number is missing.",
            "section-packet:checks": "   ",  # blank: no comment
        },
    )
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[-800:]
    with app.app_context():
        comments = db.session.scalars(select(ReviewComment).order_by(ReviewComment.id)).all()
        assert [(c.section, c.heading, c.text) for c in comments] == [
            ("packet:sheet", None, "The telephone number is missing."),
            (f"letter:{key}", heading, "State the hours per week of the job abroad."),
        ]

    # The employer is mailed each comment with its section.
    body = outbox[-1].body
    assert f"Support letter: “{heading}”: State the hours per week of the job abroad." in body
    assert "Employer Portal data sheet: The telephone number is missing." in body
    # The employer sees each comment under its section: documents page (with a link to the section in
    # the letter editor) and dashboard.
    documents = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    last = documents[documents.index('id="last-review"') :]
    assert re.search(
        rf'data-section="letter:{key}"><strong>Support letter: “{re.escape(html.escape(heading))}”</strong> — State the hours per week',
        last,
    ), last[:1500]
    assert re.search(
        r'data-section="packet:sheet"><strong>Employer Portal data sheet</strong> — The telephone number',
        last,
    )
    assert f'href="/cases/{case_id}/letter/en#section-{key}"' in last
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    returned = case_page[case_page.index('id="case-returned"') :]
    assert "The consultant returned version 1 of the packet." in returned
    assert f'data-section="letter:{key}"' in returned and "State the hours per week" in returned
    assert f'href="/cases/{case_id}/letter/en#section-{key}"' in returned
    # The letter editor shows the comment above the section it is about, and only there.
    editor = client.get(f"/cases/{case_id}/letter/en").get_data(as_text=True)
    card = editor[editor.index(f'id="section-{key}"') :]
    card = card[: card.index("</textarea>")]
    assert "The consultant asks: State the hours per week of the job abroad." in card
    assert editor.count("consultant-comment") == 1
    assert "consultant-comment" not in client.get(f"/cases/{case_id}/letter/fr").get_data(as_text=True)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    panel = dashboard[dashboard.index('id="panel-returned"') :]
    panel = panel[: panel.index("</div></div>")]
    assert f"Support letter: “{html.escape(heading)}”" in panel and "State the hours per week" in panel
    assert "Employer Portal data sheet" in panel
    # The consultant's page keeps them with the decision; the case is returned.
    review = consultant.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert 'data-state="returned"' in review and "The telephone number is missing." in review
    # In French, the packet's part is named in French.
    client.post_form("/language", {"lang": "fr"})
    french = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert "Fiche de données pour le Portail des employeurs" in french


def test_the_next_version_shows_what_changed_in_the_facts_and_the_letter(app, client, reviewing):
    case_id, v1, consultant = reviewing
    key, heading = _letter_key(app, v1)
    assert (
        consultant.post_form(
            f"/documents/{v1}/review", {"decision": "returned", f"section-letter:{key}": "Say more."}
        ).status_code
        == 302
    )
    # The employer edits that section, changes the prevailing wage, and makes v2.
    assert (
        client.post_form(
            f"/cases/{case_id}/letter/en", {f"section-{key}": "Our own words about it."}
        ).status_code
        == 302
    )
    role = client.get("/roles/1/edit").get_data(as_text=True)
    assert "Vice-President" in role
    assert client.post_form("/roles/1/edit", {**ROLE, "prevailing_wage_hourly": "72.5"}).status_code == 302
    response = client.post_form(f"/transferees/{_transferee_id(app, case_id)}/employment", EARLIER_JOB)
    assert response.status_code == 302
    v2 = packet(client, case_id)
    page = consultant.get(f"/documents/{v2}/review").get_data(as_text=True)
    changes = page[page.index('id="changes"') : page.index('id="assessment"')]
    text = visible_text(changes)
    assert "What changed since version 1" in text
    assert re.search(r"Prevailing wage \(hourly\)\s+\$70\.00 per hour\s+\$72\.50 per hour", text), text
    assert f'data-section="letter:{key}"' in changes and "Our own words about it." in text
    assert re.search(r"Job added: Team lead, Old Invented GmbH, Germany, 37\.5 hours per week", text), text
    assert_no_raw(text)


def test_the_next_version_shows_the_offers_fields_that_are_not_facts(app, client, reviewing):
    """Tour: a packet returned for its empty passport number (the pre-checks' "Required in the Employer
    Portal and empty here"), then made again with the number, listed under "What changed since version 1"
    only the passport's expiry: the passport number, like the names, the work address or the signatory,
    is a field of the offer that no rule reads, and only the rules' facts were compared."""
    case_id, v1, consultant = reviewing
    form = {"decision": "returned", "comment": "Add the passport number."}
    assert consultant.post_form(f"/documents/{v1}/review", form).status_code == 302
    with app.app_context():
        person = db.session.get(Transferee, _transferee_id(app, case_id))
        before = person.passport_number
        person.passport_number = "K7654321"
        db.session.commit()
    v2 = packet(client, case_id, signatory="Ada Lovelace")
    page = consultant.get(f"/documents/{v2}/review").get_data(as_text=True)
    text = visible_text(page[page.index('id="changes"') : page.index('id="assessment"')])
    assert re.search(rf"Passport number\s+{before}\s+K7654321", text), text
    assert re.search(r"Signed by\s+Ada\s+Ada Lovelace", text), text
    assert "Family name" not in text and "Telephone" not in text  # unchanged: not listed
    assert_no_raw(text)


def test_a_version_is_compared_with_the_last_one_in_its_own_language(app, client, reviewing, monkeypatch):
    """A French packet after an English v1 listed every letter section as changed, only because the
    language differed; it is compared with the last French version, and with the English one only when
    there is none, its letter's texts then left out."""
    case_id, v1, consultant = reviewing

    def changes(document_id: int) -> str:
        page = consultant.get(f"/documents/{document_id}/review").get_data(as_text=True)
        return page[page.index('id="changes"') : page.index('id="assessment"')]

    v2 = packet(client, case_id, "fr")  # no earlier French version: compared with v1, texts left out
    first = changes(v2)
    assert "What changed since version 1" in visible_text(first) and 'id="other-language"' in first
    assert "changed-section" not in first and 'id="no-changes"' in first
    # the sentence claims only what was compared (tour: "...not the letter's texts", then "Nothing in the
    # facts, the letter or the annexes changed.")
    assert (
        "Nothing in the facts or the annexes changed." in visible_text(first) and "the letter or" not in first
    )
    assert client.post_form("/roles/1/edit", {**ROLE, "prevailing_wage_hourly": "72.5"}).status_code == 302
    packet(client, case_id)  # v3, English
    v4 = packet(client, case_id, "fr")
    second = changes(v4)
    assert "What changed since version 2" in visible_text(second) and 'id="other-language"' not in second
    assert re.search(r"\$70\.00 per hour\s+\$72\.50 per hour", visible_text(second))
    # nothing changed since v4, in the same language, asked the next day (the same day, v4 itself is the
    # answer): all is compared
    monkeypatch.setattr(document_views, "today", lambda: clock.today() + timedelta(days=1))
    v5 = packet(client, case_id, "fr")
    assert v5 != v4
    assert "Nothing in the facts, the employment history, the letter or the annexes changed." in visible_text(
        changes(v5)
    )


def test_the_employment_history_note_names_an_intra_company_transfer_only_for_one(app, client, reviewing):
    case_id, v1, consultant = reviewing
    with app.app_context():
        transferee_id = db.session.get(Case, case_id).transferee_id
        db.session.execute(delete(EmploymentRecord).where(EmploymentRecord.transferee_id == transferee_id))
        db.session.commit()
    v2 = packet(client, case_id)  # T37, no job recorded
    with app.app_context():
        code = db.session.get(Document, v2).snapshot["letter"]["code"]
    page = visible_text(consultant.get(f"/documents/{v2}/review").get_data(as_text=True))
    assert code == "T37" and "the employment history decides an intra-company transfer" in page
    with app.app_context():  # the same page for a packet of another kind of code (IEC's C21)
        document = db.session.get(Document, v2)
        document.snapshot = {**document.snapshot, "letter": {**document.snapshot["letter"], "code": "C21"}}
        db.session.commit()
    page = visible_text(consultant.get(f"/documents/{v2}/review").get_data(as_text=True))
    assert "No job recorded." in page and "decides an intra-company transfer" not in page


def test_each_version_shows_its_own_review_state_and_an_older_one_links_to_the_latest(app, client, reviewing):
    """Tour: after v3 was approved, v1 (never reviewed) and v2 (returned) both showed "Approved" (the
    case's stage), and v1's page offered the decision form, refused only on submit ("A newer version
    exists")."""
    case_id, v1, consultant = reviewing
    v2 = packet(client, case_id, signatory="Ada Second")
    assert (
        consultant.post_form(
            f"/documents/{v2}/review", {"decision": "returned", "comment": "Add it."}
        ).status_code
        == 302
    )
    v3 = packet(client, case_id, signatory="Ada Third")
    assert (
        consultant.post_form(f"/documents/{v3}/review", {"decision": "approved", "as_it_is": "y"}).status_code
        == 302
    )

    def state(document_id: int) -> tuple[list[str], str]:
        page = consultant.get(f"/documents/{document_id}/review").get_data(as_text=True)
        head = page[
            page.index("<", page.index('id="review-state"')) : page.index('<div class="row g-4 mb-4"')
        ]
        return visible_text(head).split(), page

    for document_id, words in ((v1, ["Not", "reviewed"]), (v2, ["Returned"])):
        head, page = state(document_id)
        assert head[: len(words)] == words and "Approved" not in head, head
        assert "Superseded by version 3" in " ".join(head)
        assert f'href="/documents/{v3}/review"' in page  # the way to the latest version
        assert 'id="review-form"' not in page and 'id="newer-version"' in page
    head, page = state(v3)
    assert head == ["Approved"] and 'id="review-form"' in page and 'id="newer-version"' not in page
    # a newer version in the other language says so (versions are numbered across languages, tour of
    # 2026-12-10: the English v3 read "Superseded by version 4" after a French packet)
    v4 = packet(client, case_id, "fr")
    head, page = state(v3)
    assert "Superseded by version 4, in French" in " ".join(head), head
    assert f'href="/documents/{v4}/review"' in page


def test_the_review_page_of_a_version_not_made_yet_says_so(app, client, reviewing):
    """Probe of the production shape, worker stopped: v1's "Review version 2" led to v2's review page while v2
    was queued, which showed "SHA-256 None", "Download (0 pages)" and a frame of the PDF's 409 page."""
    case_id, v1, consultant = reviewing
    v2 = packet(client, case_id, signatory="Ada Second")
    for status in (DocumentStatus.QUEUED, DocumentStatus.RENDERING, DocumentStatus.FAILED):
        with app.app_context():
            db.session.execute(
                update(Document)
                .where(Document.id == v2)
                .values(status=status, pdf_sha256=None, page_count=None)
            )
            db.session.commit()
        assert f'href="/documents/{v2}/review"' in consultant.get(f"/documents/{v1}/review").get_data(
            as_text=True
        )
        response = consultant.get(f"/documents/{v2}/review")
        page = response.get_data(as_text=True)
        assert response.status_code == 409 and "Not ready yet" in visible_text(page), status
        assert "None" not in visible_text(page) and 'id="review-pdf"' not in page
        assert f'href="/cases/{case_id}/documents#document-{v2}"' in page
    assert consultant.get(f"/documents/{v1}/review").status_code == 200


def _set_locale(app, user_id: int, locale: str | None) -> None:
    with app.app_context():
        db.session.get(User, user_id).locale = locale
        db.session.commit()


def test_the_decision_mail_is_in_each_members_language_with_its_colons(
    app, client, reviewing, add_member, outbox
):
    """Tour: the mail was written in the language of the consultant who clicked, and the French one mixed
    colons ("Lettre d'appui : La nature du poste: Citez…"): each member reads it in their own language,
    the section label separated as that language does it."""
    case_id, document_id, consultant = reviewing
    key, heading = _letter_key(app, document_id)
    with app.app_context():
        org_id = db.session.get(Case, case_id).organization_id
        owner_id = db.session.scalars(
            select(Membership.user_id).where(Membership.organization_id == org_id)
        ).one()
    _set_locale(app, owner_id, "en")
    member = add_member(org_id)
    _set_locale(app, member.user_id, "fr")
    consultant.post_form("/language", {"lang": "fr"})  # the consultant reads the portal in French
    response = consultant.post_form(
        f"/documents/{document_id}/review",
        {
            "decision": "returned",
            f"section-letter:{key}": "Citez le salaire.",
            "section-packet:sheet": "Le numéro.",
        },
    )
    assert response.status_code == 302
    by_address = {m.to[0]: m for m in outbox}
    with app.app_context():
        owner_email = db.session.get(User, owner_id).email
    english, french = by_address[owner_email], by_address[member.email]
    assert english.subject.startswith("Packet returned: ")
    assert f"Support letter: “{heading}”: Citez le salaire." in english.body
    assert "Employer Portal data sheet: Le numéro." in english.body
    assert french.subject.startswith("Dossier de présentation de l'offre renvoyé\u00a0: ")
    assert f"Lettre d'appui\u00a0: «\u00a0{heading}\u00a0»\u00a0: Citez le salaire." in french.body
    assert re.search(r"\S: ", french.body.split("\n\n", 1)[1]) is None, french.body  # no English colon


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_approval_without_comment_mails_no_empty_lines(app, client, reviewing, outbox, lang):
    """Tour (the outbox): "Robin Counsel (CCIC R000001) a approuvé la version 2 du document concernant …"
    was followed by three empty lines, where the comment goes, before the link."""
    case_id, document_id, consultant = reviewing
    with app.app_context():
        org_id = db.session.get(Case, case_id).organization_id
        owner_id = db.session.scalars(
            select(Membership.user_id).where(Membership.organization_id == org_id)
        ).one()
    _set_locale(app, owner_id, lang)
    form = {"decision": "approved", "as_it_is": "y"}
    assert consultant.post_form(f"/documents/{document_id}/review", form).status_code == 302
    (mail,) = outbox
    assert "\n\n\n" not in mail.body, repr(mail.body)
    assert mail.body.endswith(f"/cases/{case_id}/documents\n"), repr(mail.body)


def test_the_french_decision_mail_names_the_college_by_its_french_acronym(app, client, reviewing, outbox):
    """Tour (the French outbox): "Robin Counsel (CICC R000001) a approuvé la version 1…": the College is
    the CCIC in French, as the portal's French pages and the approval page say."""
    case_id, document_id, consultant = reviewing
    with app.app_context():
        org_id = db.session.get(Case, case_id).organization_id
        owner_id = db.session.scalars(
            select(Membership.user_id).where(Membership.organization_id == org_id)
        ).one()
    _set_locale(app, owner_id, "fr")
    form = {"decision": "returned", "comment": "Le numéro."}
    assert consultant.post_form(f"/documents/{document_id}/review", form).status_code == 302
    (mail,) = outbox
    assert "(CCIC R512345) a renvoyé la version 1" in mail.body and "CICC" not in mail.body


@pytest.mark.parametrize(
    ("ui", "label", "changed"),
    [
        ("en", "Support letter: “{heading}”", "Letter section changed: “{heading}”"),
        (
            "fr",
            "Lettre d'appui\u00a0: «\u00a0{heading}\u00a0»",
            "Section de la lettre modifiée\u00a0: «\u00a0{heading}\u00a0»",
        ),
    ],
)
def test_a_letter_sections_heading_is_quoted_as_the_documents_own_words(
    app, client, reviewing, ui, label, changed
):
    """Tour: the French review page of an English letter read "Lettre d'appui : Purpose of this letter", the
    heading in the document's language run on after a French label as if it were part of it. The heading is
    quoted, as the letter's own words, in the label of each section to comment on and of a changed section."""
    case_id, document_id, consultant = reviewing
    with app.app_context():
        sections = db.session.get(Document, document_id).snapshot["letter"]["sections"]
    first = sections[0]["heading"]
    assert first == "Purpose of this letter"
    # a second version whose letter changed, to show "what changed" too
    with app.app_context():
        db.session.get(Case, case_id).position.duties = "Runs the Canadian operations.\nReports to the board."
        db.session.commit()
    newer = packet(client, case_id)
    consultant.post_form("/language", {"lang": ui})
    page = visible_text(consultant.get(f"/documents/{newer}/review").get_data(as_text=True))
    text = re.sub(r"[ \t\r\n]+", " ", page)
    assert label.format(heading=first) in text, text[:3000]
    assert "Lettre d'appui\u00a0: Purpose" not in text and "Support letter: Purpose" not in text
    changed_headings = [s["heading"] for s in sections if s["key"] == "canadian_role"]
    assert changed.format(heading=changed_headings[0]) in text, text[-4000:]


def test_a_return_sent_twice_is_recorded_and_mailed_once(app, client, reviewing, outbox):
    """Found by the outside probe against gunicorn: the same return sent again (a double click on
    "Return", a form sent twice) was recorded again and mailed every member of the employer again. The
    same comments on the same version are refused, in the reader's language; other comments are a new
    return."""
    _case_id, document_id, consultant = reviewing
    key, _heading = _letter_key(app, document_id)
    data = {"decision": "returned", "comment": "Sign the letter.", f"section-letter:{key}": "Give the dates."}
    assert consultant.post_form(f"/documents/{document_id}/review", data).status_code == 302
    mails = len(outbox)
    response = consultant.post_form(f"/documents/{document_id}/review", data)
    assert response.status_code == 400
    assert "This version is returned already with these comments." in visible_text(
        response.get_data(as_text=True)
    )
    assert len(outbox) == mails
    with app.app_context():
        assert len(db.session.scalars(select(Review)).all()) == 1
    consultant.post_form("/language", {"lang": "fr"})
    response = consultant.post_form(f"/documents/{document_id}/review", data)
    assert "Cette version est déjà renvoyée avec ces commentaires." in visible_text(
        response.get_data(as_text=True)
    )
    # another comment is another return
    more = {**data, "comment": "Sign the letter and date it."}
    assert consultant.post_form(f"/documents/{document_id}/review", more).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Review)).all()) == 2


@pytest.mark.parametrize(
    ("lang", "limit"), [("en", "at most 4,000 characters"), ("fr", "au plus 4\u00a0000 caractères")]
)
def test_a_section_comment_too_long_says_its_limit_as_the_reader_writes_numbers(
    app, client, reviewing, lang, limit
):
    """Tour: the limit read "4000" in both languages, where the pages write 4,000 and 4 000."""
    _case_id, document_id, consultant = reviewing
    key, _heading = _letter_key(app, document_id)
    consultant.post_form("/language", {"lang": lang})
    response = consultant.post_form(
        f"/documents/{document_id}/review", {"decision": "returned", f"section-letter:{key}": "x" * 4001}
    )
    assert response.status_code == 400
    assert limit in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(select(Review)).all() == []
