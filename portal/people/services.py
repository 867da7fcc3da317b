"""Transferees and their employment abroad. Services flush; the caller commits, and re-assesses the
cases of a changed transferee (``portal.cases.changes.facts_changed``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, any_, bindparam, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY

from portal import audit, bulk
from portal.errors import ServiceError
from portal.extensions import db
from portal.group.forms import tristate, tristate_value
from portal.messages import N_
from portal.models import EmploymentRecord, ForeignEnterprise, Organization, Transferee, User
from portal.models._types import utcnow
from portal.saving import save_row
from portal.tenancy import hold_if_there, scoped
from rules.params import is_full_time

FIELDS = (
    "given_names",
    "family_name",
    "form_of_address",
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


# The worker as the spouse or common-law partner of a foreign worker: form field -> the rules' fact, kept in
# the transferee's extra_facts (where an answer to the case page's question on it goes too:
# portal.cases.facts.store_answer), so the form and the questions read and write one value.
SPOUSE_FACTS = {
    "principal_permit_code": "worker.principal_permit_code",
    "principal_country": "worker.principal_country",
    "principal_noc_code": "worker.principal_noc_code",
    "principal_permit_expiry": "worker.principal_permit_expiry",
    "principal_pr_track": "worker.principal_pr_track",
}


def spouse_form_data(transferee: Transferee | None) -> dict[str, Any]:
    """The spouse facts of a transferee as the form shows them (a date as a date, yes/no as the tristate)."""
    extra = (transferee.extra_facts or {}) if transferee is not None else {}
    data: dict[str, Any] = {}
    for name, path in SPOUSE_FACTS.items():
        value = extra.get(path)
        if name == "principal_permit_expiry":
            value = date.fromisoformat(value) if isinstance(value, str) and value else None
        elif name == "principal_pr_track":
            value = tristate_value(value)
        data[name] = value
    return data


def _apply_spouse_facts(transferee: Transferee, data: dict[str, Any]) -> None:
    """The form's spouse facts into ``extra_facts`` (an emptied field removes the fact)."""
    transferee.extra_facts = _with_spouse_facts(transferee.extra_facts, data)


def _with_spouse_facts(extra_facts: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
    """``extra_facts`` with the spouse facts ``data`` gives (the form's, or an import row's) written in."""
    extra = dict(extra_facts or {})
    for name, path in SPOUSE_FACTS.items():
        if name not in data:
            continue
        value = data[name]
        if name == "principal_pr_track":
            value = tristate(value)
        if value is None or value == "":
            extra.pop(path, None)
        else:
            extra[path] = value.isoformat() if isinstance(value, date) else value
    return extra


class PeopleError(ServiceError):
    """A transferee or employment record the rules refuse."""


def list_transferees(org: Organization, q: str | None = None) -> list[Transferee]:
    query = scoped(select(Transferee), org)
    if q:
        # what was typed is text: "%" and "_" match themselves, not any characters (autoescape)
        needle = q.lower()
        query = query.where(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (
                        Transferee.given_names,
                        Transferee.family_name,
                        func.coalesce(Transferee.passport_number, ""),
                        func.coalesce(Transferee.profession, ""),
                    )
                )
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


def same_person_key(
    given_names: str, family_name: str, date_of_birth: date | None
) -> tuple[str, str, date | None]:
    """What makes two people the same one: the names (case and spaces aside) and the date of birth."""
    return (
        " ".join((given_names or "").split()).lower(),
        " ".join((family_name or "").split()).lower(),
        date_of_birth,
    )


def find_same_people(
    org: Organization, people: list[tuple[str, str, date | None]]
) -> dict[tuple[str, str, date | None], Transferee]:
    """``find_same_person`` for many people in one query: each (given names, family name, date of
    birth) found, by its key (``same_person_key``), the earliest transferee first."""
    wanted = {same_person_key(*p) for p in people}
    if not wanted:
        return {}
    names, family = sorted({k[1] for k in wanted}), func.lower(func.trim(Transferee.family_name))
    if db.session.get_bind().dialect.name == "postgresql":  # one array parameter, not a placeholder a name
        matches = family == any_(bindparam("names", names, type_=ARRAY(String)))
    else:
        matches = family.in_(names)
    query = scoped(select(Transferee), org).where(matches)
    found: dict[tuple[str, str, date | None], Transferee] = {}
    for person in db.session.scalars(query.order_by(Transferee.id)):
        # The same comparison as find_same_person's SQL: the stored names trimmed and lowered.
        key = (
            person.given_names.strip(" ").lower(),
            person.family_name.strip(" ").lower(),
            person.date_of_birth,
        )
        if key in wanted:
            found.setdefault(key, person)
    return found


def save_transferee(
    org: Organization,
    data: dict[str, Any],
    *,
    actor: User,
    transferee: Transferee | None = None,
    jobs: list[dict[str, Any]] | None = None,
    on: date | None = None,
) -> Transferee:
    """Create or update a transferee and, when ``jobs`` is given, its employment history in the same
    transaction: each job dict is a row of the form (``record_id`` None = a new job, ``remove`` = drop
    that record, ``row`` = its row number for errors). A refused row raises PeopleError naming
    ``jobs-<row>-<field>`` before anything is committed (the caller rolls back). ``on``, the day, is
    needed with ``jobs`` (the hours decide full time by the rule in force that day)."""
    if jobs and on is None:
        raise ValueError("Saving jobs needs the day (on=): the hours decide full time by its rule.")
    saved = save_row(
        org,
        transferee,
        new=lambda: Transferee(organization_id=org.id, extra_facts={}),
        fill=lambda row: _apply(row, data),
        actions=("transferee.created", "transferee.updated"),
        actor=actor,
        summary=lambda row: {"name": row.full_name},
    )
    if on is not None:  # (jobs without the day were refused above)
        for job in jobs or ():
            save_job(org, saved, job, actor=actor, on=on)
    return saved


def _apply(transferee: Transferee, data: dict[str, Any]) -> None:
    """The form's values on the row."""
    for key, value in _person_values(data).items():
        setattr(transferee, key, value)
    _apply_spouse_facts(transferee, data)


def _person_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {key: (value if (value := data.get(key)) != "" else None) for key in FIELDS}
    values["citizenships"] = list(data.get("citizenships") or [])
    values["permanent_residences"] = list(data.get("permanent_residences") or [])
    values["in_canada"] = tristate(data.get("in_canada"))
    return values


# What makes two jobs abroad of one person the same job: the company (a group company's own name, else the
# employer's name typed; case and runs of spaces aside) and the start date. One rule for every path: the
# person's form and page refuse such a job a second time (JOB_TWICE), the import skips it or, when told to
# update the people, updates the recorded job with the file's values (end date, title, hours, duties...).
# The form refused the same company, title, start and end dates while the import skipped the same employer's
# name and start date: a job the form refused (typed by name, recorded at the group company) was added by
# the import, and one the import took for the recorded job (another end date) was added by the form.
JobKey = tuple[str, date]


def job_key(employer: str | None, start: date) -> JobKey:
    """The key of a job at ``employer`` (the group company's name when the job is at one) from ``start``."""
    return _folded(employer), start


def record_key(record: EmploymentRecord) -> JobKey:
    """The key of a recorded job (``job_key``): its group company's name, else its employer's name."""
    employer = record.foreign_enterprise.name if record.foreign_enterprise else record.employer_name
    return job_key(employer, record.start_date)


def recorded_job(transferee: Transferee, key: JobKey) -> EmploymentRecord | None:
    """The person's recorded job that has this key (``job_key``), if any: the same job."""
    return next((r for r in transferee.employment if r.id is not None and record_key(r) == key), None)


JOB_TWICE = N_(
    "This job is already in the employment history (same employer and start date): it is not added a "
    "second time. Change the recorded job if something about it differs."
)


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _refuse_job_twice(
    transferee: Transferee, job: dict[str, Any], enterprise: ForeignEnterprise | None, field: str | None
) -> None:
    """A new job that is one of the person's recorded jobs again (``job_key``) is refused (a double click,
    the form sent again, a job typed by name that is recorded at the group company): no second row."""
    employer = enterprise.name if enterprise is not None else job.get("employer_name")
    if recorded_job(transferee, job_key(employer, job["start_date"])) is not None:
        raise PeopleError(JOB_TWICE, field)


def add_new_transferees(
    org: Organization, people: list[tuple[dict[str, Any], list[dict[str, Any]]]], *, actor: User, on: date
) -> int:
    """Many new transferees at once, each with its jobs (an import): the same rows and audit events as
    ``save_transferee`` then ``add_employment`` one by one, in a few statements without the ORM (a new
    person is in no case: nothing to re-assess). Returns the number of jobs added (a job listed twice
    for a person is added once). The caller commits."""
    now = utcnow()
    enterprises: dict[int, ForeignEnterprise] | None = None
    rows = [
        {
            **_person_values(data),
            "organization_id": org.id,
            "extra_facts": _with_spouse_facts({}, data),  # an import's spouse columns, as the form saves them
            "created_at": now,
            "updated_at": now,
        }
        for data, _jobs in people
    ]
    events = []
    records: list[dict[str, Any]] = []
    for person_id, row, (_data, jobs) in zip(bulk.insert_rows(Transferee, rows), rows, people, strict=True):
        name = f"{row['given_names']} {row['family_name']}".strip()
        events.append(_event("transferee.created", actor, org, "Transferee", person_id, {"name": name}))
        kept: set[JobKey] = set()
        for job in jobs:
            key = job_key(job.get("employer_name"), job["start_date"])
            if key in kept:
                continue
            kept.add(key)
            enterprise = None
            if job.get("foreign_enterprise_id"):
                if enterprises is None:  # the organization's group companies, read once
                    enterprises = {
                        e.id: e for e in db.session.scalars(scoped(select(ForeignEnterprise), org))
                    }
                enterprise = enterprises.get(int(job["foreign_enterprise_id"]))
                if enterprise is None:
                    raise PeopleError(N_("Choose one of your group companies."), "foreign_enterprise_id")
            records.append({"transferee_id": person_id, **_job_values(job, enterprise, on)})
    for record_id, record in zip(bulk.insert_rows(EmploymentRecord, records), records, strict=True):
        events.append(
            _event(
                "employment.added",
                actor,
                org,
                "Transferee",
                record["transferee_id"],
                {"record_id": record_id},
            )
        )
    audit.record_many(events)
    return len(records)


def _event(
    action: str, actor: User, org: Organization, object_type: str, object_id: int, data: dict[str, Any]
) -> dict[str, Any]:
    """``audit.values`` of an event about a row inserted without the ORM (its type and id given)."""
    return {
        **audit.values(action, actor=actor, organization=org, data=data),
        "object_type": object_type,
        "object_id": object_id,
    }


def _enterprise(org: Organization, data: dict[str, Any], field: str) -> ForeignEnterprise | None:
    if not data.get("foreign_enterprise_id"):
        return None
    enterprise = db.session.scalars(
        scoped(select(ForeignEnterprise), org).where(
            ForeignEnterprise.id == int(data["foreign_enterprise_id"])
        )
    ).first()
    if enterprise is None:
        raise PeopleError(N_("Choose one of your group companies."), field)
    return enterprise


def _fill(
    record: EmploymentRecord, data: dict[str, Any], enterprise: ForeignEnterprise | None, on: date
) -> None:
    """A job's values on its record."""
    for key, value in _job_values(data, enterprise, on).items():
        setattr(record, key, value)


def _job_values(data: dict[str, Any], enterprise: ForeignEnterprise | None, on: date) -> dict[str, Any]:
    """A job's columns. With the hours a week given, they decide full time (the rules' threshold in
    force on ``on``, IRPR R73(1)); else the full-time box does."""
    hours = data.get("hours_per_week")
    return {
        "foreign_enterprise_id": enterprise.id if enterprise else None,
        "employer_name": data.get("employer_name") or None,
        "country": data.get("country") or (enterprise.country if enterprise else None),
        "job_title": data.get("job_title") or None,
        "capacity": data.get("capacity") or None,
        "start_date": data["start_date"],
        "end_date": data.get("end_date"),
        "hours_per_week": hours,
        "full_time": full_time_of(hours, data.get("full_time"), on),
        "duties": data.get("duties") or None,
        "duties_fr": data.get("duties_fr") or None,
    }


def full_time_of(hours: object, ticked: object, on: date) -> bool:
    """Full time from the hours a week when given (the rules' threshold in force on ``on``, the day the
    job is saved: ``rules.params.is_full_time``), else from the full-time box."""
    return bool(is_full_time(hours, bool(ticked), on))


def save_job(
    org: Organization, transferee: Transferee, job: dict[str, Any], *, actor: User, on: date
) -> None:
    """Add, update (``record_id``) or remove (``remove``) one job of the person's history; audited,
    nothing written when it comes back unchanged."""
    prefix = f"jobs-{job.get('row', 0)}-"
    record = None
    if job.get("record_id") is not None:
        record = next((r for r in transferee.employment if r.id == job["record_id"]), None)
        if record is None:  # not one of this person's jobs (a tampered row)
            raise PeopleError(
                N_("This job is not in the person's history any more."), prefix + "employer_name"
            )
    if job.get("remove"):
        if record is not None:
            transferee.employment.remove(record)
            _job_recorded("employment.removed", org, transferee, record, actor=actor)
        return
    enterprise = _enterprise(org, job, prefix + "foreign_enterprise_id")
    action = "employment.updated" if record is not None else "employment.added"
    if record is None:
        _refuse_job_twice(transferee, job, enterprise, prefix + "start_date")
        record = EmploymentRecord(transferee=transferee)
        db.session.add(record)
    _fill(record, job, enterprise, on)
    if action == "employment.updated" and not db.session.is_modified(record):
        return  # the row came back unchanged
    _job_recorded(action, org, transferee, record, actor=actor)


def _job_recorded(
    action: str, org: Organization, transferee: Transferee, record: EmploymentRecord, *, actor: User
) -> None:
    """Flush a change to one job of the person's history (a new job gets its id) and audit it
    (``employment.added``, ``.updated`` or ``.removed``) on the person, naming the job."""
    db.session.flush()
    audit.record(action, actor=actor, organization=org, obj=transferee, data={"record_id": record.id})


def add_employment(
    org: Organization, transferee: Transferee, data: dict[str, Any], *, actor: User, on: date
) -> EmploymentRecord:
    enterprise = _enterprise(org, data, "foreign_enterprise_id")
    _refuse_job_twice(transferee, data, enterprise, None)
    record = EmploymentRecord(transferee=transferee)
    _fill(record, data, enterprise, on)
    db.session.add(record)
    _job_recorded("employment.added", org, transferee, record, actor=actor)
    return record


def remove_employment(org: Organization, transferee: Transferee, record_id: int, *, actor: User) -> None:
    record = next((r for r in transferee.employment if r.id == record_id), None)
    # a second request at once waits for the first's commit and finds it gone
    if record is None or not hold_if_there(EmploymentRecord, record_id):
        raise LookupError(record_id)
    transferee.employment.remove(record)
    _job_recorded("employment.removed", org, transferee, record, actor=actor)
