"""A support letter prepared ahead of the click (portal/documents/ahead.py): the documents page and the
letter's editing page make a worker render the letter their form would ask for; the letter then asked
for is that render (nothing rendered at the click) and reads page by page like one rendered at the
click; a letter whose text changed in between is rendered at the click, with the change; a page opened
again does not send it again; without a broker, turned off, or for a case with no letter to make,
nothing is sent. The real worker's side is in test_documents_worker.py."""

from __future__ import annotations

import re

import pytest
import redis

from portal.clock import today
from portal.documents import ahead
from portal.extensions import db
from portal.models import Case, User
from tests.fixtures.queue import celery_settings
from tests.portal.document_helpers import (
    built_afresh,
    create_case,
    download,
    evidence_keys,
    pdf_bytes,
    pdf_text,
    plumbed_pages,
    requested,
    squash,
    upload,
)

PREPARE = b"documents.prepare_letter"


def _prepare(app, case_id: int, user_id: int, lang: str = "en", **signatory) -> int:
    with app.app_context(), app.test_request_context():
        return ahead.prepare_letter(
            case_id,
            user_id,
            lang=lang,
            on=today(),
            signatory_name=signatory.get("name"),
            signatory_title=signatory.get("title"),
        )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_letter_prepared_ahead_renders_nothing_at_the_click_and_reads_the_same(
    app, client, owner, renders, lang
):
    case_id = create_case(app, client)
    renders.clear()
    assert _prepare(app, case_id, owner.user_id, lang) == 1
    assert len(renders) == 1 and f'lang="{lang}"' in renders[0]
    assert _prepare(app, case_id, owner.user_id, lang) == 0  # kept already: not rendered twice

    renders.clear()
    letter = requested(
        app, client, case_id, "support_letter", lang
    )  # the form's fields, as the page fills them
    assert letter.status == "ready", letter.error
    assert renders == []  # the click rendered nothing: the letter prepared ahead, numbered and stored

    fresh, pages = built_afresh(app, letter)  # the same letter rendered at the click, nothing kept
    assert len(renders) == 1 and pages == letter.page_count
    assert plumbed_pages(fresh) == plumbed_pages(download(client, letter.id))


def test_a_letter_changed_after_its_preparation_is_rendered_at_the_click_with_the_change(
    app, client, owner, renders
):
    case_id = create_case(app, client)
    assert _prepare(app, case_id, owner.user_id) == 1
    page = client.get(f"/cases/{case_id}/letter/en").get_data(as_text=True)
    first = re.search(r'name="(section-[a-z_]+)"', page).group(1)
    response = client.post_form(
        f"/cases/{case_id}/letter/en", {first: "We thank the officer for an invented sentence."}
    )
    assert response.status_code == 302

    renders.clear()
    letter = requested(app, client, case_id, "support_letter")
    assert letter.status == "ready", letter.error
    assert len(renders) == 1  # the kept render is of the text before the edit: not used
    assert squash("an invented sentence") in squash(pdf_text(download(client, letter.id)))

    renders.clear()
    other = requested(app, client, case_id, "support_letter", signatory_name="Another Invented Signatory")
    assert len(renders) == 1  # another signatory typed in the form: another letter, rendered at the click
    assert "Another Invented Signatory" in pdf_text(download(client, other.id))


def test_a_letter_made_already_is_not_prepared_again(app, client, owner, renders):
    """The documents page opened after the letter was made: that very letter is ready, nothing to prepare."""
    case_id = create_case(app, client)
    letter = requested(app, client, case_id, "support_letter")
    assert letter.status == "ready", letter.error
    renders.clear()
    assert _prepare(app, case_id, owner.user_id) == 0 and renders == []
    assert _prepare(app, case_id, owner.user_id, "fr") == 1  # the French letter is another one


def test_only_a_case_with_a_letter_to_make_is_prepared(app, client, owner, renders):
    case_id = create_case(app, client, answers={})  # questions open: no code yet, no letter
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        assert case.route == "pending" and case.open_questions, (case.route, case.open_questions)
    renders.clear()
    assert _prepare(app, case_id, owner.user_id) == 0 and renders == []
    assert _prepare(app, 10**6, owner.user_id) == 0  # a case gone meanwhile


def _queued(client: redis.Redis) -> list[bytes]:
    """The bodies' headers of every message waiting in the broker's lists (every priority)."""
    return [
        item
        for key in client.scan_iter()
        if client.type(key) == b"list"
        for item in client.lrange(key, 0, -1)
    ]


def test_the_documents_page_sends_its_letter_once_and_only_with_a_broker(
    app, client, owner, make_app, redis_url
):
    case_id = create_case(app, client)
    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()
    assert client.get(f"/cases/{case_id}/documents").status_code == 200  # the tests' app: Celery eager
    assert not any(PREPARE in m for m in _queued(broker))

    queued = make_app(CELERY=celery_settings(redis_url))  # a broker, no worker: the message stays there
    other = queued.test_client()
    other.post_form("/login", {"email": owner.email, "password": owner.password})
    assert other.get(f"/cases/{case_id}/documents").status_code == 200
    sent = [m for m in _queued(broker) if PREPARE in m]
    assert len(sent) == 1, sent
    assert other.get(f"/cases/{case_id}/documents").status_code == 200  # opened again: not sent again
    assert other.get(f"/cases/{case_id}/letter/en").status_code == 200  # its editing page: the same letter?
    assert other.get(f"/cases/{case_id}/letter/fr").status_code == 200  # the French letter: another one
    messages = [m for m in _queued(broker) if PREPARE in m]
    # the editing page's state is the letter's text: one message for it in each language
    assert len(messages) == 3, messages
    broker.flushdb()

    # a letter asked for since the case last changed: the employer has it, the page sends nothing; a file
    # uploaded after it changes the letter (its enclosures): sent again
    assert requested(app, client, case_id, "support_letter").status in ("queued", "ready")  # asked for
    fresh = make_app(CELERY=celery_settings(redis_url)).test_client()  # another process: nothing sent yet
    fresh.post_form("/login", {"email": owner.email, "password": owner.password})
    assert fresh.get(f"/cases/{case_id}/documents").status_code == 200
    assert not any(PREPARE in m for m in _queued(broker))
    key = evidence_keys(app, case_id)[0]
    assert upload(client, case_id, key, pdf_bytes(1, "Evidence"), "contract.pdf").status_code == 302
    assert fresh.get(f"/cases/{case_id}/documents").status_code == 200
    assert len([m for m in _queued(broker) if PREPARE in m]) == 1
    broker.flushdb()

    off = make_app(CELERY=celery_settings(redis_url), DOCUMENT_PREPARE_LETTERS=False)
    third = off.test_client()
    third.post_form("/login", {"email": owner.email, "password": owner.password})
    assert third.get(f"/cases/{case_id}/documents").status_code == 200
    assert not any(PREPARE in m for m in _queued(broker))


def test_letter_wanted_once_per_page_state_and_only_for_a_letter_to_make(
    app, client, owner, make_app, redis_url
):
    case_id = create_case(app, client)
    with app.app_context():  # eager: no background to prepare in
        case = db.session.get_one(Case, case_id)
        user = db.session.get_one(User, owner.user_id)
        assert ahead.letter_wanted(case, "en", user, ()) is False
    with make_app(CELERY=celery_settings(redis_url)).app_context():
        case = db.session.get_one(Case, case_id)
        user = db.session.get_one(User, owner.user_id)
        assert ahead.letter_wanted(case, "en", user, ("files", 1)) is True
        assert ahead.letter_wanted(case, "en", user, ("files", 1)) is False  # within the window
        assert ahead.letter_wanted(case, "en", user, ("files", 1, 2)) is True  # a file added: another letter
        assert ahead.letter_wanted(case, "fr", user, ("files", 1)) is True
        case.route = "pending"
        assert ahead.letter_wanted(case, "en", user, ("other",)) is False
        db.session.rollback()
