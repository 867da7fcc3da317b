"""A Canadian citizen or permanent resident is no foreign national (IRPA s. 2(1)) and needs no work permit
(IRPA s. 30(1)): the engine gave a Canadian transferee C62 or T37, with an offer of employment and the
compliance fee. The people and companies are invented."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

import rules
from rules.stored import from_stored, stored_form

from .conftest import assess_case, cases_by_name

SCHEMA = json.loads((Path(__file__).parents[2] / "rules" / "schema" / "assessment.v1.json").read_text())


def _worker(citizenships, permanent_residences=()):
    def change(f):
        f["worker"]["citizenships"] = list(citizenships)
        f["worker"]["permanent_residences"] = list(permanent_residences)

    return change


@pytest.mark.parametrize(
    ("citizenships", "residences", "reason"),
    [
        (["CA"], [], "canadian_citizen"),
        (["US", "CA"], [], "canadian_citizen"),  # a dual citizen is a Canadian citizen
        (["FR"], ["CA"], "canadian_permanent_resident"),
        (["MX"], ["US", "CA"], "canadian_permanent_resident"),
    ],
)
def test_a_canadian_citizen_or_permanent_resident_needs_no_permit(citizenships, residences, reason):
    for name in ("case02-us-executive", "case03-mexican-marketing-manager", "case22-francophone-cook"):
        d = assess_case(name, _worker(citizenships, residences))
        jsonschema.validate(d, SCHEMA)
        assert d["route"] == "no_permit" and d["complete"] is True, name
        assert d["recommended"] is None and d["codes_fit"] == [] and d["questions"] == []
        step = d["employer_step"]
        assert step["kind"] == "none" and step["fee_cad"] == 0 and step["reason"] == reason
        assert step["source"].endswith("/I-2.5/section-30.html")
        assert d["where"]["place"] is None and d["obligations"] == []
        assert any("Canadian citizenship or permanent residence" in e for e in d["evidence"])


def test_anyone_else_is_assessed_as_before():
    """A US permanent resident (not of Canada) and the worked cases as they are keep their outcome."""
    d = assess_case("case02-us-executive", _worker(["FR"], ["US"]))
    assert d["route"] == "IMP" and d["recommended"] == "C62"
    for name, case in cases_by_name().items():
        assert assess_case(name)["route"] == case["expect"]["route"], name


def test_the_stored_form_reads_back_the_same_in_both_languages():
    facts = json.loads(json.dumps(cases_by_name()["case02-us-executive"]["facts"]))
    _worker(["CA"])(facts)
    a = rules.assess(rules.facts_from_dict(facts), date(2026, 11, 24))
    back = from_stored(json.loads(json.dumps(stored_form(a))), a.facts)
    for lang in ("en", "fr"):
        assert back.to_dict(lang) == a.to_dict(lang)
    assert "résidence permanente" in a.to_dict("fr")["evidence"][0]
