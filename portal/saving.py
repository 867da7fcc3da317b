"""Saving one organization's row from a form, new or existing: filled, flushed, and recorded in the
audit log with its action for a new row or for a change (the roles, people and group services). It
flushes; the caller commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from portal import audit
from portal.extensions import db
from portal.models import Organization, User

M = TypeVar("M")


def save_row(
    org: Organization,
    row: M | None,
    *,
    new: Callable[[], M],
    fill: Callable[[M], object],
    actions: tuple[str, str],
    actor: User,
    summary: Callable[[M], dict[str, Any]],
) -> M:
    """``row`` (or ``new()``, added to the session) filled by ``fill``, flushed, and its audit event:
    ``actions`` is (the action of a new row, of a change), ``summary(row)`` the event's data."""
    created = row is None
    if row is None:
        row = new()
        db.session.add(row)
    fill(row)
    db.session.flush()
    audit.record(
        actions[0] if created else actions[1],
        actor=actor,
        organization=org,
        obj=row,
        data=summary(row),
    )
    return row
