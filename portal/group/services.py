"""Group companies abroad. Services flush; the caller commits, and re-assesses the cases that use a
changed group company (``portal.cases.changes.facts_changed``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from portal import labels
from portal.errors import ServiceError
from portal.extensions import db
from portal.group.forms import tristate
from portal.messages import N_
from portal.models import ForeignEnterprise, Organization, User
from portal.saving import save_row
from portal.tenancy import hold, scoped

FIELDS = ("name", "country", "relationship", "countries_of_operation", "ownership_pct")


class GroupError(ServiceError):
    """A group company the rules refuse."""


def list_enterprises(org: Organization) -> list[ForeignEnterprise]:
    return list(db.session.scalars(scoped(select(ForeignEnterprise), org).order_by(ForeignEnterprise.name)))


def save_enterprise(
    org: Organization, data: dict[str, Any], *, actor: User, enterprise: ForeignEnterprise | None = None
) -> ForeignEnterprise:
    check_not_recorded(org, data.get("name"), data.get("country"), enterprise=enterprise)

    def fill(row: ForeignEnterprise) -> None:
        for key in FIELDS:
            setattr(row, key, data.get(key))
        row.doing_business = tristate(data.get("doing_business"))

    return save_row(
        org,
        enterprise,
        new=lambda: ForeignEnterprise(organization_id=org.id),
        fill=fill,
        actions=("enterprise.created", "enterprise.updated"),
        actor=actor,
        summary=lambda row: {k: _plain(getattr(row, k)) for k in FIELDS},
    )


def _plain(value: Any) -> Any:
    """A column's value as the audit's JSON keeps it (a share is a Decimal)."""
    return str(value) if isinstance(value, Decimal) else value


def check_not_recorded(
    org: Organization, name: object, country: object, *, enterprise: ForeignEnterprise | None = None
) -> None:
    """Refuse a second group company of the same name (any case, spaces around ignored) in the same country:
    the lists of the transferee's jobs and the case page showed two identical entries (tour). ``enterprise``:
    the one being edited, which may keep its own name."""
    if not isinstance(name, str) or not name.strip() or not isinstance(country, str):
        return
    hold(org)  # a second request at once with the same name waits for this one's commit, then sees it
    # compared in Python: SQLite's lower() folds ASCII letters only ("SOCIÉTÉ" and "Société" differ there)
    query = scoped(select(ForeignEnterprise.name), org).where(ForeignEnterprise.country == country)
    if enterprise is not None and enterprise.id is not None:
        query = query.where(ForeignEnterprise.id != enterprise.id)
    wanted = name.strip().casefold()
    existing = next((n for n in db.session.scalars(query) if n.strip().casefold() == wanted), None)
    if existing is not None:
        raise GroupError(
            N_(
                "%(name)s (%(country)s) is already one of your group companies: edit that one instead.",
                name=existing,
                country=labels.country_name(country),
            ),
            "name",
        )
