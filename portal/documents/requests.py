"""Requesting a document: freeze the case into a snapshot on a new Document row (the caller commits,
then enqueues ``documents.render``), and the queue's bookkeeping (sent, retried). Services flush.

The flow of a document (DESIGN.md, flow 2) continues in ``rendering`` (the worker's claim and lease)
and ``assembly`` (the PDF made from the snapshot).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select, update

from portal import audit
from portal.documents import content, editing, eligibility, lookups
from portal.documents.errors import DocumentError
from portal.documents.letters.common import Letter
from portal.extensions import db
from portal.hashing import canonical_sha256
from portal.messages import N_
from portal.models import Case, Document, DocumentStatus, EvidenceFile, Organization, User
from portal.models._types import utcnow


class Asked(NamedTuple):
    """What a person's request gave: ``document``, and whether it was the latest version already
    (``unchanged``: nothing in the case changed since that version was asked, so no new one was made)."""

    document: Document
    unchanged: bool


def ask_for_document(
    case: Case,
    org: Organization,
    *,
    kind: str,
    lang: str,
    actor: User,
    on: date,
    signatory_name: str | None = None,
    signatory_title: str | None = None,
    reuse_unchanged: bool = True,
) -> Asked:
    """A person's request (the documents page): a new version, unless the latest version of this kind was
    made of exactly the same snapshot (same case data, language, signatory, day) and has not failed —
    a double click, a second tab, or the same request again — which is then the answer
    (``reuse_unchanged=False``: a new version whatever the latest is). Requests of one case wait for each
    other (the case's row is locked until the commit on PostgreSQL), so two at once never both make
    version n + 1."""
    lock_case(case.id)
    snapshot = _snapshot(
        case,
        org,
        kind=kind,
        lang=lang,
        actor=actor,
        on=on,
        signatory_name=signatory_name,
        signatory_title=signatory_title,
    )
    latest = db.session.scalars(
        select(Document)
        .where(Document.case_id == case.id, Document.kind == kind)
        .order_by(Document.version.desc())
        .limit(1)
    ).first()
    if (
        reuse_unchanged
        and latest is not None
        and latest.status != DocumentStatus.FAILED
        and latest.snapshot_sha256 == canonical_sha256(snapshot)
    ):
        return Asked(latest, unchanged=True)
    version = (latest.version if latest is not None else 0) + 1
    return Asked(
        _new_version(case, org, snapshot, version=version, kind=kind, lang=lang, actor=actor), unchanged=False
    )


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
    """A new version of the case's ``kind`` of document, whatever the latest one is (the demo's seed, the
    benches that render one snapshot again and again); people's requests go through ``ask_for_document``."""
    return ask_for_document(
        case,
        org,
        kind=kind,
        lang=lang,
        actor=actor,
        on=on,
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        reuse_unchanged=False,
    ).document


def lock_case(case_id: int) -> None:
    """Hold the case's row until the commit (PostgreSQL; SQLite writes one transaction at a time): what
    changes the case's documents — a request, a review — runs one at a time per case, each seeing what the
    one before it committed."""
    db.session.execute(select(Case.id).where(Case.id == case_id).with_for_update())


def _snapshot(
    case: Case,
    org: Organization,
    *,
    kind: str,
    lang: str,
    actor: User,
    on: date,
    signatory_name: str | None,
    signatory_title: str | None,
) -> dict[str, Any]:
    """The frozen input of the document: its letter, and for a packet the packet's own content."""
    if kind not in ("support_letter", "packet"):
        raise DocumentError(N_("Unknown kind of document."), "kind")
    # no code decided yet, no work permit, an open one, or an LMIA: the letter's own check refuses it
    # (editing.draft, through frozen_letter: eligibility.no_documents), as the editing page does
    files = lookups.evidence_of(case)  # read once: the letter's annexes and the packet's files
    letter = frozen_letter(
        case,
        org,
        lang=lang,
        actor=actor,
        on=on,
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        evidence=files,
    )
    snapshot: dict[str, Any] = {"kind": kind, "letter": letter}
    if kind == "packet":
        snapshot["letter_sha256"] = letter_sha256(letter)
        snapshot["packet"] = content.packet_snapshot(case, org, lang=lang, on=on, evidence=files)
    return snapshot


def _new_version(
    case: Case,
    org: Organization,
    snapshot: dict[str, Any],
    *,
    version: int,
    kind: str,
    lang: str,
    actor: User,
) -> Document:
    document = Document(
        organization_id=org.id,
        case_id=case.id,
        kind=kind,
        language=lang,
        version=version,
        status=DocumentStatus.QUEUED,
        snapshot=snapshot,
        snapshot_sha256=canonical_sha256(snapshot),
        letter_gaps=content.letter_gaps(snapshot["letter"]),  # a packet's letter is its Annex A
        prechecks=content.recorded_prechecks(snapshot, lang),  # a packet's, shown beside it
        requested_by_id=actor.id,
        attempts=0,
    )
    audit.add_and_record(
        document,
        "document.requested",
        actor=actor,
        organization=org,
        data={
            "case_id": case.id,
            "kind": kind,
            "language": lang,
            "version": version,
            "snapshot_sha256": document.snapshot_sha256,
        },
    )
    return document


def frozen_letter(
    case: Case,
    org: Organization,
    *,
    lang: str,
    actor: User,
    on: date,
    signatory_name: str | None,
    signatory_title: str | None,
    evidence: list[EvidenceFile],
) -> Letter:
    """The support letter a request with these fields freezes: the generated sections with the employer's
    edits, signed as asked, enclosing the case's files (``evidence``). ``ahead.prepare_letter`` renders the
    same ahead of the click, so both must build it here."""
    return editing.draft(
        case,
        org,
        lang=lang,
        actor=actor,
        on=on,
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        evidence=evidence,
    )


def letter_sha256(letter: Letter) -> str:
    """The snapshot hash of the support letter made of ``letter`` (a packet records it to reuse that
    letter's PDF; a letter made already is not prepared again)."""
    return canonical_sha256({"kind": editing.LETTER, "letter": letter})


def mark_enqueued(document_ids: list[int], *, sent: bool = True) -> None:
    """Record that the render task is sent at this transaction's commit, or (``sent=False``) that its
    send failed, for the sweep to send it again (the caller commits)."""
    if document_ids:
        db.session.execute(
            update(Document)
            .where(Document.id.in_(document_ids))
            .values(enqueued_at=utcnow() if sent else None)
        )


def retry(document: Document, *, actor: User) -> Document:
    if document.status != DocumentStatus.FAILED:
        raise DocumentError(N_("Only a failed document can be retried."))
    if (why := eligibility.no_documents(document.case.route)) is not None:
        raise DocumentError(why)
    document.status, document.error, document.attempts, document.started_at, document.queued_at = (
        DocumentStatus.QUEUED,
        None,
        0,
        None,
        utcnow(),
    )
    audit.record("document.retried", actor=actor, organization_id=document.organization_id, obj=document)
    return document
