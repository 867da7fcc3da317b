"""Past jobs with their hours a week: at least 30 hours (IRPR R73(1), values.yaml
full_time_hours_per_week) is full time, fewer is part time, whatever the full-time flag says; without
hours the flag decides. The ICT codes count only full-time months with the group."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml

import rules

from .conftest import CASES_DIR

CASE02 = yaml.safe_load((CASES_DIR / "case02-us-executive.yaml").read_text(encoding="utf-8"))
ON = date(2026, 11, 24)


def outcome(**job) -> dict:
    data = copy.deepcopy(CASE02["facts"])
    data["worker"]["employment"][0].update(job)
    return rules.assess(rules.facts_from_dict(data), as_of=ON).to_dict("en")


def test_the_threshold_is_a_dated_parameter():
    assert rules.params.value_at("full_time_hours_per_week", ON) == 30


@pytest.mark.parametrize(
    ("job", "fits"),
    [
        ({"hours_per_week": 40}, True),
        ({"hours_per_week": 30, "full_time": None}, True),  # the hours alone say full time
        ({"hours_per_week": 20}, False),  # ticked full time, but 20 hours is part time
        ({"hours_per_week": 29.5, "full_time": True}, False),
        ({"full_time": True}, True),  # no hours: the flag decides
        ({"full_time": False}, False),
    ],
)
def test_hours_decide_full_time_for_the_transfer_codes(job, fits):
    codes = outcome(**job)["codes_fit"]
    assert (("T37" in codes) and ("C62" in codes)) is fits, codes


def test_hours_out_of_range_are_refused():
    data = copy.deepcopy(CASE02["facts"])
    data["worker"]["employment"][0]["hours_per_week"] = 120
    with pytest.raises(rules.FactsError):
        rules.facts_from_dict(data)
