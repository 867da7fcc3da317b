"""Server-side sign-in sessions: a random id in the cookie, its SHA-256 in ``user_sessions``.

The user loader accepts a cookie only while its record exists, is not ended and is younger than
SESSION_MAX_AGE_DAYS (one indexed lookup per request, joined to the user); ``prune`` (beat task
``auth.prune_sessions``, daily) deletes the rows that can no longer sign anyone in. Services flush;
the caller commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app, session
from sqlalchemy import Select, bindparam, delete, or_, select, update
from sqlalchemy.orm import joinedload

from portal import tenancy
from portal.extensions import db, rows_changed
from portal.hashing import sha256_hex
from portal.models import Membership, User, UserSession
from portal.models._types import utcnow

SESSION_KEY = "sid"


def _digest(token: str) -> str:
    return sha256_hex(token)


def start(user: User, *, ip_address: str | None = None, user_agent: str | None = None) -> str:
    """Record a new session of ``user``; returns the random id to keep in the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_digest(token),
            ip_address=(ip_address or None) and ip_address[:45],
            user_agent=(user_agent or None) and user_agent[:200],
        )
    )
    db.session.flush()
    return token


@cache
def _live_session_user() -> Select[tuple[User, Membership]]:
    """The statement of ``user_for``, built once (building it was a tenth of a small page's time): the
    user of a live session, with its memberships and their organizations (outer-joined: a user may have
    none); the token's digest, the oldest start allowed and the user id are bound when it runs."""
    return (
        select(User, Membership)
        .join(UserSession, UserSession.user_id == User.id)
        .outerjoin(Membership, Membership.user_id == User.id)
        .where(
            UserSession.token_hash == bindparam("token_hash"),
            UserSession.ended_at.is_(None),
            UserSession.created_at > bindparam("oldest"),
            User.id == bindparam("uid"),
        )
        .options(joinedload(Membership.organization))
        .order_by(Membership.id)
    )


def user_for(user_id: str, token: str | None) -> User | None:
    """The user of a live session (the cookie's user id and session id must both match).

    The same statement reads the user's memberships with their organizations, which ``tenancy`` would
    otherwise read in a statement of its own on every page."""
    if not token or not isinstance(token, str):
        return None
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    oldest = utcnow() - timedelta(days=current_app.config["SESSION_MAX_AGE_DAYS"])
    rows = db.session.execute(
        _live_session_user(), {"token_hash": _digest(token), "oldest": oldest, "uid": uid}
    ).all()
    if not rows:
        return None
    user: User = rows[0][0]
    tenancy.prime_memberships(user, [m for _user, m in rows if m is not None])
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the cookie's user, only while its server-side session lives."""
    return user_for(user_id, session.get(SESSION_KEY))


def end(token: str | None) -> None:
    """End one session (sign-out)."""
    if token and isinstance(token, str):
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all(user_id: int) -> int:
    """End every live session of a user; returns how many were live."""
    return rows_changed(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def prune(*, now: datetime, max_age_days: int) -> int:
    """Delete the session rows that can no longer sign anyone in: ended ones and those older than
    ``max_age_days``. Returns how many were deleted."""
    return rows_changed(
        delete(UserSession).where(
            or_(
                UserSession.ended_at.is_not(None),
                UserSession.created_at <= now - timedelta(days=max_age_days),
            )
        )
    )
