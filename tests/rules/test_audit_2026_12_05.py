"""Audit of the rules against shared/domain (2026-12-05): one regression test per discrepancy found,
each built from a worked case and citing the reference section it follows. The people and companies
are invented."""

from __future__ import annotations

from datetime import date

import rules

from .conftest import assess_case

_assess = assess_case


def _criterion(d: dict, code: str, cid: str) -> dict:
    """The criterion ``cid`` of ``code``: among a candidate's, or the gate that excluded the code."""
    for cand in d["candidates"]:
        if cand["code"] == code:
            return next(c for c in cand["criteria"] if c["id"] == cid)
    excluded = next(x for x in d["excluded"] if x["code"] == code and x["criterion"] == cid)
    return {"id": cid, "status": "not_met", "text": excluded["text"]}


# ----------------------------------------------------------------------------------- counting months


def test_a_job_from_the_first_of_january_to_the_thirty_first_of_december_is_a_full_ict_year():
    """imp-rules.md §3.4 item 2: "≥ 1 year continuous full-time employment". An employment record's end
    date is a day worked: 2025-01-01 to 2025-12-31 is twelve months, not eleven (the count took the end
    date as the day after). The part-time job since does not count."""

    def year_then_part_time(f):
        f["position"]["prevailing_wage_hourly_cad"] = f["position"]["wage_hourly_cad"]
        f["worker"]["employment"] = [
            {**f["worker"]["employment"][0], "start_date": "2025-01-01", "end_date": "2025-12-31"},
            {
                **f["worker"]["employment"][0],
                "start_date": "2026-01-01",
                "end_date": None,
                "full_time": False,
            },
        ]

    d = _assess("case05-ict-below-prevailing-wage", year_then_part_time)
    assert _criterion(d, "C63", "ict.prior_employment_12m")["status"] == "met"
    assert d["recommended"] == "C63"

    def one_day_short(f):
        year_then_part_time(f)
        f["worker"]["employment"][0]["start_date"] = "2025-01-02"

    short = _assess("case05-ict-below-prevailing-wage", one_day_short)
    assert _criterion(short, "C63", "ict.prior_employment_12m")["status"] == "not_met"


def test_months_worked_counts_the_last_day_of_an_ended_job_and_a_current_job_up_to_the_day():
    on = date(2026, 11, 24)
    assert rules.months_worked(date(2025, 1, 1), date(2025, 12, 31), on) == 12
    assert rules.months_worked(date(2025, 1, 2), date(2025, 12, 31), on) == 11
    assert rules.months_worked(date(2025, 11, 25), None, on) == 11  # its year is complete on 2026-11-25
    assert rules.months_worked(date(2025, 11, 24), None, on) == 12
    assert rules.months_worked(date(2025, 11, 24), date(2027, 1, 1), on) == 12  # not ended by ``on``


def test_a_visiting_professor_for_two_academic_years_fits_c22_whether_or_not_a_29_february_falls_in_them():
    """imp-rules.md §3.12: visiting professors "for ≤ 2 academic years". A stay given by its dates was
    measured in days / 30.4375, so 2027-09-01 to 2029-08-31 (731 days, 29 February 2028 in it) counted
    as 24.02 months and failed; the same stay given as 24 months fitted. Months are now calendar months."""

    def two_years(start, end):
        def change(f):
            f["position"]["start_date"], f["position"]["end_date"] = start, end

        return change

    for start, end in (
        ("2027-09-01", "2029-08-31"),
        ("2026-09-01", "2028-08-31"),
        ("2029-09-01", "2031-08-31"),
    ):
        d = _assess("case27-visiting-professor", two_years(start, end))
        assert d["recommended"] == "C22", (start, end)
    longer = _assess("case27-visiting-professor", two_years("2027-09-01", "2029-09-01"))
    assert _criterion(longer, "C22", "c22.terms")["status"] == "not_met"


# ----------------------------------------------------------------------------------- ICT renewals


def _renewal(permit_code: str, canadian_job_with_enterprise: bool | None = True):
    """Worked case 02's executive, transferred on 2024-01-01 after five years with the US parent, now in
    Canada on ``permit_code`` and asking for more time (the new offer starts when the permit ends)."""

    def change(f):
        w = f["worker"]
        w.update(
            in_canada=True,
            current_permit_type="employer_specific",
            current_permit_code=permit_code,
            residence_country="CA",
            ict_months_used=35,
        )
        w["employment"] = [
            {**w["employment"][0], "start_date": "2019-01-07", "end_date": "2023-12-31"},
            {
                "employer_name": "Maple Analytics Ltd.",
                "country": "CA",
                "start_date": "2024-01-01",
                "end_date": None,
                "full_time": True,
                "capacity": "executive",
                "with_foreign_enterprise": canadian_job_with_enterprise,
            },
        ]
        f["position"]["duration_months"] = 24

    return change


def test_an_ict_extension_counts_the_year_abroad_back_from_the_transfer_not_from_today():
    """imp-rules.md §3.4 item 2: the year with the enterprise is "within the 3 years before the initial
    application"; renewals up to 7 years in all (C62), 5 (C63). The count ran back from the assessment
    date, so after two years in Canada every extension failed ("wait until the worker has 12 months"),
    and the 5- and 7-year totals could never be reached. For a worker in Canada on an ICT permit the year
    is counted back from the transfer (the day after the last job abroad with the group)."""
    d = _assess("case02-us-executive", _renewal("C62"))
    assert d["route"] == "IMP"
    assert set(d["codes_fit"]) >= {"C62"}
    assert _criterion(d, "C62", "ict.prior_employment_12m")["status"] == "met"
    assert _criterion(d, "C62", "ict.currently_employed")["status"] == "met"
    # the same worker not yet transferred, the job abroad having ended three years ago: nothing to count
    first = _assess(
        "case02-us-executive", lambda f: (_renewal("C62")(f), f["worker"].update(in_canada=False))
    )
    assert _criterion(first, "C62", "ict.prior_employment_12m")["status"] != "met"


def test_switching_from_c61_to_c62_counts_the_canadian_job_as_work_for_the_group():
    """imp-rules.md §3.4 C61: "the worker then moves to C62/C63 for any extension". The job in Canada is
    with the Canadian part of the group, so it is natural to record it as not with the foreign enterprise:
    the switch failed on "currently employed by the foreign enterprise"."""
    for with_enterprise in (True, False, None):
        d = _assess("case02-us-executive", _renewal("C61", with_enterprise))
        assert _criterion(d, "C62", "ict.currently_employed")["status"] == "met", with_enterprise
        assert "C62" in d["codes_fit"], with_enterprise


def test_a_worker_in_canada_without_an_ict_permit_is_counted_from_today():
    """Only an ICT permit makes the transfer the day to count from: a worker in Canada on another permit
    (a post-graduation open permit, say) whose job abroad ended years ago has no year within the window."""
    d = _assess("case02-us-executive", _renewal("PGWP"))
    assert _criterion(d, "C62", "ict.prior_employment_12m")["status"] != "met"
    assert "C62" not in d["codes_fit"]


# ----------------------------------------------------------------------------------- professions typed freely


def test_a_profession_typed_as_a_job_title_reads_as_the_listed_profession():
    """imp-rules.md §3.1 T36 item 2: the 63 professions, "titles may vary if duties are interchangeable,
    checked against NOC"; worked case 01. "Civil Engineer" (or "Ingénieur civil") was taken for a
    profession off the list — against the NOC, which says engineer — and the case ended in "LMIA needed"."""
    for typed in ("Civil Engineer", "Ingénieur civil", "Senior structural engineer"):
        d = _assess("case01-us-civil-engineer", lambda f, t=typed: f["worker"].update(profession=t))
        assert d["recommended"] == "T36", typed
        assert _criterion(d, "T36", "cusma.profession")["status"] == "met", typed

    def title_without_noc_map(f):
        f["worker"]["profession"] = "Senior mechanical engineer"
        f["position"]["noc_code"] = "21399"  # mapped too; a title's words decide when the NOC is not

    assert _assess("case01-us-civil-engineer", title_without_noc_map)["recommended"] == "T36"


def test_a_title_off_the_list_stays_off_it():
    def baker(f):
        f["worker"]["profession"] = "Baker"
        f["position"]["noc_code"] = "63202"

    d = _assess("case01-us-civil-engineer", baker)
    assert _criterion(d, "T36", "cusma.profession")["status"] == "not_met"

    def marketing_engineer(f):
        f["worker"]["profession"] = "Marketing engineer"
        f["position"]["noc_code"] = "10022"  # known not to be a listed profession: the NOC decides

    d = _assess("case01-us-civil-engineer", marketing_engineer)
    assert _criterion(d, "T36", "cusma.profession")["status"] == "not_met"


def test_a_gats_engineer_typed_as_a_title_fits_t33():
    """The same reading for GATS professionals (§3.3): worked case 18 with "Civil engineer"."""
    d = _assess("case18-gats-engineer", lambda f: f["worker"].update(profession="Civil engineer"))
    assert d["recommended"] == "T33"


def test_a_technologist_field_of_study_as_typed():
    """imp-rules.md §3.2 T48: a 3-year degree "in engineering technology, or in agriculture, architecture,
    biology, chemistry, physics, forestry, geology, geophysics, mining or energy". The field was compared
    with the parameter's keys as they are written ("chemistry" passed, "Chemistry" failed)."""

    def technologist(field):
        def change(f):
            f["position"]["noc_code"] = "22100"
            f["position"]["service_sector"] = "technical_testing"
            f["worker"]["education_level"] = "post_secondary_3y"
            f["worker"]["education_field"] = field

        return change

    for field in ("Chemistry", "chemical engineering technology", "Géologie", "Engineering Technology"):
        d = _assess("case11-italian-css", technologist(field))
        assert _criterion(d, "T48", "technologist.field")["status"] == "met", field
    for field in ("Fine arts", "Physical education"):
        d = _assess("case11-italian-css", technologist(field))
        assert _criterion(d, "T48", "technologist.field")["status"] == "not_met", field


# ----------------------------------------------------------------------------------- CETA


def test_a_ceta_transfer_to_a_sister_company_does_not_qualify():
    """imp-rules.md §3.2 T44/T42/T41: transferring "to a Canadian enterprise with a qualifying relationship
    (subsidiary, branch, head company)"; CUKTCA mirrors CETA (§3.3). An affiliate (sister company) was
    accepted as for R205(a) and CUSMA."""

    def sister(f):
        f["foreign_enterprise"]["relationship"] = "affiliate"

    d = _assess("case10-german-graduate-trainee", sister)
    assert _criterion(d, "T42", "ceta.relationship")["status"] == "not_met"
    assert "T42" not in d["codes_fit"]
    for relationship in ("parent", "subsidiary", "branch"):
        fits = _assess(
            "case10-german-graduate-trainee",
            lambda f, r=relationship: f["foreign_enterprise"].update(relationship=r),
        )
        assert fits["recommended"] == "T42", relationship


def test_a_ceta_service_supplier_paid_by_the_canadian_client_does_not_fit():
    """imp-rules.md §3.2 T47: "paid only by the EU employer" (worked case 11: "paid by Alfa"). Who pays
    was never read; paid by the Canadian client, T47 was recommended."""
    d = _assess("case11-italian-css", lambda f: f["position"].update(paid_by="canadian_employer"))
    assert _criterion(d, "T47", "css.paid_by_foreign_enterprise")["status"] == "not_met"
    assert "T47" not in d["codes_fit"]
    unknown = _assess("case11-italian-css", lambda f: f["position"].pop("paid_by"))
    assert unknown["route"] == "pending"
    assert "position.paid_by" in [q["fact"] for q in unknown["questions"] if q["needed"]]
    assert _assess("case11-italian-css")["recommended"] == "T47"


# ----------------------------------------------------------------------------------- place, repair, calendar


def test_a_british_new_zealand_resident_transferred_under_cptpp_may_use_the_port_of_entry():
    """imp-rules.md §1.4 (a port of entry if TRV-exempt) and §8 item 11 (the passport the worker travels
    on decides): a T51 that comes from a New Zealand permanent residence took no passport into account,
    so a visa-exempt British citizen was told a visa was needed."""

    def british_nz_resident(f):
        f["foreign_enterprise"].update(country="NZ", countries_of_operation=["NZ", "AU"])
        f["worker"].update(citizenships=["GB"], permanent_residences=["NZ"], residence_country="NZ")
        f["worker"]["employment"][0]["country"] = "NZ"

    d = _assess("case02-us-executive", british_nz_resident)
    assert d["recommended"] == "T51"
    assert d["where"]["passport"] == "GB"
    assert next(o for o in d["where"]["options"] if o["place"] == "POE")["allowed"] is True


def test_a_repair_under_warranty_is_flagged_as_business_visitor_work():
    """imp-rules.md §3.7: "Not C13: routine repair under warranty or after-sales service contract →
    business visitor (R186(a)/R187), no WP". The case went to the LMIA with no word of it."""
    d = _assess("case19-out-of-warranty-repair", lambda f: f["position"].update(repair_kind="under_warranty"))
    assert "C13" not in d["codes_fit"]
    assert "business_visitor_repair" in [w["id"] for w in d["warnings"]]
    fr = _assess(
        "case19-out-of-warranty-repair",
        lambda f: f["position"].update(repair_kind="under_warranty"),
        lang="fr",
    )
    assert "visiteur commercial" in next(
        w["text"] for w in fr["warnings"] if w["id"] == "business_visitor_repair"
    )
    assert "business_visitor_repair" not in [
        w["id"] for w in _assess("case19-out-of-warranty-repair")["warnings"]
    ]


def test_the_calendar_of_a_c12_permit_takes_the_cap_of_the_workers_capacity():
    """imp-rules.md §4.8: "ict_cap_end = first ICT entry + 5 y (SK) / 7 y (exec/manager)"; before
    2022-12-15 C12 covered both. The calendar always took 7 years."""
    first = date(2021, 3, 1)
    assert rules.compliance_calendar("C12", first, capacity="executive")["ict_cap_end"] == "2028-03-01"
    assert rules.compliance_calendar("C12", first, capacity="manager")["ict_cap_end"] == "2028-03-01"
    sk = rules.compliance_calendar("C12", first, capacity="specialized_knowledge")
    assert sk["ict_cap_end"] == "2026-03-01"
    assert rules.compliance_calendar("C12", first)["ict_cap_end"] == "2026-03-01"  # unknown: the earlier
    assert rules.compliance_calendar("C62", first)["ict_cap_end"] == "2028-03-01"


def test_the_dual_national_warning_names_the_passport_s_country_in_the_readers_language():
    """Browser tour of 2026-12-05: "file on the passport of the country that gives eligibility (US)" — a
    raw code beside a page that names countries in full."""
    texts = {
        lang: next(
            w["text"]
            for w in _assess("case07-dual-national-accountant", lang=lang)["warnings"]
            if w["id"] == "dual_national"
        )
        for lang in ("en", "fr")
    }
    assert "(United States)" in texts["en"] and "(États-Unis)" in texts["fr"]
    assert "(US)" not in texts["en"] + texts["fr"]


def test_a_us_psychologist_needs_the_licence_a_bachelor_is_not_enough():
    """imp-parameters.yaml cusma_professions: Psychologist and Registered Nurse, "state/provincial licence;
    OR Licenciatura" — not "Baccalaureate or Licenciatura" as for the others. A US bachelor without the
    licence was met; a Mexican with the Licenciatura (a bachelor-level degree) still is."""

    def psychologist(citizenship, licence):
        def change(f):
            f["position"]["noc_code"] = "31200"
            f["worker"].update(
                profession="psychologist", professional_licence=licence, citizenships=[citizenship]
            )

        return change

    assert (
        _criterion(_assess("case01-us-civil-engineer", psychologist("US", False)), "T36", "cusma.credential")[
            "status"
        ]
        == "not_met"
    )
    for citizenship, licence in (("US", True), ("MX", False)):
        d = _assess("case01-us-civil-engineer", psychologist(citizenship, licence))
        assert _criterion(d, "T36", "cusma.credential")["status"] == "met", citizenship


def test_c61_counts_the_pooled_ict_time_like_the_codes_that_follow_it():
    """imp-rules.md §3.4: the caps are "cumulative across ICT codes". C61 had no cap criterion: a worker
    who had used the 84 months still fitted C61."""

    def used(months, capacity="executive"):
        def change(f):
            f["worker"]["ict_months_used"] = months
            f["position"]["capacity"] = capacity
            for job in f["worker"]["employment"]:
                job["capacity"] = capacity

        return change

    assert (
        _criterion(_assess("case15-ict-new-subsidiary", used(84)), "C61", "ict.c61_cap_left")["status"]
        == "not_met"
    )
    assert "C61" not in _assess("case15-ict-new-subsidiary", used(84))["codes_fit"]
    assert _assess("case15-ict-new-subsidiary", used(83))["recommended"] == "C61"
    sk = _assess("case15-ict-new-subsidiary", used(60, "specialized_knowledge"))
    assert _criterion(sk, "C61", "ict.c61_cap_left")["status"] == "not_met"


def test_a_ceta_extension_reads_the_year_at_application_on_the_day_of_the_transfer():
    """CETA and CUKTCA count the year "at the time of application" (employed then, for at least a year):
    for an extension that is the initial application, when the job abroad was still going on."""

    def german(f):
        _renewal("T44")(f)
        f["foreign_enterprise"].update(country="DE", countries_of_operation=["DE", "FR"])
        f["worker"]["citizenships"] = ["DE"]
        f["worker"]["employment"][0]["country"] = "DE"
        f["employer"]["ownership_by_nationality"] = {"DE": 100}

    d = _assess("case02-us-executive", german)
    assert _criterion(d, "T44", "ict.employed_1y_at_application")["status"] == "met"
    assert "T44" in d["codes_fit"]
