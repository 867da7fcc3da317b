from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, defer, mapped_column, relationship

from portal.extensions import Model
from portal.models._types import utcnow
from portal.models.statuses import CaseStatus, status_column_type

if TYPE_CHECKING:
    from portal.models.group import ForeignEnterprise
    from portal.models.position import Position
    from portal.models.transferee import Transferee


CASE_STATUSES = tuple(CaseStatus)


class Case(Model):
    """A transferee in a position, with the assessment snapshot of the rules engine."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    transferee_id: Mapped[int] = mapped_column(ForeignKey("transferees.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    foreign_enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("foreign_enterprises.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[CaseStatus] = mapped_column(
        status_column_type(CaseStatus, length=20, name="status"), default=CaseStatus.DRAFT
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    facts_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ruleset_version: Mapped[str | None] = mapped_column(String(40))
    assessed_as_of: Mapped[date | None] = mapped_column(Date)
    assessed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    route: Mapped[str | None] = mapped_column(String(20))
    recommended_code: Mapped[str | None] = mapped_column(String(10), index=True)
    open_questions: Mapped[int] = mapped_column(default=0)
    chosen_code: Mapped[str | None] = mapped_column(String(10))
    # What the employer records from IRCC's Employer Portal, then the permit.
    offer_number: Mapped[str | None] = mapped_column(String(8))
    fee_paid_on: Mapped[date | None] = mapped_column(Date)
    fee_exempt: Mapped[bool | None]
    submitted_on: Mapped[date | None] = mapped_column(Date)
    permit_issued_on: Mapped[date | None] = mapped_column(Date)
    first_day_on: Mapped[date | None] = mapped_column(Date)
    permit_expiry_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    transferee: Mapped[Transferee] = relationship("Transferee")

    def assessment_in(self, lang: str) -> dict[str, Any]:
        """The stored assessment in ``lang`` (English if that language is missing; empty before the first)."""
        stored = self.assessment or {}
        found: dict[str, Any] = stored.get(lang) or stored.get("en") or {}
        return found

    position: Mapped[Position] = relationship("Position")
    foreign_enterprise: Mapped[ForeignEnterprise | None] = relationship("ForeignEnterprise")


def criterion_url(criterion: dict[str, Any], candidate: dict[str, Any]) -> str | None:
    """A stored criterion's source address: its own, or its code's when the case stored it once
    (``cases.services.stored_assessment``; snapshots stored before keep it on every criterion)."""
    url = (criterion.get("citation") or {}).get("url") or (candidate.get("citation") or {}).get("url")
    return str(url) if url else None


# The assessment (English and French, tens of kilobytes of JSON), the facts it was made from and the
# answers: a list of cases needs none of them, and decoding them was most of a list page's time.
# ``select(Case).options(*list_options())`` loads a case without them (read on access, one query).
# (A function: building the options configures the mappers, which needs every model defined.)
def list_options() -> tuple[Any, ...]:
    return (defer(Case.assessment), defer(Case.facts_snapshot), defer(Case.answers))
