"""Rendering a requested document: the worker's claim, lease and heartbeat, and the sweep.

``render_document`` claims the row with a conditional UPDATE (queued, or rendering with an expired
lease), renders from the snapshot only (``assembly.build_pdf``), writes the PDF atomically under a
name unique to the attempt, and marks it ready only if it still holds the claim; a loser deletes its
file. So a second run is a no-op, a worker killed mid-way leaves nothing half-written, and a
document is ready exactly once with stored bytes that match its recorded hash. The lease is short
(15 s) and a heartbeat thread renews it every third of it while the render runs, so a long render
keeps its claim and the render of a worker that died is taken over within seconds. ``sweep`` finds
documents left queued (e.g. the broker was down) or whose render lost its heartbeat, for the beat
task to enqueue again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Engine, and_, func, or_, select, text, update

from portal import audit
from portal.documents import store
from portal.documents.assembly import build_pdf
from portal.documents.lookups import folder
from portal.extensions import db, rows_changed
from portal.models import Document, DocumentStatus
from portal.models._types import utcnow

log = logging.getLogger(__name__)

# A render whose heartbeat is older than this is taken over by the next attempt; the heartbeat is
# renewed every third of it, so a live render never loses its claim and a dead one is retried soon.
RENDER_LEASE = timedelta(seconds=15)
QUEUED_GRACE = timedelta(seconds=60)  # a queued document sent longer ago than this is sent again by the sweep
MAX_ATTEMPTS = 5


def lease() -> timedelta:
    return timedelta(
        seconds=current_app.config.get("DOCUMENT_RENDER_LEASE_SECONDS", RENDER_LEASE.total_seconds())
    )


def minutes_queued(document: Document, now: datetime) -> int | None:
    """Whole minutes a document has waited in the queue, once it has waited one or more (None before, and
    for a document no longer queued): its page then says it waits and that nothing is lost (the broker or
    every worker is down, or the queue is long)."""
    since = document.queued_at or document.created_at  # asked again after a failure: from then
    if document.status != DocumentStatus.QUEUED or since is None:
        return None
    if since.tzinfo is None:  # SQLite gives back the naive UTC time it was given
        since = since.replace(tzinfo=UTC)
    minutes = int((now - since).total_seconds() // 60)
    return minutes if minutes >= 1 else None


def _lost(now: datetime) -> ColumnElement[bool]:
    """The render of this row has not renewed its heartbeat within the lease: its worker is gone."""
    return and_(
        Document.status == DocumentStatus.RENDERING,
        func.coalesce(Document.heartbeat_at, Document.started_at) < now - lease(),
    )


def sweep(now: datetime | None = None) -> list[int]:
    """Documents to enqueue again: queued and not sent recently, or rendering without a live heartbeat
    (and not already sent again within the lease, so a busy queue does not fill with duplicates)."""
    now = now or utcnow()
    grace = current_app.config.get("DOCUMENT_QUEUED_GRACE_SECONDS", QUEUED_GRACE.total_seconds())
    stale_queue = now - timedelta(seconds=grace)
    rows = db.session.scalars(
        select(Document.id)
        .where(
            or_(
                and_(
                    Document.status == DocumentStatus.QUEUED,
                    or_(Document.enqueued_at.is_(None), Document.enqueued_at < stale_queue),
                ),
                and_(
                    _lost(now),
                    or_(Document.enqueued_at.is_(None), Document.enqueued_at < now - lease()),
                ),
            )
        )
        .order_by(Document.id)
    ).all()
    return list(rows)


def _recoverable_commit() -> None:
    """The worker's bookkeeping commits need not wait for the WAL flush (PostgreSQL
    ``synchronous_commit = off`` for this transaction only): a commit lost in a database crash
    leaves the document queued or rendering, and the sweep renders it again — the claim and the
    final conditional UPDATE keep it ready exactly once, and leftover files are removed."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def claim(document_id: int, now: datetime) -> Document | None:
    """Take the document for rendering: the row as claimed (its start time in ``started_at``), or None
    if it is not ours to render. The claim's UPDATE returns the row (the snapshot the render reads), so
    the worker reads it in the same round trip; kept through the claim's commit, which would otherwise
    expire it and read it again."""
    _recoverable_commit()
    document = db.session.scalars(
        update(Document)
        .where(
            Document.id == document_id,
            or_(Document.status == DocumentStatus.QUEUED, _lost(now)),
        )
        .values(
            status=DocumentStatus.RENDERING, started_at=now, heartbeat_at=now, attempts=Document.attempts + 1
        )
        .returning(Document),
        execution_options={"synchronize_session": False},
    ).one_or_none()
    if document is not None:
        db.session.expunge(document)  # not expired by the commit: it is the row as committed
    db.session.commit()
    if document is None:
        return None
    db.session.add(document)
    return document


def prefix(document: Document) -> str:
    return f"doc-{document.id}-"


class Heartbeat:
    """While a render runs, a daemon thread renews ``heartbeat_at`` of the claimed row every
    ``interval`` seconds, on its own connection (the session is not shared between threads). It
    only touches the row while the claim (``started_at``) is still ours; a failed renewal (the
    database is restarting) is logged and tried again at the next beat."""

    def __init__(self, engine: Engine, document_id: int, started: datetime, interval: float) -> None:
        self.engine, self.document_id, self.started, self.interval = engine, document_id, started, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{document_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        update(Document)
                        .where(
                            Document.id == self.document_id,
                            Document.status == DocumentStatus.RENDERING,
                            Document.started_at == self.started,
                        )
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:  # the database is away: the next beat tries again
                log.warning("Heartbeat of document %s failed", self.document_id, exc_info=True)


def render_document(document_id: int) -> str:
    """The worker's job. Returns what happened: rendered, skipped (not ours / already done) or failed."""
    started = utcnow()
    document = claim(document_id, started)
    if document is None:
        return "skipped"
    log.info("Document %s claimed by process %s", document_id, os.getpid())
    with Heartbeat(db.engine, document_id, started, lease().total_seconds() / 3):
        return _render_claimed(document, started)


def _render_claimed(document: Document, started: datetime) -> str:
    document_id = document.id
    taken_over = document.attempts != 1  # an earlier attempt claimed it (see below)
    try:
        data, pages = build_pdf(document)
    except Exception as exc:  # a bad snapshot or a rendering bug: record it, give up after MAX_ATTEMPTS
        log.exception("Rendering document %s failed", document_id)
        db.session.rollback()
        final = db.session.get_one(Document, document_id).attempts >= MAX_ATTEMPTS or not _transient(exc)
        db.session.execute(
            update(Document)
            .where(Document.id == document_id, Document.started_at == started)
            .values(
                status=DocumentStatus.FAILED if final else DocumentStatus.QUEUED,
                error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=utcnow(),
            )
        )
        if final:
            failed = db.session.get_one(Document, document_id)
            audit.record(
                "document.failed",
                actor=None,
                organization_id=failed.organization_id,
                obj=failed,
                data={"error": f"{type(exc).__name__}: {exc}"[:500]},
            )
        db.session.commit()
        if not final:
            raise
        return "failed"
    relative = f"{folder(document)}/{prefix(document)}v{document.version}-{secrets.token_hex(4)}.pdf"
    # The file's fsync runs beside the statements that mark the document ready (sent, not committed):
    # the commit waits for the file to be durable at its name, so a ready document always has its file
    # (a letter's request-to-ready waited 1 to 8 ms on the disk, then as long again on the database).
    writing = store.write_started(relative, data)
    _test_delay()
    try:
        matched = _mark_ready(document, started, relative, data, pages)
    except BaseException:
        with contextlib.suppress(OSError):
            writing.wait()
        store.remove(relative)
        raise
    try:
        writing.wait()
    except OSError:
        db.session.rollback()  # not ready without its file: the task's retry renders it again
        raise
    if matched != 1:  # another attempt took over after our lease expired: ours is not the one
        db.session.rollback()
        store.remove(relative)
        return "skipped"
    # Files of earlier attempts (temp files, renders of workers that died) go before the document is
    # ready, so a ready document never has an orphan beside it; they can no longer be marked ready. The
    # first attempt has none to look for: its claim was the first (``attempts`` counts claims), and were
    # it taken over after its lease, its own UPDATE would not have matched. So only a later attempt lists
    # the case's folder, which holds every version of every document of the case (two listings of 900
    # files took 2.7 ms of a letter's request-to-ready in bench/render_bench.py).
    if taken_over:
        _remove_leftovers(document, keep=relative)
    db.session.commit()
    if taken_over:
        _remove_leftovers(document, keep=relative)  # the attempt it took over may have written meanwhile
    return "rendered"


def _mark_ready(document: Document, started: datetime, relative: str, data: bytes, pages: int) -> int:
    """The document as ready with its file (flushed in this transaction, not committed), if the claim
    started at ``started`` is still ours: the rows changed (1, or 0 when another attempt took over)."""
    digest = store.sha256_bytes(data)
    _recoverable_commit()
    matched = rows_changed(
        update(Document)
        .where(
            Document.id == document.id,
            Document.status == DocumentStatus.RENDERING,
            Document.started_at == started,
        )
        .values(
            status=DocumentStatus.READY,
            pdf_sha256=digest,
            size_bytes=len(data),
            page_count=pages,
            storage_path=relative,
            error=None,
            finished_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if matched == 1:
        audit.record(
            "document.ready",
            actor=None,
            organization_id=document.organization_id,
            obj=document,
            data={
                "pdf_sha256": digest,
                "pages": pages,
                "size": len(data),
                "reused_letter_id": document.reused_letter_id,
            },
        )
        db.session.flush()
    return matched


def _remove_leftovers(document: Document, keep: str) -> None:
    for path in store.leftovers(folder(document), prefix(document), keep=keep):
        path.unlink(missing_ok=True)  # temp files or renders of attempts that died


def _test_delay() -> None:
    """Tests only: DOCUMENT_RENDER_DELAY_SECONDS (default 0) holds a render between writing its file
    and marking it ready, so a test can kill the worker mid-render deterministically."""
    delay = float(current_app.config.get("DOCUMENT_RENDER_DELAY_SECONDS") or 0)
    if delay > 0:
        time.sleep(delay)


def _transient(exc: Exception) -> bool:
    return isinstance(exc, OSError)
