"""The one way to write an AuditEvent."""

from __future__ import annotations

from typing import Any, TypedDict, Unpack

from sqlalchemy import select

from portal import bulk
from portal.extensions import db
from portal.hashing import canonical_sha256
from portal.models import AuditEvent, Organization, User
from portal.models._types import utcnow


def state_hash(data: dict[str, Any]) -> str:
    return canonical_sha256(data)


class EventFields(TypedDict, total=False):
    """What an event may name besides its action and actor (``values`` and ``record`` take the same)."""

    organization: Organization | None
    organization_id: int | None  # only the id, where the caller has no reason to load it (a worker)
    obj: Any
    data: dict[str, Any] | None
    ip_address: str | None


def values(action: str, *, actor: User | None, **fields: Unpack[EventFields]) -> dict[str, Any]:
    """The columns of one event (``record`` adds it to the session; ``record_many`` inserts many)."""
    organization, obj, data = fields.get("organization"), fields.get("obj"), fields.get("data") or {}
    return {
        "action": action,
        "actor_id": actor.id if actor is not None else None,
        "organization_id": organization.id if organization is not None else fields.get("organization_id"),
        "object_type": type(obj).__name__ if obj is not None else None,
        "object_id": getattr(obj, "id", None),
        "data": data,
        "ip_address": fields.get("ip_address"),
        "state_hash": state_hash(data),
    }


def latest(action: str, *, obj: Any = None, organization_id: int | None = None) -> AuditEvent | None:
    """The last event ``action`` recorded about ``obj`` (its type and id, as ``record`` names them) and/or
    in the organization ``organization_id``; None when there is none."""
    query = select(AuditEvent).where(AuditEvent.action == action)
    if obj is not None:
        # __class__, not type(): a proxy (Flask-Login's current_user) answers with the class it stands for
        query = query.where(AuditEvent.object_type == obj.__class__.__name__, AuditEvent.object_id == obj.id)
    if organization_id is not None:
        query = query.where(AuditEvent.organization_id == organization_id)
    return db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(1)).first()


def record_many(events: list[dict[str, Any]]) -> None:
    """Insert many events (``values`` of each) in one executemany: an import's hundreds of events
    without the ORM's per-row bookkeeping and one huge multi-row statement. The caller commits."""
    if events:
        now = utcnow()
        bulk.insert_many(AuditEvent, [{"created_at": now, **e} for e in events])


def record(action: str, *, actor: User | None, **fields: Unpack[EventFields]) -> AuditEvent:
    """Add one event to the session (the caller commits)."""
    event = AuditEvent(**values(action, actor=actor, **fields))
    db.session.add(event)
    return event


def add_and_record(
    row: Any, action: str, *, actor: User | None, organization: Organization, data: dict[str, Any]
) -> AuditEvent:
    """Add a new ``row`` to the session, flush it (the event names its id) and record ``action`` about
    it (the caller commits)."""
    db.session.add(row)
    db.session.flush()
    return record(action, actor=actor, organization=organization, obj=row, data=data)
