"""IEC terms of Norway, Poland, Taiwan and Spain by their own arrangements (rules/README.md item 61). Each test
cites the official page its expectation is read from (rules/parameters/sources.yaml iec_norway, iec_poland,
iec_taiwan, iec_spain). The people and companies are invented."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import rules

from .conftest import assess_case

Change = Callable[[dict[str, Any]], None]


def _youth(country: str, born: str, category: str = "young_professionals", **worker: Any) -> Change:
    """Worked case 25's job offer (a 24-month marketing coordinator job), held by a citizen of ``country``."""

    def change(f: dict[str, Any]) -> None:
        f["worker"].update(
            citizenships=[country],
            residence_country=country,
            date_of_birth=born,
            iec_category=category,
            **worker,
        )
        if category == "international_coop":
            f["position"]["internship_required_by_program"] = True

    return change


def test_a_norwegian_young_professional_stays_up_to_twelve_months():
    """IRCC's "Work and travel in Norway" page (`iec_norway`), for the Canadians going under the same reciprocal
    memorandum concerning youth exchanges: "You can stay and work in Norway for up to 12 months" (the Norwegian
    Directorate of Immigration: "a permit with a duration of up to one year"). The engine set no length for Norway:
    a Norwegian Young Professional's C21 read no limit for a 24-month job."""
    d = assess_case("case25-iec-young-professional", _youth("NO", "1996-05-01"))
    assert d["recommended"] == "C21", d["codes_fit"]
    assert d["durations"]["initial_max"] == 12, d["durations"]
    assert "job_longer_than_code" in {w["id"] for w in d["warnings"]}, d["warnings"]


def test_a_polish_co_op_student_stays_up_to_twelve_months():
    """IRCC's "Work and travel in Poland" page (`iec_poland`): the Youth Mobility program Poland-Canada has three
    programs (Professional Development, Internship / On-the-Job Training, Working-Holiday) and "You can stay and
    work in Poland for up to 12 months" (the agreement, Canada Treaty Series 2009/11). A Polish International Co-op
    intern was given no limit."""
    d = assess_case("case25-iec-young-professional", _youth("PL", "2002-09-01", "international_coop"))
    assert d["recommended"] == "C21", d["codes_fit"]
    assert d["durations"]["initial_max"] == 12, d["durations"]


def test_a_taiwanese_young_professional_stays_up_to_twelve_months_on_every_date():
    """The Taipei Economic and Cultural Office's guidelines for Canadians under the Canada–Taiwan memorandum
    concerning youth mobility, in effect 2010-07-01 (`iec_taiwan`): "The total duration of stay will be no more
    than one year from the date of entry" (Canada's Minister of Foreign Affairs at its launch: "Taiwanese young
    people can do the same in Canada"). Before the rule set's first date, so on every date, 2016 as 2026."""
    for on in (date(2016, 6, 1), date(2026, 11, 24)):
        d = assess_case("case25-iec-young-professional", _youth("TW", "1996-05-01"), on)
        assert d["recommended"] == "C21", (on, d["codes_fit"])
        assert d["durations"]["initial_max"] == 12, (on, d["durations"])


def test_the_three_twelve_months_in_every_category_and_period():
    """Norway, Poland and Taiwan: 12 months in each of the three categories, in every period of the table."""
    for period in rules.params.VALUES["iec_max_months_by_country"]:
        for country in ("NO", "PL", "TW"):
            assert period.value[country] == {
                "working_holiday": 12,
                "young_professionals": 12,
                "international_coop": 12,
            }, (period.start, country)


@pytest.mark.parametrize("country", ["NO", "PL", "TW", "ES"])
def test_kept_all_three_categories_and_the_age_of_35(country: str):
    """Kept (passes as it was): the four offer all three categories to 18-35 year-olds. Norway: IRCC's page, "be
    18-35 years old (inclusive)", categories a to e with "e (Working Holiday)"; Poland: IRCC's page, "be 18-35
    years old (inclusive)", three programs; Taiwan: its offices in Canada, "between the ages of 18 and 35
    inclusive", pre-arranged workplace experience, internship, or travel with work; Spain: the agreement's Article
    2 (graduates under a pre-arranged contract, students' internships, Working Holiday, as the Spanish consulates
    give it) and "between the ages of 18 and 35 years inclusively". A Young Professional of 35, an International
    Co-op student and an invited Working Holiday participant of 35 each get their category."""
    yp = assess_case("case25-iec-young-professional", _youth(country, "1991-03-01"))
    assert yp["recommended"] == "C21", (country, yp["codes_fit"])
    coop = assess_case("case25-iec-young-professional", _youth(country, "2003-02-01", "international_coop"))
    assert coop["recommended"] == "C21", (country, coop["codes_fit"])
    wh = assess_case(
        "case25-iec-young-professional", _youth(country, "1991-03-01", "working_holiday", iec_invited=True)
    )
    assert wh["route"] == "open_permit", (country, wh["route"])


def test_kept_no_set_length_for_spain():
    """Kept: the Canada–Spain agreement (Canada Treaty Series 2009/10, `iec_spain`) and the Spanish consulates'
    pages are stored only up to their categories and age; "up to one year" is read only in Foreign Affairs' release
    of the signing as a blog copies it. Spain's months are not established: C21 gives a Spanish Young Professional
    no length of its own (the job's own length stands)."""
    assert "ES" not in rules.value_at("iec_max_months_by_country", date(2026, 11, 24))
    d = assess_case("case25-iec-young-professional", _youth("ES", "1996-05-01"))
    assert d["recommended"] == "C21", d["codes_fit"]
    assert "initial_max" not in d["durations"], d["durations"]
