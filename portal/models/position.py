from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow

# Hours a year for converting wages; weekly and monthly use the position's own hours.
WAGE_UNITS = ("hour", "week", "month", "year")


class Position(OrgScoped, Model):
    """A role in Canada."""

    __tablename__ = "positions"

    title: Mapped[str] = mapped_column(String(200))
    noc_code: Mapped[str] = mapped_column(String(5))
    duties: Mapped[str | None] = mapped_column(Text)
    # The job title and duties in French, for French documents (None: they quote ``title`` and ``duties``).
    title_fr: Mapped[str | None] = mapped_column(String(200))
    duties_fr: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[str | None] = mapped_column(String(40))
    work_type: Mapped[str | None] = mapped_column(String(40))
    wage_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    wage_unit: Mapped[str | None] = mapped_column(String(10))
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    prevailing_wage_hourly: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    street_address: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(2))
    start_date: Mapped[date | None] = mapped_column(Date)
    duration_months: Mapped[int | None]
    paid: Mapped[bool | None]
    extra_facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def title_in(self, lang: str) -> str:
        """The job title a document in ``lang`` states: the French one in French when given."""
        return (self.title_fr if lang == "fr" else None) or self.title

    def duties_in(self, lang: str) -> str | None:
        """The main duties a document in ``lang`` states: the French ones in French when given."""
        return (self.duties_fr if lang == "fr" else None) or self.duties

    @property
    def wage_hourly(self) -> Decimal | None:
        """The wage as an hourly rate (IRCC's Employer Portal and the rules compare hourly wages)."""
        return hourly_rate(self.wage_amount, self.wage_unit, self.hours_per_week)


def hourly_rate(amount: Decimal | None, unit: str | None, hours: Decimal | None) -> Decimal | None:
    """``amount`` per ``unit`` (hour, week, month, year) as an hourly rate at ``hours`` a week; None when
    it cannot be worked out."""
    if amount is None or unit is None:
        return None
    if unit == "hour":
        return amount
    if not hours:
        return None
    if unit == "week":
        weekly = amount
    elif unit == "month":
        weekly = amount * 12 / 52
    elif unit == "year":
        weekly = amount / 52
    else:  # not a unit (a form's bad choice, an import's typo): its own message says so
        return None
    return (weekly / hours).quantize(Decimal("0.01"))
