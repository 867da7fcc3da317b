"""Audit of 2026-12-06 (helper C): new cases in the style of the worked cases, at edges the worked cases do
not reach (dates on both sides of the renumbering and of each agreement's entry into force, dual citizens,
Quebec, C20, C10/C11, CUSMA professionals with and without the degree or licence, traders and investors,
C63's wage floor, part-time jobs, people already in Canada, missing answers, nothing fits). One test per
discrepancy fixed, citing IRCC's page; then the cases that already agreed with IRCC, kept as a table. The
people and companies are invented."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from .conftest import assess_case

NOW = date(2026, 11, 24)


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


def _criterion(d: dict, code: str, crit_id: str) -> str:
    """The status of a code's criterion; a failed gate criterion puts the code among the excluded."""
    for c in d["candidates"]:
        if c["code"] == code:
            return next(x["status"] for x in c["criteria"] if x["id"] == crit_id)
    for e in d["excluded"]:
        if e["code"] == code and e["criterion"] == crit_id:
            return "not_met"
    raise AssertionError(f"{code}: no {crit_id}")


# ------------------------------------------------------------------- C11: 50 % before 2025-05-27


def _half_owner(start: str, end: str) -> Callable[[dict[str, Any]], None]:
    def change(f: dict[str, Any]) -> None:
        f["worker"]["ownership_pct"] = 50
        f["position"].update(start_date=start, end_date=end)

    return change


def test_c11_half_owner_before_the_2025_update_fits():
    """IRCC's program delivery update of 2025-05-27 (Business owners seeking only temporary residence, C11):
    "Under 'Degree of ownership', specified that the issuance of work permits for business owners should be
    considered only when the applicant controls at least 51% of the business"; the instructions before it
    said "at least 50%". Worked case 16's owner-operator holding exactly half of her seasonal tour company
    was refused C11 on every date (51 % throughout) and recommended C10, the discretionary last resort; on a
    day before the update she fits C11, from the update on she does not."""
    before = assess_case(
        "case16-single-country-owner", _half_owner("2024-07-01", "2024-09-30"), date(2024, 6, 1)
    )
    assert before["recommended"] == "C11" and before["codes_fit"] == ["C11"]
    assert _criterion(before, "C11", "c11.ownership") == "met"
    eve = assess_case(
        "case16-single-country-owner", _half_owner("2025-07-01", "2025-09-30"), date(2025, 5, 26)
    )
    assert eve["recommended"] == "C11"
    day = assess_case(
        "case16-single-country-owner", _half_owner("2025-07-01", "2025-09-30"), date(2025, 5, 27)
    )
    assert "C11" not in day["codes_fit"] and day["recommended"] == "C10"
    assert _criterion(day, "C11", "c11.ownership") == "not_met"
    # the criterion's text states the share in force on the day
    assert "at least 51%" in next(e["text"] for e in day["excluded"] if e["code"] == "C11")
    before_text = [x["text"] for c in before["candidates"] if c["code"] == "C11" for x in c["criteria"]]
    assert any("at least 50%" in t for t in before_text)
