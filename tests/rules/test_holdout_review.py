"""Private holdout review of 2026-12-07 (helper R): invented cases written from IRCC's rules (imp-rules.md, its §8
winning; the IRCC pages cited there) as an outside checker would, at the boundaries the worked cases do not reach:
intra-company transferees (C61/C62/C63: role, wage floor, the new office, the year of continuous full-time work in the
last three, the qualifying relationship), the 2022-12-15 renumbering, CUSMA professionals and transferees, CETA and
CUKTCA, C10, C16, C20, IEC, spouses, nothing fitting, answers missing. Each test names the rule it checks. Where the
engine disagreed with IRCC it was fixed (rules/README.md item 63); the others pass as they are. The people and
companies are invented."""

from __future__ import annotations

from datetime import date
from typing import Any

import rules

ON = date(2026, 11, 24)


def _assess(facts: dict[str, Any], on: date = ON) -> dict:
    return rules.assess(rules.facts_from_dict(facts), on).to_dict("en")


def _set(facts: dict[str, Any], **paths: Any) -> dict[str, Any]:
    """``facts`` with ``section__field`` values set."""
    for path, value in paths.items():
        section, field = path.split("__")
        facts.setdefault(section, {})[field] = value
    return facts


def _job(
    start: str, capacity: str, country: str, end: str | None = None, full_time: bool = True
) -> list[dict]:
    return [
        {
            "employer_name": "Parent group",
            "country": country,
            "start_date": start,
            "end_date": end,
            "full_time": full_time,
            "capacity": capacity,
            "with_foreign_enterprise": True,
        }
    ]


def _criterion(d: dict, code: str, crit: str) -> str:
    for c in d["candidates"]:
        if c["code"] == code:
            return next(x["status"] for x in c["criteria"] if x["id"] == crit)
    raise AssertionError(f"{code} not evaluated: {[c['code'] for c in d['candidates']]}")


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


def _transferee(
    citizen: str, home: str, capacity: str = "manager", noc: str = "00012", **more: Any
) -> dict[str, Any]:
    """A worker of a multinational (home country ``home``, also in Argentina) moving to its established Canadian
    subsidiary in Vancouver."""
    facts: dict[str, Any] = {
        "employer": {
            "name": "Coastline Instruments Ltd.",
            "kind": "business",
            "province": "BC",
            "employees": 45,
            "actively_engaged": True,
            "start_up": False,
            "physical_premises": True,
        },
        "foreign_enterprise": {
            "name": "Grupo Instrumental",
            "country": home,
            "countries_of_operation": [home, "AR"],
            "relationship": "subsidiary",
            "doing_business": True,
        },
        "position": {
            "title": "Plant operations manager",
            "noc_code": noc,
            "work_type": "regular",
            "capacity": capacity,
            "wage_hourly_cad": 62,
            "prevailing_wage_hourly_cad": 50,
            "hours_per_week": 40,
            "province": "BC",
            "city": "Vancouver",
            "start_date": "2027-02-01",
            "duration_months": 24,
        },
        "worker": {
            "citizenships": [citizen],
            "permanent_residences": [],
            "in_canada": False,
            "current_permit_type": "none",
            "residence_country": citizen,
            "employment": _job("2023-01-09", capacity, home),
            "retains_position_abroad": True,
            "position_abroad_letter": True,
            "ict_months_used": 0,
            "ownership_pct": 0,
            "education_level": "bachelor",
            "specialized_knowledge": capacity == "specialized_knowledge",
        },
    }
    return _set(facts, **more)


def _new_office(capacity: str = "manager", noc: str = "00012", **more: Any) -> dict[str, Any]:
    """A Brazilian multinational (Brazil and Argentina) sending a worker to open its first Canadian office."""
    return _transferee(
        "BR",
        "BR",
        capacity,
        noc,
        employer__start_up=True,
        employer__employees=0,
        employer__business_plan=True,
        employer__staffing_plan=True,
        employer__financial_capacity=True,
        position__duration_months=12,
        **more,
    )


def _hire(citizen: str | None, **more: Any) -> dict[str, Any]:
    """A direct hire by an unrelated Calgary employer, worker abroad."""
    facts: dict[str, Any] = {
        "employer": {"name": "Foothills Systems Inc.", "kind": "business", "province": "AB", "employees": 30},
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "Systems analyst",
            "noc_code": "21222",
            "work_type": "regular",
            "capacity": "professional",
            "wage_hourly_cad": 48,
            "prevailing_wage_hourly_cad": 45,
            "hours_per_week": 40,
            "province": "AB",
            "city": "Calgary",
            "start_date": "2027-01-11",
            "duration_months": 24,
        },
        "worker": {
            "citizenships": [citizen] if citizen else None,
            "permanent_residences": [],
            "in_canada": False,
            "current_permit_type": "none",
            "residence_country": citizen,
            "ownership_pct": 0,
            "self_employed": False,
        },
    }
    return _set(facts, **more)


NO_FRENCH = {
    "worker__french_nclc_speaking": 0,
    "worker__french_nclc_listening": 0,
    "worker__french_proof": "none",
}


# ====================================================================== R205(a) intra-company transferees


def test_c62_manager_of_an_indian_group_in_an_established_subsidiary():
    # imp-rules.md §3.4 C62: TEER 0 manager, 1 year full-time abroad, qualifying relationship, any nationality
    d = _assess(_transferee("IN", "IN"))
    assert (d["route"], d["recommended"], d["codes_fit"]) == ("IMP", "C62", ["C62"])
    assert d["employer_step"]["kind"] == "offer+fee" and d["where"]["place"] == "online-outside"
    assert (d["durations"]["initial_max"], d["durations"]["total_cap"]) == (36, 84)


def test_the_same_transfer_before_the_renumbering_is_c12():
    # imp-rules.md §2: before 2022-12-15 an R205(a) transferee's code is C12 (C62 from 2022-12-15)
    facts = _transferee("IN", "IN", worker__employment=_job("2020-01-06", "manager", "IN"))
    facts["position"]["start_date"] = "2023-01-09"
    d = _assess(facts, date(2022, 11, 30))
    assert (d["recommended"], d["codes_fit"]) == ("C12", ["C12"])
    assert _assess(facts, date(2022, 12, 15))["recommended"] == "C62"


def test_twelve_months_to_the_day_is_a_year_and_a_day_short_is_not():
    # imp-rules.md §3.4 item 2: at least 1 year of continuous full-time employment abroad before the application
    d = _assess(_transferee("IN", "IN", worker__employment=_job("2025-11-24", "manager", "IN")))
    assert d["recommended"] == "C62"
    d = _assess(_transferee("IN", "IN", worker__employment=_job("2025-11-25", "manager", "IN")))
    assert d["route"] == "pending" and "C62" not in d["codes_fit"]
    assert _criterion(d, "C62", "ict.prior_employment_12m") == "not_met"
    fix = next(f for f in d["fixes"] if f["code"] == "C62")
    assert fix["detail"]["met_on"] == "2026-11-25"


def test_part_time_years_do_not_add_up_to_the_ict_year():
    # imp-rules.md §3.4 item 2: "no part-time accumulation"
    d = _assess(
        _transferee("IN", "IN", worker__employment=_job("2022-01-03", "manager", "IN", full_time=False))
    )
    assert _criterion(d, "C62", "ict.prior_employment_12m") == "not_met"
    assert "C62" not in d["codes_fit"] and d["route"] != "TFWP"


def test_a_former_employee_is_no_transferee():
    # imp-rules.md §3.4 item 1 (currently employed) and item 2 (the year within the last 3 years)
    d = _assess(
        _transferee("IN", "IN", worker__employment=_job("2019-01-07", "manager", "IN", end="2023-06-30"))
    )
    assert _criterion(d, "C62", "ict.currently_employed") == "not_met"
    assert _criterion(d, "C62", "ict.prior_employment_12m") == "not_met"


def test_a_franchise_is_no_qualifying_relationship():
    # imp-rules.md §3.4 item 4: franchises, licensing, supplier/client are not parent/subsidiary/branch/affiliate
    d = _assess(_transferee("IN", "IN", foreign_enterprise__relationship="franchise"))
    assert not {"C61", "C62", "C63"} & set(d["codes_fit"])
    assert not {"C61", "C62", "C63"} & {c["code"] for c in d["candidates"]}


def test_c63_at_the_prevailing_wage_fits_and_a_cent_below_does_not():
    # imp-rules.md §3.4 C63: mandatory wage floor, at least the prevailing wage (Job Bank median)
    sk = {"position__wage_hourly_cad": 50}
    d = _assess(_transferee("BR", "BR", "specialized_knowledge", "21231", **sk))
    assert d["recommended"] == "C63"
    d = _assess(_transferee("BR", "BR", "specialized_knowledge", "21231", position__wage_hourly_cad=49.99))
    assert _criterion(d, "C63", "ict.c63_wage_floor") == "not_met"
    assert any(f["code"] == "C63" and f["criterion"] == "ict.c63_wage_floor" for f in d["fixes"])


def test_c61_new_office_of_a_two_country_multinational():
    # imp-rules.md §3.4 C61: existing MNC (home + one other country), premises, plans; max 1 year then C62/C63
    d = _assess(_new_office())
    assert (d["recommended"], d["codes_fit"]) == ("C61", ["C61"])
    assert (d["durations"]["initial_max"], d["durations"]["extension_max"]) == (12, 6)


def test_c61_needs_a_multinational_before_canada():
    # imp-rules.md §3.4 item 1: a company cannot become an MNC by opening its first foreign office in Canada
    d = _assess(_new_office(foreign_enterprise__countries_of_operation=["BR"]))
    assert _criterion(d, "C61", "ict.c61_mnc_before_canada") == "not_met"
    assert "C61" not in d["codes_fit"]


def test_c61_a_first_line_supervisor_is_no_manager():
    # imp-rules.md §3.4 C61/C62 (IRCC ict_r205): executives and managers are TEER 0 or 1; NOC 62010 is TEER 2
    # (rules/README.md item 63: C61 fitted any worker called a manager)
    d = _assess(_new_office(noc="62010"))
    assert _criterion(d, "C61", "ict.c61_role") == "not_met"
    assert "C61" not in d["codes_fit"]


def test_c61_specialized_knowledge_worker_is_held_to_the_prevailing_wage():
    # IRCC ict_sk_positions: "For entries pursuant to R205, the applicant must be offered a wage ... consistent
    # with the Canadian prevailing wage" — C61 is an R205(a) entry (rules/README.md item 63)
    below = _assess(_new_office("specialized_knowledge", "21231", position__wage_hourly_cad=40))
    assert _criterion(below, "C61", "ict.c61_sk_wage") == "not_met"
    assert "C61" not in below["codes_fit"] and below["route"] != "TFWP"
    assert any(f["code"] == "C61" and f["criterion"] == "ict.c61_sk_wage" for f in below["fixes"])
    at = _assess(_new_office("specialized_knowledge", "21231", position__wage_hourly_cad=50))
    assert at["recommended"] == "C61"
    # an executive or manager has no wage floor
    manager = _assess(_new_office(position__wage_hourly_cad=30))
    assert manager["recommended"] == "C61"


# ====================================================================== CUSMA


def test_t36_mexican_systems_analyst_with_a_diploma_and_three_years():
    # imp-rules.md §3.1 T36 (Appendix 2 of Annex 16-A): Computer Systems Analyst, diploma + 3 years' experience;
    # §1.4/§8 item 5: a Mexican who is not eTA-eligible applies online, not at a port of entry
    facts = _hire(
        "MX",
        worker__profession="computer_systems_analyst",
        worker__education_level="post_secondary_2y",
        worker__experience_years=4,
        worker__eta_eligible=False,
        worker__passport_country="MX",
        position__licence_required=False,
    )
    d = _assess(facts)
    assert d["recommended"] == "T36" and "T36" in d["codes_fit"]
    assert d["where"]["place"] == "online-outside"
    assert "mexico_eta" in {w["id"] for w in d["warnings"]}
    facts["worker"]["experience_years"] = 2
    d = _assess(facts)
    assert _criterion(d, "T36", "cusma.credential") == "not_met"


def test_t36_management_consultant_by_five_years_of_experience():
    # imp-rules.md §3.1 T36: management consultant, degree OR 5 years' consulting experience
    facts = _hire(
        "US",
        position__noc_code="11201",
        position__licence_required=False,
        worker__profession="management_consultant",
        worker__education_level="secondary",
        worker__experience_years=6,
    )
    d = _assess(facts)
    assert (d["recommended"], d["where"]["place"]) == ("T36", "POE")


def test_t36_a_us_green_card_is_not_citizenship():
    # imp-rules.md §3.1: permanent residents of the US or Mexico are not covered by CUSMA
    facts = _hire(
        "GT",
        worker__permanent_residences=["US"],
        worker__residence_country="US",
        worker__profession="engineer",
        worker__education_level="bachelor",
        position__licence_required=False,
    )
    d = _assess(facts)
    assert "T36" in {e["code"] for e in d["excluded"]}
    assert "T36" not in d["codes_fit"]


def test_t36_not_for_the_owner_of_the_canadian_company():
    # imp-rules.md §3.1 T36 item 7: not self-employment in Canada (a company the applicant controls)
    facts = _hire(
        "US",
        worker__profession="engineer",
        worker__education_level="bachelor",
        worker__ownership_pct=80,
        worker__self_employed=True,
        position__licence_required=False,
    )
    d = _assess(facts)
    assert _criterion(d, "T36", "fta.not_self_employed_in_canada") == "not_met"


def test_t36_is_t23_the_day_before_the_renumbering():
    # imp-rules.md §2: CUSMA professional T23 until 2022-12-14, T36 from 2022-12-15
    facts = _hire(
        "US",
        worker__profession="engineer",
        worker__education_level="bachelor",
        position__licence_required=False,
        position__start_date="2023-01-10",
    )
    assert _assess(facts, date(2022, 12, 14))["recommended"] == "T23"
    assert _assess(facts, date(2022, 12, 15))["recommended"] == "T36"


def test_t37_mexican_executive_and_t38_with_no_wage_floor():
    # imp-rules.md §3.1 T37/T38: CUSMA transferees; no mandatory wage floor (wage is an indicator only)
    d = _assess(
        _transferee("MX", "MX", "executive", worker__eta_eligible=False, worker__passport_country="MX")
    )
    assert d["recommended"] == "T37" and {"T37", "C62"} <= set(d["codes_fit"])
    assert d["where"]["place"] == "online-outside"
    d = _assess(
        _transferee(
            "MX",
            "MX",
            "specialized_knowledge",
            "21231",
            position__wage_hourly_cad=40,
            worker__eta_eligible=True,
            worker__passport_country="MX",
        )
    )
    assert d["recommended"] == "T38" and "C63" not in d["codes_fit"]
    assert _criterion(d, "C63", "ict.c63_wage_floor") == "not_met"
    assert "wage_indicator" in {w["id"] for w in d["warnings"]}


# ====================================================================== CETA and CUKTCA


def _independent_architect(years: float) -> dict[str, Any]:
    return _hire(
        "PT",
        position__noc_code="21200",
        position__work_type="service_contract",
        position__service_sector="architecture",
        position__paid_by="self",
        position__duration_months=18,
        position__licence_required=False,
        worker__self_employed=True,
        worker__education_level="master",
        worker__experience_years=years,
    )


def test_t43_independent_professional_needs_six_years():
    # imp-rules.md §3.2 T43: self-employed, degree, >= 6 years' experience; §8 item 9: 12 months in 24 caps the permit
    d = _assess(_independent_architect(7))
    assert d["recommended"] == "T43"
    assert d["durations"]["permit_max_months"] == 12
    d = _assess(_independent_architect(5))
    assert _criterion(d, "T43", "ip.experience") == "not_met"
    assert "T43" not in d["codes_fit"]


def test_t44_polish_executive_and_the_tie_break_with_c62():
    # imp-rules.md §3.2 T44 and §5 tie-break: the FTA code unless only C62's 7-year cap covers the plan
    facts = _transferee("PL", "PL", "executive", position__duration_months=36)
    d = _assess(facts)
    assert (d["recommended"], set(d["codes_fit"])) == ("T44", {"T44", "C62"})
    assert d["durations"]["total_cap"] == 54
    facts["position"]["planned_total_months"] = 72
    assert _assess(facts)["recommended"] == "C62"


def test_t42_graduate_trainee_needs_a_degree():
    # imp-rules.md §3.2 T42: graduate trainee holds a bachelor's degree (or professional-level licence)
    d = _assess(_transferee("AT", "AT", "trainee", "11100", position__duration_months=12))
    assert d["recommended"] == "T42"
    d = _assess(
        _transferee(
            "AT",
            "AT",
            "trainee",
            "11100",
            position__duration_months=12,
            worker__education_level="post_secondary_2y",
            worker__professional_licence=False,
        )
    )
    assert _criterion(d, "T42", "ceta.graduate_trainee") == "not_met"


def test_a_british_executive_across_brexit():
    # §8 item 6: CETA until 2020-12-31, LMIA-or-R205 from 2021-01-01 to 2021-03-31, CUKTCA from 2021-04-01
    facts = _transferee("GB", "GB", "executive", worker__employment=_job("2018-01-08", "executive", "GB"))
    facts["position"]["start_date"] = "2020-11-02"
    assert _assess(facts, date(2020, 10, 1))["recommended"] == "T44"
    gap = _assess(facts, date(2021, 2, 15))
    assert gap["codes_fit"] == ["C12"]
    assert _assess(facts, date(2021, 5, 3))["recommended"] == "T44"  # CUKTCA's legacy code
    facts["position"]["start_date"] = "2027-02-01"
    assert _assess(facts)["recommended"] == "F61"


# ====================================================================== C16, C20, C10


def _francophone(**more: Any) -> dict[str, Any]:
    base = {
        "position__noc_code": "64100",
        "position__capacity": "other",
        "position__province": "MB",
        "position__city": "Winnipeg",
        "position__wage_hourly_cad": 17,
        "position__prevailing_wage_hourly_cad": 16,
        "employer__province": "MB",
        "worker__french_nclc_speaking": 5,
        "worker__french_nclc_listening": 5,
        "worker__french_proof": "tef_canada",
    }
    return _hire("SN", **{**base, **more})


def test_c16_teer_4_retail_worker_at_nclc_5_outside_quebec():
    # imp-rules.md §3.9 (from 2023-06-15): any TEER, NCLC 5 in speaking and listening, outside Quebec
    d = _assess(_francophone())
    assert (d["recommended"], d["employer_step"]["kind"]) == ("C16", "offer+fee")


def test_c16_listening_below_nclc_5_fails():
    # imp-rules.md §3.9: NCLC 5 or higher in both speaking and listening
    d = _assess(_francophone(worker__french_nclc_listening=4))
    assert "C16" not in d["codes_fit"]


def test_c16_in_quebec_fails():
    # imp-rules.md §3.9 and §1.6: C16 is not available for work located in Quebec
    d = _assess(_francophone(position__province="QC", employer__province="QC", position__city="Gatineau"))
    assert "C16" not in d["codes_fit"]


def test_c16_teer_4_before_2023_06_15_fails():
    # imp-rules.md §3.9: before 2023-06-15 only TEER 0-3 (NOC 0/A/B)
    facts = _francophone(
        worker__french_nclc_speaking=7, worker__french_nclc_listening=7, position__start_date="2023-07-03"
    )
    d = _assess(facts, date(2023, 5, 1))
    assert _criterion(d, "C16", "c16.occupation") == "not_met"


def _exchange(received: int, sent: int) -> dict[str, Any]:
    return _hire(
        "KE",
        position__noc_code="21231",
        employer__reciprocity_agreement=True,
        employer__foreign_workers_received=received,
        employer__canadians_sent_abroad=sent,
        **NO_FRENCH,
    )


def test_c20_large_exchange_needs_three_quarters():
    # §8 item 4: more than 25 people -> at least 75 % as many Canadians abroad
    assert _criterion(_assess(_exchange(40, 28)), "C20", "c20.similar_magnitude") == "not_met"
    assert _assess(_exchange(40, 30))["recommended"] == "C20"


def test_c20_small_exchange_is_a_warning_not_a_refusal():
    # §8 item 4: smaller exchanges (25 people or fewer) are at the officer's discretion: a warning
    for received, sent in ((6, 2), (25, 10)):
        d = _assess(_exchange(received, sent))
        assert d["recommended"] == "C20", (received, sent)
        assert "c20_small_exchange" in {w["id"] for w in d["warnings"]}


def test_c10_when_nothing_specific_fits():
    # imp-rules.md §3.5: C10 as a last resort, flagged discretionary
    facts = _hire(
        "KE",
        position__noc_code="21101",
        position__significant_benefit=True,
        employer__reciprocity_agreement=False,
        worker__provincial_business_candidate=False,
        **NO_FRENCH,
    )
    d = _assess(facts)
    assert (d["recommended"], d["codes_fit"]) == ("C10", ["C10"])
    assert "c10_discretionary" in {w["id"] for w in d["warnings"]}


# ====================================================================== IEC


def _irish(**more: Any) -> dict[str, Any]:
    base = {
        "worker__date_of_birth": "1997-05-02",
        "worker__iec_category": "young_professionals",
        "worker__iec_invited": True,
        "worker__education_level": "bachelor",
        "position__paid": True,
    }
    return _hire("IE", **{**base, **more})


def test_iec_young_professional_in_a_teer_1_job():
    # imp-rules.md §3.11 C21 Young Professionals: paid, TEER 0-3, employer offer + fee
    d = _assess(_irish())
    assert (d["recommended"], d["employer_step"]["kind"]) == ("C21", "offer+fee")


def test_iec_young_professional_not_in_a_teer_4_job_without_credential():
    # imp-rules.md §3.11: TEER 4 only with a related post-secondary credential
    d = _assess(
        _irish(position__noc_code="64100", position__capacity="other", worker__education_level="secondary")
    )
    assert _criterion(d, "C21", "c21.job") == "not_met"


def test_iec_thirty_six_and_not_invited_is_too_old():
    # imp-rules.md §3.11: aged 18-35 (Ireland) when IRCC invites the worker
    d = _assess(_irish(worker__date_of_birth="1990-11-01", worker__iec_invited=False))
    assert _criterion(d, "C21", "c21.age") == "not_met"
    assert "C21" not in d["codes_fit"]


def test_iec_working_holiday_is_an_open_permit():
    # imp-rules.md §3.11 and §1.2: Working Holiday is an open permit, no employer step
    d = _assess(
        _hire(
            "AU",
            position__noc_code="64100",
            position__capacity="other",
            worker__date_of_birth="1996-03-03",
            worker__iec_category="working_holiday",
            worker__iec_invited=True,
        )
    )
    assert (d["route"], d["employer_step"]["kind"]) == ("open_permit", "none")


# ====================================================================== spouses (rules/spouse.py)


def _spouse(citizen: str, code: str, principal_country: str, noc: str, expiry: str) -> dict[str, Any]:
    return _hire(
        citizen,
        position__noc_code="64100",
        position__capacity="other",
        worker__principal_permit_code=code,
        worker__principal_country=principal_country,
        worker__principal_noc_code=noc,
        worker__principal_permit_expiry=expiry,
    )


def _spouse_code(d: dict) -> str | None:
    return next((r["code"] for r in d["reasons"] if r.get("reason") == "spouse_open_permit"), None)


def test_spouse_of_a_ceta_transferee_gets_t45():
    # imp-rules.md §3.2: spouse of a CETA intra-corporate transferee, T45 open permit
    d = _assess(_spouse("PL", "T44", "PL", "00012", "2029-06-30"))
    assert (d["route"], _spouse_code(d), d["employer_step"]["kind"]) == ("open_permit", "T45", "none")


def test_spouse_of_a_c62_manager_gets_c41_and_of_a_cusma_professional_too():
    # imp-rules.md §3.1 (CUSMA gives no spouse permit) and C41 from 2025-01-21: TEER 0/1, 16 months left
    assert _spouse_code(_assess(_spouse("VN", "C62", "IN", "00012", "2029-06-30"))) == "C41"
    assert _spouse_code(_assess(_spouse("US", "T36", "US", "21300", "2029-06-30"))) == "C41"


def test_spouse_of_a_worker_with_ten_months_left_is_asked_about_permanent_residence():
    # C41 from 2025-01-21: at least 16 months left, unless the principal is transitioning to PR
    d = _assess(_spouse("VN", "C62", "IN", "00012", "2027-11-30"))
    assert d["route"] == "pending"
    assert "worker.principal_pr_track" in _needed(d)


# ====================================================================== nothing fits, answers missing


def test_nothing_fits_is_an_lmia():
    # imp-rules.md §3.14 and §5 step 7: every candidate failed on known facts -> TFWP, LMIA
    facts = _hire(
        "PH",
        position__noc_code="63200",
        position__capacity="other",
        employer__reciprocity_agreement=False,
        position__significant_benefit=False,
        worker__provincial_business_candidate=False,
        worker__principal_permit_code="none",
        **NO_FRENCH,
    )
    d = _assess(facts)
    assert (d["route"], d["recommended"], d["employer_step"]["kind"]) == ("TFWP", None, "lmia")
    assert d["complete"] is True


def test_unknown_citizenship_is_asked_not_an_lmia():
    # §5 "Unknown facts -> questions" and §8 item 5: unknown citizenship, unknown place
    d = _assess(_hire(None))
    assert d["route"] == "pending" and d["complete"] is False
    assert "worker.citizenships" in _needed(d)
    assert d["employer_step"]["kind"] == "pending" and d["employer_step"]["fee_cad"] is None
    assert d["where"]["place"] is None


def test_a_transfer_with_its_relationship_and_employment_unknown_is_asked():
    # §5: unknown facts -> "unknown" criteria and questions, never "LMIA needed"
    facts = _transferee("NG", "NG", foreign_enterprise__relationship=None, worker__employment=None)
    d = _assess(facts)
    assert d["route"] == "pending"
    assert "foreign_enterprise.relationship" in _needed(d)
    assert "C62" in {p["code"] for p in d["pending"]}


# ====================================================================== more boundaries


def test_spouses_of_other_agreements_transferees_and_professionals():
    # imp-rules.md §3.3: CUKTCA F64, CPTPP T53 (Japan), Korea F36; Peru gives no spouse permit -> C41
    assert _spouse_code(_assess(_spouse("GB", "F61", "GB", "00012", "2029-06-30"))) == "F64"
    assert _spouse_code(_assess(_spouse("JP", "T51", "JP", "00012", "2029-06-30"))) == "T53"
    assert _spouse_code(_assess(_spouse("KR", "F35", "KR", "21231", "2029-06-30"))) == "F36"
    assert _spouse_code(_assess(_spouse("PE", "F52", "PE", "21300", "2029-06-30"))) == "C41"


def test_c41_sixteen_months_to_the_day():
    # C41 from 2025-01-21 (family_owp_2025): at least 16 months of the principal's authorization left
    assert _spouse_code(_assess(_spouse("VN", "C62", "IN", "21231", "2028-03-24"))) == "C41"
    d = _assess(_spouse("VN", "C62", "IN", "21231", "2028-03-23"))
    assert _spouse_code(d) is None and d["route"] == "pending"


def test_c20_twenty_six_people_is_a_large_exchange():
    # §8 item 4: "more than 25 people" -> 75 %; 19 of 26 is 73 %
    assert _criterion(_assess(_exchange(26, 19)), "C20", "c20.similar_magnitude") == "not_met"
    assert _assess(_exchange(26, 20))["recommended"] == "C20"


def _owner(pct: float, on: date) -> dict:
    facts = _hire(
        "GH",
        position__noc_code="00015",
        position__capacity="executive",
        position__duration_months=12,
        position__significant_benefit=True,
        position__start_date="2027-01-11" if on > date(2026, 1, 1) else "2025-06-02",
        employer__reciprocity_agreement=False,
        worker__ownership_pct=pct,
        worker__self_employed=True,
        worker__provincial_business_candidate=False,
        worker__temporary_intent=True,
        worker__support_funds=True,
        worker__business_funds=True,
        **NO_FRENCH,
    )
    return _assess(facts, on)


def test_c11_owner_share_before_and_after_2025_05_27():
    # imp-rules.md §3.6 and IRCC's C11 update of 2025-05-27: at least 51 % (50 % before)
    assert _owner(51, ON)["recommended"] == "C11"
    assert "C11" not in _owner(50, ON)["codes_fit"]
    assert _owner(50, date(2025, 3, 3))["recommended"] == "C11"


def test_c14_at_the_median_wage_and_a_cent_below():
    # imp-rules.md §3.8 C14: named production, production stage, unionized, at or above the median wage
    def film(wage: float) -> dict:
        return _assess(
            _hire(
                "GB",
                position__noc_code="51120",
                position__capacity="other",
                position__work_type="film_tv_production",
                position__named_production=True,
                position__production_stage="production",
                position__union_occupation=True,
                position__wage_hourly_cad=wage,
                position__prevailing_wage_hourly_cad=40,
                position__duration_months=3,
                employer__reciprocity_agreement=False,
                **NO_FRENCH,
            )
        )

    assert film(40)["recommended"] == "C14"
    assert _criterion(film(39.99), "C14", "c14.high_wage") == "not_met"


def test_repair_under_warranty_is_business_visitor_work():
    # imp-rules.md §3.7: repairs under warranty or an after-sales contract are R186(a)/R187 business visitors
    d = _assess(
        _hire(
            "DE",
            position__noc_code="72400",
            position__capacity="technician",
            position__work_type="repair",
            position__repair_kind="under_warranty",
            position__canadian_jobs_at_risk=True,
            position__duration_months=1,
            **NO_FRENCH,
        )
    )
    assert _criterion(d, "C13", "c13.emergency_or_out_of_warranty") == "not_met"
    assert "business_visitor_repair" in {w["id"] for w in d["warnings"]}


def test_charitable_work_is_c50_then_c51():
    # imp-rules.md §2 and §3.13: charitable work was C50 until 2022-12-14, C51 from 2022-12-15
    facts = _hire(
        "KE",
        employer__kind="registered_charity",
        position__noc_code="42201",
        position__capacity="other",
        position__work_type="charitable",
        position__paid=True,
        position__start_date="2023-02-01",
        **NO_FRENCH,
    )
    assert _assess(facts, date(2022, 12, 14))["codes_fit"] == ["C50"]
    assert _assess(facts, date(2022, 12, 15))["codes_fit"] == ["C51"]


def _service_supplier(**more: Any) -> dict:
    base = {
        "position__noc_code": "21311",
        "position__work_type": "service_contract",
        "position__service_sector": "computer_services",
        "position__paid_by": "foreign_enterprise",
        "position__duration_months": 6,
        "position__licence_required": False,
        "worker__education_level": "bachelor",
        "worker__experience_years": 5,
        "foreign_enterprise__name": "Bitwerk GmbH",
        "foreign_enterprise__country": "DE",
        "foreign_enterprise__relationship": "service_contract",
        "foreign_enterprise__establishment_in_canada": False,
        "worker__employment": _job("2023-05-02", "professional", "DE"),
    }
    return _assess(_hire("DE", **{**base, **more}))


def test_t47_contractual_service_supplier_and_its_limits():
    # imp-rules.md §3.2 T47: employer with no establishment in Canada, >= 1 year its employee, 3 years' experience
    assert _service_supplier()["recommended"] == "T47"
    d = _service_supplier(foreign_enterprise__establishment_in_canada=True)
    assert _criterion(d, "T47", "fta.no_establishment_in_canada") == "not_met"
    d = _service_supplier(worker__employment=_job("2026-01-15", "professional", "DE"))
    assert _criterion(d, "T47", "css.employee_1y") == "not_met"


def test_t34_trade_share_must_exceed_half():
    # imp-rules.md §3.1 T34: more than 50 % of the entity's international trade is with the US/Mexico
    def trader(pct: float) -> dict:
        return _assess(
            _hire(
                "US",
                position__noc_code="00012",
                position__capacity="executive",
                employer__ownership_by_nationality={"US": 100},
                employer__substantial_trade=True,
                employer__trade_share_with_treaty_country_pct=pct,
            )
        )

    assert _criterion(trader(50), "T34", "fta.substantial_trade") == "not_met"
    assert "T34" in trader(50.5)["codes_fit"]


def test_business_size_at_the_r209_93_boundary():
    # §8 item 7: small = fewer than 100 employees OR less than $5 million; 100 and $5M is large
    def size(employees: int, revenue: float | None) -> str | None:
        d = _assess(_hire("US", employer__employees=employees, employer__gross_revenue_cad=revenue))
        return d["business_size"]["tier"]

    assert size(100, 5_000_000) == "large"
    assert size(99, 9_000_000) == "small"
    assert size(150, 4_999_999) == "small"
    assert size(100, None) is None


def test_where_an_eu_transferee_already_in_canada_applies_after_the_flagpoling_ban():
    # §8 item 8 and imp-rules.md §1.4: from 2024-12-24 a visitor in Canada (not US, not T36) applies online
    facts = _transferee(
        "FR", "FR", "executive", worker__in_canada=True, worker__current_permit_type="visitor"
    )
    d = _assess(facts)
    assert d["recommended"] == "T44" and d["where"]["place"] == "online-outside"
    assert not next(o for o in d["where"]["options"] if o["place"] == "POE")["allowed"]


def test_a_case_with_only_the_job_entered_lists_what_is_missing():
    # §5 "Unknown facts -> questions": nothing about the worker yet -> pending, the first questions, no LMIA
    facts = {"employer": {"name": "Harbourview Labs", "province": "ON"}, "position": {"noc_code": "21231"}}
    d = _assess(facts)
    assert (d["route"], d["recommended"], d["complete"]) == ("pending", None, False)
    assert {
        "worker.citizenships",
        "foreign_enterprise.relationship",
        "worker.current_permit_type",
    } <= _needed(d)
    assert d["employer_step"]["kind"] == "pending" and not d["reasons"]
