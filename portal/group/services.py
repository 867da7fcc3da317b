"""Group companies abroad. Services flush; the caller commits, and re-assesses the cases that use a
changed group company (``portal.cases.changes.facts_changed``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.group.forms import tristate
from portal.models import ForeignEnterprise, Organization, User
from portal.saving import save_row
from portal.tenancy import scoped

FIELDS = ("name", "country", "relationship", "countries_of_operation", "ownership_pct")


def list_enterprises(org: Organization) -> list[ForeignEnterprise]:
    return list(db.session.scalars(scoped(select(ForeignEnterprise), org).order_by(ForeignEnterprise.name)))


def save_enterprise(
    org: Organization, data: dict[str, Any], *, actor: User, enterprise: ForeignEnterprise | None = None
) -> ForeignEnterprise:

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
