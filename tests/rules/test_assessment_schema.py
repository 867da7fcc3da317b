"""The published JSON Schema of the assessment (rules/schema/assessment.v1.json): the contract of
``route`` / ``pending`` / ``needed`` / ``complete`` (issue 14), checked on every reference case, on the
same cases with their answers removed (pending), and against assessments that break the contract."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

import rules
from rules.assessment_schema import build_assessment_schema

from .conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "rules" / "schema" / "assessment.v1.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
CASES = load_cases()


def _out(facts: dict, on: date, lang: str = "en") -> dict:
    return json.loads(json.dumps(rules.assess(rules.facts_from_dict(facts), on).to_dict(lang)))


def _on(case: dict) -> date:
    return date.fromisoformat(str(case["as_of"]))


def test_published_assessment_schema_matches_the_module():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert json.loads(json.dumps(build_assessment_schema())) == SCHEMA


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_reference_case_validates_in_both_languages(case):
    for lang in ("en", "fr"):
        VALIDATOR.validate(_out(case["facts"], _on(case), lang))


def test_reference_cases_with_answers_removed_are_pending_and_validate():
    routes = set()
    for case in CASES:
        for drop in ("worker", "employer", "foreign_enterprise"):
            facts = copy.deepcopy(case["facts"])
            facts.pop(drop, None)
            out = _out(facts, _on(case))
            VALIDATOR.validate(out)
            routes.add(out["route"])
    assert "pending" in routes  # the pending branch of the schema was exercised


def _breaks(out: dict) -> bool:
    return not VALIDATOR.is_valid(out)


def test_the_schema_refuses_an_assessment_that_breaks_the_contract():
    case = next(c for c in CASES if c["name"] == "case08-us-green-card-manager")
    facts = copy.deepcopy(case["facts"])
    facts["worker"].pop("position_abroad_letter")
    pending = _out(facts, _on(case))
    assert pending["route"] == "pending" and not _breaks(pending)
    assert _breaks({**pending, "route": "LMIA"})
    assert _breaks({**pending, "complete": True})  # a needed question is left
    assert _breaks({**pending, "employer_step": {**pending["employer_step"], "fee_cad": 1000}})
    assert _breaks({**pending, "pending": []})
    assert _breaks({**pending, "questions": [{**q, "needed": None} for q in pending["questions"]]})
    done = _out(case["facts"], _on(case))
    assert done["route"] == "IMP" and done["complete"] and not _breaks(done)
    assert _breaks({**done, "complete": False})  # not complete, yet no needed question
    assert _breaks({**done, "recommended": None})
    assert _breaks({**done, "surprise": 1})
