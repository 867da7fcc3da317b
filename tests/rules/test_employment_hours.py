"""Past jobs with their hours a week: at least 30 hours (IRPR R73(1), values.yaml
full_time_hours_per_week) is full time, fewer is part time, whatever the full-time flag says; without
hours the flag decides. The ICT codes count only full-time months with the group."""

from __future__ import annotations

import copy
from datetime import date

import pytest

import rules
from rules.params import load_text

from .conftest import CASES_DIR

CASE02 = load_text((CASES_DIR / "case02-us-executive.yaml").read_text(encoding="utf-8"))
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


def _job(start, end=None, full_time=True, capacity="executive"):
    return {
        "employer_name": "Rocky Analytics Inc.",
        "country": "US",
        "start_date": start,
        "end_date": end,
        "full_time": full_time,
        "capacity": capacity,
        "with_foreign_enterprise": True,
    }


@pytest.mark.parametrize(
    ("jobs", "months"),
    [
        # two full-time jobs one after the other: one stretch, cut at the 36-month window
        ([_job("2019-01-01", "2022-06-30"), _job("2022-07-01")], 36),
        # a part-time job between them breaks the stretch: the longest full-time one counts
        ([_job("2019-01-01", "2024-12-31"), _job("2025-01-01", "2025-12-31", False), _job("2026-01-01")], 13),
        # ended more than three years ago: nothing counts
        ([_job("2015-01-01", "2023-10-31")], 0),
        # a month's gap is not continuous
        ([_job("2024-01-01", "2024-12-31"), _job("2025-02-01")], 21),
        # a job in another capacity (specialized knowledge for an executive transfer) does not count
        ([_job("2024-01-01", "2025-05-31", capacity="specialized_knowledge"), _job("2025-06-01")], 17),
    ],
)
def test_the_months_with_the_group_are_the_longest_continuous_full_time_stretch_in_the_window(jobs, months):
    """The count the ICT criterion decides on is its detail, met or not: the support letter states it."""
    data = copy.deepcopy(CASE02["facts"])
    data["worker"]["employment"] = jobs
    d = rules.assess(rules.facts_from_dict(data), as_of=ON).to_dict("en")
    t37 = next(c for c in d["candidates"] if c["code"] == "T37")
    crit = next(c for c in t37["criteria"] if c["id"] == "ict.prior_employment_12m")
    assert (crit["detail"]["months"], crit["detail"]["needed"]) == (months, 12)
    assert crit["status"] == ("met" if months >= 12 else "not_met")
