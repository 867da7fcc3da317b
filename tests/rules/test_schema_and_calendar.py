"""JSON Schema, facts_from_dict errors, NOC lookup, dated parameters and the compliance calendar."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

import rules
from rules.facts_schema import build_schema
from rules.params import code_table, value_at

from .conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "rules" / "schema" / "facts.v1.json"


def test_published_schema_matches_the_field_registry():
    assert json.loads(SCHEMA_FILE.read_text()) == json.loads(json.dumps(build_schema()))


def test_worked_cases_and_examples_validate_against_the_schema():
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    for case in load_cases():
        v.validate(json.loads(json.dumps(case["facts"])))
    for p in (ROOT / "examples" / "cases").glob("*.json"):
        v.validate(json.loads(p.read_text()))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"position": {"noc_code": "99999"}}, "position.noc_code: '99999' is not a NOC 2021 unit group"),
        ({"worker": {"citizenships": ["XX"]}}, "worker.citizenships[0]"),
        ({"worker": {"date_of_birth": "1990-02-30"}}, "worker.date_of_birth"),
        ({"employer": {"employees": -1}}, "employer.employees: must be >= 0"),
        ({"employer": {"size": 3}}, "employer.size: unknown field"),
        ({"position": {"work_type": "gig"}}, "position.work_type"),
        ([], "facts"),
    ],
)
def test_facts_from_dict_names_the_bad_field(data, message):
    with pytest.raises(rules.FactsError) as e:
        rules.facts_from_dict(data)
    assert message in str(e.value)


def test_noc_lookup_search_and_concordance():
    assert rules.noc_lookup("21300").teer == 1
    assert rules.noc_lookup("88888").teer == 0
    assert rules.noc_lookup("99999") is None
    assert [u.code for u in rules.noc_search("civil eng")][:1] == ["21300"]
    assert rules.noc_search("2130")[0].code == "21300"
    assert [u.code for u in rules.noc2016_to_2021("2131")] == ["21300"]


def test_dated_values_and_code_tables():
    assert value_at("employer_compliance_fee", date(2026, 11, 24)) == 230
    assert (
        value_at("c16_min_nclc", date(2023, 6, 14)) == 7 and value_at("c16_min_nclc", date(2023, 6, 15)) == 5
    )
    assert value_at("iec_participation_fee", date(2025, 12, 1)) == 184.75
    old = {e for _, e in code_table(date(2022, 12, 14))}
    new = {e for _, e in code_table(date(2022, 12, 15))}
    assert {"C12", "T23", "T24"} <= old and not ({"C61", "C62", "C63", "T36"} & old)
    assert {"C61", "C62", "C63", "T36", "C51", "C26"} <= new and "C12" not in new


def test_compliance_calendar():
    cal = rules.compliance_calendar("C61", date(2027, 1, 4), date(2028, 1, 3))
    assert cal["records_keep_until"] == "2033-01-04" and cal["inspection_window_end"] == "2033-01-04"
    assert cal["c61_switch_date"] == "2028-01-04"
    assert cal["renewal_offer_due"] == "2027-11-04"
    t37 = rules.compliance_calendar(
        "T37", date(2027, 1, 4), date(2030, 1, 3), ict_first_entry=date(2025, 1, 6), ict_recaptured_days=40
    )
    assert t37["ict_cap_end"] == "2032-02-15" and t37["c61_switch_date"] is None
    assert rules.compliance_calendar("T36", date(2027, 2, 1))["ict_cap_end"] is None
    assert rules.compliance_calendar(None, date(2027, 2, 1))["records_keep_until"] is None


def test_regime_exempt_employer_has_no_offer_and_no_fee():
    case = next(c for c in load_cases() if c["name"] == "case26-employee-exchange")
    data = json.loads(json.dumps(case["facts"]))
    data["employer"]["kind"] = "diplomatic_mission"
    a = rules.assess(rules.facts_from_dict(data), date(2026, 11, 24)).to_dict()
    assert a["route"] == "IMP" and a["employer_step"]["kind"] == "none" and a["obligations"] == []
    assert "regime_exempt" in [w["id"] for w in a["warnings"]]


def test_missing_facts_give_questions_not_a_silent_tfwp():
    a = rules.assess(rules.facts_from_dict({}), date(2026, 11, 24)).to_dict("fr")
    assert a["route"] == "pending" and a["questions"] and not a["complete"]
    assert any(q["fact"] == "worker.citizenships" and q["needed"] for q in a["questions"])
    assert a["employer_step"] == {**a["employer_step"], "kind": "pending", "fee_cad": None}
