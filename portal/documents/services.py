"""Documents: support letters and offer-submission packets. Services flush or commit as noted.

Flow (DESIGN.md, flow 2): ``request_document`` freezes the case into a snapshot on a new
Document row (the caller commits, then enqueues ``documents.render``). ``render_document``
claims the row with a conditional UPDATE (queued, or rendering with an expired lease), renders
from the snapshot only, writes the PDF atomically under a name unique to the attempt, and marks
it ready only if it still holds the claim; a loser deletes its file. So a second run is a no-op,
a worker killed mid-way leaves nothing half-written, and a document is ready exactly once with
stored bytes that match its recorded hash. The lease is short (15 s) and a heartbeat thread
renews it every third of it while the render runs, so a long render keeps its claim and the
render of a worker that died is taken over within seconds. ``sweep`` finds documents left
queued (e.g. the broker was down) or whose render lost its heartbeat, for the beat task to
enqueue again.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import threading
import time
import warnings
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy import Engine, and_, func, or_, select, text, update

from portal import audit
from portal.documents import content, editing, pdf, signing, store
from portal.errors import ServiceError
from portal.extensions import db
from portal.hashing import canonical_sha256
from portal.models import Case, Document, DocumentStatus, EvidenceFile, Organization, User
from portal.models._types import utcnow

log = logging.getLogger(__name__)

# A render whose heartbeat is older than this is taken over by the next attempt; the heartbeat is
# renewed every third of it, so a live render never loses its claim and a dead one is retried soon.
RENDER_LEASE = timedelta(seconds=15)
QUEUED_GRACE = timedelta(seconds=60)  # a queued document sent longer ago than this is sent again by the sweep
MAX_ATTEMPTS = 5


class DocumentError(ServiceError):
    """A document request or upload the rules refuse."""


def lease() -> timedelta:
    return timedelta(
        seconds=current_app.config.get("DOCUMENT_RENDER_LEASE_SECONDS", RENDER_LEASE.total_seconds())
    )


# ----------------------------------------------------------------------------------- request
def request_document(
    case: Case,
    org: Organization,
    *,
    kind: str,
    lang: str,
    actor: User,
    on: date,
    signatory_name: str | None = None,
    signatory_title: str | None = None,
) -> Document:
    if kind not in ("support_letter", "packet"):
        raise DocumentError(_("Unknown kind of document."), "kind")
    if lang not in ("en", "fr"):
        raise DocumentError(_("Choose English or French."), "language")
    if not case.assessment:
        raise DocumentError(_("The case has not been assessed yet."))
    letter = content.letter_snapshot(
        case,
        org,
        lang=lang,
        on=on,
        signatory_name=signatory_name or org.signatory_name or actor.name,
        signatory_title=signatory_title or org.signatory_title or "",
    )
    if letter["route"] != "IMP" or not letter["code"]:
        raise DocumentError(
            _("Documents are made for cases with an LMIA exemption code. Answer the open questions first.")
        )
    letter = editing.with_edits(case, letter)  # the generated sections, with the employer's edits
    snapshot: dict = {"kind": kind, "letter": letter}
    if kind == "packet":
        snapshot["letter_sha256"] = canonical_sha256({"kind": "support_letter", "letter": letter})
        snapshot["packet"] = content.packet_snapshot(case, org, lang=lang, on=on)
    version = (
        db.session.scalar(
            select(func.max(Document.version)).where(Document.case_id == case.id, Document.kind == kind)
        )
        or 0
    ) + 1
    document = Document(
        organization_id=org.id,
        case_id=case.id,
        kind=kind,
        language=lang,
        version=version,
        status=DocumentStatus.QUEUED,
        snapshot=snapshot,
        snapshot_sha256=canonical_sha256(snapshot),
        requested_by_id=actor.id,
        attempts=0,
    )
    db.session.add(document)
    db.session.flush()
    audit.record(
        "document.requested",
        actor=actor,
        organization=org,
        obj=document,
        data={
            "case_id": case.id,
            "kind": kind,
            "language": lang,
            "version": version,
            "snapshot_sha256": document.snapshot_sha256,
        },
    )
    return document


def mark_enqueued(document_ids: list[int]) -> None:
    """Record that the render task was sent (the caller commits)."""
    if document_ids:
        db.session.execute(update(Document).where(Document.id.in_(document_ids)).values(enqueued_at=utcnow()))


def retry(document: Document, *, actor: User) -> Document:
    if document.status != DocumentStatus.FAILED:
        raise DocumentError(_("Only a failed document can be retried."))
    document.status, document.error, document.attempts, document.started_at = (
        DocumentStatus.QUEUED,
        None,
        0,
        None,
    )
    audit.record("document.retried", actor=actor, organization_id=document.organization_id, obj=document)
    return document


def _lost(now: datetime):
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


# ----------------------------------------------------------------------------------- render
def _recoverable_commit() -> None:
    """The worker's bookkeeping commits need not wait for the WAL flush (PostgreSQL
    ``synchronous_commit = off`` for this transaction only): a commit lost in a database crash
    leaves the document queued or rendering, and the sweep renders it again — the claim and the
    final conditional UPDATE keep it ready exactly once, and leftover files are removed."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def claim(document_id: int, now: datetime) -> datetime | None:
    """Take the document for rendering; returns the claim's start time, or None if not ours to render."""
    _recoverable_commit()
    result = db.session.execute(
        update(Document)
        .where(
            Document.id == document_id,
            or_(Document.status == DocumentStatus.QUEUED, _lost(now)),
        )
        .values(
            status=DocumentStatus.RENDERING, started_at=now, heartbeat_at=now, attempts=Document.attempts + 1
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return now if result.rowcount == 1 else None


def _folder(document: Document) -> str:
    return f"org-{document.organization_id}/case-{document.case_id}"


def _prefix(document: Document) -> str:
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

    def __exit__(self, *_exc) -> None:
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
    started = claim(document_id, utcnow())
    if started is None:
        return "skipped"
    log.info("Document %s claimed by process %s", document_id, os.getpid())
    with Heartbeat(db.engine, document_id, started, lease().total_seconds() / 3):
        return _render_claimed(document_id, started)


def _render_claimed(document_id: int, started: datetime) -> str:
    document = db.session.get(Document, document_id)
    try:
        data, pages = build_pdf(document)
    except Exception as exc:  # a bad snapshot or a rendering bug: record it, give up after MAX_ATTEMPTS
        log.exception("Rendering document %s failed", document_id)
        db.session.rollback()
        final = db.session.get(Document, document_id).attempts >= MAX_ATTEMPTS or not _transient(exc)
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
            failed = db.session.get(Document, document_id)
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
    relative = f"{_folder(document)}/{_prefix(document)}v{document.version}-{secrets.token_hex(4)}.pdf"
    store.write_atomic(relative, data)
    _test_delay()
    # Files of earlier attempts (temp files, renders of workers that died) go before the document is
    # ready, so a ready document never has an orphan beside it; they can no longer be marked ready.
    _remove_leftovers(document, keep=relative)
    digest = store.sha256_bytes(data)
    _recoverable_commit()
    result = db.session.execute(
        update(Document)
        .where(
            Document.id == document_id,
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
    if result.rowcount != 1:  # another attempt took over after our lease expired: ours is not the one
        db.session.rollback()
        store.remove(relative)
        return "skipped"
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
    db.session.commit()
    _remove_leftovers(document, keep=relative)  # an attempt that lost its claim meanwhile
    return "rendered"


def _remove_leftovers(document: Document, keep: str) -> None:
    for path in store.leftovers(_folder(document), _prefix(document), keep=keep):
        path.unlink(missing_ok=True)  # temp files or renders of attempts that died


def _test_delay() -> None:
    """Tests only: DOCUMENT_RENDER_DELAY_SECONDS (default 0) holds a render between writing its file
    and marking it ready, so a test can kill the worker mid-render deterministically."""
    delay = float(current_app.config.get("DOCUMENT_RENDER_DELAY_SECONDS") or 0)
    if delay > 0:
        time.sleep(delay)


def _transient(exc: Exception) -> bool:
    return isinstance(exc, OSError)


def build_pdf(document: Document) -> tuple[bytes, int]:
    """Render from the snapshot only, in the document's language (texts built in Python included)."""
    with force_locale(document.language):
        return _build_pdf(document)


def _build_pdf(document: Document) -> tuple[bytes, int]:
    snapshot = document.snapshot
    renderer = pdf.renderer()
    lang = document.language
    letter_html = render_html(
        "documents/support_letter.html", lang, content.letter_context(snapshot["letter"])
    )
    if document.kind == "support_letter":
        return pdf.merge([renderer.render(letter_html)[0]])  # merge numbers the pages
    # The packet: its own pages, then the support letter (the PDF of a ready letter made from the
    # same snapshot when there is one), then the evidence files.
    letter_pdf = reusable_letter(document)
    letter_pages = None
    if letter_pdf is None:
        letter_pdf, letter_pages = renderer.render(letter_html)
    else:
        letter_pdf, letter_pages = letter_pdf
    evidence = content.evidence_pdfs(snapshot["packet"]["evidence_files"], renderer)
    context = content.packet_context(snapshot, letter_pages=letter_pages, evidence=evidence)
    body, _pages = renderer.render(render_html("documents/packet.html", lang, context))
    return pdf.merge([body, letter_pdf, *[e["pdf"] for e in evidence]])


def reusable_letter(packet: Document) -> tuple[bytes, int] | None:
    letter = db.session.scalars(
        select(Document)
        .where(
            Document.case_id == packet.case_id,
            Document.kind == "support_letter",
            Document.status == DocumentStatus.READY,
            Document.snapshot_sha256 == packet.snapshot["letter_sha256"],
        )
        .order_by(Document.id.desc())
    ).first()
    if letter is None:
        return None
    try:
        data = store.read_verified(letter.storage_path, letter.pdf_sha256)
    except store.StoredFileMismatch:
        log.error("Stored letter %s does not match its hash; rendering the letter again", letter.id)
        return None
    db.session.execute(update(Document).where(Document.id == packet.id).values(reused_letter_id=letter.id))
    return data, letter.page_count


def render_html(template: str, lang: str, context: dict) -> str:
    with force_locale(lang):
        return render_template(template, lang=lang, **context)


# ----------------------------------------------------------------------------------- approval
def approved_copy(
    document: Document,
    *,
    consultant: User,
    approved_at: datetime,
    reviewed_sha256: str,
    comment: str | None = None,
) -> tuple[str, str]:
    """Write the approved file of a review (call it after the review's flush: the file is removed again
    if the transaction does not commit): the reviewed PDF, exactly as stored and checked against
    ``reviewed_sha256``, then an approval page (who, CICC licence, when with the time zone, that
    hash), the whole signed with the portal's key (PAdES). Returns its store path and SHA-256."""
    try:
        reviewed = store.read_verified(document.storage_path, reviewed_sha256)
    except (OSError, store.StoredFileMismatch) as exc:
        raise DocumentError(_("The stored file does not match its recorded fingerprint.")) from exc
    lang = document.language
    title = {"support_letter": _("Support letter"), "packet": _("Offer-submission packet")}
    with force_locale(lang):
        html = render_html(
            "documents/approval.html",
            lang,
            {
                "l": document.snapshot["letter"],
                "consultant_name": consultant.name,
                "consultant_licence": consultant.cicc_licence,
                "approved_at": approved_at,
                "reviewed_sha256": reviewed_sha256,
                "title": title.get(document.kind, document.kind),
                "version": document.version,
                "comment": comment,
            },
        )
        reason = _(
            "Approved by %(name)s (CICC %(licence)s)",
            name=consultant.name,
            licence=consultant.cicc_licence or "—",
        )
    page, _pages = pdf.renderer().render(html)
    signed = signing.sign(pdf.concatenate([reviewed, page]), name=consultant.name, reason=reason)
    relative = (
        f"{_folder(document)}/approved/doc-{document.id}-{reviewed_sha256[:16]}-{secrets.token_hex(4)}.pdf"
    )
    store.write_for_transaction(db.session, relative, signed)
    return relative, store.sha256_bytes(signed)


# ----------------------------------------------------------------------------------- read
def documents_of(case: Case) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.case_id == case.id)
            .order_by(Document.kind, Document.version.desc())
        )
    )


def read_verified(document: Document) -> bytes:
    """The stored PDF, after checking it still matches its recorded hash."""
    try:
        return store.read_verified(document.storage_path, document.pdf_sha256)
    except store.StoredFileMismatch as exc:
        raise DocumentError(_("The stored file does not match its recorded fingerprint.")) from exc


def download_name(document: Document) -> str:
    letter = document.snapshot["letter"]
    person = letter["worker"]["family_name"] or "worker"
    kind = {"support_letter": "support-letter", "packet": "offer-packet"}[document.kind]
    safe = "".join(
        ch if ch.isalnum() else "-"
        for ch in f"{person}-{letter['code']}-{kind}-v{document.version}-{document.language}"
    )
    return safe.strip("-").lower() + ".pdf"


# ----------------------------------------------------------------------------------- uploads
LOGO_MAX_BYTES = 1024 * 1024
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Pixels as well as bytes: a packet page holds the image unpacked (a 144-megapixel scan took a render
# to 430 MB); 40 megapixels is more than any phone camera or 600 dpi scan of a letter-size page.
IMAGE_MAX_PIXELS = 40_000_000


def sniff(data: bytes) -> str | None:
    """The file type by its content (never by its name): pdf, png or jpeg."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _open_image(data: bytes, field: str | None) -> Image.Image:
    """The image, refused with a message when it is damaged or has more than IMAGE_MAX_PIXELS pixels
    (checked from its header, before a byte of it is unpacked: a 190 KB PNG can hold 196 megapixels)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DocumentError(_too_many_pixels(None), field) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DocumentError(_("The image could not be read."), field) from exc
    if image.width * image.height > IMAGE_MAX_PIXELS:
        image.close()
        raise DocumentError(_too_many_pixels((image.width, image.height)), field)
    return image


def _too_many_pixels(size: tuple[int, int] | None) -> str:
    limit = IMAGE_MAX_PIXELS // 1_000_000
    if size is None:
        return _(
            "The image has too many pixels: images up to %(max)s megapixels are accepted. "
            "Save it at a lower resolution and upload it again.",
            max=limit,
        )
    return _(
        "The image is %(width)s × %(height)s pixels (%(mp)s megapixels): images up to %(max)s megapixels "
        "are accepted. Save it at a lower resolution and upload it again.",
        width=size[0],
        height=size[1],
        mp=round(size[0] * size[1] / 1_000_000),
        max=limit,
    )


def _reencode_image(data: bytes, max_side: int | None = None, field: str | None = None) -> bytes:
    try:
        with _open_image(data, field) as image:
            image.load()
            if max_side:
                image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, format="PNG")
            return out.getvalue()
    except DocumentError:
        raise
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DocumentError(_("The image could not be read."), field) from exc


def save_letterhead(
    org: Organization,
    *,
    logo: bytes | None,
    signatory_name: str | None,
    signatory_title: str | None,
    actor: User,
) -> None:
    if logo:
        if len(logo) > LOGO_MAX_BYTES:
            raise DocumentError(_("The logo is larger than 1 MB."), "logo")
        if sniff(logo) not in ("png", "jpeg"):
            raise DocumentError(_("The logo must be a PNG or JPEG image."), "logo")
        png = _reencode_image(logo, max_side=800, field="logo")
        relative = f"org-{org.id}/letterhead/logo-{store.sha256_bytes(png)[:16]}.png"
        org.logo_path, org.logo_sha256 = relative, store.sha256_bytes(png)
        db.session.flush()
        store.write_for_transaction(db.session, relative, png)  # removed again if the save rolls back
    org.signatory_name = signatory_name or None
    org.signatory_title = signatory_title or None
    audit.record(
        "organization.letterhead",
        actor=actor,
        organization=org,
        obj=org,
        data={"logo_sha256": org.logo_sha256, "signatory": org.signatory_name},
    )


def add_evidence(
    case: Case, org: Organization, *, item: str, filename: str, data: bytes, actor: User
) -> EvidenceFile:
    if not data:
        raise DocumentError(_("The file is empty."), "file")
    if len(data) > EVIDENCE_MAX_BYTES:
        raise DocumentError(_("The file is larger than 10 MB."), "file")
    kind = sniff(data)
    if kind is None:
        raise DocumentError(
            _("Only PDF, PNG and JPEG files are accepted (checked by their content, not their name)."), "file"
        )
    if kind in ("png", "jpeg"):
        _reencode_image(data, field="file")  # refuses a damaged image now rather than at packet time
    else:
        try:
            PdfReader(io.BytesIO(data))
        except (PdfReadError, ValueError, OSError) as exc:
            raise DocumentError(_("The PDF could not be read."), "file") from exc
    digest = store.sha256_bytes(data)
    # A name of its own per upload: a refused upload never removes the file of an accepted one.
    relative = f"org-{org.id}/case-{case.id}/evidence/{digest[:24]}-{secrets.token_hex(4)}.{kind}"
    evidence = EvidenceFile(
        organization_id=org.id,
        case_id=case.id,
        item=item[:300],
        filename=(filename or f"evidence.{kind}")[-200:],
        content_type=kind,
        size_bytes=len(data),
        sha256=digest,
        storage_path=relative,
        uploaded_by_id=actor.id,
    )
    db.session.add(evidence)
    db.session.flush()  # the row first: a refused insert leaves no file
    store.write_for_transaction(db.session, relative, data)  # removed again if the upload rolls back
    audit.record(
        "evidence.uploaded",
        actor=actor,
        organization=org,
        obj=evidence,
        data={"case_id": case.id, "item": item, "sha256": digest},
    )
    return evidence


def remove_evidence(evidence: EvidenceFile, org: Organization, *, actor: User) -> None:
    audit.record(
        "evidence.removed", actor=actor, organization=org, obj=evidence, data={"item": evidence.item}
    )
    db.session.delete(evidence)
