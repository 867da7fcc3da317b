"""The one place where database rows become rules-engine facts (and answers go back to rows).

``facts_dict(case, org)`` builds the plain dict that ``rules.facts_from_dict`` validates. Facts the
portal keeps in columns come from the Organization, ForeignEnterprise, Position and Transferee.
An answered question is stored where the fact lives, so it is asked once: ``OWNERS`` maps a fact
path's section to the row that owns it (employer.* on the Organization, foreign_enterprise.* on
the group company, position.* on the role, worker.* on the transferee), into that row's column
or, where it has none, its ``extra_facts``. Only ``CASE_FACTS`` (about this transfer alone) and
group-company facts of a case with no group company stay in the case's ``answers``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import rules
from portal.models import Case, ForeignEnterprise, Organization, Position, Transferee

# The rules engine's facts as plain data: section ("employer", "position", ...) -> field -> value.
Facts = dict[str, dict[str, Any]]

# fact section -> the row that owns its answers (see ``owner_of``).
OWNERS = {
    "employer": "organization",
    "foreign_enterprise": "enterprise",
    "position": "position",
    "worker": "transferee",
}
# Facts about this transfer only (not the worker in general): they stay on the case.
CASE_FACTS = frozenset({"worker.retains_position_abroad", "worker.position_abroad_letter"})

# fact path -> attribute, for facts stored in columns.
EMPLOYER_COLUMNS = {
    "employer.name": "legal_name",
    "employer.province": "province",
    "employer.employees": "employees",
    "employer.gross_revenue_cad": "gross_annual_revenue",
}
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


def _put(out: Facts, path: str, value: Any) -> None:
    if value is None or value == [] or value == "":
        return
    section, _, name = path.partition(".")
    out.setdefault(section, {})[name] = _plain(value)


def _put_answer(out: Facts, path: str, value: Any) -> None:
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


def employer_facts(org: Organization, out: Facts) -> None:
    for path, attr in EMPLOYER_COLUMNS.items():
        _put(out, path, getattr(org, attr))
    for path, value in (org.extra_facts or {}).items():
        _put_answer(out, path, value)


def enterprise_facts(enterprise: ForeignEnterprise, out: Facts) -> None:
    for path, attr in ENTERPRISE_COLUMNS.items():
        _put(out, path, getattr(enterprise, attr))
    for path, value in (enterprise.extra_facts or {}).items():
        _put_answer(out, path, value)


def position_facts(position: Position, out: Facts) -> None:
    for path, attr in POSITION_COLUMNS.items():
        _put(out, path, getattr(position, attr))
    _put(out, "position.wage_hourly_cad", position.wage_hourly)
    if position.start_date and position.duration_months:
        _put(out, "position.end_date", rules.add_months(position.start_date, int(position.duration_months)))
    for path, value in (position.extra_facts or {}).items():
        _put_answer(out, path, value)


def worker_facts(transferee: Transferee, enterprise: ForeignEnterprise | None, out: Facts) -> None:
    for path, attr in WORKER_COLUMNS.items():
        _put(out, path, getattr(transferee, attr))
    for path in FRENCH_FACTS:
        _put(out, path, transferee.french_nclc)
    records: list[dict[str, Any]] = []
    for r in transferee.employment:
        rec = {
            "employer_name": r.foreign_enterprise.name if r.foreign_enterprise else r.employer_name,
            "country": r.foreign_enterprise.country if r.foreign_enterprise and not r.country else r.country,
            "start_date": r.start_date,
            "end_date": r.end_date,
            "full_time": r.full_time,
            "hours_per_week": float(r.hours_per_week) if r.hours_per_week is not None else None,
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


def facts_dict(case: Case, org: Organization) -> Facts:
    """Everything the portal knows about the case, as the rules engine's facts (plain dict)."""
    out: Facts = {}
    employer_facts(org, out)
    enterprise = enterprise_for(case)
    if enterprise is not None:
        enterprise_facts(enterprise, out)
    position_facts(case.position, out)
    worker_facts(case.transferee, enterprise, out)
    for path, value in (case.answers or {}).items():
        _put_answer(out, path, value)
    return out


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else _plain(value)


def owner_of(case: Case, org: Organization, path: str) -> tuple[str, Any]:
    """The row an answer to ``path`` is stored on: ("organization", org), ("enterprise", ...),
    ("position", ...), ("transferee", ...) or ("case", case) for facts of this case alone."""
    kind = None if path in CASE_FACTS else OWNERS.get(path.partition(".")[0])
    if kind is None:
        return ("case", case)
    row = {
        "organization": org,
        "enterprise": enterprise_for(case),
        "position": case.position,
        "transferee": case.transferee,
    }.get(kind)
    return ("case", case) if row is None else (kind, row)


def _extra(row: Any, path: str, value: Any) -> None:
    row.extra_facts = {**(row.extra_facts or {}), path: _json(value)}


def store_answer(case: Case, org: Organization, path: str, value: Any) -> str:
    """Keep an answered fact on the row that owns it, so every case using that row sees it.

    Returns the owner's kind (see ``owner_of``) so the caller re-assesses the cases that use it.
    An explicit "none" (``[]``) goes to ``extra_facts``: an empty list column means "not given".
    """
    kind, row = owner_of(case, org, path)
    if kind == "case":
        case.answers = {**(case.answers or {}), path: _json(value)}
        return kind
    columns = {
        "organization": EMPLOYER_COLUMNS,
        "enterprise": ENTERPRISE_COLUMNS,
        "position": POSITION_COLUMNS,
        "transferee": WORKER_COLUMNS,
    }[kind]
    if value == []:
        _extra(row, path, value)
    elif path in columns:
        setattr(row, columns[path], value)
    elif path == "position.wage_hourly_cad":
        row.wage_amount, row.wage_unit = value, "hour"
    elif path in FRENCH_FACTS:
        current = row.french_nclc
        row.french_nclc = value if current is None else min(current, value)
    else:
        _extra(row, path, value)
    return kind


def _answer_rows(case: Case, org: Organization) -> list[tuple[str, Any]]:
    """The rows whose ``extra_facts`` hold answers a case uses, with their kind (``owner_of``)."""
    enterprise = enterprise_for(case)
    rows: list[tuple[str, Any]] = [
        ("organization", org),
        ("position", case.position),
        ("transferee", case.transferee),
    ]
    if enterprise is not None:
        rows.append(("enterprise", enterprise))
    return rows


def given_answers(case: Case, org: Organization) -> dict[str, Any]:
    """The answers the case uses that were given through its questions and have no form field of their
    own (they sit in an ``extra_facts`` or the case's ``answers``), as stored (JSON), in the registry's
    order. Facts kept in columns are changed on the role's, transferee's or group company's page."""
    found: dict[str, Any] = {}
    for _kind, row in _answer_rows(case, org):
        found.update(row.extra_facts or {})
    found.update(case.answers or {})  # applied last by ``facts_dict``: the value the case uses
    return {f.path: found[f.path] for f in rules.FIELDS if f.path in found}


def clear_answer(case: Case, org: Organization, path: str) -> str | None:
    """Forget an answer given to ``path`` (the fact is unknown again, so its question comes back): it is
    removed from the case's ``answers`` and the ``extra_facts`` of the rows the case uses. Returns the
    kind of the row it was removed from that other cases share (see ``owner_of``), else "case" or None."""
    cleared: str | None = None
    if path in (case.answers or {}):
        case.answers = {k: v for k, v in case.answers.items() if k != path}
        cleared = "case"
    for kind, row in _answer_rows(case, org):
        if path in (row.extra_facts or {}):
            row.extra_facts = {k: v for k, v in row.extra_facts.items() if k != path}
            cleared = kind
    return cleared
