"""One worked case per correction of imp-rules.md §8 (2026-12-03), built from the reference cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rules import params

from .conftest import assess_case, cases_by_name

_assess = assess_case


def _criterion(d: dict, code: str, cid: str) -> dict:
    cand = next(c for c in d["candidates"] if c["code"] == code)
    return next(x for x in cand["criteria"] if x["id"] == cid)


# 1. CUFTA: codes from 2024-07-01; F71 executives/managers, F74 specialists; citizens or PRs of Ukraine
def _ukrainian(f):
    f["worker"]["citizenships"] = ["UA"]
    f["worker"]["residence_country"] = "UA"
    f["foreign_enterprise"]["country"] = "UA"


def test_item1_cufta_codes_exist_from_2024_07_01_only():
    before = _assess("case02-us-executive", _ukrainian, date(2024, 6, 30))
    on = _assess("case02-us-executive", _ukrainian, date(2024, 7, 1))
    assert not any(c.startswith("F7") for c in before["codes_fit"])
    assert not any(r["code"].startswith("F7") for r in before["candidates"] + before["excluded"])
    assert on["codes_fit"] == ["F71", "C62"] and on["recommended"] == "F71"
    assert on["where"]["place"] == "online-outside"  # Ukrainian citizens need a TRV


def test_item1_cufta_specialists_are_f74_and_permanent_residents_are_covered():
    def specialist_pr(f):
        _ukrainian(f)
        f["worker"]["citizenships"] = ["IN"]
        f["worker"]["permanent_residences"] = ["UA"]
        f["position"]["capacity"] = "specialized_knowledge"
        f["worker"]["specialized_knowledge"] = True
        for e in f["worker"]["employment"]:
            e["capacity"] = "specialized_knowledge"

    d = _assess("case02-us-executive", specialist_pr, date(2025, 1, 6))
    assert "F74" in d["codes_fit"] and "F71" not in d["codes_fit"]
    assert {"code": "F73"} not in [{"code": c} for c in d["codes_fit"]]  # F73 (spouse) is an open permit
    assert "F73" in params.OPEN_PERMIT_CODES


# 2. CPTPP: one nationality list per category, dates per party, T50 online only
def _investor(f, country):
    f["worker"]["citizenships"] = [country]
    f["worker"]["residence_country"] = country
    f["employer"]["ownership_by_nationality"] = {country: 100}


@pytest.mark.parametrize(("country", "fits"), [("JP", True), ("VN", True), ("NZ", False), ("SG", False)])
def test_item2_cptpp_t50_investors_list(country, fits):
    d = _assess("case14-us-investor", lambda f: _investor(f, country))
    assert ("T50" in d["codes_fit"]) is fits, d["codes_fit"]


def test_item2_t50_covers_permanent_residents_of_australia_not_of_new_zealand():
    def resident(country):
        def change(f):
            _investor(f, "IN")
            f["worker"]["permanent_residences"] = [country]
            f["worker"]["residence_country"] = country
            f["employer"]["ownership_by_nationality"] = {country: 100}

        return change

    assert "T50" in _assess("case14-us-investor", resident("AU"))["codes_fit"]
    assert "T50" not in _assess("case14-us-investor", resident("NZ"))["codes_fit"]
    before = _assess("case14-us-investor", resident("AU"), date(2018, 12, 29))  # before the CPTPP
    assert "T50" not in before["codes_fit"]

    def unknown(f):
        resident("AU")(f)
        f["worker"].pop("permanent_residences")

    d = _assess("case14-us-investor", unknown)
    assert _criterion(d, "T50", "cptpp_investors.citizen")["status"] == "unknown"


def test_item2_t50_has_no_port_of_entry_application():
    d = _assess("case14-us-investor", lambda f: _investor(f, "JP"))
    assert d["recommended"] == "T50"
    assert d["where"]["place"] == "online-outside" and d["where"]["reason"] == "code_online_only"
    assert not next(o for o in d["where"]["options"] if o["place"] == "POE")["allowed"]


@pytest.mark.parametrize(("country", "flagged"), [("BN", True), ("JP", False), ("VN", False)])
def test_item2_a_party_whose_date_of_joining_is_unconfirmed_is_to_verify(country, flagged):
    d = _assess("case14-us-investor", lambda f: _investor(f, country))
    assert d["recommended"] == "T50"
    assert ("cptpp_party_date" in [t["id"] for t in d["to_verify"]]) is flagged


def test_item2_the_unconfirmed_parties_are_read_from_the_parameters(monkeypatch):
    """The "to verify" list is the parties values.yaml marks ``confirmed: false``: confirming Peru's date
    there takes Peru off it, leaving the first parties' date unconfirmed puts them on it."""
    assert params.unconfirmed_members("cptpp_parties") == {"PE", "MY", "CL", "BN"}
    periods = params.VALUES["cptpp_parties"]
    first, peru = date(2018, 12, 30), date(2021, 9, 21)
    flipped = tuple(
        replace(p, confirmed=p.start == peru or (p.start != first and p.confirmed)) for p in periods
    )
    monkeypatch.setitem(params.VALUES, "cptpp_parties", flipped)
    assert params.unconfirmed_members("cptpp_parties") == {"AU", "JP", "MX", "NZ", "SG", "MY", "CL", "BN"}


def test_item2_t52_professionals_list_includes_malaysia_not_new_zealand():
    on = date(2026, 11, 24)
    assert "MY" in params.value_at("cptpp_professional_parties", on)
    assert "NZ" not in params.value_at("cptpp_professional_parties", on)
    assert "MY" not in params.value_at("cptpp_investor_parties", on)


def test_item2_a_party_is_covered_only_from_its_entry_into_force():
    assert "VN" not in params.value_at("cptpp_investor_parties", date(2019, 1, 13))
    assert "VN" in params.value_at("cptpp_investor_parties", date(2019, 1, 14))
    before = _assess("case14-us-investor", lambda f: _investor(f, "VN"), date(2019, 1, 13))
    on = _assess("case14-us-investor", lambda f: _investor(f, "VN"), date(2019, 1, 14))
    assert "T50" not in before["codes_fit"] and "T50" in on["codes_fit"]


# 3. IEC categories per country
def test_item3_young_professionals_fit_only_where_the_category_exists():
    ireland = _assess("case25-iec-young-professional")
    assert ireland["recommended"] == "C21"

    def belgian(f):
        f["worker"]["citizenships"] = ["BE"]
        f["worker"]["residence_country"] = "BE"
        f["worker"]["date_of_birth"] = "2000-05-01"  # within Belgium's 18-30

    d = _assess("case25-iec-young-professional", belgian)
    assert "C21" not in d["codes_fit"]
    assert _criterion(d, "C21", "c21.job")["status"] == "not_met"


# 4. C20: 75 % only for large exchanges; locally engaged staff of foreign missions
def test_item4_small_exchange_is_a_warning_not_a_failed_criterion():
    def small(f):
        f["employer"]["canadians_sent_abroad"] = 3
        f["employer"]["foreign_workers_received"] = 10

    d = _assess("case26-employee-exchange", small)
    assert d["recommended"] == "C20"
    assert "c20_small_exchange" in [w["id"] for w in d["warnings"]]

    def large(f):
        f["employer"]["canadians_sent_abroad"] = 10
        f["employer"]["foreign_workers_received"] = 30

    d = _assess("case26-employee-exchange", large)
    assert "C20" not in d["codes_fit"]
    text = _criterion(d, "C20", "c20.similar_magnitude")["text"]
    assert "more than 25 people" in text and "75%" in text  # numbers taken from the parameters


def test_item4_c20_locally_engaged_staff_of_a_foreign_mission():
    def mission(f):
        f["employer"]["kind"] = "diplomatic_mission"
        f["employer"]["reciprocity_agreement"] = False
        f["employer"].pop("canadians_sent_abroad")
        f["employer"].pop("foreign_workers_received")

    d = _assess("case26-employee-exchange", mission)
    assert d["recommended"] == "C20"
    assert d["employer_step"]["kind"] == "none"  # exempt from the compliance regime: no offer, no fee


# 5. dated visa requirements; unknown citizenship = unknown place
def test_item5_mexico_visa_exempt_from_2016_12_01_until_2024_02_29():
    exempt = params.value_at
    assert "MX" not in exempt("visa_exempt_citizens", date(2016, 11, 30))
    assert "MX" in exempt("visa_exempt_citizens", date(2016, 12, 1))
    assert "MX" in exempt("visa_exempt_citizens", date(2024, 2, 29))
    assert "MX" not in exempt("visa_exempt_citizens", date(2024, 3, 1))
    assert params.period_at("mexico_eta_rule", date(2024, 3, 1)).source == "mexico_eta"
    assert "canada.ca" in params.source_url("mexico_eta")


def test_item5_bulgaria_and_romania_visa_exempt_from_2017_12_01():
    assert not {"BG", "RO"} & params.value_at("visa_exempt_citizens", date(2017, 11, 30))
    assert {"BG", "RO"} <= params.value_at("visa_exempt_citizens", date(2017, 12, 1))


def test_item5_unknown_citizenship_leaves_the_place_of_application_unknown():
    def unknown(f):
        f["worker"].pop("citizenships")
        f["worker"]["residence_country"] = "IN"

    d = _assess(
        "case08-us-green-card-manager", lambda f: (unknown(f), f["worker"].update(permanent_residences=[]))
    )
    assert d["where"]["place"] is None and d["where"]["reason"] == "citizenship_unknown"
    assert any(q["fact"] == "worker.citizenships" for q in d["questions"])


# 6. UK citizens: CETA until 2020-12-31, LMIA 2021-01-01..03-31, CUKTCA from 2021-04-01
def _british(f):
    f["worker"]["citizenships"] = ["GB"]
    f["worker"]["residence_country"] = "GB"
    f["foreign_enterprise"]["country"] = "GB"
    f["worker"]["employment"][0]["start_date"] = "2018-01-08"
    f["position"]["start_date"] = "2021-02-01"


@pytest.mark.parametrize(
    ("on", "fits"),
    [
        (date(2020, 12, 31), True),  # CETA (T47)
        (date(2021, 1, 1), False),  # "should be accompanied by an LMIA"
        (date(2021, 3, 31), False),
        (date(2021, 4, 1), True),  # CUKTCA (CETA T-code emitted until 2022-12-14)
    ],
)
def test_item6_uk_service_supplier_across_brexit(on, fits):
    d = _assess("case11-italian-css", _british, on)
    assert ("T47" in d["codes_fit"]) is fits, (on, d["codes_fit"])
    if fits:
        program = next(c for c in d["candidates"] if c["code"] == "T47")["program"]
        assert program == ("ceta" if on.year == 2020 else "cuktca")


# 7. R209.93 small-business tier computed
@pytest.mark.parametrize(
    ("employees", "revenue", "tier"),
    [(99, 10_000_000, "small"), (100, 4_999_999, "small"), (100, 5_000_000, "large"), (None, None, None)],
)
def test_item7_business_size_tier_from_r209_93(employees, revenue, tier):
    def size(f):
        f["employer"]["employees"] = employees
        f["employer"]["gross_revenue_cad"] = revenue

    d = _assess("case02-us-executive", size)
    assert d["business_size"]["tier"] == tier
    assert d["business_size"]["regulation"] == "R209.93"
    assert "business_size_boundary" not in [w["id"] for w in d["warnings"]]


# 8. flagpoling: first day affected 2024-12-24
def test_item8_flagpoling_first_affected_day_is_2024_12_24():
    def inside(f):  # a visa-exempt (British) visitor in Canada, no US green card
        f["worker"]["in_canada"] = True
        f["worker"]["current_permit_type"] = "visitor"
        f["worker"]["citizenships"] = ["GB"]
        f["worker"]["permanent_residences"] = []

    def poe(d):
        return next(o for o in d["where"]["options"] if o["place"] == "POE")

    before = _assess("case08-us-green-card-manager", inside, date(2024, 12, 23))
    on = _assess("case08-us-green-card-manager", inside, date(2024, 12, 24))
    assert before["recommended"] == on["recommended"] == "C62"
    assert poe(before) == {"place": "POE", "allowed": True, "reason": "trv_exempt"}
    assert poe(on) == {"place": "POE", "allowed": False, "reason": "flagpoling_restricted"}
    assert params.value_at("flagpoling_restriction", date(2024, 12, 23)) is False
    assert params.value_at("flagpoling_restriction", date(2024, 12, 24)) is True


# 9. service suppliers: 12 months is a cap on the permit
def test_item9_a_longer_service_contract_still_fits_with_the_permit_capped():
    d = _assess("case11-italian-css", lambda f: f["position"].update(duration_months=18))
    assert d["recommended"] == "T47"
    assert d["durations"]["permit_max_months"] == 12
    assert "service_supplier_cap" in [w["id"] for w in d["warnings"]]


# 10. citations: laws-lois by section, LMIA fee R315.2(1)
def test_item10_citations_are_section_level_and_the_lmia_fee_cites_r315_2():
    for key, url in params.SOURCES.items():
        assert "/page-" not in url, key
    d = _assess("case03-mexican-marketing-manager")
    assert d["route"] == "TFWP"
    assert d["employer_step"]["regulation"] == "R315.2(1)"
    assert d["employer_step"]["source"].endswith("section-315.2.html")


# 12. still to verify: shown where it decides the outcome
@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("case11-italian-css", "ceta_annex_10e"),
        ("case18-gats-engineer", "gats_wto_members"),
        ("case18-gats-engineer", "gats_pdi_2026"),
        ("case22-francophone-cook", "c16_status"),
    ],
)
def test_item12_to_verify_flags_on_the_outcome_they_decide(name, flag):
    d = _assess(name, on=date.fromisoformat(str(cases_by_name()[name]["as_of"])))
    assert flag in [t["id"] for t in d["to_verify"]]
    fr = _assess(name, on=date.fromisoformat(str(cases_by_name()[name]["as_of"])), lang="fr")
    assert all(t["text"].startswith("À vérifier") for t in fr["to_verify"])


def test_item12_no_flag_where_it_decides_nothing():
    d = _assess("case02-us-executive")
    assert d["to_verify"] == []


def test_item12_cufta_split_is_flagged():
    d = _assess("case02-us-executive", _ukrainian, date(2025, 1, 6))
    assert d["recommended"] == "F71"
    assert "cufta_ict_split" in [t["id"] for t in d["to_verify"]]


# 11. proof behind a fact is asked
def test_item11_c16_needs_a_tef_tcf_result_or_a_french_language_diploma():
    ok = _assess("case22-francophone-cook", on=date(2026, 11, 24))
    assert ok["recommended"] == "C16"
    cv_only = _assess("case22-francophone-cook", lambda f: f["worker"].update(french_proof="none"))
    assert "C16" not in cv_only["codes_fit"]
    unknown = _assess("case22-francophone-cook", lambda f: f["worker"].pop("french_proof"))
    assert unknown["route"] == "pending" and unknown["pending"][0]["code"] == "C16"
    assert "worker.french_proof" in unknown["pending"][0]["waits_for"]
    assert "NCLC 5 " in _criterion(ok, "C16", "c16.french")["text"]  # the number comes from the parameters
    old = _assess("case22-francophone-cook", on=date(2023, 6, 14))  # NCLC 7 then: listening 6 fails
    assert "NCLC 7 " in next(e for e in old["excluded"] if e["code"] == "C16")["text"]


def test_item11_the_position_abroad_kept_is_proven_by_a_letter():
    d = _assess("case08-us-green-card-manager", lambda f: f["worker"].pop("position_abroad_letter"))
    assert d["route"] == "pending" and d["pending"][0]["code"] == "C62"
    q = next(q for q in d["questions"] if q["fact"] == "worker.position_abroad_letter")
    assert q["needed"]


def test_item11_the_passport_travelled_on_decides_the_place_of_application():
    def dual(f):
        f["worker"]["citizenships"] = ["IN", "GB"]
        f["worker"]["permanent_residences"] = []
        f["worker"]["residence_country"] = "IN"

    d = _assess("case08-us-green-card-manager", dual)
    assert any(q["fact"] == "worker.passport_country" and q["needed"] for q in d["questions"])
    on_uk = _assess(
        "case08-us-green-card-manager", lambda f: (dual(f), f["worker"].update(passport_country="GB"))
    )
    on_in = _assess(
        "case08-us-green-card-manager", lambda f: (dual(f), f["worker"].update(passport_country="IN"))
    )
    assert on_uk["where"]["place"] == "POE" and on_uk["where"]["passport"] == "GB"
    assert on_in["where"]["place"] == "online-outside" and on_in["where"]["reason"] == "trv_required"


def test_item2_a_dual_national_files_on_the_passport_the_cptpp_category_covers():
    """A citizen of New Zealand and Japan recommended T50: Japan's passport gives T50 (New Zealand's
    investors are not covered), so the place of application and the dual-national warning name Japan."""

    def change(f):
        _investor(f, "JP")
        f["worker"]["citizenships"] = ["NZ", "JP"]

    d = _assess("case14-us-investor", change)
    assert d["recommended"] == "T50"
    assert d["where"]["passport"] == "JP"
    dual = [w for w in d["warnings"] if w["id"] == "dual_national"]
    assert dual and "(Japan)" in dual[0]["text"], dual


# 5. visas: a Norwegian is visa-exempt (the parameter file once held `false` for NO, YAML 1.1's "no")
def test_item5_a_norwegian_visitor_may_apply_at_a_port_of_entry():
    def norwegian(f):
        f["worker"]["in_canada"] = False
        f["worker"]["citizenships"] = ["NO"]
        f["worker"]["permanent_residences"] = []

    d = _assess("case08-us-green-card-manager", norwegian)
    assert d["recommended"] == "C62"
    assert next(o for o in d["where"]["options"] if o["place"] == "POE") == {
        "place": "POE",
        "allowed": True,
        "reason": "trv_exempt",
    }
