"""The language-neutral stored form of an assessment (rules.stored_form / rules.from_stored): what a case
keeps, and the rules' output rebuilt from it, equal to the assessment's own in English and French."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rules

from .conftest import as_date, load_cases
from .test_properties import SETTINGS, as_ofs, facts_dicts

CASES = load_cases()


def _json(value):
    return json.loads(json.dumps(value))


def _round_trip(assessment: rules.Assessment) -> dict:
    stored = _json(rules.stored_form(assessment))  # as a JSON column gives it back
    assert rules.is_stored_form(stored)
    again = rules.from_stored(stored)
    for lang in ("en", "fr"):
        assert _json(again.to_dict(lang)) == _json(assessment.to_dict(lang)), lang
    return stored


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
@pytest.mark.parametrize("as_of", [None, date(2022, 6, 1)], ids=["case-date", "before-renumbering"])
def test_a_worked_case_s_stored_form_gives_back_its_assessment(case, as_of):
    on = as_of or as_date(case["as_of"])
    assessment = rules.assess(rules.facts_from_dict(case["facts"]), on)
    stored = _round_trip(assessment)
    # no text: a few kB where both languages' output is tens of kB
    size = len(json.dumps(stored))
    assert size < 6_000
    assert size * 8 < len(json.dumps(assessment.to_dicts())) or assessment.route == "open_permit"
    assert not {"text", "label", "question", "en", "fr", "text_en", "text_fr"} & set(stored)
    texts = set()
    for lang in ("en", "fr"):
        shown = assessment.to_dict(lang)
        texts |= {cr["text"] for c in shown["candidates"] for cr in c["criteria"]} | set(shown["evidence"])
        texts |= {c["label"] for c in shown["candidates"]} | {q["question"] for q in shown["questions"]}
        texts |= {o["text"] for o in shown["obligations"]} | {w["text"] for w in shown["warnings"]}
        texts |= {w["text"] for w in shown["to_verify"]} | {f["text"] for f in shown["fixes"]}
    assert not texts & strings_in(stored)


def strings_in(value) -> set[str]:
    """Every string in a JSON-like value: its keys, its values, at any depth."""
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) | set(value)
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value))
    return {value} if isinstance(value, str) else set()


@SETTINGS
@given(facts_dicts, as_ofs)
def test_any_assessment_s_stored_form_gives_it_back(data, as_of):
    _round_trip(rules.assess(rules.facts_from_dict(data), as_of))


@given(st.sampled_from(CASES))
def test_a_stored_form_from_another_rule_set_leaves_out_what_this_engine_does_not_know(case):
    assessment = rules.assess(rules.facts_from_dict(case["facts"]), as_date(case["as_of"]))
    stored = _json(rules.stored_form(assessment))
    stored["codes"].append("Z99")
    stored["met"].append("gone.criterion")
    stored["questions"].append(["worker.gone_fact", 1, ["Z99"], None])
    stored["warnings"].append(["gone_warning", {}])
    stored["to_verify"].append("gone_point")
    for lang in ("en", "fr"):
        assert _json(rules.from_stored(stored).to_dict(lang)) == _json(assessment.to_dict(lang))


def test_only_a_stored_form_is_read_as_one():
    assert not rules.is_stored_form({"en": {}, "fr": {}})
    assert not rules.is_stored_form(None)
    with pytest.raises(ValueError, match="not a stored assessment form"):
        rules.from_stored({"en": {}})
