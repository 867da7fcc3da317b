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


# ------------------------------------------------------------------- an intra-company transferee's extension


def _extension_in_canada(code: str) -> Callable[[dict[str, Any]], None]:
    """The transferee of worked case 08 (or 02), in Canada since 2024-03-01 on a ``code`` permit, asks for an
    extension; the employment history abroad as the question asks it: the job with the parent in Austin
    until the transfer, nothing about the job in Canada. Every other code's facts answered "no"."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(
            in_canada=True,
            residence_country="CA",
            current_permit_type="employer_specific",
            current_permit_code=code,
            current_permit_expiry="2027-02-28",
            ict_months_used=33,
            french_nclc_speaking=0,
            french_nclc_listening=0,
            provincial_business_candidate=False,
        )
        job = f["worker"]["employment"][0]
        job.update(start_date="2021-01-04", end_date="2024-02-29")
        f["employer"]["reciprocity_agreement"] = False
        f["position"]["significant_benefit"] = False

    return change


def test_a_transferee_in_canada_extending_is_still_employed_by_the_group():
    """imp-rules.md §3.4 (C62: initial 3 years, renewals of 2, a total of 7) and IRCC's intra-company transferee
    instructions (extensions up to the cap). A manager in Canada on a C62 permit who gave the employment
    history *abroad* (what the question asks: the job in Austin, over at the transfer) failed
    `ict.currently_employed` ("currently employed by the foreign enterprise": no current job abroad) and the
    case read "LMIA needed", complete. The intra-company permit is the current job with the Canadian part of
    the group: the extension fits C62 (T37 and C62 for a US citizen on a T37 permit)."""
    d = assess_case("case08-us-green-card-manager", _extension_in_canada("C62"))
    assert _criterion(d, "C62", "ict.currently_employed") == "met"
    assert d["route"] == "IMP" and d["recommended"] == "C62" and d["complete"] is True
    assert d["where"]["place"] == "in-Canada"
    d = assess_case("case02-us-executive", _extension_in_canada("T37"))
    assert d["codes_fit"] == ["T37", "C62"] and d["recommended"] == "T37"

    # a job in Canada that is given and over (the worker left the group's Canadian company) still fails it
    def left(f: dict[str, Any]) -> None:
        _extension_in_canada("C62")(f)
        f["worker"]["employment"].append(
            {
                "employer_name": "Lakeside Robotics Canada Inc.",
                "country": "CA",
                "start_date": "2024-03-01",
                "end_date": "2026-06-30",
                "full_time": True,
                "capacity": "manager",
                "with_foreign_enterprise": True,
            }
        )

    d = assess_case("case08-us-green-card-manager", left)
    assert _criterion(d, "C62", "ict.currently_employed") == "not_met"
    # no permit from the group: the case 08 worker abroad keeps needing a current job with the parent
    d = assess_case(
        "case08-us-green-card-manager", lambda f: f["worker"]["employment"][0].update(end_date="2026-06-30")
    )
    assert _criterion(d, "C62", "ict.currently_employed") == "not_met"
