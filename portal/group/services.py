"""Group companies abroad. Services flush; the caller commits, and re-assesses the cases that use a
changed group company (``portal.cases.changes.facts_changed``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.group.forms import tristate
from portal.models import ForeignEnterprise, Organization, User
from portal.tenancy import scoped

FIELDS = ("name", "country", "relationship", "countries_of_operation")


def list_enterprises(org: Organization) -> list[ForeignEnterprise]:
    return list(db.session.scalars(scoped(select(ForeignEnterprise), org).order_by(ForeignEnterprise.name)))


def save_enterprise(
    org: Organization, data: dict[str, Any], *, actor: User, enterprise: ForeignEnterprise | None = None
) -> ForeignEnterprise:
    created = enterprise is None
    if enterprise is None:
        enterprise = ForeignEnterprise(organization_id=org.id)
        db.session.add(enterprise)
    for key in FIELDS:
        setattr(enterprise, key, data[key])
    enterprise.doing_business = tristate(data.get("doing_business"))
    db.session.flush()
    audit.record(
        "enterprise.created" if created else "enterprise.updated",
        actor=actor,
        organization=org,
        obj=enterprise,
        data={k: getattr(enterprise, k) for k in FIELDS},
    )
    return enterprise
