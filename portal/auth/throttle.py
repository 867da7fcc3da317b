"""Per-account sign-in back-off, on top of the per-address limits of Flask-Limiter.

Failures are counted per email address — known or not, so the answer never tells whether an
account exists. After ``free_tries`` failures in a row, every further failure doubles the wait
(``base`` seconds, then 2x, 4x ... up to ``maximum``). A successful sign-in or a password reset
clears the count, so an attacker can hold an account's sign-in but never its reset. The count
lives in the database: it holds across web processes and while Redis is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.hashing import sha256_hex
from portal.models import LoginThrottle


@dataclass(frozen=True)
class Policy:
    free_tries: int = 5
    base: int = 30
    maximum: int = 3600

    def wait_after(self, failures: int) -> int:
        """Seconds to wait after ``failures`` failures in a row (0 while under the free tries)."""
        if failures < self.free_tries:
            return 0
        return min(self.base << min(failures - self.free_tries, 32), self.maximum)


def _key(email: str) -> str:
    return sha256_hex(email.strip().lower())


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite keeps no zone
        return moment.replace(tzinfo=UTC)
    return moment


def seconds_blocked(email: str, *, now: datetime) -> int:
    """How long sign-in for this address must still wait (0: it may try now)."""
    row = db.session.scalars(select(LoginThrottle).where(LoginThrottle.email_hash == _key(email))).first()
    until = _aware(row.blocked_until) if row is not None else None
    if until is None or until <= now:
        return 0
    return max(1, int((until - now).total_seconds() + 0.999))


def record_failure(email: str, *, now: datetime, policy: Policy) -> int:
    """Count one failure (flushed); returns the wait it starts, in seconds."""
    key = _key(email)
    row = db.session.scalars(
        select(LoginThrottle).where(LoginThrottle.email_hash == key).with_for_update()
    ).first()
    if row is None:
        try:
            with db.session.begin_nested():
                row = LoginThrottle(email_hash=key, failures=0)
                db.session.add(row)
        except IntegrityError:  # another request made it meanwhile
            row = db.session.scalars(
                select(LoginThrottle).where(LoginThrottle.email_hash == key).with_for_update()
            ).one()
    row.failures = (row.failures or 0) + 1
    row.last_failure_at = now
    wait = policy.wait_after(row.failures)
    row.blocked_until = now + timedelta(seconds=wait) if wait else None
    db.session.flush()
    return wait


def clear(email: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email_hash == _key(email)))
