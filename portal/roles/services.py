"""Roles in Canada (positions). Services flush; the caller commits, and re-assesses the cases that use a
changed role (``portal.cases.changes.facts_changed``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.group.forms import tristate
from portal.models import Organization, Position, User
from portal.models._types import utcnow
from portal.tenancy import scoped

FIELDS = (
    "title",
    "noc_code",
    "duties",
    "capacity",
    "work_type",
    "wage_amount",
    "wage_unit",
    "hours_per_week",
    "prevailing_wage_hourly",
    "street_address",
    "city",
    "province",
    "start_date",
    "duration_months",
)


def list_positions(org: Organization, *, archived: bool = False) -> list[Position]:
    query = scoped(select(Position), org)
    query = query.where(Position.archived_at.is_not(None) if archived else Position.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Position.title)))


def save_position(
    org: Organization, data: dict[str, Any], *, actor: User, position: Position | None = None
) -> Position:
    created = position is None
    if position is None:
        position = Position(organization_id=org.id, extra_facts={})
        db.session.add(position)
    for key in FIELDS:
        value = data.get(key)
        setattr(position, key, value if value != "" else None)
    position.paid = tristate(data.get("paid"))
    db.session.flush()
    audit.record(
        "position.created" if created else "position.updated",
        actor=actor,
        organization=org,
        obj=position,
        data={"title": position.title, "noc_code": position.noc_code},
    )
    return position


def set_archived(org: Organization, position: Position, archived: bool, *, actor: User) -> None:
    position.archived_at = utcnow() if archived else None
    audit.record(
        "position.archived" if archived else "position.restored", actor=actor, organization=org, obj=position
    )
