"""Audit of the rules against shared/domain (2026-12-04): one regression test per discrepancy found,
each built from a worked case and citing the reference section it follows."""

from __future__ import annotations

from datetime import date

import rules

from .conftest import assess_case, load_case_text

_assess = assess_case


def _poe(d: dict) -> dict:
    return next(o for o in d["where"]["options"] if o["place"] == "POE")


def test_t50_investor_holding_a_us_green_card_cannot_apply_at_a_port_of_entry():
    """imp-rules.md §8 item 2: T50 applicants "cannot submit their applications at a port of entry".
    The exception for US citizens and permanent residents is IEC's (R198(2)(c), §3.11), not T50's: a
    Japanese investor with a US green card (or an Australian who is also a US citizen) was told the port
    of entry was open."""

    def japanese_us_resident(f):
        f["worker"]["citizenships"] = ["JP"]
        f["worker"]["permanent_residences"] = ["US"]
        f["worker"]["residence_country"] = "US"
        f["employer"]["ownership_by_nationality"] = {"JP": 100}

    def australian_and_us_citizen(f):
        f["worker"]["citizenships"] = ["AU", "US"]
        f["employer"]["ownership_by_nationality"] = {"AU": 100}

    for change in (japanese_us_resident, australian_and_us_citizen):
        d = _assess("case14-us-investor", change)
        assert d["recommended"] == "T50"
        assert d["where"]["place"] == "online-outside"
        assert _poe(d) == {"place": "POE", "allowed": False, "reason": "code_online_only"}


def test_iec_us_citizen_may_still_apply_at_a_port_of_entry():
    """imp-rules.md §3.11: IEC applications at a port of entry only for US citizens/PRs (the exception
    the T50 fix keeps for C21)."""

    def irish_and_us(f):
        f["worker"]["citizenships"] = ["IE", "US"]

    d = _assess("case25-iec-young-professional", irish_and_us)
    assert d["recommended"] == "C21"
    assert _poe(d)["allowed"] is True


def test_iec_international_coop_from_ireland_lasts_12_months_not_24():
    """imp-parameters.yaml durations C21: "IE 24 WH/YP, 12 Co-op; AU 24 WH/YP, 12 Co-op". The country's
    maximum was taken for every category, so an Irish co-op student was given 24 months."""

    def coop(f):
        f["worker"]["iec_category"] = "international_coop"
        f["position"]["internship_required_by_program"] = True

    d = _assess("case25-iec-young-professional", coop)
    assert d["recommended"] == "C21"
    assert d["durations"]["initial_max"] == 12
    assert _assess("case25-iec-young-professional")["durations"]["initial_max"] == 24  # YP stays 24


def test_iec_austrian_young_professional_aged_33_is_within_the_age_range():
    """imp-parameters.yaml iec.age_note: Austria's 18-30 is its Working Holiday range ("Belgium WH 18-30,
    Austria WH 18-30"); Young Professionals keep the default 18-35. A 33-year-old Austrian YP was refused."""

    def austrian(f):
        f["worker"]["citizenships"] = ["AT"]
        f["worker"]["date_of_birth"] = "1993-01-01"  # 33 on 2026-11-24

    d = _assess("case25-iec-young-professional", austrian)
    assert d["codes_fit"] == ["C21"], d["codes_fit"]
    c21 = next(x for x in d["candidates"] if x["code"] == "C21")
    age = next(x for x in c21["criteria"] if x["id"] == "c21.age")
    assert age["status"] == "met"


def test_cusma_executive_opening_a_new_office_gets_one_year_then_six_months():
    """imp-rules.md §3.1 (T37/T38): "Opening a new Canadian office (executives/managers) ... initial 1
    year, renewal <= 6 months" (imp-parameters.yaml durations T37 startup). The general 3 years + 2 were
    given."""

    def new_office(f):
        f["employer"].update(
            start_up=True,
            actively_engaged=False,
            business_plan=True,
            staffing_plan=True,
            financial_capacity=True,
        )

    d = _assess("case02-us-executive", new_office)
    assert d["recommended"] == "T37"
    assert (d["durations"]["initial_max"], d["durations"]["extension_max"]) == (12, 6)
    regular = _assess("case02-us-executive")["durations"]
    assert (regular["initial_max"], regular["extension_max"], regular["total_cap"]) == (36, 24, 84)


def test_gats_a_kazakh_engineer_is_covered_only_once_kazakhstan_joined_the_wto():
    """imp-rules.md §3.3 (GATS: citizens of a WTO member): Kazakhstan joined on 2015-11-30 (also
    Seychelles 2015-04-26, Liberia 2016-07-14, Afghanistan 2016-07-29), but the non-member list
    counted them members from 2015-02-21."""

    def kazakh(f):
        f["worker"]["citizenships"] = ["KZ"]
        f["worker"]["residence_country"] = "KZ"

    before = _assess("case18-gats-engineer", kazakh, date(2015, 11, 29))
    after = _assess("case18-gats-engineer", kazakh, date(2015, 11, 30))
    assert "T33" not in before["codes_fit"]
    assert after["codes_fit"] == ["T33"]
    assert _assess("case18-gats-engineer", on=date(2015, 11, 29))["codes_fit"] == ["T33"]  # India: member


def test_c16_a_quebec_employer_with_a_job_outside_quebec_fits_with_the_telework_warning():
    """imp-rules.md §1.6 and §3.9: C16 is not available for work located in Quebec "nor for telework for a
    Quebec-located employer". A job at a workplace outside Quebec of a Quebec-located employer still
    qualifies (imp-cases.md case 04: "the same worker in Ottawa would qualify for C16"); the facts do not
    say whether the worker teleworks, so the assessment fits C16 and warns rather than refusing it."""

    def montreal_employer(f):
        f["employer"]["province"] = "QC"  # the cook works at the company's Moncton restaurant

    def in_quebec(f):
        montreal_employer(f)
        f["position"]["province"] = "QC"

    d = _assess("case22-francophone-cook", montreal_employer)
    assert d["recommended"] == "C16"
    assert any("telework" in w["text"] for w in d["warnings"]), d["warnings"]
    fr = _assess("case22-francophone-cook", montreal_employer, lang="fr")
    assert any("télétravail" in w["text"] for w in fr["warnings"])
    plain = _assess("case22-francophone-cook")
    assert plain["recommended"] == "C16" and not any("telework" in w["text"] for w in plain["warnings"])
    d = _assess("case22-francophone-cook", in_quebec)
    assert "C16" not in d["codes_fit"]
    crit = next(x for x in d["candidates"] if x["code"] == "C16")["criteria"]
    assert next(x for x in crit if x["id"] == "c16.outside_quebec")["status"] == "not_met"


def test_a_case_file_reads_norway_as_a_country_code():
    """The NO-as-false bug of the parameter files (YAML 1.1 booleans), in the case files: the loader of
    tests/rules/cases read citizenships [NO] as [False], and facts_from_dict refused a Norwegian worker."""
    data = load_case_text(
        "facts:\n  employer:\n    province: ON\n  worker:\n    citizenships: [NO]\n    in_canada: false\n"
    )
    assert data["facts"]["worker"]["citizenships"] == ["NO"]
    assert data["facts"]["employer"]["province"] == "ON"  # Ontario, not YAML 1.1's true
    facts = rules.facts_from_dict(data["facts"])
    assert facts.worker.citizenships == ("NO",) or list(facts.worker.citizenships) == ["NO"]


def test_c20_the_size_of_an_exchange_is_the_number_of_foreign_workers_received():
    """imp-rules.md §8 item 4 and the C20 PDI: the 75 % expectation is for "exchanges involving larger
    numbers of foreign nationals (e.g. greater than 25)". The two flows were added up, so 24 workers
    received against 5 Canadians sent (29 people) failed instead of being a small exchange (a warning)."""

    def flows(sent, received):
        def change(f):
            f["employer"]["canadians_sent_abroad"] = sent
            f["employer"]["foreign_workers_received"] = received

        return change

    small = _assess("case26-employee-exchange", flows(5, 24))
    assert small["recommended"] == "C20"
    assert "c20_small_exchange" in [w["id"] for w in small["warnings"]]
    large = _assess("case26-employee-exchange", flows(5, 26))
    assert "C20" not in large["codes_fit"]


def test_cuktca_service_suppliers_state_their_12_months_in_24_like_ceta():
    """imp-parameters.yaml durations [T47, T43, T48, F66, F60, F67]: the same 12-months-in-24 rule; the
    CUKTCA codes carried no note, so their durations said nothing in either language."""

    def british(f):
        f["worker"]["citizenships"] = ["GB"]
        f["worker"]["residence_country"] = "GB"
        f["foreign_enterprise"]["country"] = "GB"
        f["worker"]["employment"][0]["country"] = "GB"

    en = _assess("case11-italian-css", british)
    fr = _assess("case11-italian-css", british, lang="fr")
    assert en["recommended"] == "F66"
    assert en["durations"]["note"] == "at most 12 months in any 24-month period"
    assert fr["durations"]["note"] == "au plus 12 mois par période de 24 mois"


def test_c10_waits_while_a_specific_code_whose_first_test_is_met_is_undecided():
    """imp-rules.md §5 step 6 (C10 is the last resort, "flag discretionary, high evidence bar") and
    "Unknown facts -> 'unknown' criteria and questions": the single-country owner of case 16 whose temporary
    intent is not yet answered was recommended C10, the discretionary code, instead of waiting for the
    answer that decides C11. Codes whose first test is itself unknown (C16 without French results, C20
    without an exchange) still do not hold C10 up (case 17)."""

    def intent_unknown(f):
        f["worker"].pop("temporary_intent")

    d = _assess("case16-single-country-owner", intent_unknown)
    assert d["route"] == "pending"
    assert d["recommended"] is None
    assert d["pending"][0]["code"] == "C11"
    assert "C10" not in [p["code"] for p in d["pending"]]
    assert "worker.temporary_intent" in [q["fact"] for q in d["questions"] if q["needed"]]
    assert d["employer_step"]["kind"] == "pending"
    assert _assess("case17-renowned-expert-c10")["recommended"] == "C10"


def test_an_ict_code_does_not_fit_once_the_pooled_cap_is_used_up():
    """imp-rules.md §3.4 ("C63 ... total 5 y; caps cumulative across ICT codes ...; after the cap, 12 months
    abroad with the enterprise to requalify") and §3.1 (T37 7 years): a worker with all 84 months of
    executive ICT time behind them was still given T37 and C62 (with 0 months left)."""

    def used(months):
        def change(f):
            f["worker"]["ict_months_used"] = months

        return change

    spent = _assess("case02-us-executive", used(84))
    assert "T37" not in spent["codes_fit"] and "C62" not in spent["codes_fit"]
    cand = next(x for x in spent["candidates"] if x["code"] == "C62")
    assert next(x for x in cand["criteria"] if x["id"] == "ict.cap_left_84")["status"] == "not_met"
    left = _assess("case02-us-executive", used(60))
    assert left["codes_fit"] == ["T37", "C62"] and left["durations"]["ict_cap_remaining"] == 24


def test_ict_months_worked_in_canada_do_not_count_toward_the_year_abroad():
    """imp-rules.md §3.4 item 2 ("≥ 1 year continuous full-time employment in a similar position with that
    enterprise outside Canada") and §3.1 (T37/T38 "outside Canada"): a year with the group spent in Canada
    (e.g. seconded to the Canadian subsidiary) was counted as the qualifying year abroad."""

    def in_canada(f):
        f["worker"]["employment"][0]["country"] = "CA"

    d = _assess("case08-us-green-card-manager", in_canada)
    assert "C62" not in d["codes_fit"]
    cand = next(x for x in d["candidates"] if x["code"] == "C62")
    assert next(x for x in cand["criteria"] if x["id"] == "ict.prior_employment_12m")["status"] == "not_met"
    assert _assess("case08-us-green-card-manager")["codes_fit"] == ["C62"]


def test_passport_cap_warning_also_for_a_job_given_by_its_length():
    """imp-rules.md §1.5: validity is capped by passport expiry (US citizens exempt). The warning read only
    position.end_date, so a 24-month job given as start date + duration never warned."""

    def short_passport(f):
        f["worker"]["passport_expiry"] = "2027-06-30"

    d = _assess(
        "case22-francophone-cook",
        lambda f: (short_passport(f), f["position"].update(start_date="2027-01-04")),
    )
    assert "passport_cap" in [w["id"] for w in d["warnings"]]
    us = _assess("case01-us-civil-engineer", short_passport)
    assert "passport_cap" not in [w["id"] for w in us["warnings"]]


def test_iec_working_holiday_states_the_participation_fee_beside_the_open_permit_fee():
    """imp-rules.md §3.11 ("Working Holiday — open WP (no employer step; worker pays IEC fee + $100 OWP
    fee)") and §4.1 (IEC participation fee 184.75 since 2025-12-01, 179.75 from 2024-12-01): only the $100
    was given."""

    def working_holiday(f):
        f["worker"]["iec_category"] = "working_holiday"

    d = _assess("case25-iec-young-professional", working_holiday)
    assert d["route"] == "open_permit" and d["employer_step"]["fee_cad"] == 0
    assert d["employer_step"]["worker_fee_cad"] == 100
    assert d["employer_step"]["iec_participation_fee_cad"] == 184.75
    earlier = _assess("case25-iec-young-professional", working_holiday, date(2025, 6, 1))
    assert earlier["employer_step"]["iec_participation_fee_cad"] == 179.75


def test_ceta_graduate_trainee_may_hold_a_professional_licence_instead_of_a_degree():
    """imp-rules.md §3.2 item 4: T42 graduate trainee "holds a bachelor's degree or professional-level
    licence". Only the degree was accepted."""

    def licensed_without_degree(f):
        f["worker"]["education_level"] = "post_secondary_3y"
        f["worker"]["professional_licence"] = True

    assert _assess("case10-german-graduate-trainee", licensed_without_degree)["codes_fit"] == ["T42"]

    def neither(f):
        f["worker"]["education_level"] = "post_secondary_3y"
        f["worker"]["professional_licence"] = False

    assert "T42" not in _assess("case10-german-graduate-trainee", neither)["codes_fit"]


def test_other_agreements_management_trainees_still_need_the_degree():
    """The licence alternative is CETA's and CUKTCA's (imp-rules.md §3.2 item 4, T42 and F62): the Korean,
    Colombian and Peruvian management trainees (F34, F14, F54), whose agreements the reference does not
    say accept a licence, shared the criterion and were given it too."""

    def korean(education_level):
        def change(f):
            f["worker"]["citizenships"] = ["KR"]
            f["worker"]["residence_country"] = "KR"
            f["foreign_enterprise"]["country"] = "KR"
            f["worker"]["employment"][0]["country"] = "KR"
            f["worker"]["education_level"] = education_level
            f["worker"]["professional_licence"] = True

        return change

    assert _assess("case10-german-graduate-trainee", korean("master"))["codes_fit"] == ["F34"]
    licensed = _assess("case10-german-graduate-trainee", korean("post_secondary_3y"))
    assert "F34" not in licensed["codes_fit"]
    f34 = next(x for x in licensed["candidates"] if x["code"] == "F34")
    assert next(x for x in f34["criteria"] if x["id"] == "ict.graduate_trainee")["status"] == "not_met"


def test_iec_age_is_the_age_when_invited_so_a_birthday_since_the_invitation_does_not_refuse_c21():
    """imp-rules.md §3.11 ("aged 18-35 ... on the date of the invitation to apply") and IRCC's Help Centre
    ("If we invite you to apply for a work permit before your birthday, you have passed our eligibility
    assessment for the age requirements for IEC"): the age was taken on the assessment date, so an Irish
    young professional invited at 35 who turned 36 since was refused C21."""

    def turned_36(invited):
        def change(f):
            f["worker"]["date_of_birth"] = "1990-10-01"  # 36 on 2026-11-24, 35 until 2026-10-01
            f["worker"]["iec_invited"] = invited

        return change

    def age(d):
        c21 = next(x for x in d["candidates"] if x["code"] == "C21")
        return next(x for x in c21["criteria"] if x["id"] == "c21.age")["status"]

    d = _assess("case25-iec-young-professional", turned_36(True))
    assert d["recommended"] == "C21" and age(d) == "met"
    not_yet = _assess("case25-iec-young-professional", turned_36(False))  # too old to be invited now
    assert "C21" not in not_yet["codes_fit"] and age(not_yet) == "not_met"
    unknown = _assess("case25-iec-young-professional", turned_36(None))  # depends on the invitation
    assert "C21" not in unknown["codes_fit"] and age(unknown) == "unknown"

    def invited_two_birthdays_ago(f):  # 37: an invitation of more than a year ago has lapsed
        f["worker"]["date_of_birth"] = "1989-10-01"

    assert age(_assess("case25-iec-young-professional", invited_two_birthdays_ago)) == "not_met"

    def invited_without_a_date_of_birth(f):  # IRCC checked the age when it invited the worker
        f["worker"]["date_of_birth"] = None

    assert age(_assess("case25-iec-young-professional", invited_without_a_date_of_birth)) == "met"


def test_a_data_scientist_without_a_named_profession_is_read_as_a_computer_systems_analyst():
    """noc_to_profession (values.yaml; "used only when worker.profession is not given") mapped NOC 21211
    (data scientists) to Mathematician, which needs a degree; Statistics Canada's NOC 2016 -> 2021
    concordance splits 21211 off from 2171, 2172 and 2173 (information systems, database, software), the
    groups the map reads as Computer Systems Analyst (a degree, or a post-secondary diploma and three years'
    experience). A US data scientist with a diploma and four years was refused T36."""

    def data_scientist(f):
        f["position"].update(title="Data Scientist", noc_code="21211")
        f["position"]["licence_required"] = False
        f["worker"].update(profession=None, education_level="post_secondary_2y", experience_years=4)
        f["worker"]["canadian_licence"] = None

    d = _assess("case01-us-civil-engineer", data_scientist)
    assert d["recommended"] == "T36", d["codes_fit"]
    t36 = next(x for x in d["candidates"] if x["code"] == "T36")
    assert {x["id"]: x["status"] for x in t36["criteria"]}["cusma.credential"] == "met"
