"""Property tests (hypothesis) over arbitrary facts and the worked cases."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import rules
from rules import noc
from rules.fields import EMPLOYMENT_FIELDS, FIELDS, SECTIONS
from rules.kinds import COUNTRIES
from rules.params import CODES, EARLIEST_AS_OF, LEGACY_CODES

from .conftest import as_date, load_cases

CASES = load_cases()
IMP_CASES = [c for c in CASES if c["expect"]["route"] == "IMP"]
COUNTRY_LIST = sorted(COUNTRIES)
NOCS = sorted(noc.UNITS) + [noc.ENTREPRENEUR_CODE]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2035, 12, 31)).map(date.isoformat)
as_ofs = st.dates(min_value=EARLIEST_AS_OF, max_value=date(2030, 12, 31))
countries = st.sampled_from(COUNTRY_LIST + ["US", "MX", "FR", "GB", "IN", "DE", "CL", "KR"])


def _records(f):
    rec = st.fixed_dictionaries(
        {}, optional={e.path.rsplit(".", 1)[1]: st.none() | _value(e) for e in EMPLOYMENT_FIELDS}
    )
    return st.lists(rec, max_size=3)


# The test strategy of each kind of rules/kinds.py (tests/rules/test_kinds.py checks every kind has one).
STRATEGIES = {
    "str": lambda f: st.text(max_size=12),
    "bool": lambda f: st.booleans(),
    "int": lambda f: st.integers(min_value=int(f.minimum or 0), max_value=int(f.maximum or 500)),
    "number": lambda f: st.floats(min_value=f.minimum or 0, max_value=f.maximum or 500, allow_nan=False),
    "date": lambda f: dates,
    "country": lambda f: countries,
    "countries": lambda f: st.lists(countries, max_size=3),
    "enum": lambda f: st.sampled_from(f.values),
    "province": lambda f: st.sampled_from(f.values),
    "noc": lambda f: st.sampled_from(NOCS),
    "pct_map": lambda f: st.dictionaries(countries, st.floats(min_value=0, max_value=100), max_size=3),
    "employment": _records,
}


def _value(f):
    return STRATEGIES[f.kind](f)


def _section(sec):
    fs = [f for f in FIELDS if f.path.startswith(sec + ".")]
    return st.fixed_dictionaries({}, optional={f.path.split(".", 1)[1]: st.none() | _value(f) for f in fs})


facts_dicts = st.fixed_dictionaries({}, optional={s: _section(s) for s in SECTIONS})


@SETTINGS
@given(facts_dicts, as_ofs, st.sampled_from(["en", "fr"]))
@example({"worker": {"citizenships": ["CA"]}}, date(2015, 2, 21), "en")  # found by CI: a Canadian, no permit
def test_arbitrary_facts_never_raise(data, as_of, lang):
    a = rules.assess(rules.facts_from_dict(data), as_of)
    d = a.to_dict(lang)
    # the routes of the JSON contract (rules/README.md); a Canadian citizen or PR needs no permit
    assert d["route"] in ("IMP", "TFWP", "open_permit", "pending", "no_permit")
    if d["route"] == "no_permit":  # step 0: no code, no question, no employer step
        assert d["recommended"] is None and d["questions"] == [] and d["employer_step"]["kind"] == "none"
    assert d["complete"] == (not any(q["needed"] for q in d["questions"]))
    if d["route"] == "TFWP":  # only when every candidate failed on known facts
        assert d["recommended"] is None and d["codes_fit"] == [] and d["pending"] == []
        assert all(c["status"] == "not_met" for c in d["candidates"])
        assert d["reasons"]
    if d["route"] == "pending":  # no code fits yet, some still could; no LMIA fee shown as due
        assert d["recommended"] is None and d["codes_fit"] == []
        # a code that could still fit, or else a needed question on an open permit the worker may hold
        assert d["pending"] or any(q["needed"] and "open_permit" in q["codes"] for q in d["questions"])
        assert d["employer_step"]["kind"] == "pending" and d["employer_step"]["fee_cad"] is None
        assert not d["complete"]
        for p in d["pending"]:
            assert p["waits_for"], p
            assert {q["fact"] for q in d["questions"]} >= set(p["waits_for"])
    if d["route"] == "IMP":
        assert d["recommended"] in d["codes_fit"]


@SETTINGS
@given(facts_dicts, as_ofs)
def test_same_facts_always_give_the_same_assessment(data, as_of):
    f1, f2 = rules.facts_from_dict(data), rules.facts_from_dict(copy.deepcopy(data))
    assert rules.assess(f1, as_of).to_dict() == rules.assess(f2, as_of).to_dict()
    assert rules.facts_from_dict(f1.to_dict()) == f1  # round trip


def _paths(facts: dict):
    for sec, body in facts.items():
        for k in body or {}:
            yield sec, k


def test_removing_any_one_fact_from_an_imp_case_never_gives_a_silent_tfwp():
    checked = 0
    for case in IMP_CASES:
        for sec, key in _paths(case["facts"]):
            data = copy.deepcopy(case["facts"])
            del data[sec][key]
            d = rules.assess(rules.facts_from_dict(data), as_date(case["as_of"])).to_dict()
            checked += 1
            assert d["route"] != "TFWP", f"{case['name']}: removing {sec}.{key} gave TFWP"
    assert checked > 200


@SETTINGS
@given(st.sampled_from(IMP_CASES), st.integers(min_value=0, max_value=6))
def test_removing_employment_fields_never_gives_a_silent_tfwp(case, idx):
    data = copy.deepcopy(case["facts"])
    emp = data.get("worker", {}).get("employment")
    if not emp:
        return
    fields = sorted(emp[0])
    del emp[0][fields[idx % len(fields)]]
    d = rules.assess(rules.facts_from_dict(data), as_date(case["as_of"])).to_dict()
    assert d["route"] != "TFWP"


def _valid_on(code: str, on: date) -> bool:
    if code in LEGACY_CODES:
        return on <= date.fromisoformat(LEGACY_CODES[code]["effective_to"])
    info = CODES[code]
    return (info.effective_from is None or info.effective_from <= on) and (
        info.effective_to is None or on <= info.effective_to
    )


@SETTINGS
@given(st.sampled_from(CASES), as_ofs)
def test_an_as_of_before_a_codes_effective_date_never_returns_that_code(case, as_of):
    a = rules.assess(rules.facts_from_dict(case["facts"]), as_of)
    for code in a.codes_fit:
        assert _valid_on(code, as_of), (code, as_of)
    for r in a.results:
        assert _valid_on(r.code, as_of)


def test_the_day_before_the_renumbering_uses_the_legacy_codes():
    case = next(c for c in CASES if c["name"] == "case01-us-civil-engineer")
    facts = rules.facts_from_dict(case["facts"])
    renumbering = date(2022, 12, 15)
    assert rules.assess(facts, renumbering - timedelta(days=1)).codes_fit == ("T23",)
    assert rules.assess(facts, renumbering).codes_fit == ("T36",)
