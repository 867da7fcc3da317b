from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow
from portal.models.statuses import DocumentStatus, status_column_type

if TYPE_CHECKING:
    from portal.models.case import Case
    from portal.models.user import User


DOCUMENT_KINDS = ("support_letter", "packet")
DOCUMENT_STATUSES = tuple(DocumentStatus)


class Document(OrgScoped, Model):
    """One version of a support letter or an offer-submission packet of a case.

    The input is frozen in ``snapshot`` (with its SHA-256) when the document is requested; the
    worker renders from the snapshot only. Status: queued -> rendering -> ready | failed.
    """

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "version"),
        # a person's latest request in an organization, read backwards (lookups.remembered_signatory): 0025
        Index("ix_documents_organization_requester", "organization_id", "requested_by_id", "id"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[DocumentStatus] = mapped_column(
        status_column_type(DocumentStatus, length=10, name="status"),
        default=DocumentStatus.QUEUED,
        index=True,
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot_sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)
    storage_path: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When a failed version was asked again (requests.retry): its wait in the queue counts from there, not
    # from created_at (rendering.minutes_queued). None: never retried.
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Renewed every few seconds by the worker while it renders: a render whose heartbeat is older
    # than the lease belongs to a worker that died, and the sweep sends the document again.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the letter's text still leaves to complete ("[to complete: ...]"), read from the snapshot when
    # the document is requested: the documents page warns beside it without reading the snapshot or the
    # PDF. None: made before it was recorded, with no sections in its snapshot (migration 0018).
    letter_gaps: Mapped[list[str] | None] = mapped_column(JSON)
    # A packet's pre-checks before filing ({level, field, message}, in the packet's language), computed from
    # its snapshot when it is requested: the documents page shows them beside it. None: a support letter, or
    # a packet made before they were recorded (migration 0023).
    prechecks: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    reused_letter_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship("Case")
    requested_by: Mapped[User | None] = relationship("User")


class EvidenceFile(OrgScoped, Model):
    """A file uploaded against an item of a case's evidence checklist; packets append it."""

    __tablename__ = "evidence_files"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LetterSection(OrgScoped, Model):
    """One edit of one section of a case's letter in one language: the text the employer or the
    consultant typed over the generated draft (``text`` None = back to the generated text). Every edit
    is a new row, never updated: the latest row of (case, kind, language, key) is the section's text.
    ``generated_sha256`` is the SHA-256 of the generated text the edit was written over, so the editor
    can show which generated sections changed since they were edited."""

    __tablename__ = "letter_sections"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_kind: Mapped[str] = mapped_column(String(20), default="support_letter")
    language: Mapped[str] = mapped_column(String(2))
    section_key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str | None] = mapped_column(Text)
    generated_sha256: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship("User")
