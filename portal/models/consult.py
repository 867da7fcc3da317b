from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow
from portal.models.statuses import EngagementStatus, ReviewDecision, status_column_type

if TYPE_CHECKING:
    from portal.models.document import Document
    from portal.models.org import Organization
    from portal.models.user import User


class Engagement(OrgScoped, Model):
    """An employer's grant of access to a consultant (RCIC): all cases, or only some."""

    __tablename__ = "engagements"

    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    # The CICC licence the employer expects: only a consultant holding it may accept (optional).
    cicc_licence: Mapped[str | None] = mapped_column(String(7))
    status: Mapped[EngagementStatus] = mapped_column(
        status_column_type(EngagementStatus, length=10, name="status"), default=EngagementStatus.INVITED
    )
    case_ids: Mapped[list[int] | None] = mapped_column(JSON)  # None: every case of the organization
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organization: Mapped[Organization] = relationship("Organization")
    consultant: Mapped[User | None] = relationship("User", foreign_keys=[consultant_id])
    invited_by: Mapped[User | None] = relationship("User", foreign_keys=[invited_by_id])

    def covers(self, case_id: int) -> bool:
        return self.case_ids is None or case_id in self.case_ids


class Review(OrgScoped, Model):
    """A consultant's decision on one document version, bound to the SHA-256 of that PDF."""

    __tablename__ = "reviews"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[ReviewDecision] = mapped_column(
        status_column_type(ReviewDecision, length=10, name="decision")
    )
    comment: Mapped[str | None] = mapped_column(Text)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    # An approval's own file: the reviewed PDF, an approval page and the portal's PAdES signature,
    # stored once and never rewritten (None for a return, and for approvals made before 0007).
    approved_path: Mapped[str | None] = mapped_column(String(300))
    approved_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship("Document")
    consultant: Mapped[User | None] = relationship("User")
    comments: Mapped[list[ReviewComment]] = relationship(
        "ReviewComment", back_populates="review", order_by="ReviewComment.id", cascade="all, delete-orphan"
    )


class ReviewComment(OrgScoped, Model):
    """A consultant's comment on one section of the reviewed document: ``section`` is
    ``letter:<section key>`` (a section of the support letter) or ``packet:<part>`` (a part of the
    packet: sheet, checks, obligations, checklist, annexes). ``heading`` keeps a letter section's
    heading as the document named it (in its language)."""

    __tablename__ = "review_comments"

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(60))
    heading: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)

    review: Mapped[Review] = relationship("Review", back_populates="comments")


class Reminder(OrgScoped, Model):
    """One reminder mail for one compliance date of one case: the unique key makes it sent once."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("case_id", "kind", "due_on"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
