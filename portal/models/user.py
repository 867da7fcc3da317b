from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import Model
from portal.models._types import utcnow

if TYPE_CHECKING:
    from portal.models.org import Membership


class AccountType(enum.StrEnum):
    EMPLOYER = "employer"
    CONSULTANT = "consultant"


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    account_type: Mapped[AccountType] = mapped_column(
        Enum(AccountType, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=AccountType.EMPLOYER,
    )
    cicc_licence: Mapped[str | None] = mapped_column(String(7), unique=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the person opened a verification link mailed to ``email`` (or an invitation link).
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the last confirmation link was mailed (a new one goes at most once per VERIFICATION_RESEND_SECONDS).
    verification_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Made by the public registration page: no sign-in until the address is confirmed (otherwise whoever
    # registered an address could sign in with the password they chose only if it had no account yet).
    sign_in_needs_confirmation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    memberships: Mapped[list[Membership]] = relationship(
        "Membership", back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt, a memory-hard modern algorithm.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_consultant(self) -> bool:
        return self.account_type == AccountType.CONSULTANT

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
