from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class OrgScoped:
    """The first two columns of a row that belongs to one organization: its id, and the organization
    (the row is deleted with it; indexed, as every tenant query filters on it)."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, sort_order=-1
    )
