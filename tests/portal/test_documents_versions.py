"""A document's life: each request a new version (old ones stay downloadable), queued to ready, a
failure shown with its error and retried."""

from __future__ import annotations

import html
import os
import re
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select, update

from portal import clock
from portal.documents import lookups, rendering, requests, store
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    Document,
    DocumentStatus,
    Organization,
    User,
)
from portal.models._types import utcnow
from tests.portal.document_helpers import (
    ROLE,
    create_case,
    download,
    get_document,
    pdf_text,
    requested,
)
from workers.tasks.documents import render_document


def test_each_request_is_a_new_version_and_old_ones_stay_downloadable(app, client, owner):
    case_id = create_case(app, client)
    first = requested(app, client, case_id, "support_letter")
    client.post_form("/roles/1/edit", {**ROLE, "wage_amount": "97"})  # the case changes between versions
    second = requested(app, client, case_id, "support_letter")
    assert (first.version, second.version) == (1, 2) and first.id != second.id
    one, two = download(client, first.id), download(client, second.id)
    assert one != two and "$95.00 per hour" in pdf_text(one) and "$97.00 per hour" in pdf_text(two)
    names = [
        client.get(f"/documents/{d.id}/download").headers["Content-Disposition"] for d in (first, second)
    ]
    assert "inventedname-t37-support-letter-v1-en.pdf" in names[0] and "-v2-en.pdf" in names[1]
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert (
        page.count('class="btn btn-sm btn-primary doc-download"') == 2 and ">v1<" in page and ">v2<" in page
    )
    # A packet has its own numbering.
    packet = requested(app, client, case_id, "packet", lang="fr")
    assert packet.version == 1 and packet.language == "fr"


def _queued_document(app, case_id: int, user_id: int, kind="support_letter") -> int:
    """A document requested the way the view does it, before the render task is sent."""

    with app.test_request_context():
        case = db.session.get(Case, case_id)
        document = requests.request_document(
            case,
            db.session.get(Organization, case.organization_id),
            kind=kind,
            lang="en",
            actor=db.session.get(User, user_id),
            on=clock.today(),
        )
        db.session.commit()
        return document.id


def test_status_moves_from_queued_to_ready(app, client, owner):
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id)
    status = client.get(f"/documents/{document_id}/status").get_json()
    assert status["status"] == "queued" and status["download"] is None and status["pages"] is None
    assert client.get(f"/documents/{document_id}/download").status_code == 409
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert f'data-status-url="/documents/{document_id}/status" data-status="queued"' in page
    with app.app_context():
        assert render_document.delay(document_id).get() == "rendered"
        assert render_document.delay(document_id).get() == "skipped"  # a second run is a no-op
    status = client.get(f"/documents/{document_id}/status").get_json()
    document = get_document(app, document_id)
    assert status["status"] == "ready" and status["download"] == f"/documents/{document_id}/download"
    assert status["pages"] == document.page_count and status["sha256"] == document.pdf_sha256
    assert document.attempts == 1 and download(client, document_id).startswith(b"%PDF")


def test_a_pdf_asked_for_before_it_is_ready_says_so_and_leads_to_its_row(app, client, owner):
    """Probe of the production shape, worker stopped: the download (and the review frame's PDF) of a queued
    document answered 409 "Bad request: the request could not be understood. Check what you entered"."""
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id)
    row = f'href="/cases/{case_id}/documents#document-{document_id}"'
    for status in (DocumentStatus.QUEUED, DocumentStatus.RENDERING):
        _set_columns(app, document_id, status=status)
        for url in (f"/documents/{document_id}/download", f"/documents/{document_id}/pdf"):
            response = client.get(url)
            page = html.unescape(response.get_data(as_text=True))
            assert response.status_code == 409 and response.mimetype == "text/html"
            assert "Not ready yet" in page and "still being made" in page and row in page
            assert "Bad request" not in page and "Check what you entered" not in page
    french = html.unescape(
        client.get(f"/documents/{document_id}/download", headers={"Accept-Language": "fr"}).get_data(
            as_text=True
        )
    )
    assert "Pas encore prêt" in french and "encore en cours de production" in french
    _set_columns(app, document_id, status=DocumentStatus.FAILED)
    response = client.get(f"/documents/{document_id}/download")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "could not be made" in page and row in page


def _set_columns(app, document_id: int, **values) -> None:
    """Write ``values`` on the document's row as if time had passed (a test's shortcut, no service)."""
    with app.app_context():
        db.session.execute(update(Document).where(Document.id == document_id).values(**values))
        db.session.commit()


def test_a_document_queued_for_minutes_says_it_waits_and_that_the_request_is_kept(app, client, owner):
    """The broker or every worker down: after a minute in the queue the status (which the page's progress
    script shows) and the page itself say how long it has waited and that nothing is lost; in French too."""
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id)

    def waiting() -> str | None:
        return client.get(f"/documents/{document_id}/status").get_json()["waiting"]

    assert waiting() is None  # just asked
    assert "doc-waiting" not in client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    _set_columns(app, document_id, created_at=utcnow() - timedelta(minutes=3, seconds=20))
    english = waiting()
    assert english.startswith("Waiting for 3 minutes: the document service is busy or stopped.")
    assert "The request is kept" in english
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    row = page.split(f'id="document-{document_id}"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="text-body-secondary doc-waiting">Waiting for 3 minutes:' in row
    client.post_form("/language", {"lang": "fr"})
    french = waiting()
    assert french.startswith("En attente depuis 3 minutes") and "La demande est conservée" in french
    with app.app_context():  # made: nothing more to say
        assert render_document.delay(document_id).get() == "rendered"
    assert waiting() is None
    # Failed, then asked again: its wait counts from the retry, not from the day the version was first asked.
    _set_columns(app, document_id, status=DocumentStatus.FAILED)
    with app.app_context():
        requests.retry(db.session.get(Document, document_id), actor=db.session.get(User, owner.user_id))
        db.session.commit()
    assert waiting() is None
    _set_columns(app, document_id, queued_at=utcnow() - timedelta(minutes=2, seconds=5))
    assert waiting().startswith("En attente depuis 2 minutes")


def test_a_failed_document_shows_its_error_and_retry_renders_it_again(app, client, owner):
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id, kind="packet")
    with app.app_context():
        good = db.session.get(Document, document_id).snapshot
        db.session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(snapshot={"kind": "packet", "letter": {"lang": "en"}})
        )
        db.session.commit()
        assert render_document.delay(document_id).get() == "failed"
    status = client.get(f"/documents/{document_id}/status").get_json()
    assert status["status"] == "failed" and "KeyError" in status["error"]
    assert status["retry"] == f"/documents/{document_id}/retry" and status["download"] is None
    assert status["failure"].startswith("The document could not be made: the portal met an error.")
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert 'text-bg-danger">Failed</span>' in page and f'action="/documents/{document_id}/retry"' in page
    # the reader is told what happened and what to do; the exception is for whoever runs the portal
    row = page.split(f'id="document-{document_id}"', 1)[1].split("</tr>", 1)[0]
    assert "Ask for it again with Retry" in html.unescape(row)
    technical = row.split('<details class="doc-error">', 1)[1].split("</details>", 1)[0]
    assert "Technical details" in technical and "KeyError" in technical
    assert "KeyError" not in row.split('<details class="doc-error">', 1)[0]
    french = client.get(f"/cases/{case_id}/documents", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert (
        "Le document n&#39;a pas pu être produit" in french or "Le document n'a pas pu être produit" in french
    )
    assert client.get(f"/documents/{document_id}/download").status_code == 409
    assert list(Path(app.config["DOCUMENT_STORE"]).rglob(f"doc-{document_id}-*")) == []

    with app.app_context():  # whatever broke is fixed; the user retries
        db.session.execute(update(Document).where(Document.id == document_id).values(snapshot=good))
        db.session.commit()
    response = client.post_form(f"/documents/{document_id}/retry")
    assert response.status_code == 302 and response.location.endswith(f"#document-{document_id}")
    document = get_document(app, document_id)
    assert document.status == "ready" and document.error is None and document.attempts == 1
    assert download(client, document_id).startswith(b"%PDF")
    # Only a failed document can be retried.
    response = client.post_form(f"/documents/{document_id}/retry", follow_redirects=True)
    assert "Only a failed document can be retried." in response.get_data(as_text=True)
    assert get_document(app, document_id).status == "ready"
    # Failure, retry and success are in the organization's audit log.

    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_id == document_id, AuditEvent.object_type == "Document"
            )
        ).all()
        org_id = db.session.get(Document, document_id).organization_id
    by_action = {e.action: e.organization_id for e in events}
    assert {k: by_action.get(k) for k in ("document.failed", "document.retried", "document.ready")} == {
        "document.failed": org_id,
        "document.retried": org_id,
        "document.ready": org_id,
    }


def test_a_render_taking_over_removes_the_files_of_the_attempt_before_it_and_a_first_one_looks_for_none(
    app, client, owner, monkeypatch
):
    listed: list[str] = []
    real_leftovers = store.leftovers

    def leftovers(folder: str, prefix: str, keep: str | None) -> list[Path]:
        listed.append(prefix)
        return real_leftovers(folder, prefix, keep)

    monkeypatch.setattr(store, "leftovers", leftovers)
    case_id = create_case(app, client)
    first = _queued_document(app, case_id, owner.user_id)
    with app.app_context():
        assert render_document.delay(first).get() == "rendered"
    assert listed == []  # the first claim of a document: no other attempt can have left a file

    # An earlier attempt claimed the second document, wrote its PDF and a temp file, and died: its lease ran out.
    second = _queued_document(app, case_id, owner.user_id)
    with app.app_context():
        document = db.session.get_one(Document, second)
        folder = store.absolute(lookups.folder(document))
        folder.mkdir(parents=True, exist_ok=True)
        dead = folder / f"doc-{second}-v{document.version}-dead0000.pdf"
        torn = folder / f".tmp-doc-{second}-v{document.version}-dead0001.pdf-0123abcd"
        dead.write_bytes(b"%PDF-1.7 written by an attempt that died")
        torn.write_bytes(b"%PDF-1.7 half")
        gone = utcnow() - timedelta(minutes=5)
        db.session.execute(
            update(Document)
            .where(Document.id == second)
            .values(status=DocumentStatus.RENDERING, attempts=1, started_at=gone, heartbeat_at=gone)
        )
        db.session.commit()
        assert render_document.delay(second).get() == "rendered"
    document = get_document(app, second)
    assert document.status == "ready" and document.attempts == 2
    assert listed == [f"doc-{second}-", f"doc-{second}-"]  # before it is marked ready, and after
    assert not dead.exists() and not torn.exists()
    left = sorted(p.name for p in folder.iterdir() if f"doc-{second}-" in p.name)
    assert left == [Path(document.storage_path).name]


def test_a_render_is_committed_ready_only_once_its_file_is_durable_at_its_name(
    app, client, owner, monkeypatch
):
    """The worker sends the statements that mark the document ready while its file's fsync runs in a
    thread (store.write_started): the commit must still wait for the file to be flushed and renamed."""
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id)
    real_fsync = os.fsync
    synced: list[float] = []

    def slow_fsync(fd: int) -> None:
        time.sleep(0.3)  # a busy disk: the statements are sent and flushed long before this returns
        real_fsync(fd)
        synced.append(time.monotonic())

    committed: list[tuple[float, list[str]]] = []

    def on_commit(session) -> None:
        folder = store.absolute(lookups.folder(db.session.get_one(Document, document_id)))
        names = sorted(p.name for p in folder.iterdir()) if folder.exists() else []  # the claim: none yet
        committed.append((time.monotonic(), names))

    monkeypatch.setattr(os, "fsync", slow_fsync)
    with app.app_context():
        event.listen(db.session, "before_commit", on_commit)
        try:
            assert rendering.render_document(document_id) == "rendered"
        finally:
            event.remove(db.session, "before_commit", on_commit)
    document = get_document(app, document_id)
    assert document.status == "ready"
    assert len(synced) == 1 and len(committed) >= 2
    assert committed[0][1] == []  # the claim's commit, before any file
    for when, names in committed[1:]:  # the commit that made it ready, and any after it
        assert synced[0] <= when
        assert names == [Path(document.storage_path).name]  # the final name, no temp file beside it


def test_a_render_whose_file_cannot_be_made_durable_is_not_ready_and_leaves_no_file(
    app, client, owner, monkeypatch
):
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id)

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with app.app_context():
        with pytest.raises(OSError, match="Input/output error"):
            rendering.render_document(document_id)
        db.session.rollback()
        document = db.session.get_one(Document, document_id)
        assert document.status == "rendering" and document.storage_path is None  # the claim, nothing more
        folder = store.absolute(lookups.folder(document))
        assert not folder.exists() or not any(folder.iterdir())
        ready = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_id == document_id, AuditEvent.action == "document.ready"
            )
        ).all()
        assert ready == []


def test_a_document_whose_letter_is_still_to_complete_is_flagged_on_the_documents_page(app, client, owner):
    """A support letter reading "[to complete: share of the capital and votes held ...]" (no share given for
    the parent company) looked ready to send on the documents page. The gaps are recorded when it is requested
    and the page warns beside it, in the reader's language; a version made after the gap is filled in does
    not name it."""
    case_id = create_case(app, client)
    english = requested(app, client, case_id, "support_letter", "en")
    assert any(g.startswith("share of the capital") for g in english.letter_gaps), english.letter_gaps

    def warnings(lang: str) -> dict[int, str]:
        page = client.get(f"/cases/{case_id}/documents", headers={"Accept-Language": lang})
        rows = page.get_data(as_text=True).split('<tr id="document-')[1:]
        return {
            int(row.split('"', 1)[0]): row.split("doc-gaps", 1)[1].split("</div>", 1)[0]
            for row in rows
            if "doc-gaps" in row.split("</tr>", 1)[0]
        }

    shown = warnings("en")
    assert "Do not send it as it is" in shown[english.id] and "share of the capital" in shown[english.id]
    # the documents still to enclose are counted, not listed (the evidence checklist names them)
    assert "documents to enclose" in shown[english.id] and "enclose “Passport”" not in shown[english.id]
    assert "Ne l'envoyez pas tel quel" in warnings("fr")[english.id]
    french = requested(app, client, case_id, "support_letter", "fr")
    assert any(g.startswith("part du capital") for g in french.letter_gaps), french.letter_gaps
    shown = warnings("en")
    assert "part du capital" in shown[french.id]  # the letter's own words, in its language
    assert f"/cases/{case_id}/letter/fr" in shown[french.id]
    assert english.id not in shown  # the latest version of the kind says it (test_consult: older versions)

    letter = english.snapshot["letter"]
    relationship = next(s["text"] for s in letter["sections"] if s["key"] == "relationship")
    filled = relationship.split("[to complete:")[0] + "100%."
    assert (
        client.post_form(f"/cases/{case_id}/letter/en", {"section-relationship": filled}).status_code == 302
    )
    again = requested(app, client, case_id, "support_letter", "en")
    assert not any(g.startswith("share of the capital") for g in again.letter_gaps or [])
    assert "share of the capital" not in warnings("en").get(again.id, "")


def _offered(client, case_id: int) -> tuple[str | None, str | None]:
    """The kind and language the "Make a document" form has selected."""
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    form = page.split('name="kind"', 1)[1].split("</form>", 1)[0]
    kind = re.search(r'<option selected value="(\w+)"', form) or re.search(
        r'<option value="(\w+)" selected', form
    )
    lang = form.split('name="language"', 1)[1].split("</select>", 1)[0]
    chosen = re.search(r'<option selected value="(\w+)"', lang) or re.search(
        r'<option value="(\w+)" selected', lang
    )
    return (kind and kind.group(1)), (chosen and chosen.group(1))


def test_the_form_offers_the_packet_again_once_a_document_was_made_in_its_language(app, client, owner):
    """The form offered the support letter in the reader's language even after a French packet was sent
    back: the employer remaking it had to change both choices. A case with no document starts with the
    letter; after a letter or a packet, the packet, in the language of the latest document asked."""
    case_id = create_case(app, client)
    assert _offered(client, case_id) == ("support_letter", "en")
    requested(app, client, case_id, "support_letter", lang="fr")
    assert _offered(client, case_id) == ("packet", "fr")
    requested(app, client, case_id, "packet", lang="en")
    assert _offered(client, case_id) == ("packet", "en")


def test_the_download_name_has_one_hyphen_between_words():
    """A family name with a full stop, an apostrophe and a space ("St. O' Neil") gave
    "st--o--neil-t37-support-letter-v1-en.pdf": every character that is not a letter or digit became its own
    hyphen. Runs of them are one hyphen now."""
    document = SimpleNamespace(
        snapshot={"letter": {"worker": {"family_name": "St. O' Neil-"}, "code": "T37"}},
        kind="support_letter",
        version=2,
        language="fr",
    )
    # a stand-in with the four fields download_name reads, not a Document row
    assert lookups.download_name(document) == "st-o-neil-t37-lettre-d-appui-v2-fr.pdf"  # type: ignore[arg-type]


def test_a_french_document_is_named_in_french_words():
    """A French letter downloaded as "...-support-letter-v2-fr.pdf" (and its approved copy as
    "...-approved.pdf"): the words of the name are the document's language's ("lettre-d-appui",
    "dossier-de-l-offre", "approuvee"); an English document keeps its English words."""

    def named(kind: str, language: str, approved: bool = False) -> str:
        document = SimpleNamespace(
            snapshot={"letter": {"worker": {"family_name": "Inventedname"}, "code": "T37"}},
            kind=kind,
            version=2,
            language=language,
        )
        return lookups.download_name(document, approved=approved)  # type: ignore[arg-type]

    assert named("support_letter", "fr") == "inventedname-t37-lettre-d-appui-v2-fr.pdf"
    assert named("packet", "fr") == "inventedname-t37-dossier-de-l-offre-v2-fr.pdf"
    assert named("support_letter", "fr", True) == "inventedname-t37-lettre-d-appui-v2-fr-approuvee.pdf"
    assert named("packet", "fr", True) == "inventedname-t37-dossier-de-l-offre-v2-fr-approuve.pdf"
    assert named("support_letter", "en") == "inventedname-t37-support-letter-v2-en.pdf"
    assert named("packet", "en", True) == "inventedname-t37-offer-packet-v2-en-approved.pdf"


def test_the_french_letter_downloads_under_its_french_name(app, client, owner):
    case_id = create_case(app, client)
    french = requested(app, client, case_id, "support_letter", lang="fr")
    disposition = client.get(f"/documents/{french.id}/download").headers["Content-Disposition"]
    assert "inventedname-t37-lettre-d-appui-v1-fr.pdf" in disposition and "support-letter" not in disposition
