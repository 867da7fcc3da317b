"""Private holdout review of 2026-12-07, second round (helper R): invented cases written from IRCC's rules as an
outside checker would, for what the first round (test_holdout_review.py) did not reach: CUSMA traders and investors
(T34/T35), CUSMA professionals' professions and credentials (Appendix 2 to Annex 16-A), CETA and CUKTCA service
suppliers, independent professionals, technologists and investors, CPTPP and the bilateral agreements, C11/C60, C14,
C22, C50/C51, the 2022-12-14/15 renumbering of each code family, a rule changing during a job, NOC input errors,
dual nationals, Canadians and permanent residents, C16 in Quebec and answers missing. The expected outcome of each
case was decided from imp-rules.md (its §8 winning) and the IRCC page it cites before the engine was run. Where the
engine disagreed it was fixed (rules/README.md item 64). The people and companies are invented."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import rules

from .test_holdout_review import _assess, _job, _set, _transferee

BEFORE = date(2022, 12, 14)  # the last day of the old codes (imp-rules.md §2)
AFTER = date(2022, 12, 15)  # the first day of the new ones


def _criterion(d: dict, code: str, crit: str) -> str:
    for c in d["candidates"]:
        if c["code"] == code:
            for x in c["criteria"]:
                if x["id"] == crit:
                    return str(x["status"])
    for c in d["excluded"]:  # a failed gate: the code is excluded on that one criterion
        if c["code"] == code and c["criterion"] == crit:
            return "not_met"
    raise AssertionError(f"{code}/{crit} not evaluated: {[c['code'] for c in d['candidates']]}")


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


def _worker(citizen: str, **more: Any) -> dict[str, Any]:
    w: dict[str, Any] = {
        "citizenships": [citizen],
        "permanent_residences": [],
        "in_canada": False,
        "current_permit_type": "none",
        "residence_country": citizen,
        "ownership_pct": 0,
    }
    w.update(more)
    return w


def _professional(
    citizen: str, profession: str | None, noc: str, education: str = "bachelor", **more: Any
) -> dict[str, Any]:
    """A worker hired directly by an Ontario company for a professional job (no link abroad)."""
    facts: dict[str, Any] = {
        "employer": {
            "name": "Lakeshore Analytics Inc.",
            "kind": "business",
            "province": "ON",
            "employees": 80,
        },
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "Professional",
            "noc_code": noc,
            "work_type": "regular",
            "capacity": "professional",
            "wage_hourly_cad": 55,
            "hours_per_week": 40,
            "province": "ON",
            "city": "Toronto",
            "start_date": "2027-03-01",
            "duration_months": 24,
            "licence_required": False,
        },
        "worker": _worker(citizen, education_level=education, experience_years=6, profession=profession),
    }
    return _set(facts, **more)


def _owner_enterprise(
    citizen: str, ownership: dict[str, float], capacity: str = "executive", **more: Any
) -> dict[str, Any]:
    """A worker going to run (or work for) a Canadian company owned by foreign nationals (traders/investors)."""
    facts: dict[str, Any] = {
        "employer": {
            "name": "Prairie Import Co.",
            "kind": "business",
            "province": "MB",
            "actively_engaged": True,
            "ownership_by_nationality": ownership,
        },
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "General manager",
            "noc_code": "00015",
            "work_type": "regular",
            "capacity": capacity,
            "province": "MB",
            "city": "Winnipeg",
            "duration_months": 12,
        },
        "worker": _worker(citizen),
    }
    return _set(facts, **more)


def _service_supplier(citizen: str, self_employed: bool = False, **more: Any) -> dict[str, Any]:
    """A worker sent by a European firm with no Canadian establishment (or self-employed) to deliver a service
    contract to a Canadian client."""
    facts: dict[str, Any] = {
        "employer": {
            "name": "Maritime Ferries Ltd.",
            "kind": "business",
            "province": "NS",
            "actively_engaged": True,
        },
        "foreign_enterprise": {
            "name": "Nordkap Engineering",
            "country": citizen,
            "countries_of_operation": [citizen],
            "relationship": "service_contract",
            "establishment_in_canada": False,
            "doing_business": True,
        },
        "position": {
            "title": "Engineering consultant",
            "noc_code": "21301",
            "work_type": "service_contract",
            "capacity": "professional",
            "paid_by": "self" if self_employed else "foreign_enterprise",
            "province": "NS",
            "city": "Halifax",
            "start_date": "2027-04-05",
            "duration_months": 6,
            "service_sector": "engineering",
            "licence_required": False,
        },
        "worker": _worker(
            citizen,
            education_level="master",
            education_field="mechanical engineering",
            experience_years=7,
            self_employed=self_employed,
            employment=[
                {
                    "employer_name": "self-employed" if self_employed else "Nordkap Engineering",
                    "country": citizen,
                    "start_date": "2019-03-04",
                    "end_date": None,
                    "full_time": True,
                    "capacity": "professional",
                    "with_foreign_enterprise": not self_employed,
                }
            ],
        ),
    }
    return _set(facts, **more)


# --------------------------------------------------------------------------- CUSMA traders and investors (T34/T35)


def _us_trader(**more: Any) -> dict[str, Any]:
    more = {"employer__substantial_trade": True, "employer__trade_share_with_treaty_country_pct": 70, **more}
    return _owner_enterprise("US", {"US": 100}, **more)


def test_t34_trader_principally_with_the_us() -> None:
    """T34 (R204(a); CUSMA traders PDI, imp-rules.md §3.1): a US citizen directing a US-owned Canadian importer
    whose substantial trade is 70% between Canada and the United States is a CUSMA trader."""
    d = _assess(_us_trader())
    assert "T34" in d["codes_fit"]
    assert d["route"] == "IMP"
    assert d["durations"]["initial_max"] == 12 if d["recommended"] == "T34" else True


def test_t34_half_the_trade_is_not_principally() -> None:
    """T34 (imp-rules.md §3.1: "> 50% of the entity's international trade is between Canada and the US/MX"):
    exactly half is not "principally"; the trade criterion fails."""
    d = _assess(_us_trader(employer__trade_share_with_treaty_country_pct=50))
    assert "T34" not in d["codes_fit"]
    assert _criterion(d, "T34", "fta.substantial_trade") == "not_met"


def test_t34_before_and_after_the_renumbering() -> None:
    """T21 until 2022-12-14, T34 from 2022-12-15 (imp-rules.md §2, IRCC's code table): the same trader."""
    assert "T21" in _assess(_us_trader(), BEFORE)["codes_fit"]
    after = _assess(_us_trader(), AFTER)["codes_fit"]
    assert "T34" in after and "T21" not in after


def _us_investor(**more: Any) -> dict[str, Any]:
    more = {"worker__ownership_pct": 60, "worker__investment_substantial": True, **more}
    return _owner_enterprise("US", {"US": 60, "CA": 40}, **more)


def test_t35_investor_with_control() -> None:
    """T35 (CUSMA investors PDI, imp-rules.md §3.1): a US citizen who made a substantial investment in a Canadian
    company 60% US-owned, to develop and direct it, is a CUSMA investor; IRCC recommends applying before travel."""
    d = _assess(_us_investor())
    assert d["recommended"] == "T35"
    assert d["where"]["place"] != "POE"
    assert d["durations"]["initial_max"] == 12


def test_t35_half_us_owned_has_us_nationality() -> None:
    """T35 (imp-rules.md §3.1: the enterprise has US or MX nationality, ">= 50% owned by US/MX citizens"):
    50% is enough."""
    d = _assess(_us_investor(employer__ownership_by_nationality={"US": 50, "CA": 50}))
    assert _criterion(d, "T35", "cusma.enterprise_nationality") == "met"
    assert "T35" in d["codes_fit"]


def test_t35_minority_us_ownership_fails() -> None:
    """T35 (imp-rules.md §3.1): a company 40% owned by US nationals has no US nationality."""
    d = _assess(_us_investor(employer__ownership_by_nationality={"US": 40, "CA": 60}))
    assert _criterion(d, "T35", "cusma.enterprise_nationality") == "not_met"
    assert "T35" not in d["codes_fit"]


def test_t35_essential_employee_of_the_investor() -> None:
    """T35 (imp-rules.md §3.1: "employees of the investor qualify if supervisory/executive or essential-skilled"):
    a US specialist owning nothing, employed by the US-owned investing company, fits; a clerk does not."""
    facts = _us_investor(worker__ownership_pct=0, position__capacity="specialized_knowledge")
    assert "T35" in _assess(facts)["codes_fit"]
    clerk = _assess(_us_investor(worker__ownership_pct=0, position__capacity="other"))
    assert "T35" not in clerk["codes_fit"]
    assert _criterion(clerk, "T35", "fta.executive_or_essential") == "not_met"


def test_t35_green_card_holder_is_not_covered() -> None:
    """CUSMA nationality rule (imp-rules.md §3.1: permanent residents of the US are out): an Indian citizen with a
    US green card gets no T35."""
    facts = _us_investor(worker__citizenships=["IN"], worker__permanent_residences=["US"])
    d = _assess(facts)
    assert "T35" not in d["codes_fit"]
    assert d["recommended"] != "T35"


def test_t35_before_and_after_the_renumbering() -> None:
    """T22 until 2022-12-14, T35 from 2022-12-15 (imp-rules.md §2)."""
    assert _assess(_us_investor(), BEFORE)["recommended"] == "T22"
    assert _assess(_us_investor(), AFTER)["recommended"] == "T35"


def test_t35_investment_unknown_is_pending_not_lmia() -> None:
    """Missing facts (rules/README.md item 18): with the investment not answered the case waits on it (needed
    question), it is never "LMIA needed"."""
    facts = _us_investor()
    del facts["worker"]["investment_substantial"]
    d = _assess(facts)
    assert d["route"] == "pending"
    assert "worker.investment_substantial" in _needed(d)
    assert any(p["code"] == "T35" for p in d["pending"])


# --------------------------------------------------------------------------- CUSMA professionals (T36)


def test_t36_computer_systems_analyst_diploma_and_three_years() -> None:
    """T36, Computer Systems Analyst (CUSMA Appendix 2 to Annex 16-A: baccalaureate, or post-secondary diploma or
    certificate and three years' experience): a US analyst with a two-year diploma and 3 years fits."""
    facts = _professional(
        "US", "computer systems analyst", "21222", "post_secondary_2y", worker__experience_years=3
    )
    d = _assess(facts)
    assert d["recommended"] == "T36"


def test_t36_computer_systems_analyst_diploma_and_two_years_fails() -> None:
    """T36, Computer Systems Analyst: the diploma needs three years' experience; two are not enough."""
    facts = _professional(
        "US", "computer systems analyst", "21222", "post_secondary_2y", worker__experience_years=2
    )
    d = _assess(facts)
    assert "T36" not in d["codes_fit"]
    assert _criterion(d, "T36", "cusma.credential") == "not_met"


def test_t36_management_consultant_four_years_without_degree_fails() -> None:
    """T36, Management Consultant (Appendix 2: baccalaureate, or five years' experience as a consultant or in the
    related field): four years and no degree is short."""
    facts = _professional("MX", "management consultant", "11201", "secondary", worker__experience_years=4)
    d = _assess(facts)
    assert _criterion(d, "T36", "cusma.credential") == "not_met"
    five = _assess(
        _professional("MX", "management consultant", "11201", "secondary", worker__experience_years=5)
    )
    assert _criterion(five, "T36", "cusma.credential") == "met"


def test_t36_engineer_with_a_state_licence_and_no_degree() -> None:
    """T36, Engineer (Appendix 2: baccalaureate or licenciatura, or state/provincial licence)."""
    facts = _professional("US", "engineer", "21301", "post_secondary_3y", worker__professional_licence=True)
    assert _assess(facts)["recommended"] == "T36"


def test_t36_scientific_technician_supporting_engineers() -> None:
    """T36, Scientific Technician/Technologist (Appendix 2, imp-rules.md §3.1, item 46): a US technologist with a
    two-year diploma in a testing lab is one, and the case says the work must directly support professionals."""
    facts = _professional(
        "US",
        "scientific technician",
        "22300",
        "post_secondary_2y",
        worker__education_field="civil engineering",
    )
    d = _assess(facts)
    assert d["recommended"] == "T36"
    assert "cusma_technician_direct_support" in {w["id"] for w in d["warnings"]}


def test_t36_scientific_technician_in_a_construction_trade_fails() -> None:
    """T36 (imp-rules.md §3.1: "construction trades excluded"): a carpenter called a technician is not one."""
    d = _assess(_professional("US", "scientific technician", "72310", "post_secondary_2y"))
    assert _criterion(d, "T36", "cusma.profession") == "not_met"


def test_t36_physician_teaching_at_a_university() -> None:
    """T36, Physician (teaching or research only) (Appendix 2: M.D. or state/provincial licence): a US physician
    hired to teach and do research at a medical faculty (NOC 41200) fits."""
    facts = _professional("US", "Physician (teaching or research only)", "41200", "doctorate")
    assert _assess(facts)["recommended"] == "T36"


def test_t36_physician_in_clinical_practice_fails() -> None:
    """T36, Physician (Appendix 2 lists it as "Physician (teaching or research only)"; imp-rules.md §3.1: "no
    direct patient care beyond incidental"): a family physician's job (NOC 31102) is patient care, whatever the
    profession typed — the profession criterion fails (item 64)."""
    facts = _professional("US", "Physician (teaching or research only)", "31102", "doctorate")
    d = _assess(facts)
    assert "T36" not in d["codes_fit"]
    assert _criterion(d, "T36", "cusma.profession") == "not_met"
    plain = _assess(_professional("US", "physician", "31102", "doctorate"))
    assert "T36" not in plain["codes_fit"]


def test_t36_mexican_nurse_with_licenciatura_still_needs_the_provincial_licence() -> None:
    """T36, Registered Nurse (Appendix 2: state/provincial licence or licenciatura; imp-rules.md §3.1 item 6:
    registered nurses need the licence of the province of destination): the licenciatura meets the credential,
    the missing Ontario licence fails the licence criterion."""
    facts = _professional(
        "MX",
        "registered nurse",
        "31301",
        "bachelor",
        position__licence_required=True,
        worker__canadian_licence=False,
    )
    d = _assess(facts)
    assert _criterion(d, "T36", "cusma.credential") == "met"
    assert _criterion(d, "T36", "fta.licence") == "not_met"
    assert "T36" not in d["codes_fit"]


def test_t36_librarian_needs_a_masters() -> None:
    """T36, Librarian (Appendix 2: M.L.S. or M.L.I.S.): a bachelor's degree is not the credential."""
    d = _assess(_professional("US", "librarian", "51100", "bachelor"))
    assert _criterion(d, "T36", "cusma.credential") == "not_met"


def test_t36_dual_us_and_french_citizen() -> None:
    """CUSMA nationality (imp-rules.md §3.1) with a second citizenship: a US and French engineer is a US citizen,
    T36 fits (France gives nothing more for a direct hire)."""
    facts = _professional(
        "US", "engineer", "21301", worker__citizenships=["FR", "US"], worker__passport_country="US"
    )
    d = _assess(facts)
    assert d["recommended"] == "T36"


def test_t36_before_and_after_the_renumbering() -> None:
    """T23 until 2022-12-14, T36 from 2022-12-15 (imp-rules.md §2)."""
    facts = _professional("US", "economist", "41401")
    assert _assess(facts, BEFORE)["recommended"] == "T23"
    assert _assess(facts, AFTER)["recommended"] == "T36"


# --------------------------------------------------------------------------- CETA and CUKTCA service suppliers


def test_t47_contractual_service_supplier_with_two_years_fails() -> None:
    """T47 (CETA CSS/IP page, imp-rules.md §3.2: >= 3 years' professional experience in the sector)."""
    d = _assess(_service_supplier("DK", worker__experience_years=2))
    assert "T47" not in d["codes_fit"]
    assert _criterion(d, "T47", "css.experience") == "not_met"
    assert "T47" in _assess(_service_supplier("DK"))["codes_fit"]


def test_t47_firm_with_a_canadian_establishment_fails() -> None:
    """T47 (imp-rules.md §3.2: an employee of an EU enterprise that has no establishment in Canada)."""
    d = _assess(_service_supplier("DK", foreign_enterprise__establishment_in_canada=True))
    assert _criterion(d, "T47", "fta.no_establishment_in_canada") == "not_met"
    assert "T47" not in d["codes_fit"]


def test_t43_independent_professional_with_five_years_fails() -> None:
    """T43 (imp-rules.md §3.2: self-employed, >= 6 years' professional experience)."""
    d = _assess(_service_supplier("AT", self_employed=True, worker__experience_years=5))
    assert _criterion(d, "T43", "ip.experience") == "not_met"
    assert "T43" not in d["codes_fit"]
    assert "T43" in _assess(_service_supplier("AT", self_employed=True))["codes_fit"]


def test_t47_permit_capped_at_twelve_months() -> None:
    """T47 (imp-rules.md §8 item 9): a 20-month contract still fits, the permit is capped."""
    d = _assess(_service_supplier("DK", position__duration_months=20))
    assert d["recommended"] == "T47"
    assert "service_supplier_cap" in {w["id"] for w in d["warnings"]}


def test_uk_service_supplier_t47_then_f66() -> None:
    """CUKTCA (imp-rules.md §2): a British contractual service supplier is T47 until 2022-12-14, F66 from
    2022-12-15."""
    assert _assess(_service_supplier("GB"), BEFORE)["recommended"] == "T47"
    assert _assess(_service_supplier("GB"), AFTER)["recommended"] == "F66"


def test_uk_independent_professional_t43_then_f60() -> None:
    """CUKTCA (imp-rules.md §2): a British independent professional is T43 until 2022-12-14, F60 from
    2022-12-15."""
    facts = _service_supplier("GB", self_employed=True)
    assert _assess(facts, BEFORE)["recommended"] == "T43"
    assert _assess(facts, AFTER)["recommended"] == "F60"


def test_t48_technologist_with_three_years_of_chemistry_technology() -> None:
    """T48 (CETA engineering and scientific technologists page, imp-rules.md §3.2): a Belgian chemical technologist
    with a three-year diploma, employed two years by a Belgian firm with no Canadian office, 4 years' experience."""
    facts = _service_supplier(
        "BE",
        position__noc_code="22100",
        position__title="Chemical technologist",
        position__service_sector="technical_testing",
        worker__education_level="post_secondary_3y",
        worker__education_field="chemical engineering technology",
        worker__experience_years=4,
    )
    d = _assess(facts)
    assert "T48" in d["codes_fit"]


def _eu_investor(citizen: str = "DE", **more: Any) -> dict[str, Any]:
    return _owner_enterprise(
        citizen,
        {citizen: 75, "CA": 25},
        worker__ownership_pct=75,
        worker__investment_substantial=True,
        **more,
    )


def test_t46_ceta_investor() -> None:
    """T46 (CETA investors page, imp-rules.md §3.2): a German who invested in a company 75% German-owned and will
    direct it is a CETA investor; initial 1 year."""
    d = _assess(_eu_investor())
    assert "T46" in d["codes_fit"]
    assert d["recommended"] == "T46"


def test_uk_investor_t46_then_f65() -> None:
    """CUKTCA investors (imp-rules.md §2): T46 until 2022-12-14, F65 from 2022-12-15."""
    facts = _eu_investor("GB")
    assert _assess(facts, BEFORE)["recommended"] == "T46"
    assert _assess(facts, AFTER)["recommended"] == "F65"


def test_uk_investor_in_the_2021_gap() -> None:
    """imp-rules.md §8 item 6: from 2021-01-01 to 2021-03-31 no agreement covers UK citizens; CETA's T46 does not
    fit a British investor on 2021-02-15."""
    d = _assess(_eu_investor("GB"), date(2021, 2, 15))
    assert "T46" not in d["codes_fit"]


# --------------------------------------------------------------------------- CPTPP and bilateral agreements


def test_t50_japanese_investor_never_at_the_border() -> None:
    """T50 (IRCC T50 page; imp-rules.md §8 item 2): a Japanese investor fits, and may not apply at a port of entry."""
    facts = _owner_enterprise(
        "JP", {"JP": 80, "CA": 20}, worker__ownership_pct=80, worker__investment_substantial=True
    )
    d = _assess(facts)
    assert d["recommended"] == "T50"
    assert d["where"]["place"] != "POE"


def test_t50_singaporean_investor_is_not_covered() -> None:
    """T50 (imp-rules.md §8 item 2: not New Zealand, Singapore or Malaysia)."""
    facts = _owner_enterprise(
        "SG", {"SG": 80, "CA": 20}, worker__ownership_pct=80, worker__investment_substantial=True
    )
    d = _assess(facts)
    assert "T50" not in d["codes_fit"]


def test_korea_f32_professional_on_the_list() -> None:
    """F32 (imp-rules.md §2: Korea CSS and IP; R204(a)): a Korean engineer whose occupation is on Korea's list,
    with a degree, fits; before 2022-12-15 the code was T23."""
    facts = _professional("KR", "engineer", "21301", position__fta_listed_occupation=True)
    assert "F32" in _assess(facts)["codes_fit"]
    assert "T23" in _assess(facts, BEFORE)["codes_fit"]


def test_panama_f42_permanent_resident() -> None:
    """F42 (IRCC Panama pages: "citizens and permanent residents of Panama"; item 53): a Venezuelan permanent
    resident of Panama in a listed profession fits."""
    facts = _professional(
        "VE",
        "engineer",
        "21301",
        worker__permanent_residences=["PA"],
        worker__residence_country="PA",
        position__fta_listed_occupation=True,
    )
    assert "F42" in _assess(facts)["codes_fit"]


def test_chile_professional_is_citizens_only() -> None:
    """F22 (imp-rules.md §3.3, item 48: Chile's chapter covers citizens only): a Chilean permanent resident who is
    an Argentine citizen gets no F22; a Chilean citizen does, T23 before 2022-12-15."""
    pr = _professional(
        "AR", "engineer", "21301", worker__permanent_residences=["CL"], position__fta_listed_occupation=True
    )
    assert "F22" not in _assess(pr)["codes_fit"]
    cit = _professional("CL", "engineer", "21301", position__fta_listed_occupation=True)
    assert "F22" in _assess(cit)["codes_fit"]
    assert "T23" in _assess(cit, BEFORE)["codes_fit"]


# --------------------------------------------------------------------------- C11 / C60, C14, C22, C50 / C51


def _owner_operator(pct: float, **more: Any) -> dict[str, Any]:
    """A Brazilian opening a fishing lodge in Yukon for the season (worked case 16's shape)."""
    facts: dict[str, Any] = {
        "employer": {
            "name": "Klondike Lake Lodge Ltd.",
            "kind": "business",
            "province": "YT",
            "actively_engaged": False,
            "start_up": True,
            "physical_premises": True,
            "ownership_by_nationality": {"BR": 100},
        },
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "Owner/operator",
            "noc_code": "88888",
            "work_type": "regular",
            "capacity": "executive",
            "province": "YT",
            "city": "Whitehorse",
            "start_date": "2027-05-01",
            "end_date": "2027-09-30",
            "significant_benefit": True,
        },
        "worker": _worker(
            "BR",
            ownership_pct=pct,
            temporary_intent=True,
            support_funds=True,
            business_funds=True,
            provincial_business_candidate=False,
        ),
    }
    return _set(facts, **more)


def test_c11_owner_of_51_percent() -> None:
    """C11 (IRCC's C11 update of 2025-05-27, item 40: at least 51% from that day): 51% fits, 50% does not in 2026."""
    assert _assess(_owner_operator(51))["recommended"] == "C11"
    half = _assess(_owner_operator(50))
    assert _criterion(half, "C11", "c11.ownership") == "not_met"
    assert "C11" not in half["codes_fit"]


def test_c60_provincial_business_candidate_c11_before() -> None:
    """C60 (imp-rules.md §2: provincial business candidates, C11 until 2022-12-14)."""
    facts = _owner_operator(100, worker__provincial_business_candidate=True)
    assert _assess(facts)["recommended"] == "C60"
    assert _assess(facts, BEFORE)["recommended"] == "C11"


def _film(stage: str) -> dict[str, Any]:
    return {
        "employer": {"name": "Fraser Valley Pictures Inc.", "kind": "business", "province": "BC"},
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "Director of photography",
            "noc_code": "52112",
            "work_type": "film_tv_production",
            "capacity": "professional",
            "wage_hourly_cad": 90,
            "prevailing_wage_hourly_cad": 45,
            "province": "BC",
            "start_date": "2027-06-01",
            "end_date": "2027-08-31",
            "named_production": True,
            "production_stage": stage,
            "union_occupation": True,
        },
        "worker": _worker("NZ"),
    }


def test_c14_production_stage_only() -> None:
    """C14 (C14 PDI, imp-rules.md §3.8): essential to a named production in the production (filming) stage; the
    same job in post-production is not C14."""
    assert _assess(_film("production"))["recommended"] == "C14"
    post = _assess(_film("post_production"))
    assert _criterion(post, "C14", "c14.production_stage") == "not_met"
    assert "C14" not in post["codes_fit"]


def _faith(work_type: str, paid: bool) -> dict[str, Any]:
    return {
        "employer": {"name": "St. Brendan Mission", "kind": "religious_organization", "province": "NL"},
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "Outreach worker",
            "noc_code": "42204" if work_type == "religious" else "42201",
            "work_type": work_type,
            "capacity": "other",
            "paid": paid,
            "province": "NL",
            "city": "Corner Brook",
            "start_date": "2027-01-10",
            "duration_months": 12,
        },
        "worker": _worker("PH"),
    }


def test_c50_religious_work_unpaid_fee_exempt() -> None:
    """C50 (imp-rules.md §3.13): religious duties; unremunerated, the compliance fee is exempt (R303.1(5)), the
    offer is still submitted."""
    d = _assess(_faith("religious", paid=False))
    assert d["recommended"] == "C50"
    assert d["employer_step"]["kind"] == "offer, fee-exempt"


def test_c51_charitable_work_c50_before() -> None:
    """C51 (imp-rules.md §2: charitable work, C50 until 2022-12-14)."""
    d = _faith("charitable", paid=True)
    assert _assess(d)["recommended"] == "C51"
    assert _assess(d, BEFORE)["recommended"] == "C50"


# --------------------------------------------------------------------------- inputs, status, edges


def test_unknown_noc_is_refused_naming_the_field() -> None:
    """Input: 99999 is no NOC 2021 unit group (rules/README.md Public API): FactsError naming the field."""
    with pytest.raises(rules.FactsError) as e:
        rules.facts_from_dict(_professional("US", "engineer", "99999"))
    assert e.value.field == "position.noc_code"


def test_noc_2016_code_is_refused_with_its_2021_units() -> None:
    """Input: a NOC 2016 code (2131, civil engineers) is not a NOC 2021 code; refused naming the field, and the
    concordance gives the 2021 unit (21300) to use instead."""
    with pytest.raises(rules.FactsError) as e:
        rules.facts_from_dict(_professional("US", "engineer", "2131"))
    assert e.value.field == "position.noc_code"
    assert "21300" in {u.code for u in rules.noc2016_to_2021("2131")}


def test_canadian_dual_citizen_needs_no_permit() -> None:
    """IRPA s. 2(1), 30(1) (item 19): a Canadian and US citizen needs no work permit, whatever code would fit."""
    d = _assess(_professional("US", "engineer", "21301", worker__citizenships=["US", "CA"]))
    assert d["route"] == "no_permit"
    assert d["recommended"] is None


def test_permanent_resident_of_canada_needs_no_permit() -> None:
    """IRPA s. 2(1): a permanent resident of Canada is no foreign national."""
    d = _assess(_professional("IN", None, "21301", worker__permanent_residences=["CA"]))
    assert d["route"] == "no_permit"


def _francophone(province: str, noc: str = "63200", **more: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "employer": {"name": "Bistro du Quai", "kind": "business", "province": province},
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "Cook",
            "noc_code": noc,
            "work_type": "regular",
            "capacity": "other",
            "province": province,
            "start_date": "2027-04-01",
            "duration_months": 24,
        },
        "worker": _worker(
            "SN", french_nclc_speaking=7, french_nclc_listening=7, french_proof="tcf_canada", english_clb=3
        ),
    }
    return _set(facts, **more)


def test_c16_job_in_quebec_is_not_eligible() -> None:
    """C16 (imp-rules.md §3.9: destined to live and work outside Quebec)."""
    d = _assess(_francophone("QC"))
    assert _criterion(d, "C16", "c16.outside_quebec") == "not_met"
    assert "C16" not in d["codes_fit"]
    assert d["recommended"] != "C16"
    assert _assess(_francophone("NB"))["recommended"] == "C16"


def test_c16_rule_of_the_application_day_not_of_the_job() -> None:
    """A rule changing during the job (imp-rules.md §3.9: TEER 0-5 for applications on/after 2023-06-15): a TEER 3
    cook (63200) applying on 2023-06-14 for a job starting in July is judged by the rule then (TEER 0-3: fits);
    a TEER 5 job applied for on 2023-06-14 does not fit, on 2023-06-15 it does."""
    labourer = _francophone("NB", "65310", position__start_date="2023-07-01")
    assert "C16" not in _assess(labourer, date(2023, 6, 14))["codes_fit"]
    assert "C16" in _assess(labourer, date(2023, 6, 15))["codes_fit"]


def test_missing_education_is_pending_with_the_question() -> None:
    """Missing facts (item 18): a US engineer whose education and licence are not given waits on them."""
    facts = _professional("US", "engineer", "21301")
    del facts["worker"]["education_level"]
    d = _assess(facts)
    assert d["route"] == "pending"
    assert d["recommended"] is None
    assert "worker.education_level" in _needed(d) or "worker.professional_licence" in _needed(d)
    assert d["employer_step"]["kind"] == "pending"


def test_t36_registered_nurse_in_clinical_care_is_not_limited_to_teaching() -> None:
    """T36, Registered Nurse (Appendix 2: state/provincial licence or licenciatura; only the physician is "teaching
    or research only"): a US nurse licensed in Ontario for a hospital ward fits."""
    facts = _professional(
        "US",
        "registered nurse",
        "31301",
        worker__professional_licence=True,
        position__licence_required=True,
        worker__canadian_licence=True,
    )
    assert _assess(facts)["recommended"] == "T36"


def test_t47_irish_and_indian_dual_national() -> None:
    """CETA nationality (imp-rules.md §3.2) with a second citizenship: an Irish and Indian engineer of an Irish
    firm is an EU citizen, T47 fits on the Irish passport."""
    facts = _service_supplier("IE", worker__citizenships=["IN", "IE"], worker__passport_country="IE")
    assert _assess(facts)["recommended"] == "T47"


def test_unknown_citizenship_is_pending() -> None:
    """Missing facts (item 18): with the citizenship unknown nothing can be decided (a Canadian needs no permit, an
    agreement may apply): pending, the citizenship asked, never "LMIA needed"."""
    facts = _professional("US", "engineer", "21301")
    del facts["worker"]["citizenships"]
    d = _assess(facts)
    assert d["route"] == "pending"
    assert "worker.citizenships" in _needed(d)


def test_c14_paid_exactly_the_median() -> None:
    """C14 (C14 PDI, imp-rules.md §3.8: "high wage (at or above the median wage for the occupation and province)")."""
    facts = _film("production")
    facts["position"]["wage_hourly_cad"] = facts["position"]["prevailing_wage_hourly_cad"]
    assert _criterion(_assess(facts), "C14", "c14.high_wage") == "met"


def _visiting(months: int, kind: str = "university", kept: bool = True) -> dict[str, Any]:
    return {
        "employer": {"name": "Université de l'Estuaire", "kind": kind, "province": "NB"},
        "foreign_enterprise": {"relationship": "none"},
        "position": {
            "title": "Visiting professor",
            "noc_code": "41200",
            "work_type": "visiting_professor",
            "capacity": "professional",
            "province": "NB",
            "city": "Moncton",
            "start_date": "2027-08-30",
            "duration_months": months,
        },
        "worker": _worker(
            "BE", education_level="doctorate", retains_position_abroad=kept, position_abroad_letter=kept
        ),
    }


def test_c22_visiting_professor_limits() -> None:
    """C22 (C22 PDI, imp-rules.md §3.12: visiting professors for at most two academic years who keep their position
    abroad, at a post-secondary institution): 20 months fits; 30 months, a position not kept, or a business host
    does not."""
    assert "C22" in _assess(_visiting(20))["codes_fit"]
    assert _criterion(_assess(_visiting(30)), "C22", "c22.terms") == "not_met"
    assert _criterion(_assess(_visiting(20, kept=False)), "C22", "c22.terms") == "not_met"
    assert _criterion(_assess(_visiting(20, kind="business")), "C22", "c22.institution") == "not_met"


def _trader(citizen: str) -> dict[str, Any]:
    return _owner_enterprise(
        citizen,
        {citizen: 100},
        employer__substantial_trade=True,
        employer__trade_share_with_treaty_country_pct=70,
    )


def _investor(citizen: str) -> dict[str, Any]:
    return _owner_enterprise(
        citizen, {citizen: 90, "CA": 10}, worker__ownership_pct=90, worker__investment_substantial=True
    )


def _listed_professional(citizen: str) -> dict[str, Any]:
    return _professional(citizen, "engineer", "21301", position__fta_listed_occupation=True)


@pytest.mark.parametrize(
    ("builder", "citizen", "old", "new"),
    [
        (_trader, "CL", "T21", "F20"),
        (_investor, "CL", "T22", "F21"),
        (_trader, "CO", "T21", "F10"),
        (_investor, "CO", "T22", "F11"),
        (_listed_professional, "CO", "T23", "F12"),
        (_trader, "KR", "T21", "F30"),
        (_investor, "KR", "T22", "F31"),
        (_listed_professional, "PA", "T23", "F42"),
        (_trader, "PE", "T21", "F50"),
        (_investor, "PE", "T22", "F51"),
        (_listed_professional, "PE", "T23", "F52"),
    ],
)
def test_bilateral_agreements_renumbered_on_2022_12_15(
    builder: Any, citizen: str, old: str, new: str
) -> None:
    """The bilateral agreements' codes (imp-rules.md §2, IRCC's code table): the T21-T23 codes every agreement
    shared until 2022-12-14, the agreement's own F-code from 2022-12-15 — for the same worker."""
    facts = builder(citizen)
    before, after = _assess(facts, BEFORE), _assess(facts, AFTER)
    assert old in before["codes_fit"] and new not in before["codes_fit"]
    assert new in after["codes_fit"] and old not in after["codes_fit"]


def test_uk_technologist_t48_then_f67() -> None:
    """CUKTCA technologists (imp-rules.md §2): T48 until 2022-12-14, F67 from 2022-12-15."""
    facts = _service_supplier(
        "GB",
        position__noc_code="22100",
        position__service_sector="technical_testing",
        worker__education_level="post_secondary_3y",
        worker__education_field="chemistry",
        worker__experience_years=4,
    )
    assert "T48" in _assess(facts, BEFORE)["codes_fit"]
    after = _assess(facts, AFTER)["codes_fit"]
    assert "F67" in after and "T48" not in after


@pytest.mark.parametrize(
    ("citizen", "capacity", "noc", "old", "new"),
    [
        ("GB", "manager", "00012", "T44", "F61"),
        ("GB", "trainee", "11200", "T44", "F62"),
        ("CL", "manager", "00012", "T24", "F23"),
        ("CL", "specialized_knowledge", "21231", "T24", "F24"),
        ("CO", "manager", "00012", "T24", "F13"),
        ("CO", "trainee", "11200", "T24", "F14"),
        ("CO", "specialized_knowledge", "21231", "T24", "F15"),
        ("KR", "manager", "00012", "T24", "F33"),
        ("KR", "trainee", "11200", "T24", "F34"),
        ("KR", "specialized_knowledge", "21231", "T24", "F35"),
        ("PE", "manager", "00012", "T24", "F53"),
        ("PE", "trainee", "11200", "T24", "F54"),
        ("PE", "specialized_knowledge", "21231", "T24", "F55"),
        ("BR", "manager", "00012", "C12", "C62"),
    ],
)
def test_transferees_renumbered_on_2022_12_15(
    citizen: str, capacity: str, noc: str, old: str, new: str
) -> None:
    """The agreements' and R205(a) intra-company transferees (imp-rules.md §2): T44 (CUKTCA, under CETA's codes
    until 2022-12-14), T24 (every bilateral agreement) and C12 until 2022-12-14, each agreement's own code from
    2022-12-15 — the same transferee, with the group since 2019."""
    facts = _transferee(
        citizen,
        citizen,
        capacity,
        noc,
        worker__employment=_job("2019-01-07", capacity, citizen),
        worker__education_level="bachelor",
    )
    before, after = _assess(facts, BEFORE), _assess(facts, AFTER)
    assert old in before["codes_fit"] and new not in before["codes_fit"]
    assert new in after["codes_fit"] and old not in after["codes_fit"]


def test_t36_research_assistant_only_at_a_post_secondary_institution() -> None:
    """T36, Research Assistant (CUSMA Appendix 2 to Annex 16-A: "Research Assistant (working in a post-secondary
    educational institution)", baccalaureate): a US biology graduate assisting research at a university fits; the
    same job at a biotech company is not that profession (item 64)."""
    university = _professional("US", "research assistant", "21110", employer__kind="university")
    assert _assess(university)["recommended"] == "T36"
    company = _assess(_professional("US", "research assistant", "21110", employer__kind="business"))
    assert "T36" not in company["codes_fit"]
    assert _criterion(company, "T36", "cusma.profession") == "not_met"


def test_c11_job_spanning_the_2025_update() -> None:
    """A rule changing on the application day (IRCC's C11 update of 2025-05-27, item 44: permits of at most 18
    months): a 24-month season-to-season lodge job starting 2025-06-02 has no C11 limit applied on 2025-05-26, and
    a first permit of 18 months, with the warning, applied for on 2025-05-27."""
    facts = _owner_operator(60, position__start_date="2025-06-02", position__end_date="2027-05-31")
    before = _assess(facts, date(2025, 5, 26))
    after = _assess(facts, date(2025, 5, 27))
    assert before["recommended"] == after["recommended"] == "C11"
    assert "initial_max" not in before["durations"]
    assert after["durations"]["initial_max"] == 18
    assert "job_longer_than_first_permit" in {w["id"] for w in after["warnings"]}


def test_nafta_to_cusma_keeps_t23() -> None:
    """NAFTA replaced by CUSMA on 2020-07-01 (imp-rules.md §3.1; rules/README.md departure 4: NAFTA treated with the
    CUSMA criteria): a US economist is T23 on both sides of the change, T36 only from 2022-12-15."""
    facts = _professional("US", "economist", "41401")
    assert _assess(facts, date(2020, 6, 30))["recommended"] == "T23"
    assert _assess(facts, date(2020, 7, 1))["recommended"] == "T23"


def test_annex_10e_note_when_the_sector_alone_decides() -> None:
    """imp-rules.md §8 item 12 (the CETA Annex 10-E sector list is still to verify; "say so in the UI where they
    decide an outcome"): an Irish independent professional with 6 years whose contract is in advertising fails T43
    on the sector alone — the note is given there too, not only when T43 is recommended (item 64); a supplier who
    also lacks the experience fails anyway, and is not given it."""
    ip = _assess(_service_supplier("IE", self_employed=True, position__service_sector="advertising"))
    assert "T43" not in ip["codes_fit"]
    assert _criterion(ip, "T43", "ip.sector") == "not_met"
    assert "ceta_annex_10e" in {t["id"] for t in ip["to_verify"]}
    short = _assess(
        _service_supplier("IE", worker__experience_years=2, position__service_sector="education"),
    )
    assert "ceta_annex_10e" not in {t["id"] for t in short["to_verify"]}


def test_clinical_physician_is_not_asked_the_cusma_profession() -> None:
    """T36 (Appendix 2: "Physician (teaching or research only)"; item 64): a US family physician's job (NOC 31102)
    with the profession not given is in no listed profession — T36 does not wait for the profession or a licence."""
    facts = _professional("US", None, "31102", "doctorate")
    del facts["worker"]["profession"]
    d = _assess(facts)
    assert "T36" not in {p["code"] for p in d["pending"]}
    assert "worker.profession" not in _needed(d)
