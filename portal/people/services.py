"""Transferees and their employment abroad. Services flush; the caller commits."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from portal import audit
from portal.cases.services import reassess_related
from portal.errors import ServiceError
from portal.extensions import db
from portal.group.forms import tristate
from portal.models import EmploymentRecord, ForeignEnterprise, Organization, Transferee, User
from portal.tenancy import scoped

FIELDS = (
    "given_names",
    "family_name",
    "date_of_birth",
    "citizenships",
    "permanent_residences",
    "residence_country",
    "current_permit_type",
    "current_permit_expiry",
    "passport_number",
    "passport_country",
    "passport_expiry",
    "education_level",
    "education_field",
    "profession",
    "french_nclc",
    "english_clb",
    "language_proof",
    "ownership_pct",
)


class PeopleError(ServiceError):
    """A transferee or employment record the rules refuse."""


def list_transferees(org: Organization, q: str | None = None) -> list[Transferee]:
    query = scoped(select(Transferee), org)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Transferee.given_names).like(like),
                func.lower(Transferee.family_name).like(like),
                func.lower(func.coalesce(Transferee.passport_number, "")).like(like),
                func.lower(func.coalesce(Transferee.profession, "")).like(like),
            )
        )
    return list(db.session.scalars(query.order_by(Transferee.family_name, Transferee.given_names)))


def find_same_person(
    org: Organization, given_names: str, family_name: str, date_of_birth: date | None
) -> Transferee | None:
    """The organization's transferee with these names (case and spaces aside) and date of birth."""
    query = scoped(select(Transferee), org).where(
        func.lower(func.trim(Transferee.given_names)) == " ".join((given_names or "").split()).lower(),
        func.lower(func.trim(Transferee.family_name)) == " ".join((family_name or "").split()).lower(),
        Transferee.date_of_birth.is_(None)
        if date_of_birth is None
        else Transferee.date_of_birth == date_of_birth,
    )
    return db.session.scalars(query.order_by(Transferee.id)).first()


def save_transferee(
    org: Organization, data: dict, *, actor: User, transferee: Transferee | None = None
) -> Transferee:
    created = transferee is None
    if created:
        transferee = Transferee(organization_id=org.id, extra_facts={})
        db.session.add(transferee)
    for key in FIELDS:
        value = data.get(key)
        setattr(transferee, key, value if value != "" else None)
    transferee.citizenships = list(data.get("citizenships") or [])
    transferee.permanent_residences = list(data.get("permanent_residences") or [])
    transferee.in_canada = tristate(data.get("in_canada"))
    db.session.flush()
    audit.record(
        "transferee.created" if created else "transferee.updated",
        actor=actor,
        organization=org,
        obj=transferee,
        data={"name": transferee.full_name},
    )

    reassess_related(org, transferee=transferee)
    return transferee


def add_employment(org: Organization, transferee: Transferee, data: dict, *, actor: User) -> EmploymentRecord:
    enterprise = None
    if data.get("foreign_enterprise_id"):
        enterprise = db.session.scalars(
            scoped(select(ForeignEnterprise), org).where(
                ForeignEnterprise.id == int(data["foreign_enterprise_id"])
            )
        ).first()
        if enterprise is None:
            raise PeopleError(_("Choose one of your group companies."), "foreign_enterprise_id")
    record = EmploymentRecord(
        transferee=transferee,
        foreign_enterprise_id=enterprise.id if enterprise else None,
        employer_name=data.get("employer_name") or None,
        country=data.get("country") or (enterprise.country if enterprise else None),
        job_title=data.get("job_title") or None,
        capacity=data.get("capacity") or None,
        start_date=data["start_date"],
        end_date=data.get("end_date"),
        full_time=bool(data.get("full_time")),
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        "employment.added", actor=actor, organization=org, obj=transferee, data={"record_id": record.id}
    )

    reassess_related(org, transferee=transferee)
    return record


def remove_employment(org: Organization, transferee: Transferee, record_id: int, *, actor: User) -> None:
    record = next((r for r in transferee.employment if r.id == record_id), None)
    if record is None:
        raise LookupError(record_id)
    transferee.employment.remove(record)
    db.session.flush()
    audit.record(
        "employment.removed", actor=actor, organization=org, obj=transferee, data={"record_id": record_id}
    )

    reassess_related(org, transferee=transferee)
