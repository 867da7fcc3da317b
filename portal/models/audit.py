from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models._types import utcnow


class AuditEvent(Model):
    """Who did what to which object, when. Append-only: the code never updates or deletes a row."""

    __tablename__ = "audit_events"
    # an object's events (its history, the letterhead's last save): migration 0025
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id", "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    # SHA-256 of the event's new state (canonical JSON of ``data``), to prove what was recorded.
    state_hash: Mapped[str | None] = mapped_column(String(64))
