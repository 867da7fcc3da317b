"""A document asked twice: a double click, two tabs, or the same request again.

Two requests at once for the same case both computed version n + 1; the second then broke the
(case, kind, version) unique constraint and answered 500. And the same request again made a new
version identical to the last one, for the consultant to review twice. Now requests of one case wait
for each other, and a request whose snapshot is the latest version's (which has not failed) gets that
version back with a message saying so; any change — the case, the letter, the language, the day — or a
failed latest version makes a new one. Real PostgreSQL (the row lock is what orders the two requests)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select, update

from portal.documents import views as document_views
from portal.extensions import db
from portal.models import AuditEvent, Document, DocumentStatus
from tests.portal.document_helpers import create_case, document_id_of, request_document


def versions(app, case_id: int, kind: str = "packet") -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Document.version)
                .where(Document.case_id == case_id, Document.kind == kind)
                .order_by(Document.version)
            )
        )


def requested_events(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "document.requested")
        )


def test_two_requests_at_once_make_one_version_and_neither_fails(app, client, make_employer, login):
    login(client, make_employer())
    case_id = create_case(app, client)
    token = client.csrf_token()
    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:
        tab.set_cookie("session", client.get_cookie("session").value)
    answers: dict[int, object] = {}

    def post(i: int) -> None:
        answers[i] = tabs[i].post(
            f"/cases/{case_id}/documents", data={"csrf_token": token, "kind": "packet", "language": "en"}
        )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(r.status_code for r in answers.values()) == [302, 302], [
        r.get_data(as_text=True)[:300] for r in answers.values()
    ]
    assert document_id_of(answers[0]) == document_id_of(answers[1])
    assert versions(app, case_id) == [1]
    assert requested_events(app, case_id) == 1


def test_the_same_request_again_gives_the_same_version_and_says_so(app, client, make_employer, login):
    login(client, make_employer())
    case_id = create_case(app, client)
    first = document_id_of(request_document(client, case_id, "packet"))
    again = request_document(client, case_id, "packet")
    assert document_id_of(again) == first
    page = client.get(again.location).get_data(as_text=True)
    assert "Nothing has changed since Offer-submission packet (EN) version 1 was asked for" in page
    assert versions(app, case_id) == [1]
    assert requested_events(app, case_id) == 1
    # in French, the same
    client.post_form("/language", {"lang": "fr"})
    again = request_document(client, case_id, "packet")
    assert document_id_of(again) == first
    assert "Rien n'a changé depuis" in client.get(again.location).get_data(as_text=True).replace("&#39;", "'")


def test_any_change_or_a_failed_latest_version_makes_a_new_version(
    app, client, make_employer, login, monkeypatch
):
    login(client, make_employer())
    case_id = create_case(app, client)
    first = document_id_of(request_document(client, case_id, "packet"))
    # another language is another document
    assert document_id_of(request_document(client, case_id, "packet", lang="fr")) != first
    assert versions(app, case_id) == [1, 2]
    # another signatory
    request_document(client, case_id, "packet", lang="fr", signatory_name="Another Invented Signer")
    assert versions(app, case_id) == [1, 2, 3]
    # another day: the documents are dated
    monkeypatch.setattr(document_views, "today", lambda: date(2031, 5, 4))
    request_document(client, case_id, "packet", lang="fr", signatory_name="Another Invented Signer")
    assert versions(app, case_id) == [1, 2, 3, 4]
    # the latest failed: asking again is a retry of the same snapshot, which makes a new version
    with app.app_context():
        db.session.execute(
            update(Document)
            .where(Document.case_id == case_id, Document.version == 4)
            .values(status=DocumentStatus.FAILED, error="invented failure")
        )
        db.session.commit()
    request_document(client, case_id, "packet", lang="fr", signatory_name="Another Invented Signer")
    assert versions(app, case_id) == [1, 2, 3, 4, 5]
    # a letter is not a packet: the letter's own versions
    request_document(client, case_id, "support_letter")
    assert versions(app, case_id, "support_letter") == [1]
