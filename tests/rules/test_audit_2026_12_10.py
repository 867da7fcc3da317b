"""Fifth audit (2026-12-10): invented cases, code by code through the code tables of imp-rules.md, at the
edges the worked cases do not reach. One test per discrepancy fixed, each citing the section it follows.
The people and companies are invented."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from .conftest import assess_case

SCHEMA = json.loads((Path(__file__).parents[2] / "rules" / "schema" / "assessment.v1.json").read_text())


def _criterion(d: dict, code: str, cid: str) -> dict:
    cand = next(c for c in d["candidates"] if c["code"] == code)
    return next(x for x in cand["criteria"] if x["id"] == cid)


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


# ------------------------------------------------------------------- technologists (T48, F67)


def _technologist(enterprise_country: str = "IT", citizenship: str = "IT"):
    """Case 11's Italian supplier turned into a civil engineering technologist (NOC 22300) with a 3-year
    diploma, employed by a firm of ``enterprise_country`` that has no establishment in Canada."""

    def change(f):
        f["position"].update(
            title="Civil engineering technologist", noc_code="22300", service_sector="engineering"
        )
        f["worker"].update(
            citizenships=[citizenship],
            education_level="post_secondary_3y",
            education_field="civil engineering technology",
        )
        f["foreign_enterprise"].update(
            name="Ponte Tecnica", country=enterprise_country, countries_of_operation=[enterprise_country]
        )

    return change


@pytest.mark.parametrize(
    ("citizenship", "own", "other", "code"),
    [("IT", "IT", "US", "T48"), ("GB", "GB", "DE", "F67")],
)
def test_a_technologist_supplier_is_employed_by_an_enterprise_of_the_agreement(citizenship, own, other, code):
    """imp-rules.md §3.2 T48: a technologist is a contractual service supplier or an independent
    professional "with the same 1-year/3-year (CSS) or 6-year (IP) experience", and a contractual service
    supplier is an "employee of an EU enterprise that has no establishment in Canada" (T47); §3.3: CUKTCA
    mirrors CETA (F67). T47 checked the employer's country, T48 and F67 did not: an Italian technologist
    employed by a US firm was given T48."""
    fits = assess_case("case11-italian-css", _technologist(own, citizenship))
    assert fits["recommended"] == code
    jsonschema.validate(fits, SCHEMA)
    d = assess_case("case11-italian-css", _technologist(other, citizenship))
    assert code not in d["codes_fit"] and d["route"] != "IMP"
    cid = ("ceta" if code == "T48" else "cuktca") + ".technologist_css_or_ip"
    assert _criterion(d, code, cid)["status"] == "not_met"
    # self-employed with the independent professional's experience, the employer's country does not matter
    own_account = assess_case(
        "case11-italian-css",
        lambda f: (
            _technologist(other, citizenship)(f),
            f["worker"].update(self_employed=True, experience_years=7),
        ),
    )
    assert own_account["recommended"] == code
    # the employer's country unknown: asked, not assumed
    unknown = assess_case(
        "case11-italian-css",
        lambda f: (_technologist(own, citizenship)(f), f["foreign_enterprise"].pop("country")),
    )
    assert unknown["route"] == "pending" and "foreign_enterprise.country" in _needed(unknown)


def test_a_technologist_needs_the_provincial_licence_of_a_regulated_occupation():
    """imp-rules.md §3.2: the service suppliers' common requirement is "university degree or
    equivalent-level qualification plus any professional qualification required in the province"; T48's
    3-year degree stands for the university degree, not for the licence (T47 and T43 checked it, T48 did
    not)."""

    def unlicensed(f):
        _technologist()(f)
        f["position"]["licence_required"] = True
        f["worker"]["canadian_licence"] = False

    d = assess_case("case11-italian-css", unlicensed)
    assert "T48" not in d["codes_fit"]
    assert _criterion(d, "T48", "technologist.licence")["status"] == "not_met"
    licensed = assess_case(
        "case11-italian-css", lambda f: (unlicensed(f), f["worker"].update(canadian_licence=True))
    )
    assert licensed["recommended"] == "T48"
    assert "licensing" in {w["id"] for w in licensed["warnings"]}


# ------------------------------------------------------------------- CETA/CUKTCA graduate trainees


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("citizenship", ["DE", "GB"])
def test_a_graduate_trainee_paid_below_the_prevailing_wage_is_flagged(citizenship, lang):
    """imp-rules.md §3.2, CETA intra-corporate transferees T44/T42/T41: "no mandatory wage assessment, but
    the PDI says wages should not be below the Canadian prevailing wage ... (treat below-prevailing as a
    red flag)"; §3.3: CUKTCA mirrors CETA. The warning was given to T44/T41 and F61/F63, not to the
    graduate trainees T42 and F62."""

    def below(f):
        f["worker"]["citizenships"] = [citizenship]
        f["foreign_enterprise"]["country"] = citizenship
        f["position"]["prevailing_wage_hourly_cad"] = 35

    d = assess_case("case10-german-graduate-trainee", below, lang=lang)
    assert d["recommended"] == ("T42" if citizenship == "DE" else "F62")
    texts = {w["id"]: w["text"] for w in d["warnings"]}
    assert "wage_below_prevailing" in texts
    assert texts["wage_below_prevailing"].startswith(
        "The wage is below" if lang == "en" else "Le salaire est inférieur"
    )
    # at the prevailing wage: no warning
    at = assess_case(
        "case10-german-graduate-trainee",
        lambda f: (below(f), f["position"].update(prevailing_wage_hourly_cad=30)),
    )
    assert "wage_below_prevailing" not in {w["id"] for w in at["warnings"]}


@pytest.mark.parametrize(
    ("lang", "item"),
    [
        ("en", "Bachelor's degree or higher (or professional-level licence); transcripts"),
        (
            "fr",
            "Baccalauréat ou diplôme supérieur (ou permis d'exercice de niveau professionnel)\u00a0; relevés de notes",
        ),
    ],
)
def test_a_graduate_trainee_packet_lists_the_degree(lang, item):
    """imp-rules.md §3.2, CETA intra-corporate transferees, Evidence: "EU passport; employment
    letter/payslips covering ≥ 12 months; introduction letter; corporate relationship; degree (T42); SK
    evidence (T41)". The trainee's criterion reads the degree (or a professional-level licence), but the
    checklist of T42 (and F62, which mirrors it) did not ask for it."""
    d = assess_case("case10-german-graduate-trainee", lang=lang)
    assert d["recommended"] == "T42" and item in d["evidence"]
    uk = assess_case(
        "case10-german-graduate-trainee",
        lambda f: (f["worker"].update(citizenships=["GB"]), f["foreign_enterprise"].update(country="GB")),
        lang=lang,
    )
    assert uk["recommended"] == "F62" and item in uk["evidence"]
    # the executive of case 02 (T37) has no trainee's degree to show
    assert item not in assess_case("case02-us-executive", lang=lang)["evidence"]


# ------------------------------------------------------------------- a first permit that may be renewed


def _job_warnings(d: dict) -> list[str]:
    return [w["id"] for w in d["warnings"] if w["id"].startswith("job_longer")]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_code_renewable_beyond_its_first_permit_is_not_capped_at_it(lang):
    """imp-rules.md §3.6 C11: "Duration: ≤ 18 months per permit" (imp-parameters.yaml: "longer only with a
    definite exit/transition plan"; imp-cases.md case 16: "each permit ≤ 18 months" over two seasons);
    §3.2 T46: "Initial 1 year; extensions at officer discretion", which CUKTCA's F65 mirrors (§3.3). A code
    whose first permit is known but whose extensions have no set length was read as giving nothing beyond
    its first permit: a two-year C11 or T46 job was told the permit "ends there, and the rest of the job
    needs another way to work". It is a first permit to renew; codes without extension (T42, F62, C21, C22)
    keep their limit."""
    owner = assess_case(
        "case16-single-country-owner",
        lambda f: f["position"].update(start_date="2027-05-01", end_date="2029-04-30"),
        lang=lang,
    )
    assert owner["recommended"] == "C11"
    assert _job_warnings(owner) == ["job_longer_than_first_permit"]
    assert owner["durations"]["note"].startswith("per permit" if lang == "en" else "par permis\u00a0;")
    investor = assess_case(
        "case13-dutch-investor", lambda f: f["position"].update(duration_months=24), lang=lang
    )
    assert investor["recommended"] == "T46" and _job_warnings(investor) == ["job_longer_than_first_permit"]
    uk_investor = assess_case(
        "case13-dutch-investor",
        lambda f: (
            f["position"].update(duration_months=24),
            f["worker"].update(citizenships=["GB"]),
            f["employer"].update(ownership_by_nationality={"GB": 85, "CA": 15}),
        ),
        lang=lang,
    )
    assert uk_investor["recommended"] == "F65"
    assert _job_warnings(uk_investor) == ["job_longer_than_first_permit"]
    assert uk_investor["durations"]["note"] == investor["durations"]["note"]
    # no extension: the first permit is all the code gives
    trainee = assess_case(
        "case10-german-graduate-trainee", lambda f: f["position"].update(duration_months=36)
    )
    assert _job_warnings(trainee) == ["job_longer_than_code"]
    uk_trainee = assess_case(
        "case10-german-graduate-trainee",
        lambda f: (
            f["position"].update(duration_months=36),
            f["worker"].update(citizenships=["GB"]),
            f["foreign_enterprise"].update(country="GB"),
        ),
    )
    assert uk_trainee["recommended"] == "F62" and _job_warnings(uk_trainee) == ["job_longer_than_code"]
    iec = assess_case("case25-iec-young-professional", lambda f: f["position"].update(duration_months=30))
    assert _job_warnings(iec) == ["job_longer_than_code"]
