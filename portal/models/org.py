from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, BigInteger, DateTime, Enum, ForeignKey, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow

if TYPE_CHECKING:
    from portal.models.user import User


class Role(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"


def _role_enum() -> Enum:
    return Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


# The zone of each province's largest city (a province spanning several zones can choose another).
PROVINCE_TIME_ZONES = {
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "MB": "America/Winnipeg",
    "NB": "America/Moncton",
    "NL": "America/St_Johns",
    "NS": "America/Halifax",
    "NT": "America/Yellowknife",
    "NU": "America/Iqaluit",
    "ON": "America/Toronto",
    "PE": "America/Halifax",
    "QC": "America/Toronto",
    "SK": "America/Regina",
    "YT": "America/Whitehorse",
}
DEFAULT_TIME_ZONE = "America/Toronto"
# The zones an organization may choose: Canada's, west to east.
TIME_ZONES = (
    "America/Vancouver",
    "America/Whitehorse",
    "America/Dawson_Creek",
    "America/Edmonton",
    "America/Yellowknife",
    "America/Regina",
    "America/Winnipeg",
    "America/Atikokan",
    "America/Toronto",
    "America/Iqaluit",
    "America/Moncton",
    "America/Halifax",
    "America/Blanc-Sablon",
    "America/St_Johns",
    "UTC",
)


class Organization(Model):
    """A Canadian employer."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    operating_name: Mapped[str | None] = mapped_column(String(200))
    # None: released, the registration was never confirmed and another took the number (auth.services).
    business_number: Mapped[str | None] = mapped_column(String(9), unique=True, index=True)
    street_address: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(7))
    telephone: Mapped[str] = mapped_column(String(30))
    employees: Mapped[int] = mapped_column(Integer)
    gross_annual_revenue: Mapped[int] = mapped_column(BigInteger)
    # Letterhead: the logo is re-encoded as PNG on upload and stored in the document store.
    logo_path: Mapped[str | None] = mapped_column(String(300))
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_title: Mapped[str | None] = mapped_column(String(200))
    # The IANA time zone times are shown in; None: the zone of the province (PROVINCE_TIME_ZONES).
    time_zone: Mapped[str | None] = mapped_column(String(40))
    # Answers about the employer with no column of their own (employer.* facts), by fact path.
    extra_facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        "Membership", back_populates="organization", cascade="all, delete-orphan"
    )

    @property
    def zone_name(self) -> str:
        return self.time_zone or PROVINCE_TIME_ZONES.get(self.province or "", DEFAULT_TIME_ZONE)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    @property
    def display_name(self) -> str:
        return self.operating_name or self.legal_name

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.legal_name}>"


class Membership(OrgScoped, Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organization_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_role_enum(), default=Role.MEMBER)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organization: Mapped[Organization] = relationship("Organization", back_populates="memberships")
    user: Mapped[User] = relationship("User", back_populates="memberships")


class Invitation(OrgScoped, Model):
    __tablename__ = "invitations"

    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(_role_enum(), default=Role.MEMBER)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organization: Mapped[Organization] = relationship("Organization")
    invited_by: Mapped[User | None] = relationship("User")

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
