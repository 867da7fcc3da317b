"""Sixth audit (2026-12-11): items earlier audits noticed and left, then variants of the worked cases (one fact
changed at a time: a date on the other side of a rule change, a missing answer, another nationality). One
test per discrepancy fixed, each citing the section it follows. The people and companies are invented."""

from __future__ import annotations

import pytest

from .conftest import assess_case


def _criterion(d: dict, code: str, cid: str) -> dict:
    cand = next(c for c in d["candidates"] if c["code"] == code)
    return next(x for x in cand["criteria"] if x["id"] == cid)


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


def _transferred_from(country: str):
    """Case 10's trainee (master's in mechanical engineering, a year with the parent abroad) as a citizen of
    ``country``, employed by the group's enterprise there."""

    def change(f):
        f["worker"].update(citizenships=[country], residence_country=country)
        f["foreign_enterprise"].update(country=country, countries_of_operation=[country, "US"])

    return change


# ------------------------------------------------------------------- management trainees' degree


@pytest.mark.parametrize(
    ("lang", "item"),
    [
        ("en", "Bachelor's degree or higher; transcripts"),
        ("fr", "Baccalauréat ou diplôme supérieur\u00a0; relevés de notes"),
    ],
)
@pytest.mark.parametrize(("country", "code"), [("CO", "F14"), ("KR", "F34"), ("PE", "F54"), ("CL", "T54")])
def test_a_management_trainee_packet_lists_the_degree(country, code, lang, item):
    """imp-rules.md §3.2 evidence "degree (T42)" and §3.3: the management trainees of the other agreements
    (Colombia F14, Korea F34, Peru F54, CPTPP T54 for Chileans) must hold a degree, and their criterion reads
    it (``ict.graduate_trainee``, ``ict.management_trainee``), but their checklist did not ask for it (T42
    and F62 did since rule set 2026.12.10-11)."""
    d = assess_case("case10-german-graduate-trainee", _transferred_from(country), lang=lang)
    assert d["recommended"] == code
    assert item in d["evidence"]
    # an executive of the same agreement shows no trainee's degree
    ex = assess_case(
        "case10-german-graduate-trainee",
        lambda f: (
            _transferred_from(country)(f),
            f["position"].update(capacity="executive", noc_code="00012"),
        ),
        lang=lang,
    )
    assert ex["recommended"] != code and item not in ex["evidence"]


# ------------------------------------------------------------------- the bilateral agreements' transferees


def _bilateral_transferee(country: str, used: float | None = None):
    """Case 02's executive (36 months, NOC 00012) as a citizen of ``country`` transferred from the group's
    enterprise there, with ``used`` months of intra-company transfer time already spent in Canada."""

    def change(f):
        f["worker"].update(citizenships=[country], residence_country=country, ict_months_used=used)
        f["foreign_enterprise"].update(country=country)

    return change


@pytest.mark.parametrize(
    ("country", "executive", "specialist"), [("CO", "F13", "F15"), ("KR", "F33", "F35"), ("CL", "F23", "F24")]
)
def test_a_bilateral_transferee_has_the_general_durations_and_the_pooled_cap(country, executive, specialist):
    """IRCC's C12 page: "the duration for a T24 ... work permit is now the same as the general provisions"
    (T24 was every bilateral agreement's transferee code until 2022-12-14); imp-rules.md §3.1 and §3.4: 3
    years, then 2-year renewals, 7 years for executives and managers and 5 for specialists, pooled across
    the R204(a) and R205(a) codes. The Colombian, Korean, Chilean and Peruvian transferees had no duration at
    all: no cap, so a worker who had spent 90 months in Canada as a transferee still fitted F13."""
    d = assess_case("case02-us-executive", _bilateral_transferee(country))
    assert executive in d["codes_fit"]
    dur = {k: v for k, v in d["durations"].items() if k in ("initial_max", "extension_max", "total_cap")}
    if d["recommended"] == executive:
        assert dur == {"initial_max": 36, "extension_max": 24, "total_cap": 84}
    spent = assess_case("case02-us-executive", _bilateral_transferee(country, 90))
    assert executive not in spent["codes_fit"]
    assert _criterion(spent, executive, "ict.cap_left_84")["status"] == "not_met"
    # a specialist's cap is 5 years: 70 months spent leave nothing under F15/F35/F24
    sk = assess_case(
        "case02-us-executive",
        lambda f: (
            _bilateral_transferee(country, 70)(f),
            f["position"].update(capacity="specialized_knowledge", noc_code="21231"),
            f["worker"].update(specialized_knowledge=True),
        ),
    )
    assert _criterion(sk, specialist, "ict.cap_left_60")["status"] == "not_met"


def test_a_bilateral_transferee_is_warned_when_the_job_outlasts_the_pooled_cap():
    """imp-rules.md §4.8 `ict_cap_end`: 70 months already spent leave 14 of F13's 84; a 36-month job is
    longer than that (warning ``ict_cap_left``, as for T37 and C62)."""
    d = assess_case("case02-us-executive", _bilateral_transferee("CO", 70))
    assert d["recommended"] == "F13"
    assert d["durations"]["ict_cap_remaining"] == 14
    assert "ict_cap_left" in {w["id"] for w in d["warnings"]}


# ------------------------------------------------------------------- C10 while C11 waits for the owner's share


def _share(pct):
    return lambda f: f["worker"].update(ownership_pct=pct)


def test_c10_waits_while_c11_waits_only_for_the_owners_share():
    """imp-rules.md §5 step 6 (C10 is the last resort, after the specific codes of step 5, C11 among them)
    and §3.6 (C11: the worker runs their own business and owns at least 51 %; below, an employee). Case 16's
    owner-operator, every other C11 criterion met, with the share not given: the engine recommended C10, the
    discretionary code, because C11's first test (the share) was unknown. The share is now asked, as the
    question that decides the likely code C11."""
    d = assess_case("case16-single-country-owner", _share(None))
    assert d["route"] == "pending" and d["recommended"] is None
    assert d["pending"][0]["code"] == "C11" and d["pending"][0]["waits_for"] == ["worker.ownership_pct"]
    assert "worker.ownership_pct" in _needed(d)
    assert "C10" not in d["codes_fit"]
    # the answer decides: a majority owner is C11, a 30 % shareholder is no business owner under C11 and
    # the significant benefit documented makes C10 the option left
    assert assess_case("case16-single-country-owner", _share(51))["recommended"] == "C11"
    minority = assess_case("case16-single-country-owner", _share(30))
    assert minority["recommended"] == "C10"
    assert "C11" in {x["code"] for x in minority["excluded"]}


def test_c10_still_recommended_when_no_specific_code_is_one_answer_away():
    """Case 17 (the renowned expert, C10) keeps its outcome with the share not given: C11 also fails on the
    role (a professional, not running the business), and C16 and C20 wait for several answers each."""
    d = assess_case("case17-renowned-expert-c10", _share(None))
    assert d["recommended"] == "C10" and d["codes_fit"] == ["C10"]


# ------------------------------------------------------------------- a missing citizenship is asked, not "LMIA"

TFWP_CASES = [
    "case03-mexican-marketing-manager",
    "case04-french-developer-montreal",
    "case05-ict-below-prevailing-wage",
    "case06-ict-only-10-months",
    "case21-vfx-artist",
    "case23-francophone-harvester",
]


@pytest.mark.parametrize("name", TFWP_CASES)
def test_an_unknown_citizenship_is_asked_before_an_lmia(name):
    """The worked cases whose outcome is TFWP, with the citizenship not given. Case 03 (every code fails on
    facts other than the citizenship) was "LMIA needed", complete, with no place of application. A Canadian
    citizen needs no work permit at all (IRPA s. 2(1), 30(1); rules/README.md item 19), and the place of
    application depends on the citizenship (imp-rules.md §8 item 5: "Where the worker's citizenship is
    unknown, the place of application is unknown too (ask)"): the case is pending on that question (§5:
    unknown facts give questions)."""
    d = assess_case(name, lambda f: f["worker"].update(citizenships=None))
    assert d["route"] == "pending" and not d["complete"]
    q = next(q for q in d["questions"] if q["fact"] == "worker.citizenships")
    assert q["needed"]
    if not d["pending"]:  # no code left to wait for: the question says why it is asked
        assert "no_permit" in q["codes"] and d["employer_step"]["kind"] == "pending"
        fr = assess_case(name, lambda f: f["worker"].update(citizenships=None), lang="fr")
        frq = next(q for q in fr["questions"] if q["fact"] == "worker.citizenships")
        assert "citoyen canadien" in frq["decides"]
    # the answer decides: the worked case's citizenship gives TFWP again, a Canadian one no permit
    assert assess_case(name)["route"] == "TFWP"
    assert assess_case(name, lambda f: f["worker"].update(citizenships=["CA"]))["route"] == "no_permit"
