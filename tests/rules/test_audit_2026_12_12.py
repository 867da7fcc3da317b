"""Seventh audit (2026-12-12): the items the sixth audit left, then variants of the worked cases (one or two
facts changed at a time). One test per discrepancy fixed, each citing the section it follows. The people and
companies are invented."""

from __future__ import annotations

from datetime import date

import rules

from .conftest import assess_case


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


# ------------------------------------------------------------------- C10 while C11 is two answers away


def _owner(pct, funds):
    return lambda f: f["worker"].update(ownership_pct=pct, support_funds=funds)


def test_c10_waits_while_c11_is_close_to_fitting():
    """imp-rules.md §5 step 6 (C10 is the last resort, after the specific codes of step 5) and §3.6 (C11).
    Case 16's owner-operator with neither the share nor the support funds given (running the business,
    temporary stay, business funds and business plan all met): C11 fails nothing, but two answers were
    missing, and the engine recommended C10, the discretionary code (rule set 2026.12.10-15 waited only for a
    code one answer away). A code close to fitting (most of its criteria met, none failed) now keeps C10
    waiting: the case is pending on C11, whose two facts are needed."""
    d = assess_case("case16-single-country-owner", _owner(None, None))
    assert d["route"] == "pending" and d["recommended"] is None
    assert "C10" not in d["codes_fit"]
    assert d["pending"][0]["code"] == "C11"
    assert {"worker.ownership_pct", "worker.support_funds"} <= _needed(d)
    # the answers decide: a majority owner with support funds is C11; a minority share leaves C10
    assert assess_case("case16-single-country-owner", _owner(60, True))["recommended"] == "C11"
    assert assess_case("case16-single-country-owner", _owner(30, None))["recommended"] == "C10"


def test_c10_stands_when_no_specific_code_is_close():
    """Worked case 17 (the renowned expert): C16 and C20 fail nothing but test facts not given (French,
    reciprocity), with at most one of their criteria met: C10 stays the recommendation, their questions
    asked (imp-cases.md Case 17)."""
    d = assess_case("case17-renowned-expert-c10")
    assert d["recommended"] == "C10" and d["codes_fit"] == ["C10"]
    d = assess_case("case17-renowned-expert-c10", lambda f: f["worker"].update(ownership_pct=None))
    assert d["recommended"] == "C10"


# ------------------------------------------------------------------- a permanent resident of Canada


def _lives_in_canada_without_permit(residences):
    return lambda f: f["worker"].update(
        in_canada=True, residence_country="CA", current_permit_type="none", permanent_residences=residences
    )


def test_a_worker_living_in_canada_without_a_permit_is_asked_about_permanent_residence_before_an_lmia():
    """IRPA s. 2(1) and 30(1) (rules/README.md item 19): a permanent resident of Canada is no foreign national
    and needs no work permit. Worked case 03 (every code fails on known facts) for a worker who lives in
    Canada holding no temporary permit, the permanent residences not given: the engine said "LMIA needed",
    complete, although the one answer that could spare the employer the LMIA was missing (imp-rules.md §5:
    unknown facts give questions). It is now pending on that question, as for an unknown citizenship (item
    29)."""
    d = assess_case("case03-mexican-marketing-manager", _lives_in_canada_without_permit(None))
    assert d["route"] == "pending" and not d["complete"] and d["pending"] == []
    q = next(q for q in d["questions"] if q["fact"] == "worker.permanent_residences")
    assert q["needed"] and q["codes"] == ["no_permit"]
    assert q["decides"] == "Could show the worker needs no work permit (a permanent resident of Canada)."
    fr = assess_case("case03-mexican-marketing-manager", _lives_in_canada_without_permit(None), lang="fr")
    frq = next(q for q in fr["questions"] if q["fact"] == "worker.permanent_residences")
    assert "résident permanent du Canada" in frq["decides"]
    assert d["employer_step"]["kind"] == "pending"
    # the answer decides
    assert (
        assess_case("case03-mexican-marketing-manager", _lives_in_canada_without_permit([]))["route"]
        == "TFWP"
    )
    pr = assess_case("case03-mexican-marketing-manager", _lives_in_canada_without_permit(["CA"]))
    assert pr["route"] == "no_permit"


def test_a_worker_living_abroad_is_not_asked_about_permanent_residence():
    """Most files leave the permanent residences out: a worker known to live abroad (worked case 03, in
    Mexico) keeps the TFWP outcome without the question, as does one holding a temporary permit."""
    d = assess_case(
        "case03-mexican-marketing-manager", lambda f: f["worker"].update(permanent_residences=None)
    )
    assert d["route"] == "TFWP" and d["complete"]
    visitor = assess_case(
        "case03-mexican-marketing-manager",
        lambda f: f["worker"].update(
            in_canada=True, residence_country="CA", current_permit_type="visitor", permanent_residences=None
        ),
    )
    assert visitor["route"] == "TFWP"


# ------------------------------------------------------------------- a self-employed owner under C11


def _self_employed_guide(f):
    """Case 16's owner (100 %) working as the eco-tour guide of the business (NOC 64322, tour and travel
    guides), not as its executive."""
    f["position"].update(noc_code="64322", capacity="other", title="Eco-tour guide")


def test_a_self_employed_owner_in_the_business_own_occupation_fits_c11():
    """imp-rules.md §3.6: C11 is for a worker who will run their own business and owns at least 51 %; "NOC:
    the real occupation for self-employed; 88888 'Entrepreneur' for entrepreneurs who will hire staff", and
    its unique situations are fishing guides, outfitters and freelance race jockeys. The criterion
    ``c11.runs_business`` asked for an executive or managerial role, so case 16's owner working as the
    business's own guide failed C11 and was recommended C10, the discretionary last resort."""
    d = assess_case("case16-single-country-owner", _self_employed_guide)
    assert d["recommended"] == "C11" and "C10" not in d["codes_fit"]
    # a minority shareholder in that role is an employee (§3.6: below 51 %, LMIA or another code)
    minority = assess_case(
        "case16-single-country-owner",
        lambda f: (_self_employed_guide(f), f["worker"].update(ownership_pct=30)),
    )
    assert "C11" not in minority["codes_fit"]
    # an employee whose share is not given is not held for C11 (most files leave it out): worked case 05
    # without the share is still "LMIA needed"
    d = assess_case("case05-ict-below-prevailing-wage", lambda f: f["worker"].update(ownership_pct=None))
    assert d["route"] == "TFWP"


# ------------------------------------------------------------------- a CUSMA transferee paid below the prevailing wage


def _us_specialist(f):
    """Worked case 05's specialist (paid 38 $/h against a prevailing 50 $/h) as a US citizen transferred from
    the group's US enterprise."""
    f["worker"].update(citizenships=["US"], residence_country="US")
    f["foreign_enterprise"].update(country="US")
    f["worker"]["employment"][0].update(country="US")


def test_a_cusma_transferee_below_the_prevailing_wage_is_warned():
    """imp-rules.md §3.1 T37/T38: "No mandatory wage floor ... (wage is an important indicator; do not refuse
    on wage alone)"; §3.4: C63's floor does not always bind the agreements' transferees. Worked case 05's
    specialist as a US citizen fails C63 on the wage and is recommended T38, with nothing said about a wage
    a quarter below the prevailing one (the CETA and CUKTCA transferees and C62 carried a warning)."""
    d = assess_case("case05-ict-below-prevailing-wage", _us_specialist)
    assert d["recommended"] == "T38"
    texts = {w["id"]: w["text"] for w in d["warnings"]}
    assert texts["wage_indicator"].startswith(
        "The wage is below the prevailing wage: this code sets no wage floor"
    )
    fr = assess_case("case05-ict-below-prevailing-wage", _us_specialist, lang="fr")
    assert "indicateur important" in {w["id"]: w["text"] for w in fr["warnings"]}["wage_indicator"]
    # at the prevailing wage, no warning; a Korean transferee under the Korea agreement gets it too
    at = assess_case(
        "case05-ict-below-prevailing-wage",
        lambda f: (_us_specialist(f), f["position"].update(wage_hourly_cad=50)),
    )
    assert "wage_indicator" not in {w["id"] for w in at["warnings"]}
    kr = assess_case(
        "case05-ict-below-prevailing-wage",
        lambda f: (
            _us_specialist(f),
            f["worker"].update(citizenships=["KR"], residence_country="KR"),
            f["foreign_enterprise"].update(country="KR"),
            f["worker"]["employment"][0].update(country="KR"),
        ),
    )
    assert kr["recommended"] == "F35" and "wage_indicator" in {w["id"] for w in kr["warnings"]}


# ------------------------------------------------------------------- C63 in a TEER 3, 4 or 5 occupation


def test_c63_in_a_teer_3_to_5_occupation_is_flagged():
    """imp-rules.md §3.4 C63: specialized knowledge is "usually TEER 0–2, TEER 3–5 scrutinized". Worked case
    05's specialist paid the prevailing wage in a TEER 4 occupation (NOC 64100) was recommended C63 with
    nothing said; the warning ``sk_teer_scrutiny`` now says the letter must carry the proof."""

    def teer4(f):
        f["position"].update(wage_hourly_cad=50, noc_code="64100")

    d = assess_case("case05-ict-below-prevailing-wage", teer4)
    assert d["recommended"] == "C63"
    texts = {w["id"]: w["text"] for w in d["warnings"]}
    assert texts["sk_teer_scrutiny"].startswith("Specialized knowledge is usually held in TEER 0, 1 or 2")
    fr = assess_case("case05-ict-below-prevailing-wage", teer4, lang="fr")
    assert "FEER 0, 1 ou 2\u00a0;" in {w["id"]: w["text"] for w in fr["warnings"]}["sk_teer_scrutiny"]
    # the worked case's own TEER 1 occupation (NOC 21231) at the prevailing wage: no such warning
    ok = assess_case("case05-ict-below-prevailing-wage", lambda f: f["position"].update(wage_hourly_cad=50))
    assert ok["recommended"] == "C63" and "sk_teer_scrutiny" not in {w["id"] for w in ok["warnings"]}


# ------------------------------------------------------------------- C61's time in the pooled cap


def test_the_c61_calendar_shows_the_pooled_ict_cap():
    """imp-rules.md §4.8: "ict_cap_end = first ICT entry + 5 y (SK) / 7 y (exec/manager)", §3.4: caps are
    "cumulative across ICT codes" and C61 is followed by C62 or C63. The calendar of a C61 permit gave no
    cap end, although the criterion ``ict.c61_cap_left`` counts C61 time against the successor's cap: an
    employer opening a Canadian office had no date for the end of the transfer. It now takes C62's cap for
    an executive or manager and C63's (the shorter) for specialized knowledge or while the capacity is not
    given, as for the former C12."""
    first = date(2027, 1, 4)
    manager = rules.compliance_calendar(
        "C61", first, date(2028, 1, 3), ict_first_entry=first, capacity="manager"
    )
    assert manager["ict_cap_end"] == "2034-01-04" and manager["c61_switch_date"] == "2028-01-04"
    assert (
        rules.compliance_calendar("C61", first, capacity="specialized_knowledge")["ict_cap_end"]
        == "2032-01-04"
    )
    assert rules.compliance_calendar("C61", first)["ict_cap_end"] == "2032-01-04"
    # absences of 30 days or more are recaptured
    assert (
        rules.compliance_calendar("C61", first, capacity="executive", ict_recaptured_days=45)["ict_cap_end"]
        == "2034-02-18"
    )


# ------------------------------------------------------------------- the Peru transferees' months, to verify


def _peruvian_executive(start: str):
    def change(f):
        f["worker"].update(citizenships=["PE"], residence_country="PE")
        f["foreign_enterprise"].update(country="PE")
        f["worker"]["employment"][0].update(country="PE", start_date=start)

    return change


def test_the_peru_transferees_months_are_flagged_where_they_decide():
    """Left-over of the 2026-12-11 audit: imp-rules.md §3.3 gives the Peru transferees (F53/F55) the general
    year with the enterprise; a third-party copy of IRCC's Peru page and law-firm pages say six months, and
    the one IRCC page found (Operational Bulletin 124, 2009) names the transferees among the differences from
    NAFTA without its stored copy saying which. The reference is kept (12 months), and where the point decides
    the outcome (between 6 and 12 months with the enterprise) the case now says so in ``to_verify``
    (imp-rules.md §8 item 12: unconfirmed points are said where they decide an outcome); it said nothing."""
    d = assess_case("case02-us-executive", _peruvian_executive("2026-03-02"))
    assert d["route"] == "pending" and "F53" not in d["codes_fit"]
    notes = {w["id"]: w["text"] for w in d["to_verify"]}
    assert notes["peru_ict_months"].startswith(
        "To verify: the Peru agreement's transferees may need only 6 months"
    )
    fr = assess_case("case02-us-executive", _peruvian_executive("2026-03-02"), lang="fr")
    assert "6 mois" in {w["id"]: w["text"] for w in fr["to_verify"]}["peru_ict_months"]
    # a full year: F53 fits (beside CPTPP's T51), nothing to verify; four months: short on either reading
    year = assess_case("case02-us-executive", _peruvian_executive("2025-01-06"))
    assert "F53" in year["codes_fit"] and "peru_ict_months" not in {w["id"] for w in year["to_verify"]}
    short = assess_case("case02-us-executive", _peruvian_executive("2026-07-27"))
    assert "peru_ict_months" not in {w["id"] for w in short["to_verify"]}


# ------------------------------------------------------------------- a construction trade is no scientific technician


def _us_technician(noc: str):
    def change(f):
        f["worker"].update(
            profession="Scientific Technician/Technologist", education_level="post_secondary_2y"
        )
        f["position"].update(noc_code=noc, title="Technician", licence_required=False)

    return change


def test_a_construction_trade_is_not_a_cusma_scientific_technician():
    """imp-rules.md §3.1 T36: the Scientific Technician/Technologist works in direct support of professionals
    in the listed sciences, "construction trades excluded". Worked case 01's US worker typed as a scientific
    technician in an electrician's job (NOC 72200) or a construction-trades supervisor's (72011) was given
    T36. Those jobs now fail ``cusma.profession``; a civil engineering technologist (22300) still fits."""
    for noc in ("72200", "72011", "73110"):
        d = assess_case("case01-us-civil-engineer", _us_technician(noc))
        assert "T36" not in d["codes_fit"], noc
        t36 = next(x for x in d["candidates"] if x["code"] == "T36")
        assert {k["id"]: k["status"] for k in t36["criteria"]}["cusma.profession"] == "not_met"
    assert assess_case("case01-us-civil-engineer", _us_technician("22300"))["recommended"] == "T36"


# ------------------------------------------------------------------- the service suppliers' window in the calendar


def test_the_service_supplier_calendar_shows_the_12_months_in_24():
    """imp-rules.md §4.8: "cetacss_window = 12 months used within any rolling 24 months (T47/T43/T48/F60/F66/
    F67)"; §3.2 (and §8 item 9: a cap on the permit). The calendar of a CETA or CUKTCA service supplier gave
    no date for either: it now gives the day the 12 months are used up (a stay running on from the first day)
    and the day the 24-month window ends; other codes give None for both."""
    first = date(2027, 1, 4)
    for code in ("T47", "T43", "T48", "F60", "F66", "F67"):
        cal = rules.compliance_calendar(code, first, date(2027, 9, 3))
        assert cal["service_months_used_up"] == "2028-01-04", code
        assert cal["service_window_end"] == "2029-01-04", code
    other = rules.compliance_calendar("C62", first)
    assert other["service_months_used_up"] is None and other["service_window_end"] is None


# ------------------------------------------------------------------- a multinational by its Canadian arm


def _home_only(engaged):
    def change(f):
        f["foreign_enterprise"]["countries_of_operation"] = ["IN"]
        f["employer"]["actively_engaged"] = engaged
        f["position"]["wage_hourly_cad"] = 55  # above the prevailing wage: only the two facts below decide

    return change


def test_a_multinational_by_its_canadian_arm_waits_for_whether_that_arm_is_active():
    """imp-rules.md §3.4 (R205(a): a multinational, revenue-generating operations in a country other than
    the home country). A group operating only in India whose Canadian company actively does business is a
    multinational by it; the engine counted Canada only once it was known to be active, so with that answer
    still open the multinational test read "Not met", C63 failed and the case read "LMIA needed" while it
    only waited for one answer (found on the browser tour's case page). It is now unknown: the case is
    pending on C63 with the Canadian company's activity asked; the answer decides."""
    d = assess_case("case05-ict-below-prevailing-wage", _home_only(None))
    assert d["route"] == "pending" and d["route"] != "TFWP"
    c63 = next(c for c in d["candidates"] if c["code"] == "C63")
    mnc = next(cr for cr in c63["criteria"] if cr["id"] == "ict.mnc")
    assert mnc["status"] == "unknown"
    assert "employer.actively_engaged" in _needed(d)
    assert assess_case("case05-ict-below-prevailing-wage", _home_only(True))["recommended"] == "C63"
    assert assess_case("case05-ict-below-prevailing-wage", _home_only(False))["route"] == "TFWP"
