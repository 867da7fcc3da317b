"""The 30 worked cases of shared/domain/imp-cases.md, one YAML file each (facts + expected outcome)."""

from __future__ import annotations

import pytest

import rules

from .conftest import as_date, load_cases

CASES = load_cases()


def test_all_thirty_worked_cases_are_present():
    assert len(CASES) == 30
    assert len({c["name"] for c in CASES}) == 30


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_worked_case_outcome_matches_the_reference(case):
    facts = rules.facts_from_dict(case["facts"])
    out = rules.assess(facts, as_date(case["as_of"])).to_dict()
    exp = case["expect"]
    assert out["codes_fit"] == exp["codes_fit"]
    assert out["recommended"] == exp["recommended"]
    assert out["route"] == exp["route"]
    assert out["employer_step"]["kind"] == exp["employer_step"]
    assert out["where"]["place"] == exp["where"]
    for fix in exp.get("fixes", []):
        assert any(f["code"] == fix["code"] and f["criterion"] == fix["criterion"] for f in out["fixes"]), (
            out["fixes"]
        )
    if "criterion" in exp:
        want = exp["criterion"]
        cand = next(c for c in out["candidates"] if c["code"] == want["code"])
        crit = next(c for c in cand["criteria"] if c["id"] == want["id"])
        assert crit["status"] == want["status"]
        assert crit["detail"]["met_on"] == want["met_on"]
    if "warning" in exp:
        assert exp["warning"] in [w["id"] for w in out["warnings"]]
    if "passport" in exp:
        assert out["where"]["passport"] == exp["passport"]
    if out["route"] == "IMP" and out["employer_step"]["kind"] != "none":
        # a self-employed independent professional signs a contract for services instead (rules/README.md item 68)
        agreement = (
            "contract_for_services" if out["recommended"] in ("T43", "F60") else "employment_agreement"
        )
        assert {o["id"] for o in out["obligations"]} >= {
            agreement,
            "rights_information",
            "same_conditions",
            "abuse_free_workplace",
            "health_care_access",
            "no_fee_recovery",
            "retain_documents",
        }
