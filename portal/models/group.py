from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow


class ForeignEnterprise(OrgScoped, Model):
    """A company of the group abroad, recorded once and reused across transferees."""

    __tablename__ = "foreign_enterprises"

    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    relationship: Mapped[str] = mapped_column(String(40))
    countries_of_operation: Mapped[list[str]] = mapped_column(JSON, default=list)
    doing_business: Mapped[bool | None]
    # the share of capital and votes behind the relationship, in percent (migration 0016 says of whom)
    ownership_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    # Answers about the group company with no column of their own (foreign_enterprise.* facts).
    extra_facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
