from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow
from rules.params import is_full_time

if TYPE_CHECKING:
    from portal.models.group import ForeignEnterprise

# The longest description of a past job's duties (forms, import, column).
DUTIES_MAX = 2000
# The hours a week a past job may have (forms, import).
HOURS_MIN, HOURS_MAX = 1, 80


class Transferee(OrgScoped, Model):
    """The foreign worker."""

    __tablename__ = "transferees"

    given_names: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    # how the support letter names the person after its first mention: "mr", "ms", "mx" (labels.FORM_OF_ADDRESS),
    # None for the full name each time
    form_of_address: Mapped[str | None] = mapped_column(String(8))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    citizenships: Mapped[list[str]] = mapped_column(JSON, default=list)
    permanent_residences: Mapped[list[str]] = mapped_column(JSON, default=list)
    residence_country: Mapped[str | None] = mapped_column(String(2))
    in_canada: Mapped[bool | None]
    current_permit_type: Mapped[str | None] = mapped_column(String(30))
    current_permit_expiry: Mapped[date | None] = mapped_column(Date)
    passport_number: Mapped[str | None] = mapped_column(String(30))
    passport_country: Mapped[str | None] = mapped_column(String(2))
    passport_expiry: Mapped[date | None] = mapped_column(Date)
    education_level: Mapped[str | None] = mapped_column(String(30))
    education_field: Mapped[str | None] = mapped_column(String(200))
    profession: Mapped[str | None] = mapped_column(String(200))
    french_nclc: Mapped[int | None]
    english_clb: Mapped[int | None]
    language_proof: Mapped[str | None] = mapped_column(String(200))
    ownership_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    extra_facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    employment: Mapped[list[EmploymentRecord]] = relationship(
        "EmploymentRecord",
        back_populates="transferee",
        cascade="all, delete-orphan",
        order_by="EmploymentRecord.start_date",
    )

    @property
    def full_name(self) -> str:
        return self.name_of(self.given_names, self.family_name)

    @staticmethod
    def name_of(given_names: str, family_name: str) -> str:
        """The name as the portal shows it (also for a list read as columns, without the object)."""
        return f"{given_names} {family_name}".strip()


class EmploymentRecord(Model):
    """One job of the transferee abroad (with a group company or elsewhere)."""

    __tablename__ = "employment_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    transferee_id: Mapped[int] = mapped_column(ForeignKey("transferees.id", ondelete="CASCADE"), index=True)
    foreign_enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("foreign_enterprises.id", ondelete="SET NULL"), index=True
    )
    employer_name: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    job_title: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[str | None] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    full_time: Mapped[bool] = mapped_column(default=True)
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))  # 1 to 80 (forms, import)
    duties: Mapped[str | None] = mapped_column(String(DUTIES_MAX))
    # The duties in French, for French documents (None: they quote ``duties``), as a role's ``duties_fr``.
    duties_fr: Mapped[str | None] = mapped_column(String(DUTIES_MAX))

    transferee: Mapped[Transferee] = relationship("Transferee", back_populates="employment")
    foreign_enterprise: Mapped[ForeignEnterprise | None] = relationship("ForeignEnterprise")

    def duties_in(self, lang: str) -> str | None:
        """The duties a document in ``lang`` quotes: the French ones in French when given
        (``Position.duties_in``)."""
        return (self.duties_fr if lang == "fr" else None) or self.duties

    def full_time_on(self, on: date) -> bool:
        """Whether the job is full time for a question asked ``on`` (an assessment's date): its hours by
        the threshold in force that day, else its full-time box (``rules.params.is_full_time``)."""
        return bool(is_full_time(self.hours_per_week, self.full_time, on))
