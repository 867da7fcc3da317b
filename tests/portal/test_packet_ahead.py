"""A packet's own pages prepared ahead of the click (portal/documents/ahead.py): after its support letter
is ready, the packet's parts are rendered and kept, so the packet asked for afterwards renders nothing
and reads page by page like one rendered at the click; a change of the case's data after the
preparation is in the packet (a kept part is named by its HTML, never stale); without a broker nothing
is prepared. The real worker's side (the task sent after the letter's render) is in
test_documents_worker.py."""

from __future__ import annotations

import pytest
import redis

from portal.documents import ahead, assembly, content
from portal.extensions import db
from portal.models import Document
from tests.fixtures.queue import celery_settings
from tests.portal.document_helpers import (
    built_afresh,
    create_case,
    download,
    evidence_keys,
    kept_parts,
    pdf_bytes,
    pdf_text,
    plumbed_pages,
    requested,
    squash,
    upload,
)
from workers.tasks import documents as tasks
from workers.tasks.documents import render_document, send_prepare


def _prepare(app, letter_id: int) -> int:
    with app.app_context(), app.test_request_context():
        return ahead.prepare(letter_id)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_packet_prepared_after_its_letter_renders_nothing_at_the_click_and_reads_the_same(
    app, client, owner, renders, lang
):
    case_id = create_case(app, client)
    letter = requested(app, client, case_id, "support_letter", lang)
    assert letter.status == "ready", letter.error
    assert kept_parts(app, letter) == []  # no broker here: nothing was prepared by the render itself
    renders.clear()
    made = _prepare(app, letter.id)
    assert made == len(renders) >= 3  # the front with the pre-checks, the data sheet, the rest
    with app.app_context(), app.test_request_context():
        letter_html = assembly.render_html(
            "documents/support_letter.html",
            lang,
            content.letter_context(db.session.get_one(Document, letter.id).snapshot["letter"]),
        )
    assert letter_html not in renders  # the letter is reused, not rendered
    assert _prepare(app, letter.id) == 0  # everything kept already

    renders.clear()
    packet = requested(app, client, case_id, "packet", lang)
    assert packet.status == "ready", packet.error
    assert packet.reused_letter_id == letter.id
    assert renders == []  # nothing left to render after the click

    # The same packet rendered at the click, its parts removed first: page by page the same.
    fresh, pages = built_afresh(app, packet)
    assert len(renders) >= 3 and pages == packet.page_count
    assert plumbed_pages(fresh) == plumbed_pages(download(client, packet.id))


def test_a_change_after_the_preparation_is_in_the_packet(app, client, owner, renders):
    case_id = create_case(app, client)
    letter = requested(app, client, case_id, "support_letter")
    assert _prepare(app, letter.id) >= 3
    key = evidence_keys(app, case_id)[0]
    assert upload(client, case_id, key, pdf_bytes(2, "Evidence document"), "contract.pdf").status_code == 302

    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    text = squash(pdf_text(download(client, packet.id)))
    assert squash(f"{key} Attached") in text and "contract.pdf" in text  # not the prepared checklist


def test_the_render_task_prepares_nothing_without_a_broker_or_when_turned_off(
    app, client, owner, make_app, redis_url
):
    letter = requested(app, client, create_case(app, client), "support_letter")
    assert letter.status == "ready", letter.error
    with app.app_context():  # the tests' app: Celery eager, no broker to prepare through
        assert ahead.wanted(letter.id) is False
    assert kept_parts(app, letter) == []
    redis.Redis.from_url(redis_url).flushdb()
    off = make_app(CELERY=celery_settings(redis_url), DOCUMENT_PREPARE_PACKETS=False)
    with off.app_context():
        assert ahead.wanted(letter.id) is False
    on = make_app(CELERY=celery_settings(redis_url))
    with on.app_context():
        assert ahead.wanted(letter.id) is True  # a broker and the switch on: this letter's packet, once
        assert ahead.wanted(letter.id) is False


def test_a_preparation_that_fails_is_logged_and_leaves_the_click_to_render(app, monkeypatch, caplog):
    def broken(_letter_id):
        raise OSError("the store went away")

    monkeypatch.setattr(ahead, "prepare", broken)
    with app.app_context():
        assert tasks.prepare_packet.run(12345) == 0
    assert "Preparing the packet of letter 12345 failed" in caplog.text


def test_a_preparation_waits_behind_every_document_someone_asked_for(make_app, redis_url):
    """Sent at the lowest priority: kombu's Redis transport keeps it in the queue's last priority list,
    which a worker pops only when the queue's own list (every render) is empty."""
    app = make_app(CELERY=celery_settings(redis_url))
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    with app.app_context():
        send_prepare(1)
        render_document.delay(2)
    queue = app.config["CELERY"].get("task_default_queue", "celery")
    lists = {k.decode(): client.llen(k) for k in client.scan_iter() if client.type(k) == b"list"}
    client.flushdb()
    assert lists == {queue: 1, f"{queue}\x06\x169": 1}
