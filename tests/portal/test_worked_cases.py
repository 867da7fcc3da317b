"""Worked cases of shared/domain/imp-cases.md entered through the portal's services (not the rules API):
the case gets the expected outcome, and the same outcome as the rules engine on the same facts."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import rules
from portal.auth.services import register_employer
from portal.cases import services as cases
from portal.extensions import db
from portal.group.services import save_enterprise
from portal.people.services import add_employment, save_transferee
from portal.roles.services import save_position
from rules.params import load_text
from tests.helpers import POSTAL_CODES

CASES_DIR = Path(__file__).resolve().parents[1] / "rules" / "cases"
ENTERED = [
    "case01-us-civil-engineer",
    "case02-us-executive",
    "case03-mexican-marketing-manager",
    "case07-dual-national-accountant",
    "case08-us-green-card-manager",
    "case09-pgwp-holder",
    "case22-francophone-cook",
    "case29-unpaid-religious-worker",
]


def yes_no(value):
    return {True: "yes", False: "no"}.get(value, "")


def chosen_noc(title: str) -> str:
    """The unit group a user picks on the role form for a worked case that names none (case 17): the
    first suggestion of the NOC lookup for the title, its leading words dropped until one is found."""
    words = title.split()
    for start in range(len(words)):
        found = rules.noc.find(" ".join(words[start:]), limit=1)
        if found:
            return found[0].unit.code
    raise AssertionError(f"no NOC unit group found for {title!r}")


def flatten(facts: dict) -> dict:
    return {
        f"{section}.{name}": value
        for section, values in facts.items()
        for name, value in (values or {}).items()
    }


def enter(app, data: dict):
    """Type the case in as a user of the portal would, through the services, and answer what is left."""

    facts = data["facts"]
    on = date.fromisoformat(data["as_of"])
    employer, enterprise_facts = facts.get("employer", {}), facts.get("foreign_enterprise", {})
    position, worker = facts.get("position", {}), facts.get("worker", {})
    with app.test_request_context():
        user, org = register_employer(
            {
                "name": "Case Tester",
                "email": f"{data['name']}@example.com",
                "password": "long-enough-password",
                "legal_name": employer.get("name", "Invented Employer Inc."),
                "operating_name": None,
                "business_number": str(abs(hash(data["name"])) % 900000000 + 100000000),
                "street_address": "1 Invented Street",
                "city": position.get("city", "Ottawa"),
                "province": employer.get("province", "ON"),
                "postal_code": POSTAL_CODES[employer.get("province", "ON")],
                "telephone": "613-555-0100",
                "employees": employer.get("employees", 50),
                "gross_annual_revenue": 10_000_000,
            }
        )
        enterprise = None
        if enterprise_facts.get("name"):
            enterprise = save_enterprise(
                org,
                {
                    "name": enterprise_facts["name"],
                    "country": enterprise_facts["country"],
                    "relationship": enterprise_facts["relationship"],
                    "countries_of_operation": enterprise_facts.get("countries_of_operation", []),
                    "doing_business": yes_no(enterprise_facts.get("doing_business")),
                },
                actor=user,
            )
        role = save_position(
            org,
            {
                "title": position["title"],
                "noc_code": position.get("noc_code") or chosen_noc(position["title"]),
                "duties": None,
                "capacity": position.get("capacity"),
                "work_type": position.get("work_type"),
                "wage_amount": Decimal(str(position["wage_hourly_cad"]))
                if "wage_hourly_cad" in position
                else None,
                "wage_unit": "hour",
                "hours_per_week": position.get("hours_per_week"),
                "prevailing_wage_hourly": position.get("prevailing_wage_hourly_cad"),
                "street_address": None,
                "city": position.get("city"),
                "province": position.get("province"),
                "start_date": date.fromisoformat(position["start_date"])
                if "start_date" in position
                else None,
                "duration_months": position.get("duration_months"),
                "paid": yes_no(position.get("paid")),
            },
            actor=user,
        )
        french = [worker[k] for k in ("french_nclc_speaking", "french_nclc_listening") if k in worker]
        person = save_transferee(
            org,
            {
                "given_names": "Invented",
                "family_name": data["name"],
                "date_of_birth": date.fromisoformat(worker["date_of_birth"])
                if "date_of_birth" in worker
                else None,
                "citizenships": worker.get("citizenships", []),
                "permanent_residences": worker.get("permanent_residences", []),
                "residence_country": worker.get("residence_country"),
                "in_canada": yes_no(worker.get("in_canada")),
                "current_permit_type": worker.get("current_permit_type"),
                "current_permit_expiry": (
                    date.fromisoformat(worker["current_permit_expiry"])
                    if "current_permit_expiry" in worker
                    else None
                ),
                "education_level": worker.get("education_level"),
                "education_field": worker.get("education_field"),
                "profession": worker.get("profession"),
                "french_nclc": min(french) if french else None,
                "english_clb": worker.get("english_clb"),
                "ownership_pct": worker.get("ownership_pct"),
            },
            actor=user,
        )
        for job in worker.get("employment", []):
            add_employment(
                org,
                person,
                {
                    "foreign_enterprise_id": str(enterprise.id)
                    if job.get("with_foreign_enterprise") and enterprise
                    else "",
                    "employer_name": job.get("employer_name"),
                    "country": job.get("country"),
                    "capacity": job.get("capacity"),
                    "start_date": date.fromisoformat(job["start_date"]),
                    "end_date": date.fromisoformat(job["end_date"]) if job.get("end_date") else None,
                    "full_time": job.get("full_time", True),
                },
                actor=user,
                on=on,
            )
        case = cases.create_case(org, {"transferee_id": person.id, "position_id": role.id}, actor=user, on=on)
        # What the forms do not ask, the user answers on the case page.
        known = flatten(case.facts_snapshot)
        left = {p: v for p, v in flatten(facts).items() if p != "worker.employment" and known.get(p) != v}
        if left:
            answers = {
                p: cases.parse_answer(p, v if not isinstance(v, bool) else yes_no(v))
                if isinstance(v, (str, bool))
                else v
                for p, v in left.items()
            }
            cases.answer_questions(case, org, answers, actor=user, on=on)
        db.session.commit()
        return case.assessment_in("en"), case.facts_snapshot, on


@pytest.mark.parametrize("name", ENTERED)
def test_worked_case_entered_through_the_portal(app, name):
    data = load_text((CASES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    outcome, snapshot, on = enter(app, data)
    expect = data["expect"]
    assert outcome["route"] == expect["route"]
    assert outcome["recommended"] == expect["recommended"]
    assert sorted(outcome["codes_fit"]) == sorted(expect["codes_fit"])
    assert outcome["employer_step"]["kind"] == expect["employer_step"]
    assert outcome["where"]["place"] == expect["where"]
    # The same as the rules engine on the facts the portal stored.
    direct = rules.assess(rules.facts_from_dict(snapshot), as_of=on).to_dict("en")
    assert json.loads(json.dumps(direct)) == outcome
    # ...and on the worked case's own facts.
    reference = rules.assess(rules.facts_from_dict(data["facts"]), as_of=on).to_dict("en")
    for key in ("route", "recommended", "codes_fit", "employer_step"):
        assert outcome[key] == reference[key], key
    assert outcome["where"]["place"] == reference["where"]["place"]
