"""The one way to write an AuditEvent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from portal.extensions import db
from portal.hashing import canonical_sha256
from portal.models import AuditEvent, Organization, User
from portal.models._types import utcnow


def state_hash(data: dict[str, Any]) -> str:
    return canonical_sha256(data)


def values(
    action: str,
    *,
    actor: User | None,
    organization: Organization | None = None,
    organization_id: int | None = None,
    obj: Any = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> dict[str, Any]:
    """The columns of one event (``record`` adds it to the session; ``record_many`` inserts many)."""
    return {
        "action": action,
        "actor_id": actor.id if actor is not None else None,
        # The organization, or only its id where the caller has no reason to load it (a worker).
        "organization_id": organization.id if organization is not None else organization_id,
        "object_type": type(obj).__name__ if obj is not None else None,
        "object_id": getattr(obj, "id", None),
        "data": data or {},
        "ip_address": ip_address,
        "state_hash": state_hash(data or {}),
    }


def record_many(events: list[dict[str, Any]]) -> None:
    """Insert many events (``values`` of each) in one executemany: an import's hundreds of events
    without the ORM's per-row bookkeeping and one huge multi-row statement. The caller commits."""
    if events:
        now = utcnow()
        db.session.execute(insert(AuditEvent), [{"created_at": now, **e} for e in events])


def record(
    action: str,
    *,
    actor: User | None,
    organization: Organization | None = None,
    organization_id: int | None = None,
    obj: Any = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    event = AuditEvent(
        **values(
            action,
            actor=actor,
            organization=organization,
            organization_id=organization_id,
            obj=obj,
            data=data,
            ip_address=ip_address,
        )
    )
    db.session.add(event)
    return event
