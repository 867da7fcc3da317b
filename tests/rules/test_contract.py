"""The JSON contract of rules.assess: pending route, needed/optional questions, complete, "none" lists.

Cases are built from the reference cases (tests/rules/cases) by removing or changing facts."""

from __future__ import annotations

import copy
from datetime import date

import rules

from .conftest import as_date, load_cases

CASES = {c["name"]: c for c in load_cases()}


def _assess(case: str, change=None, on: date | None = None) -> dict:
    c = CASES[case]
    facts = copy.deepcopy(c["facts"])
    if change:
        change(facts)
    return rules.assess(rules.facts_from_dict(facts), on or as_date(c["as_of"])).to_dict()


def _ict_three_missing(f):
    del f["worker"]["retains_position_abroad"]
    del f["employer"]["physical_premises"]
    del f["foreign_enterprise"]["doing_business"]


def test_an_ict_with_answers_missing_is_pending_on_c62_not_tfwp():
    d = _assess("case08-us-green-card-manager", _ict_three_missing)
    assert d["route"] == "pending"
    assert d["recommended"] is None and d["codes_fit"] == []
    assert d["pending"][0]["code"] == "C62"
    assert set(d["pending"][0]["waits_for"]) >= {
        "worker.retains_position_abroad",
        "employer.physical_premises",
    }
    assert d["employer_step"]["kind"] == "pending" and d["employer_step"]["fee_cad"] is None
    assert not d["complete"]
    needed = {q["fact"] for q in d["questions"] if q["needed"]}
    assert needed >= {"worker.retains_position_abroad", "employer.physical_premises"}
    # answered: C62 fits and the case is complete
    full = _assess("case08-us-green-card-manager")
    assert full["route"] == "IMP" and full["recommended"] == "C62" and full["complete"]


def test_a_fully_described_intra_company_transfer_has_no_needed_question():
    for name in ("case02-us-executive", "case08-us-green-card-manager", "case15-ict-new-subsidiary"):
        d = _assess(name)
        assert d["route"] == "IMP"
        assert [q for q in d["questions"] if q["needed"]] == [], name
        assert d["complete"] is True


def test_lower_priority_codes_only_give_optional_questions_once_a_code_fits():
    d = _assess("case02-us-executive")  # T37 fits; C16, C20, C10... could only add another code
    assert d["questions"] and not any(q["needed"] for q in d["questions"])
    assert d["complete"]


def test_a_question_that_could_change_the_recommended_code_is_needed():
    d = _assess("case19-out-of-warranty-repair")  # C13 fits; C16 ranks before C13 and is undecided
    assert d["recommended"] == "C13"
    needed = {q["fact"]: q for q in d["questions"] if q["needed"]}
    assert "worker.french_nclc_speaking" in needed and "C16" in needed["worker.french_nclc_speaking"]["codes"]
    assert not d["complete"]


def test_tfwp_only_when_every_candidate_failed_on_known_facts_with_the_reasons():
    d = _assess("case03-mexican-marketing-manager")
    assert d["route"] == "TFWP" and d["pending"] == []
    assert d["employer_step"]["kind"] == "lmia" and d["reasons"]
    assert all(c["status"] == "not_met" for c in d["candidates"])
    d = _assess("case03-mexican-marketing-manager", lambda f: f["employer"].pop("reciprocity_agreement"))
    assert d["route"] == "pending"
    assert [p["code"] for p in d["pending"]] == ["C20"]
    assert "employer.reciprocity_agreement" in d["pending"][0]["waits_for"]


def test_every_unknown_fact_of_a_pending_code_is_asked_not_only_its_first_criterion():
    def change(f):
        _ict_three_missing(f)
        del f["foreign_enterprise"]["relationship"]  # a gate fact of the ICT codes

    d = _assess("case08-us-green-card-manager", change)
    c62 = next(p for p in d["pending"] if p["code"] == "C62")
    asked = {q["fact"] for q in d["questions"]}
    assert set(c62["waits_for"]) >= {
        "foreign_enterprise.relationship",
        "worker.retains_position_abroad",
        "employer.physical_premises",
    }
    assert asked >= set(c62["waits_for"])


def test_an_explicit_empty_list_means_none_and_differs_from_unknown():
    def unknown(f):
        f["worker"]["citizenships"] = ["IN"]
        f["worker"].pop("permanent_residences", None)

    def none(f):
        f["worker"]["citizenships"] = ["IN"]
        f["worker"]["permanent_residences"] = []

    d_unknown = _assess("case08-us-green-card-manager", unknown)
    d_none = _assess("case08-us-green-card-manager", none)
    q = next(q for q in d_unknown["questions"] if q["fact"] == "worker.permanent_residences")
    assert "Canada–Colombia" in q["decides"]
    assert "worker.permanent_residences" not in {q["fact"] for q in d_none["questions"]}
    assert rules.facts_from_dict({"worker": {"permanent_residences": []}}).worker.permanent_residences == ()
    assert rules.facts_from_dict({"worker": {}}).worker.permanent_residences is None


def test_questions_say_what_they_could_decide_in_english_and_french_with_the_codes_apart():
    c = CASES["case08-us-green-card-manager"]
    facts = copy.deepcopy(c["facts"])
    facts["worker"]["citizenships"] = ["IN"]
    del facts["worker"]["permanent_residences"]
    a = rules.assess(rules.facts_from_dict(facts), as_date(c["as_of"]))
    en = {q["fact"]: q for q in a.to_dict("en")["questions"]}
    fr = {q["fact"]: q for q in a.to_dict("fr")["questions"]}
    pr_en, pr_fr = en["worker.permanent_residences"], fr["worker.permanent_residences"]
    assert pr_en["decides"].startswith("Could make the worker eligible under")
    assert "Canada–Colombia agreement" in pr_en["decides"]
    assert "Canada–Colombie" in pr_fr["decides"]
    assert "F" not in pr_en["decides"].split("under", 1)[1].replace("CUFTA", "")[:3]
    assert "F13" in pr_en["codes"] or "F12" in pr_en["codes"]
    for q in en.values():
        assert q["decides"] and isinstance(q["needed"], bool)


def test_needed_questions_come_first():
    d = _assess("case08-us-green-card-manager", _ict_three_missing)
    flags = [q["needed"] for q in d["questions"]]
    assert flags == sorted(flags, reverse=True)


def test_an_indian_worker_is_not_asked_an_agreements_occupation_list_while_its_nationality_is_open():
    """Issue 14: an Indian worker's ICT is not held up by questions that matter only to Colombian, Korean
    or Peruvian permanent residents. Whether the worker is a permanent resident of an agreement country
    (the first test of those codes) is needed; the agreements' occupation lists are optional until then."""

    def indian(f):
        _ict_three_missing(f)
        f["worker"]["citizenships"] = ["IN"]
        f["worker"].pop("permanent_residences", None)
        f["position"].pop("fta_listed_occupation", None)

    d = _assess("case08-us-green-card-manager", indian)
    assert d["route"] == "pending" and d["pending"][0]["code"] == "C62"
    needed = {q["fact"]: q["needed"] for q in d["questions"]}
    assert needed["worker.permanent_residences"] is True
    assert needed["position.fta_listed_occupation"] is False

    def korean_resident(f):
        indian(f)
        f["worker"]["permanent_residences"] = ["KR"]

    d = _assess("case08-us-green-card-manager", korean_resident)  # now the list could decide a code
    assert {q["fact"]: q["needed"] for q in d["questions"]}["position.fta_listed_occupation"] is True
