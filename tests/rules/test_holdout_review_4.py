"""Private holdout review of 2026-12-07, fourth round (helper R): invented cases written from IRCC's program delivery
instructions as an outside checker would, for what the first three rounds (test_holdout_review.py,
test_holdout_review_2.py, test_holdout_review_3.py) did not reach: CETA's and CUKTCA's specialist transferees (T41,
F63) and their code before 2022-12-15 (T44), CETA's year with the enterprise, CUSMA's Hotel Manager by diploma and
three years' experience (T36, T23 before the renumbering), a US citizen in a job no agreement covers (LMIA), a CUSMA
trader whose trade share is not answered (pending), Francophone mobility in and out of primary agriculture (C16, the
exclusion limited to TEER 4 and 5), a French level not answered (pending), the spouse of a TEER 3 worker before
2025-01-21 (C41). The expected outcome of each case was decided from IRCC's pages before the engine was run. The
people and companies are invented."""

from __future__ import annotations

from datetime import date
from typing import Any

from .test_holdout_review import NO_FRENCH, _assess, _hire, _job, _transferee
from .test_holdout_review_2 import _owner_enterprise, _professional
from .test_holdout_review_3 import _needed, _status

ON = date(2026, 11, 24)
OLD_CODES = date(2022, 6, 1)  # before the renumbering of 2022-12-15 (imp-rules.md §2)
# the answers that close the general codes (C10 significant benefit, C20 reciprocity, C60, a partner's permit)
NOTHING_ELSE = {
    "employer__reciprocity_agreement": False,
    "position__significant_benefit": False,
    "worker__provincial_business_candidate": False,
    "worker__principal_permit_code": "none",
}


# ====================================================================== CETA / CUKTCA specialists (T41, F63)


def _specialist(citizen: str, **more: Any) -> dict[str, Any]:
    """A process-control specialist of a European group (home ``citizen``), with it since 2019, moving to its
    established Vancouver subsidiary."""
    return _transferee(
        citizen,
        citizen,
        "specialized_knowledge",
        "21231",
        **{"worker__employment": _job("2019-03-04", "specialized_knowledge", citizen), **more},
    )


def test_t41_german_specialist_of_a_german_group() -> None:
    # IRCC, CETA intra-corporate transferees (ceta_ict): specialists employed by the enterprise for at least a year,
    # transferred to a subsidiary in Canada; the FTA code comes before R205(a)'s C63 (imp-rules.md §5)
    d = _assess(_specialist("DE"))
    assert d["recommended"] == "T41"
    assert "C63" in d["codes_fit"]


def test_ceta_specialist_was_t44_before_the_renumbering() -> None:
    # IRCC's code table: every CETA transferee was T44 until 2022-12-14, T41/T42/T44 from 2022-12-15
    d = _assess(_specialist("DE", position__start_date="2022-09-05"), OLD_CODES)
    assert d["recommended"] == "T44"
    assert "T41" not in d["codes_fit"]


def test_ceta_specialist_with_ten_months_in_the_group_fails() -> None:
    # ceta_ict: at least one year with the enterprise; a French specialist hired 2026-01-19 has ten months
    d = _assess(_specialist("FR", worker__employment=_job("2026-01-19", "specialized_knowledge", "FR")))
    assert "T41" not in d["codes_fit"]
    assert d["recommended"] != "T41"


def test_f63_uk_specialist_and_t44_before() -> None:
    # CUKTCA transferees (cuktca): F63 for a specialist from 2022-12-15, under CETA's T44 from 2021-04-01
    assert _assess(_specialist("GB"))["recommended"] == "F63"
    assert _assess(_specialist("GB", position__start_date="2022-09-05"), OLD_CODES)["recommended"] == "T44"


# ====================================================================== CUSMA professionals and traders


def _hotel_manager(education: str, years: int, citizen: str = "MX") -> dict[str, Any]:
    return _professional(
        citizen,
        "Hotel Manager",
        "60031",
        education,
        worker__experience_years=years,
        position__title="Hotel general manager",
    )


def test_t36_hotel_manager_by_diploma_and_three_years() -> None:
    # CUSMA Appendix 2 to Annex 16-A: Hotel Manager — a degree in hotel/restaurant management, or a post-secondary
    # diploma or certificate in it and three years' experience
    d = _assess(_hotel_manager("post_secondary_2y", 3))
    assert d["recommended"] == "T36"


def test_t36_hotel_manager_with_a_diploma_and_two_years_fails() -> None:
    d = _assess(_hotel_manager("post_secondary_2y", 2))
    assert _status(d, "T36", "cusma.credential") == "not_met"
    assert "T36" not in d["codes_fit"]


def test_t36_hotel_manager_was_t23_before_the_renumbering() -> None:
    facts = _hotel_manager("bachelor", 1, "US")
    facts["position"]["start_date"] = "2022-09-05"
    assert _assess(facts, OLD_CODES)["recommended"] == "T23"


def test_us_citizen_cook_with_no_link_needs_an_lmia() -> None:
    # US citizenship alone gives no exemption: a cook is none of CUSMA's professions (Appendix 2), the employer has
    # no tie to a US enterprise, no French; every candidate fails on known facts -> TFWP (imp-rules.md §5)
    d = _assess(
        _hire(
            "US",
            position__noc_code="63200",
            position__capacity="other",
            position__title="Line cook",
            worker__profession="Cook",
            worker__education_level="secondary",
            worker__experience_years=4,
            **NO_FRENCH,
            **NOTHING_ELSE,
        )
    )
    assert (d["route"], d["recommended"]) == ("TFWP", None)
    assert d["employer_step"]["kind"] == "lmia"


def test_t34_trade_share_unknown_waits_for_the_answer() -> None:
    # T34 (IRCC CUSMA traders; imp-rules.md §3.1: more than half the enterprise's international trade with the
    # US/Mexico). The share not answered: the case waits on it, never "LMIA needed"
    facts = _owner_enterprise(
        "US",
        {"US": 100},
        employer__substantial_trade=True,
        worker__profession="General manager",  # none of Appendix 2's professions
        worker__ownership_pct=0,
        worker__investment_substantial=False,
        **NO_FRENCH,
        **NOTHING_ELSE,
    )
    d = _assess(facts)
    assert d["route"] == "pending" and d["complete"] is False
    assert "employer.trade_share_with_treaty_country_pct" in _needed(d)
    assert d["pending"][0]["code"] == "T34"
    assert d["employer_step"]["kind"] == "pending"


# ====================================================================== Francophone mobility (C16)


def _francophone(noc: str, **more: Any) -> dict[str, Any]:
    """A Senegalese French speaker (TEF Canada, NCLC 6) hired by a Manitoba farm, assessed in 2024."""
    base: dict[str, Any] = {
        "position__noc_code": noc,
        "position__capacity": "other",
        "position__province": "MB",
        "position__city": "Steinbach",
        "position__start_date": "2024-09-03",
        "position__wage_hourly_cad": 24,
        "position__prevailing_wage_hourly_cad": 22,
        "employer__province": "MB",
        "worker__french_nclc_speaking": 6,
        "worker__french_nclc_listening": 6,
        "worker__french_proof": "tef_canada",
    }
    return _hire("SN", **{**base, **more})


def test_c16_farm_supervisor_teer_2_is_not_excluded() -> None:
    # IRCC's C16 instructions (2023-06-15 update, clarified 2024-01-25): all TEER categories outside Quebec except
    # primary agriculture in TEER 4 or 5; a farm supervisor (NOC 82030, TEER 2) is not excluded
    d = _assess(_francophone("82030"), date(2024, 6, 3))
    assert d["recommended"] == "C16"


def test_c16_harvesting_labourer_is_excluded_and_needs_an_lmia() -> None:
    # the same instructions: harvesting labourers (NOC 85101, TEER 5, primary agriculture) are excluded
    d = _assess(_francophone("85101", **NOTHING_ELSE), date(2024, 6, 3))
    assert _status(d, "C16", "c16.occupation") == "not_met"
    assert (d["route"], d["recommended"]) == ("TFWP", None)


def test_c16_french_level_not_answered_waits() -> None:
    facts = _francophone("64100", position__city="Winnipeg")
    for f in ("french_nclc_speaking", "french_nclc_listening", "french_proof"):
        del facts["worker"][f]
    d = _assess(facts, date(2024, 6, 3))
    assert d["route"] == "pending"
    assert any(p["code"] == "C16" for p in d["pending"])
    assert {"worker.french_nclc_speaking", "worker.french_nclc_listening"} <= _needed(d)


# ====================================================================== spouse of a TEER 3 worker (C41)


def test_c41_spouse_of_a_teer_3_cook_before_2025_01_21() -> None:
    # IRCC's C41/C46 instructions (before 2025-01-21): the principal in a TEER 0, 1, 2 or 3 occupation, authorized
    # to work for at least 6 months after the family member's application; the partner here is a cook (TEER 3)
    # with eight months left, the worker herself a cook too (no code of her own)
    d = _assess(
        _hire(
            "PH",
            position__noc_code="63200",
            position__capacity="other",
            position__start_date="2024-07-02",
            position__duration_months=12,
            worker__principal_permit_code="LMIA",
            worker__principal_country="PH",
            worker__principal_noc_code="63200",
            worker__principal_permit_expiry="2025-02-14",
            **NO_FRENCH,
        ),
        date(2024, 6, 3),
    )
    spouse = next((r["code"] for r in d["reasons"] if r.get("reason") == "spouse_open_permit"), None)
    assert (d["route"], spouse) == ("open_permit", "C41")


# ====================================================================== CPTPP professionals (T52) by date


def _cptpp_professional(start: str) -> dict[str, Any]:
    """A Japanese civil engineering graduate (four-year degree, two years' paid experience) hired by a Toronto firm
    as a civil engineering technologist (NOC 22300, TEER 2; NOC 2016 2231, skill level B), an occupation on
    Japan's CPTPP list, at the prevailing wage."""
    return _professional(
        "JP",
        None,
        "22300",
        worker__experience_years=2,
        position__fta_listed_occupation=True,
        position__prevailing_wage_hourly_cad=50,
        position__start_date=start,
        position__title="Civil engineering technologist",
    )


def test_t52_professional_in_a_noc_b_job_before_2022_11_16() -> None:
    # IRCC's CPTPP professionals and technicians instructions (cptpp_professionals): a professional's offer is "a
    # NOC 0, A or B occupation" for an application received on or before 2022-11-15; degree of four years, two years'
    # experience. Before item 69 the engine held professionals to TEER 0 or 1 on every date, and this worker (two
    # years, not a technician's four) failed
    d = _assess(_cptpp_professional("2022-07-04"), date(2022, 5, 2))
    assert _status(d, "T52", "cptpp_professionals.professional_level") == "met"
    assert d["recommended"] == "T52"


def test_t52_professional_in_a_teer_2_job_from_2022_11_16_fails() -> None:
    # the same instructions: from 2022-11-16 "a TEER 0 or 1 occupation"; as a technician (TEER 2 or 3) she lacks
    # the four years' experience
    d = _assess(_cptpp_professional("2023-02-06"), date(2022, 11, 16))
    assert _status(d, "T52", "cptpp_professionals.professional_level") == "not_met"
    assert "T52" not in d["codes_fit"]


# ====================================================================== more transferees: a former employee, CUSMA by date


def test_ceta_former_employee_is_no_transferee() -> None:
    # IRCC's CETA transferees page (ceta_ict): "be currently employed by an enterprise of a European Union (EU)
    # member state ... and have been employed ... for at least 1 year at the time of submitting the application";
    # a Dutch specialist who left the group on 2025-06-30 after six years is not currently employed by it
    d = _assess(
        _specialist(
            "NL", worker__employment=_job("2019-03-04", "specialized_knowledge", "NL", end="2025-06-30")
        )
    )
    assert not {"T41", "C63"} & set(d["codes_fit"])


def test_cusma_specialized_knowledge_transferee_was_t24_before_the_renumbering() -> None:
    # IRCC's code table: CUSMA's transferees were T24 until 2022-12-14, T37 (executive, manager) and T38
    # (specialized knowledge) from 2022-12-15; a US specialist of a US group with it since 2019
    facts = _specialist("US")
    assert _assess(facts)["recommended"] == "T38"
    facts["position"]["start_date"] = "2022-09-05"
    old = _assess(facts, OLD_CODES)
    assert old["recommended"] == "T24" and "T38" not in old["codes_fit"]
