"""The one way to write an AuditEvent."""

from __future__ import annotations

from typing import Any

from portal.extensions import db
from portal.hashing import canonical_sha256
from portal.models import AuditEvent, Organization, User


def state_hash(data: dict[str, Any]) -> str:
    return canonical_sha256(data)


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
        action=action,
        actor_id=actor.id if actor is not None else None,
        # The organization, or only its id where the caller has no reason to load it (a worker).
        organization_id=organization.id if organization is not None else organization_id,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        data=data or {},
        ip_address=ip_address,
        state_hash=state_hash(data or {}),
    )
    db.session.add(event)
    return event
