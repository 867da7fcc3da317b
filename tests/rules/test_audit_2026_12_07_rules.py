"""Rules audit of 2026-12-07 (helper R): points earlier reviews noticed and left (rules/README.md item 53 on).
Each test cites the IRCC page its expectation is read from. The people and companies are invented."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import rules

from .conftest import assess_case

Change = Callable[[dict[str, Any]], None]


def _criterion(d: dict, code: str, cid: str) -> dict:
    for c in d["candidates"]:
        if c["code"] == code:
            return next(x for x in c["criteria"] if x["id"] == cid)
    raise AssertionError(f"{code} not evaluated")


def _colombian_pr(citizenships: list[str]) -> Change:
    """Case 01's engineer, a permanent resident of Colombia holding ``citizenships``, in a listed occupation."""

    def change(f: dict[str, Any]) -> None:
        f["worker"]["citizenships"] = citizenships
        f["worker"]["permanent_residences"] = ["CO"]
        f["worker"]["residence_country"] = "CO"
        f["position"]["fta_listed_occupation"] = True

    return change


# ---------------------------------------------------------------------------------------------- item 53
def test_a_colombian_permanent_resident_is_admitted_as_one_and_the_detail_says_so():
    """IRCC's Colombia, Panama and Peru pages: the temporary-entry provisions "extend to permanent residents as
    well as to citizens" (Panama overview, CPAFTA professionals page: "citizens and permanent residents of
    Panama"). The engine met F12's nationality criterion for a Venezuelan permanent resident of Colombia but
    said nothing of the footing, and the support letter called the worker a citizen of the agreement's parties.
    The criterion's detail now names the residence; a Colombian citizen's has none."""
    d = assess_case("case01-us-civil-engineer", _colombian_pr(["VE"]))
    assert "F12" in d["codes_fit"], d["codes_fit"]
    crit = _criterion(d, "F12", "colombia.citizen")
    assert crit["status"] == "met"
    assert crit["detail"] == {"permanent_resident_of": ["CO"]}
    citizen = assess_case("case01-us-civil-engineer", _colombian_pr(["CO"]))
    assert "detail" not in _criterion(citizen, "F12", "colombia.citizen")


def test_a_gats_professional_admitted_as_a_new_zealand_permanent_resident_has_it_in_the_detail():
    """IRCC's GATS page and imp-rules.md §3.3: citizens of a WTO member, or permanent residents of Australia or
    New Zealand. An Iranian (Iran is no WTO member) permanent resident of New Zealand meets T33's nationality
    criterion only as a permanent resident; the detail says so, as for the bilateral agreements."""

    def change(f: dict[str, Any]) -> None:
        f["worker"]["citizenships"] = ["IR"]
        f["worker"]["permanent_residences"] = ["NZ"]

    d = assess_case("case18-gats-engineer", change)
    crit = _criterion(d, "T33", "gats.citizen")
    assert crit["status"] == "met" and crit["detail"] == {"permanent_resident_of": ["NZ"]}
    assert "detail" not in _criterion(assess_case("case18-gats-engineer"), "T33", "gats.citizen")


# ------------------------------------------------------------------------------- checked and kept (item 54)
def test_a_c11_job_longer_than_eighteen_months_is_told_the_first_permit_cap():
    """IRCC's update of 2025-05-27 on C11 (`c11_update_2025`): "the validity of the work permit should not be
    longer than 18 months" (`c11_max_months`). Case 16's owner asking for 24 months is told so, as the codes with a
    first-permit cap are (`job_longer_than_first_permit`, with the cap); before that day no cap is set and nothing
    is said. Passes as it is (kept)."""

    def two_years(f: dict[str, Any]) -> None:
        f["position"].pop("end_date", None)
        f["position"]["duration_months"] = 24

    d = assess_case("case16-single-country-owner", two_years)
    assert d["recommended"] == "C11" and d["durations"]["initial_max"] == 18
    warned = [w for w in d["warnings"] if w["id"] == "job_longer_than_first_permit"]
    assert warned and "(18 months at most)" in warned[0]["text"] and "24 months" in warned[0]["text"]
    before = assess_case("case16-single-country-owner", two_years, on=date(2025, 5, 26))
    assert "initial_max" not in before["durations"]
    assert not [w for w in before["warnings"] if w["id"].startswith("job_longer")]


def test_a_panama_professional_longer_than_three_years_is_told_to_extend_not_refused():
    """IRCC's CPAFTA professionals page (F42) has a "Length of stay" section whose text is not in the stored copies
    read here; a consultant's copy of it reads an initial permit for the contract or up to 3 years and extensions
    in increments of up to 3 years with no limit on their number. The engine's F42 (`initial_max` 36, no total)
    gives a 48-month job the first-permit warning, not "longer than the code allows". Passes as it is (kept)."""

    def panamanian(f: dict[str, Any]) -> None:
        f["worker"]["citizenships"] = ["PA"]
        f["worker"]["residence_country"] = "PA"
        f["position"]["fta_listed_occupation"] = True
        f["position"]["duration_months"] = 48

    d = assess_case("case01-us-civil-engineer", panamanian)
    assert d["recommended"] == "F42", d["codes_fit"]
    ids = {w["id"] for w in d["warnings"]}
    assert "job_longer_than_first_permit" in ids and "job_longer_than_code" not in ids, ids


def test_a_gats_contract_longer_than_ninety_days_still_fails_t33():
    """imp-rules.md §3.3 (GATS): "Max 90 days in 12 months, no extension, no secondary employment"; the stored copies
    of IRCC's GATS page (and of its program delivery update of 2026-05-12) were not found, and no IRCC text read here
    says whether a longer contract is refused or the permit shortened; §8 item 9 (a cap on the permit, not a test)
    is written for the CETA and CUKTCA service suppliers only. The criterion and its text stay as they are: a
    120-day contract fails `gats.max_90_days`, which says "at most 90 days". Passes as it is (kept)."""

    def longer(f: dict[str, Any]) -> None:
        f["position"].pop("end_date", None)
        f["position"]["duration_months"] = 4

    d = assess_case("case18-gats-engineer", longer)
    crit = _criterion(d, "T33", "gats.max_90_days")
    assert crit["status"] == "not_met" and "at most 90 days" in crit["text"], crit
    assert "T33" not in d["codes_fit"]


# ---------------------------------------------------------------------------------------------- item 55
def _swiss(born: str, **worker: Any) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["CH"], residence_country="CH", date_of_birth=born, **worker)

    return change


def test_no_working_holiday_for_swiss_youth():
    """The Canada–Switzerland memorandum concerning a youth mobility program (Global Affairs Canada,
    `iec_switzerland`) is for graduates and trained workers "under a pre-arranged contract of employment" and for
    students (the Swiss State Secretariat for Migration: a trainee exchange; "the agreement with Canada also admits
    undergraduates"): no Working Holiday. An invited Swiss of 27 was told she holds a Working Holiday open permit and
    her employer has no step; she holds none, and her job is assessed on the codes."""
    d = assess_case(
        "case25-iec-young-professional",
        _swiss("1999-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert d["route"] != "open_permit", d["route"]


def test_a_swiss_young_professional_keeps_c21_for_up_to_eighteen_months():
    """Same memorandum: a Swiss Young Professional fits C21; the stay is at most 18 months (IRCC's Swiss criteria as
    copied: "up to 18 months", the two participations together "must not exceed 18 months"; the Swiss side: 12
    months, exceptionally 18). The engine set no length for Switzerland."""
    d = assess_case("case25-iec-young-professional", _swiss("1996-05-01"))
    assert d["recommended"] == "C21", d["codes_fit"]
    assert d["durations"]["initial_max"] == 18, d["durations"]


# ---------------------------------------------------------------------------------------------- item 56
def _new_zealander(born: str, **worker: Any) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["NZ"], residence_country="NZ", date_of_birth=born, **worker)

    return change


def test_no_young_professionals_category_for_new_zealand():
    """Global Affairs Canada publishes the Canada–New Zealand arrangement as a "Working Holiday Scheme" (note 173/97,
    `iec_new_zealand`) and its later changes as "Changes to the Canada-New Zealand Working Holiday Arrangement" (age
    raised from 30 to 35): Working Holiday only. A New Zealander with worked case 25's job offer is no C21 Young
    Professional; the engine gave C21."""
    d = assess_case("case25-iec-young-professional", _new_zealander("1996-05-01"))
    crit = _criterion(d, "C21", "c21.job")
    assert crit["status"] == "not_met", crit
    assert "C21" not in d["codes_fit"]
    # the Working Holiday itself stays, to 35
    wh = assess_case(
        "case25-iec-young-professional",
        _new_zealander("1992-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert wh["route"] == "open_permit", wh["route"]


def test_a_new_zealand_working_holiday_lasts_up_to_23_months():
    """The Prime Minister's release of 2014-11-14 (canada.ca, `iec_new_zealand_2014`): the amended Canada–New Zealand
    youth mobility agreement "étend la durée des permis de travail ... de 12 à 23 mois" (CIC applied it for the 2015
    season, before the rule set's first date)."""
    assert rules.value_at("iec_max_months_by_country", date(2026, 11, 24))["NZ"] == {"working_holiday": 23}


# ---------------------------------------------------------------------------------------------- item 57
def _british(born: str, **worker: Any) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["GB"], residence_country="GB", date_of_birth=born, **worker)

    return change


def test_a_british_young_professional_before_the_new_arrangement():
    """IRCC's news release of 2023-07-14 (`iec_uk_2023`, as distributed by the UK government's news service): the
    Canada–UK youth mobility partnership of 2008 offered UK nationals the Working Holiday category, aged 18 to 30; the
    new arrangement adds International Co-op and Young Professionals and raises the age to 35, "Canada and the UK
    anticipate implementing the new arrangement in 2024" (the day is not established: counted from 2025-01-01, as
    Korea's, README item 48). A British Young Professional in 2022 had no such category; the engine gave her C21."""
    d = assess_case("case25-iec-young-professional", _british("1996-05-01"), date(2022, 6, 1))
    assert _criterion(d, "C21", "c21.job")["status"] == "not_met"
    assert "C21" not in d["codes_fit"]


def test_a_british_working_holiday_ended_at_30_before_the_new_arrangement():
    """Same release: "The eligibility age will expand from 18–30 to 18–35". An invited British worker of 33 held no
    Working Holiday permit in 2022; under the new arrangement she does."""
    before = assess_case(
        "case25-iec-young-professional",
        _british("1989-03-01", iec_category="working_holiday", iec_invited=True),
        date(2022, 6, 1),
    )
    assert before["route"] != "open_permit", before["route"]
    after = assess_case(
        "case25-iec-young-professional",
        _british("1993-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert after["route"] == "open_permit", after["route"]


def test_a_british_young_professional_under_the_new_arrangement_is_told_to_verify_its_day():
    """Under the new arrangement (2025-01-01 here) a British Young Professional of 30 fits C21; between the signing
    and that day a British worker taking part is told to verify the day it took effect (`iec_partner_date`)."""
    d = assess_case("case25-iec-young-professional", _british("1996-05-01"))
    assert d["recommended"] == "C21", d["codes_fit"]
    between = assess_case(
        "case25-iec-young-professional",
        _british("1996-05-01", iec_category="working_holiday", iec_invited=True),
        date(2024, 6, 1),
    )
    assert "iec_partner_date" in {v["id"] for v in between["to_verify"]}, between["to_verify"]


# ---------------------------------------------------------------------------------------------- item 58
def test_a_greek_young_professional_stays_up_to_twelve_months():
    """The Canada–Greece Youth Mobility Agreement, in force 2013-02-01 (the Greek Ministry of Foreign Affairs'
    announcement, `iec_greece`; the Prime Minister's backgrounder of 2011-05-28 names the same three categories):
    young citizens "between 18 and 35" may "travel, reside and work in each other's countries for up to twelve
    months" as graduates with a pre-arranged contract, students on an internship, or on a working holiday. The engine
    set no length for Greece; a Greek Young Professional's C21 now runs 12 months."""

    def greek(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["GR"], residence_country="GR", date_of_birth="1996-05-01")

    d = assess_case("case25-iec-young-professional", greek)
    assert d["recommended"] == "C21", d["codes_fit"]
    assert d["durations"]["initial_max"] == 12, d["durations"]
