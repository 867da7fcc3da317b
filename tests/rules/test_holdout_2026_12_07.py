"""Holdout cases of 2026-12-07 (helper J): situations written from IRCC's pages as an outside checker would, at the
boundaries the worked cases do not reach (the 2022-12-15 renumbering, caps and durations, age limits, citizenship
combinations, NOC/TEER lists, part-time and self-employment, spouses, nothing fitting, answers missing). Each case
cites the page it is written from. Where the engine disagreed with the page it was fixed (rules/README.md item 48);
the others pass as they are. The people and companies are invented."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from .conftest import assess_case

Change = Callable[[dict[str, Any]], None]

RENUMBERED = date(2022, 12, 15)  # codes_change_2022: IRCC's new LMIA exemption codes
EVE = date(2022, 12, 14)


def _set(**paths: Any) -> Change:
    """A change setting ``section__field`` facts."""

    def change(f: dict[str, Any]) -> None:
        for path, value in paths.items():
            section, field = path.split("__")
            f.setdefault(section, {})[field] = value

    return change


def _all(*changes: Change) -> Change:
    def change(f: dict[str, Any]) -> None:
        for ch in changes:
            ch(f)

    return change


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


def _status(d: dict, code: str, crit: str) -> str:
    for c in d["candidates"]:
        if c["code"] == code:
            return next(x["status"] for x in c["criteria"] if x["id"] == crit)
    raise AssertionError(f"{code} not evaluated")


def _not_fit(d: dict, *codes: str) -> None:
    assert not set(codes) & set(d["codes_fit"]), d["codes_fit"]


def _employment(start: str, capacity: str, country: str, **more: Any) -> Change:
    """The worker's job with the related foreign enterprise, from ``start`` and going on."""

    def change(f: dict[str, Any]) -> None:
        f["worker"]["employment"] = [
            {
                "employer_name": "Parent group",
                "country": country,
                "start_date": start,
                "end_date": None,
                "full_time": True,
                "capacity": capacity,
                "with_foreign_enterprise": True,
                **more,
            }
        ]

    return change


# ====================================================================== renumbering on 2022-12-15


def _chilean_engineer(f: dict[str, Any]) -> None:
    f["worker"].update(citizenships=["CL"], residence_country="CL")
    f["position"].update(fta_listed_occupation=True, prevailing_wage_hourly_cad=40)


@pytest.mark.parametrize(("on", "code"), [(EVE, "T23"), (RENUMBERED, "F22")])
def test_chilean_professional_is_t23_until_the_renumbering_then_f22(on, code):
    """IRCC's notice of the new LMIA exemption codes (codes_change_2022, 2022-12-16) and the code table
    (exemption-codes.html): Chile FTA professionals were coded T23 (the NAFTA-model code) until 2022-12-14 and F22
    from 2022-12-15. A Chilean civil engineer (worked case 01's job)."""
    d = assess_case("case01-us-civil-engineer", _chilean_engineer, on)
    assert d["recommended"] == code and d["codes_fit"] == [code]


def _uk_specialist(f: dict[str, Any]) -> None:
    f["worker"].update(citizenships=["GB"], residence_country="GB", specialized_knowledge=True)
    f["foreign_enterprise"].update(country="GB", countries_of_operation=["GB", "US"])
    f["position"].update(
        capacity="specialized_knowledge", noc_code="21231", wage_hourly_cad=60, prevailing_wage_hourly_cad=50
    )
    _employment("2019-03-04", "specialized_knowledge", "GB")(f)


@pytest.mark.parametrize(("on", "codes"), [(EVE, ["T44", "C12"]), (RENUMBERED, ["F63", "C63"])])
def test_uk_specialist_transferee_codes_either_side_of_the_renumbering(on, codes):
    """Code table and the 2022 notice: a UK specialist transferee under CUKTCA (in force 2021-04-01) was filed under
    the CETA code T44 until 2022-12-14 and F63 from 2022-12-15; the R205(a) specialist code C12 became C63 the same
    day (intra-company transferees PDI). Both fit; the agreement code is recommended (imp-rules.md §5 tie-break: a
    36-month job within CUKTCA's 54-month cap)."""
    d = assess_case("case02-us-executive", _uk_specialist, on)
    assert d["codes_fit"] == codes and d["recommended"] == codes[0]


@pytest.mark.parametrize(("on", "code"), [(EVE, "T44"), (RENUMBERED, "T42")])
def test_ceta_graduate_trainee_is_t44_until_the_renumbering_then_t42(on, code):
    """Code table / 2022 notice: CETA graduate trainees shared T44 until 2022-12-14, T42 from 2022-12-15. Worked
    case 10's German trainee, with 14 months in the Munich programme by then."""
    d = assess_case("case10-german-graduate-trainee", _employment("2021-09-01", "trainee", "DE"), on)
    assert d["recommended"] == code


@pytest.mark.parametrize(("on", "code"), [(EVE, "C50"), (RENUMBERED, "C51")])
def test_charitable_care_worker_is_c50_until_the_renumbering_then_c51(on, code):
    """C51 PDI (charitable work, "was C50 before 2022-12-15") and the code table: worked case 30's live-in assistant
    of a charity is coded C50 the day before and C51 from the day."""
    d = assess_case("case30-paid-charitable-care-worker", on=on)
    assert d["recommended"] == code and d["employer_step"]["kind"] == "offer+fee"


@pytest.mark.parametrize(("on", "code"), [(EVE, "C20"), (RENUMBERED, "C26")])
def test_hockey_player_is_c20_until_the_renumbering_then_c26(on, code):
    """Code table: coaches and athletes of Canadian-based teams were under C20 until 2022-12-14, C26 from
    2022-12-15 (worked case 24's Swedish AHL player)."""
    d = assess_case("case24-swedish-hockey-player", on=on)
    assert d["recommended"] == code


# ====================================================================== durations and caps


def test_ceta_executive_past_the_4_5_year_cap_falls_back_on_c62():
    """CETA transferees PDI (3 years + 18 months, at most 4.5 years) and the intra-company transferees PDI
    (executives 7 years, pooled across R204(a) and R205(a)): a German executive who has spent 54 months in Canada
    as a transferee has no CETA time left, but 30 months of C62's seven years."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["DE"], residence_country="DE", ict_months_used=54)
        f["foreign_enterprise"].update(country="DE", countries_of_operation=["DE", "GB"])
        f["position"]["duration_months"] = 24

    d = assess_case("case02-us-executive", change)
    assert _status(d, "T44", "ict.cap_left_54") == "not_met"
    assert d["recommended"] == "C62" and d["codes_fit"] == ["C62"]
    assert d["durations"]["ict_cap_remaining"] == 30


def test_cusma_executive_at_the_seven_year_cap_has_no_transferee_code():
    """CUSMA intra-company transferees PDI: executives and senior managers, total 7 years; after the cap, a year
    abroad with the enterprise before a new transferee permit. 84 months used: neither T37 nor C62 (nor C61)."""
    d = assess_case("case02-us-executive", _set(worker__ict_months_used=84))
    assert _status(d, "T37", "ict.cap_left_84") == "not_met"
    _not_fit(d, "T37", "C62", "C61")
    assert d["route"] != "IMP"


def test_graduate_trainee_rotation_longer_than_a_year_is_capped_at_12_months():
    """CETA transferees PDI: graduate trainees, the lesser of one year or the contract, no extension. An 18-month
    rotation still fits T42, but the job is longer than the code allows."""
    d = assess_case("case10-german-graduate-trainee", _set(position__duration_months=18))
    assert d["recommended"] == "T42"
    assert d["durations"]["initial_max"] == 12 and d["durations"]["extension_allowed"] is False
    assert "job_longer_than_code" in {w["id"] for w in d["warnings"]}


def test_gats_professional_contract_longer_than_90_days_is_not_t33():
    """GATS PDI: professionals may stay at most 90 days in any 12-month period, no extension. A 100-day contract
    (worked case 18 lengthened) is refused T33 as the engine reads it (unclear point, see README item 48)."""
    d = assess_case("case18-gats-engineer", _set(position__end_date="2027-06-08"))
    assert _status(d, "T33", "gats.max_90_days") == "not_met"
    _not_fit(d, "T33")


def test_cusma_professional_three_year_steps():
    """CUSMA professionals PDI: initial permit up to 3 years, extensions in steps of up to 3 years without limit
    on their number. A 5-year engagement fits T36 with a 36-month first permit."""
    d = assess_case("case01-us-civil-engineer", _set(position__duration_months=60))
    assert d["recommended"] == "T36"
    assert d["durations"]["initial_max"] == 36 and d["durations"]["extension_max"] == 36


# ====================================================================== age limits (IEC)


def test_irish_young_professional_too_old_on_any_invitation_day():
    """IEC (imp-rules.md §3.11, IRCC Help Centre): the age is met when IRCC invites before the birthday that takes
    the worker past 35. Born 1989-06-01, 37 on 2026-11-24: she was 36 or older on any invitation day a letter she
    could still use was issued, so C21 is not met."""
    d = assess_case("case25-iec-young-professional", _set(worker__date_of_birth="1989-06-01"))
    assert _status(d, "C21", "c21.age") == "not_met"
    _not_fit(d, "C21")


def _japanese(**worker: Any) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["JP"], residence_country="JP", **worker)

    return change


def test_japanese_young_professional_category_does_not_exist():
    """The Canada–Japan exchange of notes on Working Holidays (Global Affairs Canada, iec_japan) provides Working
    Holidays only, and IRCC's Japan criteria name the Working Holiday category only. A Japanese marketing
    coordinator with a job offer (worked case 25's job) is not a C21 Young Professional; the engine gave her C21
    (README item 48)."""
    d = assess_case("case25-iec-young-professional", _japanese())
    assert _status(d, "C21", "c21.job") == "not_met"
    _not_fit(d, "C21")
    assert d["route"] != "IMP"


def test_japanese_working_holiday_ends_at_30():
    """Japan: 18 to 30 inclusive (the exchange of notes: "aged between eighteen (18) and twenty-five (25) ... up to
    thirty (30)"; IRCC's criteria "between the ages of 18 and 30 (inclusive)"). An invited Japanese worker of 33
    holds no Working Holiday permit: the employer's case is assessed on the codes; at 29 she holds one."""
    old = assess_case(
        "case25-iec-young-professional",
        _japanese(date_of_birth="1993-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert old["route"] != "open_permit"
    young = assess_case(
        "case25-iec-young-professional",
        _japanese(date_of_birth="1997-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert young["route"] == "open_permit" and young["employer_step"]["kind"] == "none"


def _korean(**worker: Any) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["KR"], residence_country="KR", **worker)

    return change


def test_korean_young_professional_before_the_new_arrangement():
    """IRCC's news release of 2023-05-23 (iec_korea_2023): the 1995 memorandum with South Korea offered Working
    Holiday only, aged 18 to 30; the new arrangement adds Young Professionals and International Co-op and raises the
    age to 35, to be implemented in 2024 (day not established: counted from 2025-01-01). A Korean Young
    Professional in 2022 had no such category; the engine gave her C21 on every date (README item 48)."""
    d = assess_case("case25-iec-young-professional", _korean(date_of_birth="1994-05-01"), date(2022, 6, 1))
    assert _status(d, "C21", "c21.job") == "not_met"
    _not_fit(d, "C21")


def test_korean_young_professional_under_the_new_arrangement():
    """Same release: from the new arrangement (2025-01-01 here) a Korean of 32 fits C21 Young Professionals, with up
    to 24 months; between the signing and that day a Korean taking part is told to verify the day it took
    effect."""
    d = assess_case("case25-iec-young-professional", _korean(date_of_birth="1994-05-01"))
    assert d["recommended"] == "C21" and d["durations"]["initial_max"] == 24
    between = assess_case(
        "case25-iec-young-professional",
        _korean(date_of_birth="1994-05-01", iec_category="working_holiday"),
        date(2024, 6, 1),
    )
    assert "iec_partner_date" in {v["id"] for v in between["to_verify"]}


def test_korean_working_holiday_at_32_before_the_new_arrangement():
    """1995 memorandum (release of 2023-05-23): 18 to 30. An invited Korean of 32 in 2022 held no Working Holiday
    permit; the engine read the default 35 (README item 48)."""
    d = assess_case(
        "case25-iec-young-professional",
        _korean(date_of_birth="1990-01-15", iec_category="working_holiday", iec_invited=True),
        date(2022, 6, 1),
    )
    assert d["route"] != "open_permit"


def test_danish_young_professional_category_does_not_exist():
    """IRCC's eligibility by country (iec_eligibility): Denmark offers Working Holiday only."""
    d = assess_case("case25-iec-young-professional", _set(worker__citizenships=["DK"]))
    assert _status(d, "C21", "c21.job") == "not_met"


# ====================================================================== citizenship combinations


def _ict_executive_on(country: str, *cits: str, prs: list[str] | None = None) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=list(cits), residence_country=country, permanent_residences=prs or [])
        f["foreign_enterprise"].update(country=country, countries_of_operation=[country, "US"])
        _employment("2018-01-08", "executive", country)(f)

    return change


def test_uk_and_irish_dual_national_in_the_lmia_gap_uses_ceta_through_ireland():
    """CETA overview (imp-rules.md §8 item 6): from 2021-01-01 to 2021-03-31 UK nationals "should be accompanied by
    an LMIA", CUKTCA only from 2021-04-01; an Irish citizen stays an EU citizen. A UK and Irish executive of a Dublin
    parent transferred on 2021-02-15 fits CETA T44 (filed on the Irish passport) and C12."""
    d = assess_case("case02-us-executive", _ict_executive_on("IE", "GB", "IE"), date(2021, 2, 15))
    assert d["recommended"] == "T44" and set(d["codes_fit"]) == {"T44", "C12"}
    assert d["where"]["passport"] == "IE"


def test_uk_only_executive_in_the_lmia_gap_has_only_c12():
    """Same period and Dublin parent, UK citizen only: no CETA (no longer an EU citizen), no CUKTCA yet; the R205(a)
    transferee code (C12) is open to any nationality (intra-company transferees PDI)."""
    d = assess_case("case02-us-executive", _ict_executive_on("IE", "GB"), date(2021, 2, 15))
    assert d["codes_fit"] == ["C12"]


def test_eu_citizen_transferred_by_a_uk_parent_after_brexit_is_no_ceta_transferee():
    """CETA transferees PDI (imp-rules.md §3.2 criterion 2): employed by an enterprise of an EU member state. After
    the transition (2021-02-15), an Irish executive of a London parent is no CETA transferee; C12 fits."""
    d = assess_case("case02-us-executive", _ict_executive_on("GB", "IE"), date(2021, 2, 15))
    _not_fit(d, "T44")
    assert d["codes_fit"] == ["C12"]


def test_eu_permanent_resident_is_not_a_ceta_transferee():
    """CETA overview (imp-rules.md §3.2): no benefit for EU permanent residents who are not EU citizens. An Indian
    citizen, permanent resident of Germany, manager with the German parent: C62, not T44."""
    d = assess_case("case02-us-executive", _ict_executive_on("DE", "IN", prs=["DE"]))
    _not_fit(d, "T44")
    assert d["codes_fit"] == ["C62"] and d["where"]["place"] == "online-outside"


def _engineer_contract(**worker: Any) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(**worker)

    return change


def test_gats_covers_a_new_zealand_permanent_resident_whose_country_is_no_wto_member():
    """GATS PDI (imp-rules.md §3.3): citizens of a WTO member, or permanent residents of Australia or New Zealand.
    An Iranian citizen (Iran is no WTO member) who is a permanent resident of New Zealand fits T33 for worked case
    18's 60-day engineering review; without the residence, T33 is excluded."""
    pr = assess_case(
        "case18-gats-engineer",
        _engineer_contract(citizenships=["IR"], permanent_residences=["NZ"], residence_country="NZ"),
    )
    assert pr["recommended"] == "T33"
    citizen = assess_case(
        "case18-gats-engineer", _engineer_contract(citizenships=["IR"], residence_country="IR")
    )
    _not_fit(citizen, "T33")


def test_korean_permanent_resident_is_a_korea_fta_service_supplier():
    """Code table / Korea FTA chapter 12 (imp-rules.md §3.3: citizens or permanent residents of Korea): a Chinese
    citizen, permanent resident of Korea, supplying a listed engineering service under contract fits F32."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["CN"], permanent_residences=["KR"], residence_country="KR")
        f["foreign_enterprise"].update(country="KR", countries_of_operation=["KR"], name="Hanbit Engineering")
        f["position"]["fta_listed_occupation"] = True

    d = assess_case("case18-gats-engineer", change)
    assert "F32" in d["codes_fit"]


def test_chilean_permanent_resident_is_no_chile_fta_professional():
    """Code table / imp-rules.md §3.3: the Chile agreement covers Chilean citizens only (Colombia, Korea, Panama,
    Peru and Ukraine also cover permanent residents). An Argentine citizen, permanent resident of Chile: no F22."""

    def change(f: dict[str, Any]) -> None:
        _chilean_engineer(f)
        f["worker"].update(citizenships=["AR"], permanent_residences=["CL"])

    d = assess_case("case01-us-civil-engineer", change)
    _not_fit(d, "F22")


def test_vietnamese_professional_is_not_a_cptpp_professional():
    """IRCC's CPTPP T52 page (imp-rules.md §8 item 2): professionals and technicians are citizens of Australia,
    Brunei, Chile, Japan, Mexico, Peru and Malaysia, not Viet Nam."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["VN"], residence_country="VN")
        f["position"].update(fta_listed_occupation=True, prevailing_wage_hourly_cad=40)

    d = assess_case("case01-us-civil-engineer", change)
    _not_fit(d, "T52")


@pytest.mark.parametrize(("on", "fits"), [(date(2024, 6, 30), False), (date(2024, 7, 1), True)])
def test_ukrainian_professional_from_cufta_immigration_chapter(on, fits):
    """IRCC's CUFTA overview (imp-rules.md §8 item 1): the immigration provisions came into force 2024-07-01; F72
    professionals: TEER 0/1, a post-secondary credential of 3 years or more, 2 years' paid experience, the
    prevailing wage. A Ukrainian civil engineer the day before and the day itself."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["UA"], residence_country="UA")
        f["position"].update(fta_listed_occupation=True, prevailing_wage_hourly_cad=40)

    d = assess_case("case01-us-civil-engineer", change, on)
    assert ("F72" in d["codes_fit"]) is fits


def test_mexican_and_indian_engineer_with_a_us_green_card_files_t36_on_the_mexican_passport():
    """CUSMA overview: citizens of the US or Mexico, not US permanent residents; any one citizenship suffices
    (imp-rules.md §1.4: file on the passport that gives the code). A Mexican and Indian citizen with a US green card
    fits T36 through Mexico."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=["IN", "MX"], permanent_residences=["US"], residence_country="US")

    d = assess_case("case01-us-civil-engineer", change)
    assert d["recommended"] == "T36" and d["where"]["passport"] == "MX"


# ====================================================================== NOC 2021 TEER lists


def test_cusma_engineer_in_a_teer_4_job_is_not_at_professional_level():
    """CUSMA professionals PDI: professional-level services; the offer should show a TEER 0-3 occupation. A US
    engineer hired into NOC 74100 (mail and parcel sorters, TEER 4) is not T36."""
    d = assess_case("case01-us-civil-engineer", _set(position__noc_code="74100"))
    _not_fit(d, "T36")


def test_ceta_manager_in_a_teer_2_job_is_not_a_t44_executive():
    """CETA transferees PDI: executives and managers (TEER 0/1 in the engine's reading, imp-rules.md §3.2). A German
    "manager" transferred into NOC 62010 (retail sales supervisors, TEER 2) does not fit T44 or C62."""

    def change(f: dict[str, Any]) -> None:
        _ict_executive_on("DE", "DE")(f)
        f["position"].update(noc_code="62010", capacity="manager")

    d = assess_case("case02-us-executive", change)
    _not_fit(d, "T44", "C62")


@pytest.mark.parametrize(("on", "fits"), [(date(2023, 6, 14), False), (date(2023, 6, 15), True)])
def test_francophone_mobility_teer_4_job_from_june_2023(on, fits):
    """C16 update of 2023-06-16 (c16_update_2023): from 2023-06-15 any TEER except primary agriculture in TEER 4-5,
    and NCLC 5; before, TEER 0-3 (NOC 0/A/B) and NCLC 7. A French speaker at NCLC 8 hired as a retail salesperson
    (NOC 64100, TEER 4) in Moncton."""

    def change(f: dict[str, Any]) -> None:
        f["position"].update(noc_code="64100", title="Retail salesperson")
        f["worker"].update(french_nclc_speaking=8, french_nclc_listening=8)

    d = assess_case("case22-francophone-cook", change, on)
    assert ("C16" in d["codes_fit"]) is fits


@pytest.mark.parametrize(("on", "fits"), [(date(2023, 6, 14), False), (date(2023, 6, 15), True)])
def test_francophone_mobility_nclc_6_from_june_2023(on, fits):
    """Same update: NCLC 7 before 2023-06-15, NCLC 5 from that day. Worked case 22's cook (TEER 3) at speaking 7,
    listening 6."""
    d = assess_case("case22-francophone-cook", on=on)
    assert ("C16" in d["codes_fit"]) is fits


def test_specialist_paid_exactly_the_prevailing_wage_meets_c63():
    """Intra-company transferees PDI: specialized knowledge workers must be paid at least the prevailing wage.
    Worked case 05's engineer at exactly $50/h (the floor) fits C63."""
    d = assess_case("case05-ict-below-prevailing-wage", _set(position__wage_hourly_cad=50))
    assert d["recommended"] == "C63"


# ====================================================================== part-time, self-employment


def test_part_time_year_abroad_is_no_transferee_year():
    """CUSMA ICT PDI: one year of continuous full-time employment abroad within the last 3 years, no accumulation
    of part-time work (full time: 30 hours a week, R73(1)). The US executive worked 25 hours a week."""
    d = assess_case("case02-us-executive", _employment("2022-01-03", "executive", "US", hours_per_week=25))
    _not_fit(d, "T37", "C62")


def test_cusma_engineer_who_controls_the_canadian_employer_is_self_employed():
    """CUSMA professionals PDI: no self-employment in Canada; a Canadian enterprise the professional owns or
    substantially controls does not give T36. The US engineer owns 60% of the Alberta employer."""
    d = assess_case("case01-us-civil-engineer", _set(worker__ownership_pct=60))
    _not_fit(d, "T36")


@pytest.mark.parametrize(("years", "fits"), [(5.5, False), (6, True)])
def test_ceta_independent_professional_needs_six_years(years, fits):
    """CETA contractual service suppliers and independent professionals PDI: independent professionals need at
    least 6 years' professional experience in the sector (worked case 12, with 5.5 and 6 years)."""
    d = assess_case("case12-french-independent-professional", _set(worker__experience_years=years))
    assert ("T43" in d["codes_fit"]) is fits


# ====================================================================== spouses


def test_spouse_holding_a_ceta_spousal_open_permit_needs_no_employer_step():
    """CETA transferees PDI: the spouse of a CETA transferee may hold a T45 open permit valid as long as the
    principal's. A French spouse with a T45 permit until 2028-01-31 hired in Halifax: open permit, no offer, no
    fee."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(
            citizenships=["FR"],
            current_permit_type="open",
            current_permit_code="T45",
            current_permit_expiry="2028-01-31",
        )

    d = assess_case("case09-pgwp-holder", change)
    assert d["route"] == "open_permit" and d["employer_step"]["kind"] == "none"


def test_spouse_whose_open_permit_ends_before_the_job_starts_is_not_authorized():
    """IRPA s. 30(1), R196: a T45 spousal permit expiring 2026-12-31 does not authorize a job starting 2027-02-01;
    the case is not the open-permit route."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(
            citizenships=["FR"],
            current_permit_type="open",
            current_permit_code="T45",
            current_permit_expiry="2026-12-31",
        )
        f["position"]["start_date"] = "2027-02-01"

    d = assess_case("case09-pgwp-holder", change)
    assert d["route"] != "open_permit"


# ====================================================================== nothing fits, answers missing


def test_indian_marketing_manager_with_no_link_needs_an_lmia():
    """Exemption code table, TFWP (imp-rules.md §3.14): worked case 03's marketing manager, an Indian citizen (no
    agreement, no corporate link, no French, no IEC): LMIA needed, employer step the LMIA."""
    d = assess_case(
        "case03-mexican-marketing-manager", _set(worker__citizenships=["IN"], worker__residence_country="IN")
    )
    assert d["route"] == "TFWP" and d["employer_step"]["kind"] == "lmia" and d["complete"] is True


def test_transferee_without_employment_history_is_waiting_not_lmia():
    """imp-rules.md §5 (unknown facts give questions): worked case 08's green-card manager with the history abroad
    not given waits for it; it is not "LMIA needed"."""
    d = assess_case("case08-us-green-card-manager", _set(worker__employment=None))
    assert d["route"] == "pending" and d["recommended"] is None
    assert "worker.employment" in _needed(d)


def test_young_professional_without_invitation_answer_is_waiting():
    """IEC: C21 needs an invitation to apply. Worked case 25 with the invitation not answered waits for it."""
    d = assess_case("case25-iec-young-professional", _set(worker__iec_invited=None))
    assert d["route"] == "pending" and "worker.iec_invited" in _needed(d)


def test_cusma_engineer_without_education_is_waiting():
    """CUSMA professionals PDI: the profession's minimum credential. Worked case 01 with the education not given
    (and no licence) waits for it, T36 the likely code."""
    d = assess_case(
        "case01-us-civil-engineer", _set(worker__education_level=None, worker__professional_licence=None)
    )
    assert d["route"] == "pending" and d["pending"][0]["code"] == "T36"
    assert "worker.education_level" in _needed(d)


def test_citizenship_not_given_is_waiting_not_lmia():
    """imp-rules.md §8 item 5 and IRPA s. 30(1): with the citizenship unknown, worked case 21's VFX artist (every
    code failing on known facts) waits for it: a Canadian citizen needs no permit."""
    d = assess_case("case21-vfx-artist", _set(worker__citizenships=None))
    assert d["route"] == "pending" and "worker.citizenships" in _needed(d)


# ====================================================================== IEC arrangements by date (README item 49)


def _iec_worker(country: str, born: str, **worker: Any) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=[country], residence_country=country, date_of_birth=born, **worker)

    return change


def test_hong_kong_young_professional_category_does_not_exist():
    """The Canada–HKSAR memorandum of understanding "concerning the Working Holiday arrangement" (Global Affairs
    Canada, iec_hong_kong): Working Holiday only. A Hong Kong resident with worked case 25's job offer is no C21
    Young Professional; the engine gave C21 (README item 49)."""
    d = assess_case("case25-iec-young-professional", _iec_worker("HK", "1998-05-01"))
    assert _status(d, "C21", "c21.job") == "not_met"
    _not_fit(d, "C21")


def test_hong_kong_working_holiday_ends_at_30():
    """Hong Kong's Working Holiday Scheme (HKSAR government, every partner): "aged between 18 and 30 (both ages
    inclusive)". An invited Hong Kong resident of 33 holds no Working Holiday permit; at 27 she holds one."""
    old = assess_case(
        "case25-iec-young-professional",
        _iec_worker("HK", "1993-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert old["route"] != "open_permit"
    young = assess_case(
        "case25-iec-young-professional",
        _iec_worker("HK", "1999-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert young["route"] == "open_permit"


@pytest.mark.parametrize(("on", "fits"), [(date(2018, 8, 28), False), (date(2018, 8, 29), True)])
def test_australian_young_professional_of_32_from_the_2018_amendment(on, fits):
    """IRCC's news release of 2018-08-29 (iec_australia_2018): the amended Canada–Australia memorandum opens IEC to
    young adults "aged 18 to 35", "Increasing the eligible age from 30 to 35". An Australian Young Professional of
    32 the day before and the day itself; the engine gave 35 on every date (README item 49)."""
    d = assess_case("case25-iec-young-professional", _iec_worker("AU", "1986-01-10"), on)
    assert ("C21" in d["codes_fit"]) is fits


@pytest.mark.parametrize(("on", "partner"), [(date(2019, 7, 2), False), (date(2019, 7, 3), True)])
def test_luxembourg_becomes_an_iec_partner_in_july_2019(on, partner):
    """Global Affairs Canada's news release of 2019-07-03 (iec_luxembourg_2019): a "new bilateral Youth Mobility
    Arrangement" signed that day, "With the addition of Luxembourg, there are now 35 partner countries"; youth aged 18
    to 30, up to 12 months, all three categories. A Luxembourger of 26 with worked case 25's job: no partner the day
    before (the engine listed Luxembourg from 2015), C21 from the day, with the day it took effect to verify."""
    d = assess_case("case25-iec-young-professional", _iec_worker("LU", "1993-01-10"), on)
    assert ("C21" in d["codes_fit"]) is partner
    if partner:
        assert d["durations"]["initial_max"] == 12
        assert "iec_partner_date" in {v["id"] for v in d["to_verify"]}
    else:
        excluded = {e["code"]: e["criterion"] for e in d["excluded"]}
        assert excluded["C21"] == "c21.partner_country"


def test_luxembourg_young_professional_of_32_is_past_30():
    """Same release: "youth aged 18 to 30" in every category. A Luxembourger of 32 (born 1994-05-01, assessed
    2026-11-24) fails C21's age."""
    d = assess_case("case25-iec-young-professional", _iec_worker("LU", "1994-05-01"))
    assert _status(d, "C21", "c21.age") == "not_met"


# ====================================================================== more renumbered codes, professions, spouses


def _startup_director_since_2019(f: dict[str, Any]) -> None:
    """Worked case 15's managing director, with BrightGrid London since 2019 (a year abroad on 2022 dates too)."""
    _employment("2019-01-07", "executive", "GB")(f)


@pytest.mark.parametrize(("on", "code"), [(EVE, "C12"), (RENUMBERED, "C61")])
def test_new_subsidiary_director_is_c12_until_the_renumbering_then_c61(on, code):
    """The 2022 notice and the intra-company transferees PDI: an executive opening a new Canadian subsidiary of an
    existing multinational was coded C12 until 2022-12-14, C61 from 2022-12-15; the first permit is at most 12
    months (then C62/C63, a C61 extension of at most 6 months for delays)."""
    d = assess_case("case15-ict-new-subsidiary", _startup_director_since_2019, on)
    assert d["recommended"] == code and d["codes_fit"] == [code]
    assert d["durations"]["initial_max"] == 12 and d["durations"]["extension_max"] == 6


@pytest.mark.parametrize(("on", "code"), [(EVE, "C11"), (RENUMBERED, "C60")])
def test_provincial_business_candidate_is_c11_until_the_renumbering_then_c60(on, code):
    """Code table / 2022 notice: provincial nominee business candidates (and Quebec self-employed with a CSQ) were
    filed under C11 until 2022-12-14 and C60 from 2022-12-15. Worked case 16's owner as a provincial business
    candidate."""
    d = assess_case("case16-single-country-owner", _set(worker__provincial_business_candidate=True), on)
    assert d["recommended"] == code and d["codes_fit"] == [code]


def _japanese_specialist(f: dict[str, Any]) -> None:
    _uk_specialist(f)
    f["worker"].update(citizenships=["JP"], residence_country="JP")
    f["foreign_enterprise"].update(country="JP", countries_of_operation=["JP", "US"])
    f["worker"]["employment"][0]["country"] = "JP"


@pytest.mark.parametrize(("on", "codes"), [(EVE, ["T51", "C12"]), (RENUMBERED, ["T55", "C63"])])
def test_cptpp_specialist_is_t51_until_the_renumbering_then_t55(on, codes):
    """Code table / 2022 notice: CPTPP transferees shared T51 until 2022-12-14; specialists are T55 from
    2022-12-15 (CPTPP transferees page: not for citizens of Singapore, Viet Nam or, for specialists, Malaysia). A
    Japanese specialist of a Tokyo parent."""
    d = assess_case("case02-us-executive", _japanese_specialist, on)
    assert d["codes_fit"] == codes and d["recommended"] == codes[0]


def _camp(f: dict[str, Any]) -> None:
    f["employer"]["kind"] = "non_profit"
    f["position"].update(
        work_type="camp_counsellor",
        residential_camp=True,
        noc_code="54100",
        title="Camp counsellor",
        capacity="other",
        start_date="2023-06-25",
        end_date="2023-08-20",
    )


def test_residential_camp_counsellor_is_c24_and_a_day_camp_is_not():
    """Camp counsellors page (c24) and the code table: counsellors of residential summer camps, June to September,
    are C24 since 2022-12-15 (C20 before); a day camp needs an LMIA or proof of reciprocity."""
    d = assess_case("case24-swedish-hockey-player", _camp, date(2023, 5, 1))
    assert d["recommended"] == "C24"
    day = assess_case(
        "case24-swedish-hockey-player", _all(_camp, _set(position__residential_camp=False)), date(2023, 5, 1)
    )
    _not_fit(day, "C24")


def _consultant(years: float) -> Change:
    def change(f: dict[str, Any]) -> None:
        f["worker"].update(
            profession="management_consultant", education_level="secondary", experience_years=years
        )
        f["position"].update(noc_code="11201", title="Management consultant", licence_required=False)

    return change


@pytest.mark.parametrize(("years", "fits"), [(4, False), (5, True)])
def test_cusma_management_consultant_without_degree_needs_five_years(years, fits):
    """CUSMA Appendix 2 (CUSMA professionals PDI): Management Consultant, a baccalaureate or licenciatura, or five
    years' experience as a consultant. A US consultant without a degree, with 4 and with 5 years."""
    d = assess_case("case01-us-civil-engineer", _consultant(years))
    assert ("T36" in d["codes_fit"]) is fits


def test_cusma_registered_nurse_needs_the_provincial_licence():
    """CUSMA professionals PDI: registered nurses need the licence of the province of destination. A US registered
    nurse with a state licence who cannot obtain the Alberta one is not T36."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(profession="registered_nurse", professional_licence=True, canadian_licence=False)
        f["position"].update(noc_code="31301", title="Registered nurse", licence_required=True)

    d = assess_case("case01-us-civil-engineer", change)
    assert _status(d, "T36", "fta.licence") == "not_met"
    _not_fit(d, "T36")


def test_spouse_of_a_cusma_professional_has_no_spousal_right_under_cusma():
    """CUSMA overview (imp-rules.md §3.1): CUSMA gives no spousal work right. The US spouse of a T36 engineer, in
    Canada as a visitor, hired as a marketing manager (no CUSMA profession, no link, no French): LMIA needed; as a
    US citizen she may apply at a port of entry."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(
            citizenships=["US"], residence_country="CA", in_canada=True, current_permit_type="visitor"
        )

    d = assess_case("case03-mexican-marketing-manager", change)
    assert d["route"] == "TFWP" and d["where"]["place"] == "POE"


# ====================================================================== San Marino and Italy (README item 50)


def test_san_marino_offers_working_holiday_only():
    """IRCC's news release of 2016-09-21 (iec_san_marino_2016): a "entente de mobilité des jeunes vacances-travail"
    with San Marino, youth of 18 to 35, holidays of up to a year with work to pay for them. A Sammarinese with worked
    case 25's job offer is no C21 Young Professional; the engine gave C21 (README item 50)."""
    d = assess_case("case25-iec-young-professional", _iec_worker("SM", "1996-05-01"))
    assert _status(d, "C21", "c21.job") == "not_met"
    _not_fit(d, "C21")


@pytest.mark.parametrize(("on", "holds"), [(date(2016, 9, 20), False), (date(2016, 9, 21), True)])
def test_san_marino_working_holiday_from_the_2016_arrangement(on, holds):
    """Same release: the arrangement, signed 2016-09-21, is Canada's 33rd: San Marino was no partner before. An invited
    Sammarinese of 25 on Working Holiday the day before and the day itself (the day it took effect to verify)."""
    d = assess_case(
        "case25-iec-young-professional",
        _iec_worker("SM", "1991-05-01", iec_category="working_holiday", iec_invited=True),
        on,
    )
    assert (d["route"] == "open_permit") is holds
    if holds:
        assert "iec_partner_date" in {v["id"] for v in d["to_verify"]}


@pytest.mark.parametrize(("on", "fits"), [(date(2022, 10, 31), False), (date(2022, 11, 1), True)])
def test_italian_young_professional_from_the_2020_agreement(on, fits):
    """IRCC's news release of 2020-12-11 (iec_italy_2020): the new Canada–Italy agreement adds International Co-op
    and Young Professionals to the 2006 memorandum's working holidays, 12 months each, "implemented following
    ratification" (in force 2022-11-01, secondary sources). An Italian Young Professional of 30 the day before (no
    such category; the day to verify) and the day itself (C21, 12 months)."""
    d = assess_case("case25-iec-young-professional", _iec_worker("IT", "1992-01-10"), on)
    assert ("C21" in d["codes_fit"]) is fits
    if fits:
        assert d["durations"]["initial_max"] == 12
    else:
        assert _status(d, "C21", "c21.job") == "not_met"
        assert "iec_partner_date" in {v["id"] for v in d["to_verify"]}


# ====================================================================== Portugal and Andorra (README item 51)


@pytest.mark.parametrize(("on", "fits"), [(date(2018, 11, 29), False), (date(2018, 11, 30), True)])
def test_portugal_becomes_an_iec_partner_on_30_november_2018(on, fits):
    """IRCC's news releases of 2018-05-03 (signing) and 2018-11-30 ("Canada and Portugal Youth Mobility Arrangement
    Now in Effect", iec_portugal_2018): Portuguese youth of 18 to 35 in all three categories. A Portuguese Young
    Professional of 28 the day before and the day itself; the engine listed Portugal from 2015 (README item 51)."""
    d = assess_case("case25-iec-young-professional", _iec_worker("PT", "1990-05-01"), on)
    assert ("C21" in d["codes_fit"]) is fits
    if fits:
        assert "iec_partner_date" not in {v["id"] for v in d["to_verify"]}


def test_andorran_working_holiday_only_to_30_from_june_2020():
    """IRCC's news release of 2020-06-10 (iec_andorra_2020): a new youth mobility agreement with Andorra, youth of 18
    to 30, up to one year, Working Holiday category, Canada's 36th. An invited Andorran of 32 in 2026 (31 at least on
    any invitation day) holds no Working Holiday permit (the engine read 35); at 27 she holds one (the day the agreement
    took effect to verify); in 2019 Andorra was no partner."""
    old = assess_case(
        "case25-iec-young-professional",
        _iec_worker("AD", "1994-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert old["route"] != "open_permit"
    young = assess_case(
        "case25-iec-young-professional",
        _iec_worker("AD", "1999-03-01", iec_category="working_holiday", iec_invited=True),
    )
    assert young["route"] == "open_permit"
    assert "iec_partner_date" in {v["id"] for v in young["to_verify"]}
    before = assess_case(
        "case25-iec-young-professional",
        _iec_worker("AD", "1995-03-01", iec_category="working_holiday", iec_invited=True),
        date(2019, 6, 1),
    )
    assert before["route"] != "open_permit"


# ====================================================================== IEC ages at the edges


def test_seventeen_year_old_is_below_the_iec_minimum():
    """IEC (imp-rules.md §3.11): 18 to 35. An Irish 17-year-old (born 2009-06-01) fails C21's age."""
    d = assess_case("case25-iec-young-professional", _set(worker__date_of_birth="2009-06-01"))
    assert _status(d, "C21", "c21.age") == "not_met"
    _not_fit(d, "C21")


def test_thirty_six_year_old_with_the_invitation_unknown_is_waiting():
    """IRCC Help Centre ("invited before your birthday, you have passed our eligibility assessment for the age"): an
    Irish Young Professional of 36 may have been invited at 35. With the invitation not answered the case waits for
    it (C21 the likely code), not "LMIA needed"."""
    d = assess_case(
        "case25-iec-young-professional", _set(worker__date_of_birth="1990-05-01", worker__iec_invited=None)
    )
    assert d["route"] == "pending" and d["pending"][0]["code"] == "C21"
    assert "worker.iec_invited" in _needed(d)


# ====================================================================== place of application: flagpoling


def _in_canada_on_a_permit(f: dict[str, Any]) -> None:
    f["worker"].update(
        in_canada=True,
        current_permit_type="employer_specific",
        current_permit_expiry="2026-12-31",
        residence_country="CA",
    )


def test_chilean_professional_in_canada_may_still_use_a_port_of_entry():
    """IRCC's flagpoling restriction (imp-rules.md §1.4, §8 item 8, from 2024-12-24) exempts FTA professionals,
    among them Chile's F22. A Chilean engineer on a work permit in Canada: in Canada (R199) recommended, a port of
    entry still allowed."""
    d = assess_case("case01-us-civil-engineer", _all(_chilean_engineer, _in_canada_on_a_permit))
    assert d["recommended"] == "F22" and d["where"]["place"] == "in-Canada"
    poe = next(o for o in d["where"]["options"] if o["place"] == "POE")
    assert poe["allowed"] is True


@pytest.mark.parametrize(("on", "allowed"), [(date(2024, 12, 23), True), (date(2024, 12, 24), False)])
def test_ceta_transferee_in_canada_loses_the_port_of_entry_on_24_december_2024(on, allowed):
    """Same restriction: in effect from 2024-12-23 at 11:59 pm ET, so the first day affected is 2024-12-24; CETA
    transferees are not on the exception list. A German executive on a work permit in Canada."""
    d = assess_case("case02-us-executive", _all(_ict_executive_on("DE", "DE"), _in_canada_on_a_permit), on)
    assert d["recommended"] == "T44"
    poe = next(o for o in d["where"]["options"] if o["place"] == "POE")
    assert poe["allowed"] is allowed


# ====================================================================== Netherlands and Sweden (README item 52)


@pytest.mark.parametrize("country", ["NL", "SE"])
def test_dutch_and_swedish_young_professionals_end_at_30(country):
    """IRCC's "Work and travel in Netherlands" and "Work and travel in Sweden" pages (iec_netherlands, iec_sweden):
    the reciprocal memoranda take youth of 18 to 30, for up to 12 months. A Dutch or Swedish Young Professional of 32
    (born 1994-05-01, assessed 2026-11-24) fails C21's age; at 27 she fits, with 12 months (the engine read 35 and
    no set length; README item 52)."""
    old = assess_case("case25-iec-young-professional", _iec_worker(country, "1994-05-01"))
    assert _status(old, "C21", "c21.age") == "not_met"
    young = assess_case("case25-iec-young-professional", _iec_worker(country, "1999-05-01"))
    assert young["recommended"] == "C21" and young["durations"]["initial_max"] == 12


def test_cusma_engineer_self_employed_in_the_us_under_contract_is_t36():
    """CUSMA professionals PDI: being self-employed outside Canada is fine when the services in Canada are
    pre-arranged (a contract between the professional's own US business and the Canadian enterprise); only
    self-employment in Canada is excluded. Worked case 01's engineer through her own US firm: T36."""

    def change(f: dict[str, Any]) -> None:
        f["worker"]["self_employed"] = True
        f["foreign_enterprise"].update(
            relationship="service_contract", country="US", name="Doe Engineering LLC"
        )
        f["position"].update(work_type="service_contract", paid_by="self")

    d = assess_case("case01-us-civil-engineer", change)
    assert d["recommended"] == "T36"
