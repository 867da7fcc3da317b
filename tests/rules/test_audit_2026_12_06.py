"""Second audit of the rules against shared/domain (2026-12-06): one regression test per discrepancy
fixed, each built from a worked case and citing the reference section it follows. The people and
companies are invented."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema

from .conftest import assess_case

SCHEMA = json.loads((Path(__file__).parents[2] / "rules" / "schema" / "assessment.v1.json").read_text())


def _needed(d: dict) -> dict[str, list[str]]:
    return {q["fact"]: q["codes"] for q in d["questions"] if q["needed"]}


# ------------------------------------------------------------------- no "LMIA needed" while still asking


def test_nothing_fits_but_the_worker_may_hold_an_open_permit_is_pending_not_lmia():
    """imp-cases.md: "`TFWP: LMIA needed` — no IMP code fits; `none (open WP)` — worker already
    authorized, no employer step" (imp-rules.md §5 step 1 comes first). A worker in Canada whose permit
    is not known may already hold an open permit: the case waited on that question and yet read "LMIA
    needed", with the $1,000 LMIA fee as the employer's step."""

    def in_canada_permit_unknown(f):
        f["worker"]["in_canada"] = True
        f["worker"].pop("current_permit_type", None)

    for name in ("case03-mexican-marketing-manager", "case21-vfx-artist"):
        d = assess_case(name, in_canada_permit_unknown)
        assert d["route"] == "pending" and d["complete"] is False, name
        assert d["pending"] == [] and d["recommended"] is None
        assert "open_permit" in _needed(d)["worker.current_permit_type"]
        assert d["employer_step"]["kind"] == "pending" and d["employer_step"]["fee_cad"] is None
        jsonschema.validate(d, SCHEMA)

        def answered(kind, expiry=None):
            def change(f):
                in_canada_permit_unknown(f)
                f["worker"]["current_permit_type"] = kind
                if expiry:
                    f["worker"]["current_permit_expiry"] = expiry

            return change

        assert assess_case(name, answered("employer_specific"))["route"] == "TFWP"
        assert assess_case(name, answered("open", "2027-06-30"))["route"] == "open_permit"
        assert assess_case(name, answered("open", "2026-01-31"))["route"] == "TFWP"  # expired


def test_the_schema_still_refuses_a_pending_route_with_no_code_and_no_open_permit_question():
    d = assess_case(
        "case03-mexican-marketing-manager",
        lambda f: f["worker"].update(in_canada=True, current_permit_type=None),
    )
    jsonschema.validate(d, SCHEMA)
    # the same needed question, no longer about an open permit: nothing left that the case waits on
    other = [{**q, "codes": [c for c in q["codes"] if c != "open_permit"] or ["C10"]} for q in d["questions"]]
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors({**d, "questions": other}))
    assert errors and all(e.validator in ("anyOf", "minItems", "contains") for e in errors), errors


# ------------------------------------------------------------------ Working Holiday is not a claim alone


def _working_holiday(citizenship: str, born: str, invited: bool | None):
    def change(f):
        w = f["worker"]
        w.update(iec_category="working_holiday", citizenships=[citizenship], residence_country=citizenship)
        w.update(date_of_birth=born, iec_invited=invited, permanent_residences=[])

    return change


def test_working_holiday_is_an_open_permit_only_for_a_partner_offering_it_within_its_age_invited():
    """imp-rules.md §3.11: IEC is for citizens of partner countries, "aged 18–35 (18–30 for some)" on the
    day of the invitation; §8 item 3: a country's agreement offers only some categories. The case took
    any worker who chose "Working Holiday" as already authorized: no employer step, no questions."""
    case = "case25-iec-young-professional"
    invited_french = assess_case(case, _working_holiday("FR", "1999-03-01", True))
    assert invited_french["route"] == "open_permit"
    assert invited_french["employer_step"]["reason"] == "iec_working_holiday"

    for citizenship, born, invited in [
        ("MX", "1999-03-01", True),  # Mexico is no IEC partner
        ("AT", "1994-01-01", True),  # 32: Austria's Working Holiday stops at 30 (values.yaml)
        ("FR", "1999-03-01", False),  # not invited
        ("FR", "1980-03-01", True),  # 46
    ]:
        d = assess_case(case, _working_holiday(citizenship, born, invited))
        assert d["route"] != "open_permit", (citizenship, born, invited)
        assert d["employer_step"]["reason"] != "iec_working_holiday"

    unknown = assess_case(case, _working_holiday("FR", "1999-03-01", None))
    assert unknown["route"] != "open_permit" and unknown["complete"] is False
    assert "open_permit" in _needed(unknown)["worker.iec_invited"]
    # one birthday past the limit, not invited yet: the invitation decides, the known date of birth is not
    # asked again
    past = assess_case(case, _working_holiday("FR", "1990-06-01", None))
    assert "worker.iec_invited" in _needed(past) and "worker.date_of_birth" not in _needed(past)


# ------------------------------------------------------------------------- to verify, where it decides


def _cptpp_professional(citizenship: str):
    def change(f):
        f["worker"].update(citizenships=[citizenship], residence_country=citizenship, experience_years=6)
        f["worker"].update(french_nclc_speaking=0, french_nclc_listening=0, french_proof="none")
        f["worker"]["iec_category"] = "none"
        f["position"].update(
            fta_listed_occupation=True, prevailing_wage_hourly_cad=45, significant_benefit=False
        )
        f["employer"]["reciprocity_agreement"] = False

    return change


def _to_verify(d: dict) -> list[str]:
    return [w["id"] for w in d["to_verify"]]


def test_a_day_before_an_unconfirmed_cptpp_date_is_flagged_to_verify_not_assumed():
    """imp-rules.md §8 item 2: Malaysia's, Chile's and Brunei's dates are to be taken from IRCC's CPTPP
    overview, "until confirmed, ask rather than assume". On 2022-11-28 a Malaysian professional was
    excluded from T52 in silence (TFWP), and one day later got T52 with the note: the note is now on both
    sides of the date. A Japanese worker (confirmed since 2018) gets none."""
    case = "case01-us-civil-engineer"
    before = assess_case(case, _cptpp_professional("MY"), on=date(2022, 11, 28))
    assert before["recommended"] != "T52" and "cptpp_party_date" in _to_verify(before)
    after = assess_case(case, _cptpp_professional("MY"), on=date(2022, 11, 29))
    assert after["recommended"] == "T52" and "cptpp_party_date" in _to_verify(after)
    japanese = assess_case(case, _cptpp_professional("JP"), on=date(2022, 11, 28))
    assert "cptpp_party_date" not in _to_verify(japanese)
    long_before = assess_case(case, _cptpp_professional("MY"), on=date(2018, 6, 1))  # no CPTPP at all yet
    assert "cptpp_party_date" not in _to_verify(long_before)


def test_the_reported_2026_gats_revision_is_not_flagged_on_a_case_assessed_before_it():
    """§8 item 12: "the GATS T33 PDI revised 2026-05-12 [secondary]": a point to verify where it decides
    the outcome, not on a case assessed in 2019."""
    case = "case18-gats-engineer"
    assert "gats_pdi_2026" not in _to_verify(assess_case(case, on=date(2019, 6, 1)))
    assert "gats_pdi_2026" in _to_verify(assess_case(case, on=date(2026, 5, 12)))


def test_criteria_cite_their_codes_authority_as_it_stood_on_the_day():
    """imp-rules.md §3.9: C16 under R205(a) until 2023-06-14, R205(c)(ii) since; §3.11: C21 under R205(b)
    before 2024-11-29, R204(d) since. The code was cited by date, its criteria always by today's section."""

    def nclc_7(f):  # NCLC 7 in both, as C16 asked before 2023-06-15
        f["worker"].update(french_nclc_speaking=7, french_nclc_listening=7)

    for case, change, on, before, now in [
        ("case22-francophone-cook", nclc_7, date(2023, 1, 10), "R205(a)", "R205(c)(ii)"),
        ("case25-iec-young-professional", None, date(2024, 11, 28), "R205(b)", "R204(d)"),
    ]:
        code = assess_case(case)["recommended"]
        for day, regulation in ((on, before), (date(2026, 11, 24), now)):
            d = assess_case(case, change, on=day)
            candidate = next(c for c in d["candidates"] if c["current_code"] == code)
            assert candidate["citation"]["regulation"] == regulation, (case, day)
            assert {c["citation"]["regulation"] for c in candidate["criteria"]} == {regulation}, (case, day)


# ---------------------------------------------------------------------------- the passport and the place


def _dual_mx_us(passport: str | None):
    def change(f):
        f["worker"].update(citizenships=["MX", "US"], passport_country=passport, eta_eligible=None)

    return change


def _warning(d: dict, wid: str) -> str | None:
    return next((w["text"] for w in d["warnings"] if w["id"] == wid), None)


def test_a_dual_national_files_on_a_passport_that_gives_the_code_and_travels_without_a_visa():
    """§1.4: file on the passport that gives eligibility; §8 item 11: the passport the worker travels on
    decides the visa. A Mexican and US engineer (both give T36) was told to file on the Mexican passport
    while the place (port of entry, visa-exempt) held only for the US one, and got the Mexican eTA warning
    when travelling on the US passport."""
    case = "case01-us-civil-engineer"
    unknown = assess_case(case, _dual_mx_us(None))
    assert unknown["recommended"] == "T36"
    assert unknown["where"]["passport"] == "US" and unknown["where"]["place"] == "POE"
    assert "(United States)" in _warning(unknown, "dual_national")
    us = assess_case(case, _dual_mx_us("US"))
    assert us["where"]["passport"] == "US" and "(United States)" in _warning(us, "dual_national")
    assert _warning(us, "mexico_eta") is None  # travels on the US passport
    mx = assess_case(case, _dual_mx_us("MX"))
    assert mx["where"]["passport"] == "MX" and "(Mexico)" in _warning(mx, "dual_national")
    assert _warning(mx, "mexico_eta") is not None


def test_a_mexican_with_an_eta_is_advised_online_as_the_warning_says_with_the_port_of_entry_possible():
    """§6 item 9 / §8 item 5 (README departure 10): whether eTA-eligible Mexicans may apply at a port of
    entry is not confirmed: online is recommended. The place said "port of entry" beside a warning saying
    "apply online before travel"."""

    def eta(f):
        f["worker"].update(
            citizenships=["MX"], residence_country="MX", passport_country=None, eta_eligible=True
        )

    d = assess_case("case01-us-civil-engineer", eta)
    assert d["where"]["place"] == "online-outside"
    assert d["where"]["reason"] == "mexico_eta_online_recommended"
    assert {"place": "POE", "allowed": True, "reason": "trv_exempt"} in d["where"]["options"]
    assert _warning(d, "mexico_eta") is not None


def test_an_unknown_citizenship_leaves_the_place_unknown_without_visa_talk_or_the_mexican_eta_question():
    """§8 item 5: "Where the worker's citizenship is unknown, the place of application is unknown too
    (ask), not 'TRV required'." The port of entry option read "visa required", and the eTA question (for
    Mexican passports only) was asked as needed."""

    def unknown(f):
        f["worker"].update(citizenships=None, passport_country=None)

    d = assess_case("case22-francophone-cook", unknown)
    assert d["where"]["place"] is None and d["where"]["reason"] == "citizenship_unknown"
    poe = next(o for o in d["where"]["options"] if o["place"] == "POE")
    assert poe["reason"] == "citizenship_unknown"
    assert "worker.eta_eligible" not in {q["fact"] for q in d["questions"]}
    assert "worker.citizenships" in _needed(d)


def test_a_pending_case_in_quebec_does_not_say_the_lmia_follows_the_quebec_process():
    """A case still waiting for answers is neither IMP nor TFWP: "the LMIA follows the joint
    federal-Quebec process with a CAQ" read as a verdict (tour of 2026-12-06)."""

    def in_quebec_permit_unknown(f):
        f["position"].update(province="QC", city="Montréal")
        f["worker"].update(in_canada=True, current_permit_type=None)

    d = assess_case("case03-mexican-marketing-manager", in_quebec_permit_unknown)
    assert d["route"] == "pending"
    assert not {"quebec_tfwp", "quebec_imp"} & {w["id"] for w in d["warnings"]}
    tfwp = assess_case("case04-french-developer-montreal")
    assert tfwp["route"] == "TFWP" and "quebec_tfwp" in {w["id"] for w in tfwp["warnings"]}
