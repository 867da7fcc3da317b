"""Every kind of fact value is defined once, with all its parts: rules/kinds.py (type, annotation,
parse, schema), the test strategy (tests/rules/test_properties.py). The portal's form widget of each
kind is checked in tests/portal/test_fact_kinds.py."""

from __future__ import annotations

import copy
from dataclasses import fields as dc_fields
from datetime import date
from pathlib import Path

import pytest

import rules
from rules.fields import EMPLOYMENT_FIELDS, FIELDS
from rules.kinds import KINDS, FactsError, prop
from rules.params import load_text
from tests.rules.test_properties import STRATEGIES


def test_every_field_names_a_defined_kind():
    unknown = {f.path: f.kind for f in FIELDS + EMPLOYMENT_FIELDS if f.kind not in KINDS}
    assert not unknown


def test_every_kind_has_all_its_parts():
    for name, kind in KINDS.items():
        assert kind.name == name
        for part in dc_fields(kind):
            assert getattr(kind, part.name) not in (None, ""), f"{name} lacks its {part.name}"
    assert set(STRATEGIES) == set(KINDS), "a kind without a test strategy, or a strategy without a kind"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_refuses_a_value_of_another_shape_and_has_a_schema(name):
    field = next(f for f in FIELDS + EMPLOYMENT_FIELDS if f.kind == name)
    with pytest.raises(FactsError) as error:
        KINDS[name].parse(field, object(), field.path, lambda rec, where: rec)
    assert error.value.field.startswith(field.path)
    schema = prop(field)
    assert schema["description"] and len(schema) > 1


def test_a_citizenship_given_as_a_place_whose_people_are_another_countrys_citizens_reads_as_that_country():
    """A worker from Puerto Rico is a US citizen and travels on a US passport: a case file giving "PR" as the
    citizenship (the portal's forms refuse it, a case file may not) is read as US, so CUSMA applies (worked
    case 01 with PR: T36). The place to live stays Puerto Rico."""
    case = load_text(Path(__file__).with_name("cases").joinpath("case01-us-civil-engineer.yaml").read_text())
    facts = copy.deepcopy(case["facts"])
    facts["worker"].update(citizenships=["PR", "US", "RE"], residence_country="PR", passport_country="PR")
    parsed = rules.facts_from_dict(facts)
    assert parsed.worker.citizenships == ("US", "FR") and parsed.worker.passport_country == "US"
    assert parsed.worker.residence_country == "PR"
    assert rules.assess(parsed, date(2026, 11, 24)).to_dict("en")["recommended"] == "T36"
