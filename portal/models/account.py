"""Server-side records of account security: sign-in sessions, calendar feed links, sign-in throttles."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models._types import OrgScoped, utcnow

if TYPE_CHECKING:
    from portal.models.org import Organization
    from portal.models.user import User


class UserSession(Model):
    """One signed-in browser. The cookie holds a random id; the table holds its SHA-256.

    The user loader accepts a cookie only while its row exists and is not ended, so sign-out, a
    password change or reset, an owner's "end sessions" and removal from an organization end
    sessions on the server, not only in the browser that asked.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship("User")


class CalendarFeed(OrgScoped, Model):
    """A private calendar feed link of one user for one organization: listed, revocable.

    The link works only while it is not revoked and its user still belongs to the organization.
    """

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship("User")
    organization: Mapped[Organization] = relationship("Organization")


class LoginThrottle(Model):
    """Failed sign-ins per email address (known or not), for the per-account back-off."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RegistrationHold(Model):
    """A business number or CICC licence number named by a registration whose address already had an account
    (nothing was created), held until ``expires_at`` as the account it would have made holds it while
    unconfirmed: a second registration of the number cannot tell whether the first address was taken."""

    __tablename__ = "registration_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "business_number" or "licence"
    value: Mapped[str] = mapped_column(String(20), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
