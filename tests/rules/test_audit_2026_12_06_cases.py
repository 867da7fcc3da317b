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

import pytest

from .conftest import assess_case, cases_by_name

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

    # C61 to C62 a year on, once the new Canadian company does business (imp-rules.md §3.4 C61: "the worker then
    # moves to C62/C63 for any extension")
    def switch(f: dict[str, Any]) -> None:
        f["worker"].update(
            in_canada=True,
            residence_country="CA",
            current_permit_type="employer_specific",
            current_permit_code="C61",
            current_permit_expiry="2027-01-31",
            ict_months_used=10,
        )
        f["worker"]["employment"][0]["end_date"] = "2026-01-31"
        f["employer"].update(actively_engaged=True, start_up=False)

    d = assess_case("case15-ict-new-subsidiary", switch)
    assert d["recommended"] == "C62" and d["codes_fit"] == ["C62"]
    # no permit from the group: the case 08 worker abroad keeps needing a current job with the parent
    d = assess_case(
        "case08-us-green-card-manager", lambda f: f["worker"]["employment"][0].update(end_date="2026-06-30")
    )
    assert _criterion(d, "C62", "ict.currently_employed") == "not_met"


# ------------------------------------------------------------------- cases that agreed with IRCC, kept


def _set(**sections: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """A change setting facts per section; a value None removes the fact (unknown)."""

    def change(f: dict[str, Any]) -> None:
        for section, values in sections.items():
            for key, value in values.items():
                if value is None:
                    f[section].pop(key, None)
                else:
                    f[section][key] = value

    return change


def _job_abroad(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda f: f["worker"]["employment"][0].update(values)


def _both(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(f: dict[str, Any]) -> None:
        for c in changes:
            c(f)

    return change


_UK = _set(worker={"citizenships": ["GB"], "residence_country": "GB"}, foreign_enterprise={"country": "GB"})
_UK_JOB = _both(_UK, _job_abroad(country="GB", start_date="2019-01-07"))
_AT_PREVAILING = _set(position={"wage_hourly_cad": 50})
_MX_TRADER = _set(
    worker={
        "citizenships": ["MX"],
        "investment_substantial": False,
        "ownership_pct": 0,
        "eta_eligible": True,
    },
    employer={"ownership_by_nationality": {"MX": 100}, "substantial_trade": True},
)
_CONSULTANT = _set(
    worker={"profession": "management_consultant", "education_level": "secondary"},
    position={"noc_code": "11201", "title": "Management consultant", "licence_required": False},
)
_FRANCOPHONE_IN_QC = _set(employer={"province": "QC"}, position={"province": "QC", "city": "Gatineau"})

# (id, worked case, change, date, expected route, recommended, codes_fit (None: not checked))
KEPT = [
    # the 2022-12-15 renumbering and the agreements' first days
    (
        "exec-2022-12-14",
        "case02",
        _job_abroad(start_date="2021-01-04"),
        date(2022, 12, 14),
        "IMP",
        "T24",
        ["T24", "C12"],
    ),
    (
        "exec-2022-12-15",
        "case02",
        _job_abroad(start_date="2021-01-04"),
        date(2022, 12, 15),
        "IMP",
        "T37",
        ["T37", "C62"],
    ),
    (
        "sk-2022-12-14",
        "case05",
        _both(_AT_PREVAILING, _job_abroad(start_date="2020-01-06")),
        date(2022, 12, 14),
        "IMP",
        "C12",
        ["C12"],
    ),
    (
        "sk-2022-12-15",
        "case05",
        _both(_AT_PREVAILING, _job_abroad(start_date="2020-01-06")),
        date(2022, 12, 15),
        "IMP",
        "C63",
        ["C63"],
    ),
    (
        "startup-2022-12-14",
        "case15",
        _job_abroad(start_date="2019-01-07"),
        date(2022, 12, 14),
        "IMP",
        "C12",
        ["C12"],
    ),
    (
        "trainee-before-ceta",
        "case10",
        _job_abroad(start_date="2016-01-04"),
        date(2017, 9, 20),
        "pending",
        None,
        [],
    ),
    (
        "trainee-ceta-day-one",
        "case10",
        _job_abroad(start_date="2016-01-04"),
        date(2017, 9, 21),
        "IMP",
        "T44",
        ["T44"],
    ),
    ("uk-exec-lmia-window", "case02", _UK_JOB, date(2021, 2, 15), "IMP", "C12", ["C12"]),
    ("uk-exec-cuktca-day-one", "case02", _UK_JOB, date(2021, 4, 1), "IMP", "T44", ["T44", "C12"]),
    (
        "mx-engineer-nafta",
        "case01",
        _set(worker={"citizenships": ["MX"], "residence_country": "MX"}),
        date(2019, 5, 1),
        "IMP",
        "T23",
        ["T23"],
    ),
    ("charity-2022-12-14", "case30", None, date(2022, 12, 14), "IMP", "C50", ["C50"]),
    ("athlete-2022-12-14", "case24", None, date(2022, 12, 14), "IMP", "C20", ["C20"]),
    ("investor-2022-12-14", "case14", None, date(2022, 12, 14), "IMP", "T22", ["T22"]),
    (
        "pnp-candidate-2022-06-01",
        "case16",
        _set(worker={"provincial_business_candidate": True}),
        date(2022, 6, 1),
        "IMP",
        "C11",
        ["C11"],
    ),
    (
        "pnp-candidate-today",
        "case16",
        _set(worker={"provincial_business_candidate": True}),
        NOW,
        "IMP",
        "C60",
        ["C60"],
    ),
    (
        "ua-professional-2024-06-30",
        "case01",
        _set(
            worker={"citizenships": ["UA"], "residence_country": "UA", "education_level": "master"},
            position={"prevailing_wage_hourly_cad": 45, "fta_listed_occupation": True},
        ),
        date(2024, 6, 30),
        "pending",
        None,
        [],
    ),
    (
        "ua-professional-2024-07-01",
        "case01",
        _set(
            worker={"citizenships": ["UA"], "residence_country": "UA", "education_level": "master"},
            position={"prevailing_wage_hourly_cad": 45, "fta_listed_occupation": True},
        ),
        date(2024, 7, 1),
        "IMP",
        "F72",
        ["F72"],
    ),
    (
        "jp-professional-2018-12-29",
        "case01",
        _set(
            worker={"citizenships": ["JP"], "residence_country": "JP"},
            position={"prevailing_wage_hourly_cad": 45, "fta_listed_occupation": True},
        ),
        date(2018, 12, 29),
        "pending",
        None,
        [],
    ),
    (
        "jp-professional-2018-12-30",
        "case01",
        _set(
            worker={"citizenships": ["JP"], "residence_country": "JP"},
            position={"prevailing_wage_hourly_cad": 45, "fta_listed_occupation": True},
        ),
        date(2018, 12, 30),
        "IMP",
        "T52",
        ["T52"],
    ),
    # C16: the 2023-06-15 change (NCLC 7 and TEER 0-3 before, NCLC 5 and any TEER but primary agriculture since)
    (
        "c16-nclc5-2023-06-14",
        "case22",
        _set(worker={"french_nclc_speaking": 5, "french_nclc_listening": 5}),
        date(2023, 6, 14),
        "pending",
        None,
        [],
    ),
    (
        "c16-nclc5-2023-06-15",
        "case22",
        _set(worker={"french_nclc_speaking": 5, "french_nclc_listening": 5}),
        date(2023, 6, 15),
        "IMP",
        "C16",
        ["C16"],
    ),
    (
        "c16-teer4-2023-06-14",
        "case22",
        _set(position={"noc_code": "65201"}, worker={"french_nclc_speaking": 8, "french_nclc_listening": 8}),
        date(2023, 6, 14),
        "pending",
        None,
        [],
    ),
    (
        "c16-teer4-2023-06-15",
        "case22",
        _set(position={"noc_code": "65201"}),
        date(2023, 6, 15),
        "IMP",
        "C16",
        ["C16"],
    ),
    (
        "c16-before-2016-06-01",
        "case22",
        _set(worker={"french_nclc_speaking": 8, "french_nclc_listening": 8}),
        date(2016, 5, 31),
        "pending",
        None,
        [],
    ),
    (
        "c16-teer5-cleaner",
        "case22",
        _set(position={"noc_code": "65310", "title": "Cleaner"}),
        NOW,
        "IMP",
        "C16",
        ["C16"],
    ),
    ("c16-part-time", "case22", _set(position={"hours_per_week": 15}), NOW, "IMP", "C16", ["C16"]),
    ("c16-french-proof-none", "case22", _set(worker={"french_proof": "none"}), NOW, "pending", None, []),
    ("c16-french-proof-unknown", "case22", _set(worker={"french_proof": None}), NOW, "pending", None, []),
    # Quebec
    ("c16-job-in-gatineau", "case22", _FRANCOPHONE_IN_QC, NOW, "pending", None, []),
    (
        "t36-in-montreal",
        "case01",
        _set(employer={"province": "QC"}, position={"province": "QC", "city": "Montréal"}),
        NOW,
        "IMP",
        "T36",
        ["T36"],
    ),
    (
        "iec-yp-in-quebec",
        "case25",
        _set(employer={"province": "QC"}, position={"province": "QC", "city": "Québec"}),
        NOW,
        "IMP",
        "C21",
        ["C21"],
    ),
    # dual citizens, citizens and permanent residents of Canada
    (
        "uk-irish-exec",
        "case02",
        _both(
            _set(
                worker={"citizenships": ["GB", "IE"], "residence_country": "GB"},
                foreign_enterprise={"country": "GB"},
            ),
            _job_abroad(country="GB"),
        ),
        NOW,
        "IMP",
        "F61",
        ["F61", "C62"],
    ),
    ("us-canadian-dual", "case01", _set(worker={"citizenships": ["US", "CA"]}), NOW, "no_permit", None, []),
    (
        "us-citizen-canadian-pr",
        "case01",
        _set(worker={"permanent_residences": ["CA"]}),
        NOW,
        "no_permit",
        None,
        [],
    ),
    (
        "mx-es-accountant",
        "case07",
        _set(worker={"citizenships": ["MX", "ES"], "residence_country": "MX"}),
        NOW,
        "IMP",
        "T36",
        ["T36"],
    ),
    # C20
    (
        "c20-small-exchange",
        "case26",
        _set(employer={"canadians_sent_abroad": 3, "foreign_workers_received": 10}),
        NOW,
        "IMP",
        "C20",
        ["C20"],
    ),
    (
        "c20-large-exchange-half",
        "case26",
        _set(employer={"canadians_sent_abroad": 20, "foreign_workers_received": 40}),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "c20-large-exchange-75",
        "case26",
        _set(employer={"canadians_sent_abroad": 30, "foreign_workers_received": 40}),
        NOW,
        "IMP",
        "C20",
        ["C20"],
    ),
    (
        "c20-foreign-mission-staff",
        "case26",
        _set(employer={"kind": "diplomatic_mission", "reciprocity_agreement": None}),
        NOW,
        "IMP",
        "C20",
        ["C20"],
    ),
    # C10 / C11
    ("c11-no-exit-plan", "case16", _set(worker={"temporary_intent": False}), NOW, "IMP", "C10", ["C10"]),
    ("c10-benefit-unknown", "case17", _set(position={"significant_benefit": None}), NOW, "pending", None, []),
    # CUSMA professionals: the degree and its alternatives
    (
        "consultant-5y-no-degree",
        "case01",
        _both(_CONSULTANT, _set(worker={"experience_years": 6})),
        NOW,
        "IMP",
        "T36",
        ["T36"],
    ),
    (
        "consultant-4y-no-degree",
        "case01",
        _both(_CONSULTANT, _set(worker={"experience_years": 4})),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "accountant-cpa-no-degree",
        "case01",
        _set(
            worker={
                "profession": "accountant",
                "education_level": "post_secondary_2y",
                "professional_licence": True,
            },
            position={"noc_code": "11100", "title": "Accountant", "licence_required": False},
        ),
        NOW,
        "IMP",
        "T36",
        ["T36"],
    ),
    (
        "analyst-diploma-3y",
        "case01",
        _set(
            worker={
                "profession": "computer_systems_analyst",
                "education_level": "post_secondary_2y",
                "experience_years": 3,
            },
            position={"noc_code": "21221", "title": "Systems analyst", "licence_required": False},
        ),
        NOW,
        "IMP",
        "T36",
        ["T36"],
    ),
    (
        "engineer-no-degree-no-licence",
        "case01",
        _set(worker={"education_level": "post_secondary_2y", "professional_licence": False}),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "engineer-education-unknown",
        "case01",
        _set(worker={"education_level": None}),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "nurse-without-provincial-licence",
        "case01",
        _set(
            worker={
                "profession": "registered_nurse",
                "professional_licence": True,
                "canadian_licence": False,
            },
            position={"noc_code": "31301", "title": "Registered nurse"},
        ),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "engineer-owns-the-canadian-company",
        "case01",
        _set(worker={"ownership_pct": 60}),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "engineer-self-employed-abroad",
        "case01",
        _set(worker={"self_employed": True}, position={"paid_by": "self"}),
        NOW,
        "IMP",
        "T36",
        ["T36"],
    ),
    ("engineer-part-time", "case01", _set(position={"hours_per_week": 20}), NOW, "IMP", "T36", ["T36"]),
    ("engineer-american-samoa", "case01", _set(worker={"citizenships": ["AS"]}), NOW, "pending", None, []),
    (
        "engineer-visitor-in-canada",
        "case01",
        _set(worker={"in_canada": True, "current_permit_type": "visitor", "residence_country": "CA"}),
        NOW,
        "IMP",
        "T36",
        ["T36"],
    ),
    # CUSMA traders (T34: more than half of the trade) and investors (T35: at least half US/MX-owned)
    (
        "trader-half-the-trade",
        "case14",
        _both(_MX_TRADER, _set(employer={"trade_share_with_treaty_country_pct": 50})),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "trader-more-than-half",
        "case14",
        _both(_MX_TRADER, _set(employer={"trade_share_with_treaty_country_pct": 50.5})),
        NOW,
        "IMP",
        "T34",
        ["T34"],
    ),
    (
        "investor-half-us-owned",
        "case14",
        _set(employer={"ownership_by_nationality": {"US": 50, "CA": 50}}, worker={"ownership_pct": 50}),
        NOW,
        "IMP",
        "T35",
        ["T35"],
    ),
    (
        "investor-minority-us-owned",
        "case14",
        _set(employer={"ownership_by_nationality": {"US": 45, "CA": 55}}),
        NOW,
        "pending",
        None,
        [],
    ),
    # C63's wage floor, part time, missing answers
    ("c63-at-prevailing", "case05", _AT_PREVAILING, NOW, "IMP", "C63", ["C63"]),
    ("c63-a-cent-below", "case05", _set(position={"wage_hourly_cad": 49.99}), NOW, "TFWP", None, []),
    (
        "c63-prevailing-unknown",
        "case05",
        _set(position={"wage_hourly_cad": 55, "prevailing_wage_hourly_cad": None}),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "c63-part-time-at-prevailing",
        "case05",
        _both(_AT_PREVAILING, _set(position={"hours_per_week": 20})),
        NOW,
        "IMP",
        "C63",
        ["C63"],
    ),
    (
        "c63-part-time-abroad",
        "case05",
        _both(_AT_PREVAILING, _job_abroad(full_time=False)),
        NOW,
        "TFWP",
        None,
        [],
    ),
    ("c62-below-prevailing", "case08", _set(position={"wage_hourly_cad": 60}), NOW, "IMP", "C62", ["C62"]),
    ("c62-employment-unknown", "case08", _set(worker={"employment": None}), NOW, "pending", None, []),
    ("c62-capacity-unknown", "case08", _set(position={"capacity": None}), NOW, "pending", None, []),
    ("c62-cap-used-up", "case08", _set(worker={"ict_months_used": 84}), NOW, "pending", None, []),
    (
        "c62-franchise",
        "case08",
        _set(foreign_enterprise={"relationship": "franchise"}),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "c61-parent-in-one-country",
        "case15",
        _set(foreign_enterprise={"countries_of_operation": ["GB"]}),
        NOW,
        "pending",
        None,
        [],
    ),
    # people already in Canada
    (
        "ict-on-study-permit",
        "case08",
        _set(worker={"in_canada": True, "current_permit_type": "study", "residence_country": "CA"}),
        NOW,
        "IMP",
        "C62",
        ["C62"],
    ),
    (
        "spousal-open-permit",
        "case09",
        _set(worker={"current_permit_code": "C41"}),
        NOW,
        "open_permit",
        None,
        [],
    ),
    (
        "iec-working-holiday-invited",
        "case25",
        _set(worker={"iec_category": "working_holiday"}),
        NOW,
        "open_permit",
        None,
        [],
    ),
    # IEC Young Professionals
    (
        "iec-yp-teer4-with-diploma",
        "case25",
        _set(position={"noc_code": "64100"}, worker={"education_level": "post_secondary_2y"}),
        NOW,
        "IMP",
        "C21",
        ["C21"],
    ),
    (
        "iec-yp-teer4-secondary-only",
        "case25",
        _set(position={"noc_code": "64100"}, worker={"education_level": "secondary"}),
        NOW,
        "pending",
        None,
        [],
    ),
    (
        "iec-yp-36-at-invitation",
        "case25",
        _set(worker={"date_of_birth": "1989-01-01"}),
        NOW,
        "pending",
        None,
        [],
    ),
    # nothing fits
    (
        "filipino-cook-toronto",
        "case03",
        _set(
            worker={"citizenships": ["PH"], "residence_country": "PH"},
            position={
                "noc_code": "63200",
                "title": "Cook",
                "capacity": "other",
                "province": "ON",
                "city": "Toronto",
            },
            employer={"province": "ON"},
        ),
        NOW,
        "TFWP",
        None,
        [],
    ),
    (
        "charity-office-manager",
        "case30",
        _set(position={"work_type": "regular", "noc_code": "13100", "title": "Office manager"}),
        NOW,
        "pending",
        None,
        [],
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "on", "route", "recommended", "codes_fit"),
    [pytest.param(n, c, on, r, rec, fit, id=i) for i, n, c, on, r, rec, fit in KEPT],
)
def test_kept_case(name, change, on, route, recommended, codes_fit):
    """Each case agreed with imp-rules.md (§8 first) and the IRCC pages read when written (2026-12-06); the ids
    say the edge. Part-time jobs in Canada (T36, C16, C63): no page read sets a full-time requirement for the
    job in Canada (the intra-company year abroad must be full time, `c63-part-time-abroad`)."""
    full = next(n for n in cases_by_name() if n.startswith(name + "-"))
    d = assess_case(full, change, on)
    assert (d["route"], d["recommended"], d["codes_fit"]) == (route, recommended, codes_fit)
    # never "LMIA needed" while a needed answer is open; never a fee while pending
    if d["route"] == "TFWP":
        assert d["complete"] is True and not _needed(d)
    if d["route"] == "pending":
        assert d["complete"] is False and d["employer_step"]["fee_cad"] is None


# ------------------------------------------------------------------- the ICT tie-break reads the job's dates


def _uk_executive(end: str) -> Callable[[dict[str, Any]], None]:
    """Worked case 02's executive as a UK citizen transferred from the London parent, the job given by its
    dates (no length in months)."""

    def change(f: dict[str, Any]) -> None:
        _both(_UK, _job_abroad(country="GB"))(f)
        f["position"].pop("duration_months", None)
        f["position"].update(start_date="2027-01-04", end_date=end)

    return change


def test_the_ict_tie_break_reads_a_job_given_by_its_dates():
    """imp-rules.md §5 tie-break: when an agreement's transferee code and an R205(a) one both fit, compare the
    plan (the planned total, "otherwise this offer's duration") with the agreement code's cap; §3.2/§3.3: the
    CUKTCA (and CETA) executives' cap is 4.5 years, C62's 7. A 5-year assignment of a UK executive
    (2027-01-04 to 2031-12-31) given by its dates was recommended F61, with the warning that the job is longer
    than the code allows, while the same job given as 60 months was recommended C62: the tie-break read the
    length in months only. It now reads the job's length as the other duration rules do (from its dates)."""
    d = assess_case("case02-us-executive", _uk_executive("2031-12-31"))
    assert d["codes_fit"] == ["F61", "C62"] and d["recommended"] == "C62"
    assert "job_longer_than_code" not in {w["id"] for w in d["warnings"]}
    # 4.5 years or less: the agreement's code stays first
    d = assess_case("case02-us-executive", _uk_executive("2031-06-30"))
    assert d["recommended"] == "F61"


def test_the_ict_tie_break_asks_the_length_when_it_is_unknown():
    """Same rule (imp-rules.md §5), the job's length not given at all: F61 was recommended and the case read
    complete, with no question, although the length decides between F61 (4.5 years) and C62 (7 years): the
    README's contract makes a question needed when "its answer could change ... the recommended code". The
    length is now asked (needed, its sentence saying what it decides); a US executive (T37 and C62, both 7
    years) is not asked."""

    def no_length(f: dict[str, Any]) -> None:
        _both(_UK, _job_abroad(country="GB"))(f)
        f["position"].pop("duration_months", None)

    d = assess_case("case02-us-executive", no_length)
    assert d["route"] == "IMP" and d["recommended"] == "F61" and d["complete"] is False
    q = next(q for q in d["questions"] if q["fact"] == "position.duration_months")
    assert q["needed"] is True and q["codes"] == ["C62"]
    assert q["decides"].startswith("Decides which code to file")
    fr = assess_case("case02-us-executive", no_length, lang="fr")
    assert next(q for q in fr["questions"] if q["fact"] == "position.duration_months")["decides"].startswith(
        "Détermine le code à utiliser"
    )
    d = assess_case("case02-us-executive", lambda f: f["position"].pop("duration_months", None))
    assert d["recommended"] == "T37" and d["complete"] is True
