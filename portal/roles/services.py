"""Roles in Canada (positions). Services flush; the caller commits, and re-assesses the cases that use a
changed role (``portal.cases.changes.facts_changed``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.extensions import db
from portal.group.forms import tristate
from portal.models import Case, Organization, Position, User
from portal.models._types import utcnow
from portal.saving import save_row
from portal.tenancy import hold_row, scoped

FIELDS = (
    "title",
    "noc_code",
    "duties",
    "title_fr",
    "duties_fr",
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


def filed_cases(org: Organization, position: Position) -> list[Case]:
    """The cases of ``position`` whose offer of employment is filed (an offer number recorded), oldest
    first: the offer states the role's wage, hours, duties and place of work, which an edit here does not
    change."""
    query = scoped(select(Case), org).where(Case.position_id == position.id, Case.offer_number.is_not(None))
    return list(db.session.scalars(query.options(joinedload(Case.transferee)).order_by(Case.id)))


def save_position(
    org: Organization, data: dict[str, Any], *, actor: User, position: Position | None = None
) -> Position:

    def fill(row: Position) -> None:
        for key in FIELDS:
            value = data.get(key)
            setattr(row, key, value if value != "" else None)
        row.paid = tristate(data.get("paid"))

    return save_row(
        org,
        position,
        new=lambda: Position(organization_id=org.id, extra_facts={}),
        fill=fill,
        actions=("position.created", "position.updated"),
        actor=actor,
        summary=lambda row: {"title": row.title, "noc_code": row.noc_code},
    )


def set_archived(org: Organization, position: Position, archived: bool, *, actor: User) -> None:
    """Archive (or restore) a role; one already so is left as it is (a double click recorded it twice)."""
    hold_row(position)  # a second request at once waits for this one's commit, then finds it done
    if (position.archived_at is not None) == archived:
        return
    position.archived_at = utcnow() if archived else None
    audit.record(
        "position.archived" if archived else "position.restored", actor=actor, organization=org, obj=position
    )
