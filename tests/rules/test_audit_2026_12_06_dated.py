"""Audit of 2026-12-06 (helper D): rules the engine applied on every date although IRCC brought them in on a
known day, and the points of the brief checked against IRCC's pages (rules/README.md item 44). One test per
discrepancy fixed, citing IRCC's page. The people and companies are invented."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rules import params

from .conftest import assess_case

# IRCC's program delivery update of 2025-05-27 on the C11 instructions (sources.yaml c11_update_2025)
C11_UPDATE = date(2025, 5, 27)


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


def _asked(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"]}


def _criterion(d: dict, code: str, crit_id: str) -> dict:
    for c in d["candidates"]:
        if c["code"] == code:
            return next(x for x in c["criteria"] if x["id"] == crit_id)
    raise AssertionError(f"{code}: no {crit_id}")


def _season(start: str, end: str, **worker: Any) -> Callable[[dict[str, Any]], None]:
    """Worked case 16's owner-operator (a seasonal eco-tour company), her season and her funds as given."""

    def change(f: dict[str, Any]) -> None:
        f["position"].update(start_date=start, end_date=end)
        f["worker"].update(worker)

    return change


# ------------------------------------------------------------------- C11: the funds from 2025-05-27


def test_c11_funds_are_required_only_from_the_2025_update():
    """IRCC's program delivery update of 2025-05-27 (Business owners seeking only temporary residence, C11):
    "Under 'Eligibility,' added a requirement about having sufficient support and business funds". The
    instructions before it (Entrepreneurs/self-employed candidates seeking to operate a business) named the
    financial ability to begin the business among the indicators of significant benefit, with no funds
    requirement of its own. The engine failed C11 on every date for an owner without separate support funds,
    and recommended C10: on a day before the update she fits C11 (the funds not asked), from it on she does
    not."""
    no_funds = {"support_funds": False, "business_funds": False}
    before = assess_case(
        "case16-single-country-owner", _season("2024-07-01", "2024-09-30", **no_funds), date(2024, 6, 1)
    )
    assert before["recommended"] == "C11" and before["codes_fit"] == ["C11"]
    funds = _criterion(before, "C11", "c11.funds")
    assert funds["status"] == "met" and funds["detail"] == {"required_from": "2025-05-27"}
    assert funds["text"].startswith("From May 27, 2025:")
    eve = assess_case(
        "case16-single-country-owner",
        _season("2025-07-01", "2025-09-30", **no_funds),
        C11_UPDATE.replace(day=26),
    )
    assert eve["recommended"] == "C11"
    day = assess_case(
        "case16-single-country-owner", _season("2025-07-01", "2025-09-30", **no_funds), C11_UPDATE
    )
    assert "C11" not in day["codes_fit"]
    assert _criterion(day, "C11", "c11.funds")["status"] == "not_met"
    # unknown funds: asked from the update on, not before
    unknown = {"support_funds": None, "business_funds": None}
    early = assess_case(
        "case16-single-country-owner", _season("2024-07-01", "2024-09-30", **unknown), date(2024, 6, 1)
    )
    assert early["recommended"] == "C11"
    assert not {"worker.support_funds", "worker.business_funds"} & _asked(early)
    late = assess_case(
        "case16-single-country-owner", _season("2025-07-01", "2025-09-30", **unknown), C11_UPDATE
    )
    assert late["route"] == "pending" and late["pending"][0]["code"] == "C11"
    assert {"worker.support_funds", "worker.business_funds"} <= _needed(late)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_c11_funds_criterion_says_from_when(lang):
    """The criterion's text states the day the requirement starts, in the language's long form."""
    d = assess_case("case16-single-country-owner", lang=lang)
    text = _criterion(d, "C11", "c11.funds")["text"]
    assert text.startswith("From May 27, 2025:" if lang == "en" else "À compter du 27 mai 2025\u00a0:")


# ------------------------------------------------------------------- C11: 18 months from 2025-05-27


def test_c11_permit_limit_of_18_months_applies_from_the_2025_update():
    """Same update of 2025-05-27: "Specified that the validity of the work permit should not be longer than
    18 months". The engine gave C11 an 18-month first permit on every date (codes.yaml, undated), so a
    two-season job on 2024 dates was told it is longer than the first permit allows. The limit is now the
    dated parameter ``c11_max_months``: no limit of its own before the update, 18 months from it."""
    assert params.value_at("c11_max_months", date(2024, 6, 1), default=None) is None
    assert params.value_at("c11_max_months", C11_UPDATE) == 18
    before = assess_case("case16-single-country-owner", _season("2024-07-01", "2026-06-30"), date(2024, 6, 1))
    assert before["recommended"] == "C11"
    assert "initial_max" not in before["durations"]
    assert not [w for w in before["warnings"] if w["id"].startswith("job_longer")]
    after = assess_case("case16-single-country-owner", _season("2025-07-01", "2027-06-30"), C11_UPDATE)
    assert after["recommended"] == "C11"
    assert after["durations"]["initial_max"] == 18
    assert [w["id"] for w in after["warnings"] if w["id"].startswith("job_longer")] == [
        "job_longer_than_first_permit"
    ]


# ------------------------------------------------------------------- IEC: Finland from 2024-03-01, Iceland


def _iec(citizenship: str, born: str) -> Callable[[dict[str, Any]], None]:
    """Worked case 25's Young Professional (an invited marketing coordinator in Halifax), of another country."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(citizenships=[citizenship], residence_country=citizenship, date_of_birth=born)

    return change


def _to_verify(d: dict) -> set[str]:
    return {t["id"] for t in d["to_verify"]}


def test_finland_is_an_iec_partner_from_2024_03_01():
    """IRCC's news release of 2024-03-01 ("Canada announces the launch of the Canada–Finland Youth Mobility
    Agreement"): the agreement signed on 2023-05-19 "is now in effect"; the release of the signing: "We are
    excited to add Finland to the list of countries under International Experience Canada agreements", up to
    12 months per category. The engine counted Finland among the partners on every date from 2015: a Finnish
    Young Professional was given C21 in 2023. Before 2024-03-01 the partner criterion fails; from that day C21
    fits, for 12 months."""
    before = assess_case("case25-iec-young-professional", _iec("FI", "1999-05-01"), date(2024, 2, 29))
    assert "C21" not in before["codes_fit"]
    assert any(e["code"] == "C21" and e["criterion"] == "c21.partner_country" for e in before["excluded"])
    day = assess_case("case25-iec-young-professional", _iec("FI", "1999-05-01"), date(2024, 3, 1))
    assert day["recommended"] == "C21"
    assert day["durations"]["initial_max"] == 12
    assert "iec_partner_date" not in _to_verify(day)


def test_iceland_is_an_iec_partner_for_youth_up_to_30_with_its_day_to_verify():
    """IRCC's news release of 2023-08-04 ("Canada and Iceland sign youth mobility arrangement"): Canadian and
    Icelandic youth "aged 18 to 30" for "up to 12 months"; the governments "anticipate implementing the new
    arrangement in 2024". The engine counted Iceland a partner from 2015 with the default 35 years: a
    33-year-old Icelander was given C21. Now Iceland's maximum is 30 in every category, its stay 12 months,
    and its day of taking effect, not established, is counted from 2025-01-01 with a "to verify" note for
    every Icelander taking part in IEC (before that day too)."""
    old = assess_case("case25-iec-young-professional", _iec("IS", "1993-01-01"))
    assert "C21" not in old["codes_fit"]
    assert _criterion(old, "C21", "c21.age")["status"] == "not_met"
    young = assess_case("case25-iec-young-professional", _iec("IS", "1998-05-01"))
    assert young["recommended"] == "C21" and young["durations"]["initial_max"] == 12
    assert "iec_partner_date" in _to_verify(young)
    mid_2024 = assess_case("case25-iec-young-professional", _iec("IS", "1998-05-01"), date(2024, 6, 1))
    assert "C21" not in mid_2024["codes_fit"] and "iec_partner_date" in _to_verify(mid_2024)
    # before the signing nothing is pending: Iceland was no partner
    assert "iec_partner_date" not in _to_verify(
        assess_case("case25-iec-young-professional", _iec("IS", "1998-05-01"), date(2022, 6, 1))
    )
    # an Irish participant (a partner since before the rule set) has nothing to verify
    assert "iec_partner_date" not in _to_verify(assess_case("case25-iec-young-professional"))


# ------------------------------------------------------------------- CUSMA: a technician's direct support


def test_a_cusma_scientific_technician_is_told_of_the_direct_support():
    """CUSMA Appendix 2 to Annex 16-A, Scientific Technician/Technologist (imp-rules.md §3.1 T36: "must work in
    direct support of a qualifying professional in agricultural sciences, astronomy, biology, chemistry,
    engineering, forestry, geology, geophysics, meteorology or physics"). The engine said nothing of it (item 37
    left it "for the officer (and the letter)", and the letter said nothing either): a T36 recommendation for a
    scientific technician now carries the warning ``cusma_technician_direct_support``, and the profession
    criterion's detail names the profession for the letter. An engineer gets neither."""

    def technician(f: dict[str, Any]) -> None:
        f["position"].update(noc_code="22300", title="Civil engineering technologist")
        f["worker"].update(
            profession="Scientific Technician/Technologist", education_level="post_secondary_2y"
        )

    for lang, start in (
        ("en", "A CUSMA Scientific Technician/Technologist must"),
        ("fr", "Un technicien ou"),
    ):
        d = assess_case("case01-us-civil-engineer", technician, lang=lang)
        assert d["recommended"] == "T36"
        warned = {w["id"]: w["text"] for w in d["warnings"]}
        assert warned["cusma_technician_direct_support"].startswith(start)
        assert _criterion(d, "T36", "cusma.profession")["detail"] == {"profession": "scientific_technician"}
    engineer = assess_case("case01-us-civil-engineer")
    assert "cusma_technician_direct_support" not in {w["id"] for w in engineer["warnings"]}
    # every listed profession is named in the detail (the letter names it as the list does, rules/README.md item 67)
    assert _criterion(engineer, "T36", "cusma.profession")["detail"] == {"profession": "engineer"}


# ------------------------------------------------------------------- kept: a part-time job in Canada


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("case25-iec-young-professional", "C21"),
        ("case02-us-executive", "T37"),
        ("case01-us-civil-engineer", "T36"),
    ],
)
def test_a_part_time_job_in_canada_changes_nothing(name, code):
    """Checked and kept (rules/README.md item 47): IRCC sets no full-time requirement on the job in Canada for
    these codes. IRCC's "Hire skilled youth through International Experience Canada" page lists what a Young
    Professionals job must be (contribute to professional development, meet provincial labour law and the
    minimum wage, TEER 0 to 3, TEER 4 with a post-secondary credential), no number of hours; the
    intra-company transferee instructions ask for full-time employment abroad (the year with the group,
    ``full_time_hours_per_week``), not in Canada; CUSMA's professionals need pre-arranged employment at the
    professional level. A job of 15 hours a week keeps the code."""
    full = assess_case(name)
    part = assess_case(name, lambda f: f["position"].update(hours_per_week=15))
    assert full["recommended"] == part["recommended"] == code
    assert part["codes_fit"] == full["codes_fit"]


def test_c11_checklist_asks_for_the_funds_from_the_2025_update():
    """The packet's checklist follows the requirement (rules/README.md item 44): before IRCC's update of
    2025-05-27 a C11 case lists no proof of support and business funds; from that day it does."""
    funds = "Proof of support funds and of business funds with their lawful source"
    before = assess_case("case16-single-country-owner", _season("2024-07-01", "2024-09-30"), date(2024, 6, 1))
    assert before["recommended"] == "C11" and funds not in before["evidence"]
    assert "Business plan with local benefit" in before["evidence"]
    after = assess_case("case16-single-country-owner", _season("2025-07-01", "2025-09-30"), C11_UPDATE)
    assert after["recommended"] == "C11" and funds in after["evidence"]
