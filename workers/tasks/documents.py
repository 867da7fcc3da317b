"""Document tasks: thin shells around portal.documents.rendering."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from datetime import date
from typing import Any

from celery import shared_task
from celery.signals import worker_init, worker_process_init
from flask import current_app

from portal.aftercommit import after_commit
from portal.documents import ahead, partcache, parts, pdf, rendering
from portal.documents.requests import mark_enqueued
from portal.extensions import db
from portal.models import Case, User
from portal.process import settle

log = logging.getLogger(__name__)


@shared_task(
    name="documents.render",
    acks_late=True,  # a worker that dies mid-render leaves the message for another one
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),  # transient I/O: retry with backoff (the service re-queues the row)
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=rendering.MAX_ATTEMPTS,
)
def render_document(document_id: int) -> str:
    # The task's app context (extensions.celery_init_app) removes the session when it ends.
    outcome = rendering.render_document(document_id)
    if outcome == "rendered":
        _prepare_after(document_id)
    return outcome


def _prepare_after(document_id: int) -> None:
    """A ready support letter: its packet prepared ahead (best effort: the document is ready whatever
    happens here, and the packet is rendered in full at the click without it)."""
    try:
        if ahead.wanted(document_id):
            send_prepare(document_id)
    except Exception:  # noqa: BLE001 - the database or Redis went away after the render
        log.warning("Could not consider preparing the packet of document %s", document_id, exc_info=True)


@shared_task(name="documents.prepare_packet", ignore_result=True)
def prepare_packet(letter_id: int) -> int:
    """After a support letter is ready: its packet's own parts rendered ahead and kept (ahead.py). A
    failure is logged and dropped: the packet asked for later renders in full, and says what is wrong."""
    try:
        return ahead.prepare(letter_id)
    except Exception:  # noqa: BLE001 - a bet that failed costs nothing but the time it took
        log.warning("Preparing the packet of letter %s failed", letter_id, exc_info=True)
        db.session.rollback()
        return 0


@shared_task(name="documents.prepare_letter", ignore_result=True)
def prepare_letter(
    case_id: int, actor_id: int, lang: str, on: str, signatory_name: str | None, signatory_title: str | None
) -> int:
    """From a page that leads to a support letter: the letter its request form would ask for, rendered
    ahead and kept (ahead.py). A failure is logged and dropped: the letter asked for renders at the click."""
    try:
        return ahead.prepare_letter(
            case_id,
            actor_id,
            lang=lang,
            on=date.fromisoformat(on),
            signatory_name=signatory_name,
            signatory_title=signatory_title,
        )
    except Exception:  # noqa: BLE001 - a bet that failed costs nothing but the time it took
        log.warning("Preparing the support letter of case %s failed", case_id, exc_info=True)
        db.session.rollback()
        return 0


def prepare_letter_soon(
    case: Case,
    *,
    lang: str,
    actor: User,
    on: date,
    signatory_name: str | None,
    signatory_title: str | None,
    state: tuple[Hashable, ...] = (),
) -> None:
    """Called by the pages that lead to a support letter (the documents page, the letter's editing page)
    with what their request form would ask for: the letter prepared ahead when ``ahead.letter_wanted``
    says so, at the lowest priority. Never fails the page: a broker that went away loses nothing."""
    try:
        if ahead.letter_wanted(case, lang, actor, (on, signatory_name, signatory_title, *state)):
            prepare_letter.apply_async(
                (case.id, actor.id, lang, on.isoformat(), signatory_name, signatory_title),
                priority=PREPARE_PRIORITY,
            )
    except Exception:  # noqa: BLE001 - kombu / redis connection errors
        log.warning("Could not send the preparation of case %s's support letter", case.id, exc_info=True)


PREPARE_PRIORITY = 9  # Redis: 0 (every other task) is taken first, 9 only when nothing else waits


def send_prepare(letter_id: int) -> None:
    """Send ``documents.prepare_packet`` to the queue this render came from, at the lowest priority: a
    worker takes it only when no document someone is waiting for is queued (kombu's Redis transport
    keeps one list per priority step and pops them in order). A broker that went away loses nothing:
    the packet is then rendered in full when it is asked for."""
    try:
        queue = parts.own_queue()  # None outside a task: the app's default queue
        if queue is None:
            prepare_packet.apply_async((letter_id,), priority=PREPARE_PRIORITY)
        else:
            prepare_packet.apply_async((letter_id,), queue=queue, priority=PREPARE_PRIORITY)
    except Exception:  # noqa: BLE001 - kombu / redis connection errors
        log.warning("Could not send the preparation of letter %s's packet", letter_id, exc_info=True)


def render_after_commit(document_ids: list[int]) -> None:
    """Send the render tasks of ``document_ids`` once the current transaction commits (the caller
    commits): the rows are stamped as sent (``enqueued_at``) in that same transaction, so a request
    costs one commit, and the worker's claim never waits behind a second one holding the row. A send
    that fails clears the stamp (``send_render``); were that lost too, the sweep sends the document
    again once the stamp is older than its grace (``rendering.QUEUED_GRACE``): nothing is lost."""
    mark_enqueued(document_ids)
    after_commit(send_render, document_ids)


def send_render(document_ids: list[int]) -> None:
    """Send the render tasks, after the commit that made the documents: through
    ``render_after_commit``, which also stamps them as sent. A broker that is down leaves the documents
    queued, their stamp cleared: nothing is lost, the beat sweep sends them again."""
    unsent = []
    for document_id in document_ids:
        try:
            render_document.delay(document_id)
        except Exception:  # kombu / redis connection errors
            log.warning("Could not enqueue document %s now; the sweep will retry", document_id, exc_info=True)
            unsent.append(document_id)
    if unsent:
        try:
            mark_enqueued(unsent, sent=False)
            db.session.commit()
        except Exception:  # noqa: BLE001 - the database went away too: the sweep's grace covers it
            db.session.rollback()
            log.warning("Could not record that documents %s were not sent", unsent, exc_info=True)


@shared_task(name="documents.sweep")
def sweep_documents() -> list[int]:
    """Beat: enqueue again documents left queued (the broker was down) or stuck rendering."""
    ids = rendering.sweep()
    render_after_commit(ids)
    db.session.commit()
    if ids:
        log.info("Sweep re-enqueued documents %s", ids)
    return ids


@shared_task(name="documents.prune_parts", ignore_result=True)
def prune_parts() -> int:
    """Beat, daily: remove the packet parts no packet has used for DOCUMENT_PARTS_MAX_AGE_DAYS days."""
    removed = partcache.prune(current_app.config["DOCUMENT_PARTS_MAX_AGE_DAYS"])
    if removed:
        log.info(
            "Removed %d packet parts unused for %s days",
            removed,
            current_app.config["DOCUMENT_PARTS_MAX_AGE_DAYS"],
        )
    return removed


@worker_init.connect
@worker_process_init.connect
def warm_renderer(**_kwargs: Any) -> None:
    """One font configuration and one parsed stylesheet per worker process, warmed before the first job.

    Then everything alive (the app, WeasyPrint, the renderer) is moved out of the garbage collector's
    reach (``gc.freeze``): a full collection no longer walks those ~200,000 long-lived objects on
    every third document or so, and a forked child does not copy their pages just by collecting."""

    pdf.renderer().warm_up()
    settle()


@shared_task(name="documents.render_part", ignore_result=True)
def render_part(job: str, index: int, html: str) -> str:
    """One part of a packet another process is rendering (portal.documents.parts): PDF bytes to Redis."""
    return parts.render_part(job, index, html, pdf.renderer())
