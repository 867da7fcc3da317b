"""Re-assessing the book when the rule set changes: one run per organization and rule-set version,
the outcomes it changed, and who has dismissed the banner announcing them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow

if TYPE_CHECKING:
    from portal.models.case import Case


class RulesetRun(OrgScoped, Model):
    """The re-assessment of one organization's open cases under one rule-set version (unique: once)."""

    __tablename__ = "ruleset_runs"
    __table_args__ = (UniqueConstraint("organization_id", "ruleset_version"),)

    ruleset_version: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set (in its own transaction) before the owners are mailed: a second run never mails again.
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    changed_count: Mapped[int] = mapped_column(default=0)

    changes: Mapped[list[RulesetChange]] = relationship(
        "RulesetChange", back_populates="run", order_by="RulesetChange.id"
    )


class RulesetChange(Model):
    """One case whose outcome (route or recommended code) changed in a run (unique per case and run)."""

    __tablename__ = "ruleset_changes"
    __table_args__ = (UniqueConstraint("run_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ruleset_runs.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    old_version: Mapped[str | None] = mapped_column(String(40))
    old_route: Mapped[str | None] = mapped_column(String(20))
    old_code: Mapped[str | None] = mapped_column(String(10))
    new_version: Mapped[str] = mapped_column(String(40))
    new_route: Mapped[str | None] = mapped_column(String(20))
    new_code: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    run: Mapped[RulesetRun] = relationship("RulesetRun", back_populates="changes")
    case: Mapped[Case] = relationship("Case")


class RulesetNoticeSeen(Model):
    """A user dismissed (or saw the page of) the banner of a run."""

    __tablename__ = "ruleset_notices_seen"
    __table_args__ = (UniqueConstraint("run_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ruleset_runs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
