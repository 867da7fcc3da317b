"""The current organization, and the one helper every tenant query goes through.

The current organization lives in the session (``org_id``) and is re-checked against the
user's memberships on every request, so a removed member loses access at once. Objects of
another organization answer 404, exactly like objects that do not exist.
"""
from __future__ import annotations

from functools import wraps
from typing import TypeVar

from flask import abort, g, session
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import Membership, Organization, Role

T = TypeVar("T")

SESSION_KEY = "org_id"


def current_membership() -> Membership | None:
    if "membership" in g:
        return g.membership
    membership = None
    if current_user.is_authenticated:
        memberships = db.session.scalars(
            select(Membership).where(Membership.user_id == current_user.id).order_by(Membership.id)
        ).all()
        wanted = session.get(SESSION_KEY)
        membership = next((m for m in memberships if m.organization_id == wanted), None)
        if membership is None and memberships:
            membership = memberships[0]
            session[SESSION_KEY] = membership.organization_id
    g.membership = membership
    return membership


def current_org() -> Organization | None:
    membership = current_membership()
    return membership.organization if membership else None


def require_org() -> Organization:
    org = current_org()
    if org is None:
        abort(404)
    return org


def is_owner() -> bool:
    membership = current_membership()
    return membership is not None and membership.role == Role.OWNER


def tenant_select(model: type[T]):
    """``select(model)`` restricted to the current organization."""
    org = require_org()
    return select(model).where(model.organization_id == org.id)


def scoped(query, org: Organization):
    """Restrict a ``select()`` of one tenant model to ``org`` (for services, which get ``org`` passed in)."""
    model = query.column_descriptions[0]["entity"]
    return query.where(model.organization_id == org.id)


def get_or_404(model: type[T], object_id: int) -> T:
    obj = db.session.scalars(tenant_select(model).where(model.id == object_id)).first()
    if obj is None:
        abort(404)
    return obj


def org_required(view):
    """The user must belong to an organization (a consultant without one gets 404)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        require_org()
        return view(*args, **kwargs)

    return wrapped


def owner_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        require_org()
        if not is_owner():
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def switch_to(org_id: int) -> Organization:
    membership = db.session.scalars(
        select(Membership).where(Membership.user_id == current_user.id, Membership.organization_id == org_id)
    ).first()
    if membership is None:
        abort(404)
    session[SESSION_KEY] = org_id
    g.pop("membership", None)
    return membership.organization
