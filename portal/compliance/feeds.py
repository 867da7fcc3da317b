"""Private calendar feed links: one or more per user and organization, listed and revocable.

A calendar app cannot sign in, so the link itself is the credential: a random token whose
SHA-256 is stored. It works only while it is not revoked and its user is still a member of the
organization. Services flush; the caller commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select

from portal import audit
from portal.errors import ServiceError
from portal.extensions import db
from portal.hashing import sha256_hex
from portal.messages import N_
from portal.models import CalendarFeed, Membership, Organization, Role, User
from portal.models._types import utcnow
from portal.tenancy import hold_row


class FeedError(ServiceError):
    """A feed link request the rules refuse."""


def _digest(token: str) -> str:
    return sha256_hex(token)


def create_feed(org: Organization, *, actor: User) -> tuple[CalendarFeed, str]:
    """A new feed link of ``actor`` for ``org``; returns the row and the token (shown once)."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(organization_id=org.id, user_id=actor.id, token_hash=_digest(token))
    db.session.add(feed)
    db.session.flush()
    audit.record("calendar_feed.created", actor=actor, organization=org, obj=feed)
    return feed, token


def feeds_of(org: Organization, *, user: User, everyone: bool = False) -> list[CalendarFeed]:
    """The live feed links of ``user`` (of every member when ``everyone``: for owners)."""
    query = select(CalendarFeed).where(
        CalendarFeed.organization_id == org.id, CalendarFeed.revoked_at.is_(None)
    )
    if not everyone:
        query = query.where(CalendarFeed.user_id == user.id)
    return list(db.session.scalars(query.order_by(CalendarFeed.id)))


def may_revoke(feed: CalendarFeed, *, actor: User, actor_role: Role | None) -> bool:
    """Its holder or an owner of the organization."""
    return feed.user_id == actor.id or actor_role == Role.OWNER


def revoke_feed(feed: CalendarFeed, *, actor: User, actor_role: Role | None) -> None:
    if not may_revoke(feed, actor=actor, actor_role=actor_role):
        raise FeedError(N_("Only its owner or an owner of the organization can revoke this link."))
    hold_row(feed)  # a second request at once waits for this one's commit, then finds it revoked
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        audit.record(
            "calendar_feed.revoked",
            actor=actor,
            organization_id=feed.organization_id,
            obj=feed,
            data={"user_id": feed.user_id},
        )


def feed_for_token(token: str, *, now: datetime) -> CalendarFeed | None:
    """The live feed of a link, or None (unknown, revoked, or its user no longer a member)."""
    if not token or len(token) > 200:
        return None
    feed = db.session.scalars(
        select(CalendarFeed)
        .join(
            Membership,
            (Membership.organization_id == CalendarFeed.organization_id)
            & (Membership.user_id == CalendarFeed.user_id),
        )
        .where(CalendarFeed.token_hash == _digest(token), CalendarFeed.revoked_at.is_(None))
    ).first()
    if feed is not None:
        feed.last_used_at = now
    return feed
