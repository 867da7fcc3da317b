"""The one place where database rows become rules-engine facts (and answers go back to rows).

``facts_dict(case)`` builds the plain dict that ``rules.facts_from_dict`` validates. Facts the
portal keeps in columns come from the Organization, ForeignEnterprise, Position and Transferee;
any other fact the rules engine asks about is kept, once answered, in ``extra_facts`` of the
row that owns its section (position.* on the Position, worker.* on the Transferee) or in the
case's ``answers`` (employer.* and foreign_enterprise.* facts with no column).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import rules
from portal.models import Case, ForeignEnterprise, Organization, Position, Transferee

# fact path -> (section owner, attribute) for facts stored in columns.
POSITION_COLUMNS = {
    "position.title": "title",
    "position.noc_code": "noc_code",
    "position.duties": "duties",
    "position.capacity": "capacity",
    "position.work_type": "work_type",
    "position.hours_per_week": "hours_per_week",
    "position.prevailing_wage_hourly_cad": "prevailing_wage_hourly",
    "position.paid": "paid",
    "position.province": "province",
    "position.city": "city",
    "position.start_date": "start_date",
    "position.duration_months": "duration_months",
}
WORKER_COLUMNS = {
    "worker.citizenships": "citizenships",
    "worker.permanent_residences": "permanent_residences",
    "worker.residence_country": "residence_country",
    "worker.date_of_birth": "date_of_birth",
    "worker.in_canada": "in_canada",
    "worker.current_permit_type": "current_permit_type",
    "worker.current_permit_expiry": "current_permit_expiry",
    "worker.passport_expiry": "passport_expiry",
    "worker.education_level": "education_level",
    "worker.education_field": "education_field",
    "worker.profession": "profession",
    "worker.english_clb": "english_clb",
    "worker.ownership_pct": "ownership_pct",
}
ENTERPRISE_COLUMNS = {
    "foreign_enterprise.name": "name",
    "foreign_enterprise.country": "country",
    "foreign_enterprise.relationship": "relationship",
    "foreign_enterprise.countries_of_operation": "countries_of_operation",
    "foreign_enterprise.doing_business": "doing_business",
}
# One French level in the portal (the lower of speaking and listening) feeds both facts.
FRENCH_FACTS = ("worker.french_nclc_speaking", "worker.french_nclc_listening")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return list(value)
    return value


def _put(out: dict, path: str, value: Any) -> None:
    if value is None or value == [] or value == "":
        return
    section, _, name = path.partition(".")
    out.setdefault(section, {})[name] = _plain(value)


def _put_answer(out: dict, path: str, value: Any) -> None:
    """An answered fact; an explicit empty list ("none") counts unless a row already lists countries."""
    if value == []:
        section, _, name = path.partition(".")
        if name not in out.get(section, {}):
            out.setdefault(section, {})[name] = []
        return
    _put(out, path, value)


def enterprise_for(case: Case) -> ForeignEnterprise | None:
    """The group company the case relies on: chosen on the case, else the worker's latest one."""
    if case.foreign_enterprise is not None:
        return case.foreign_enterprise
    records = [r for r in case.transferee.employment if r.foreign_enterprise is not None]
    if not records:
        return None
    return max(records, key=lambda r: (r.end_date or date.max, r.start_date)).foreign_enterprise


def employer_facts(org: Organization, out: dict) -> None:
    _put(out, "employer.name", org.legal_name)
    _put(out, "employer.province", org.province)
    _put(out, "employer.employees", org.employees)
    _put(out, "employer.gross_revenue_cad", org.gross_annual_revenue)


def position_facts(position: Position, out: dict) -> None:
    for path, attr in POSITION_COLUMNS.items():
        _put(out, path, getattr(position, attr))
    _put(out, "position.wage_hourly_cad", position.wage_hourly)
    if position.start_date and position.duration_months:
        _put(out, "position.end_date", rules.add_months(position.start_date, int(position.duration_months)))
    for path, value in (position.extra_facts or {}).items():
        _put_answer(out, path, value)


def worker_facts(transferee: Transferee, enterprise: ForeignEnterprise | None, out: dict) -> None:
    for path, attr in WORKER_COLUMNS.items():
        _put(out, path, getattr(transferee, attr))
    for path in FRENCH_FACTS:
        _put(out, path, transferee.french_nclc)
    records = []
    for r in transferee.employment:
        rec = {
            "employer_name": r.foreign_enterprise.name if r.foreign_enterprise else r.employer_name,
            "country": r.foreign_enterprise.country if r.foreign_enterprise and not r.country else r.country,
            "start_date": r.start_date,
            "end_date": r.end_date,
            "full_time": r.full_time,
            "capacity": r.capacity,
            "with_foreign_enterprise": (
                r.foreign_enterprise_id is not None
                and (enterprise is None or r.foreign_enterprise_id == enterprise.id)
            ),
        }
        records.append({k: v for k, v in rec.items() if v is not None})
    if records:
        out.setdefault("worker", {})["employment"] = records
    for path, value in (transferee.extra_facts or {}).items():
        _put_answer(out, path, value)


def facts_dict(case: Case, org: Organization) -> dict:
    """Everything the portal knows about the case, as the rules engine's facts (plain dict)."""
    out: dict = {}
    employer_facts(org, out)
    enterprise = enterprise_for(case)
    if enterprise is not None:
        for path, attr in ENTERPRISE_COLUMNS.items():
            _put(out, path, getattr(enterprise, attr))
    position_facts(case.position, out)
    worker_facts(case.transferee, enterprise, out)
    for path, value in (case.answers or {}).items():
        _put_answer(out, path, value)
    return out


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else _plain(value)


def store_answer(case: Case, path: str, value: Any) -> None:
    """Keep an answered fact where it belongs, so every case sharing the row benefits."""
    section = path.partition(".")[0]
    if value == [] and section == "worker":  # "none": the column keeps [] for "not given"
        case.transferee.extra_facts = {**(case.transferee.extra_facts or {}), path: []}
    elif value == []:
        case.answers = {**(case.answers or {}), path: []}
    elif path in POSITION_COLUMNS:
        setattr(case.position, POSITION_COLUMNS[path], value)
    elif path == "position.wage_hourly_cad":
        case.position.wage_amount, case.position.wage_unit = value, "hour"
    elif section == "position":
        case.position.extra_facts = {**(case.position.extra_facts or {}), path: _json(value)}
    elif path in WORKER_COLUMNS:
        setattr(case.transferee, WORKER_COLUMNS[path], value)
    elif path in FRENCH_FACTS:
        current = case.transferee.french_nclc
        case.transferee.french_nclc = value if current is None else min(current, value)
    elif section == "worker":
        case.transferee.extra_facts = {**(case.transferee.extra_facts or {}), path: _json(value)}
    elif path in ENTERPRISE_COLUMNS and enterprise_for(case) is not None:
        setattr(enterprise_for(case), ENTERPRISE_COLUMNS[path], value)
    else:
        case.answers = {**(case.answers or {}), path: _json(value)}
