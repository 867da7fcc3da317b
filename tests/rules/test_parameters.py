"""Dated parameters: the loader refuses bad periods; every change date gets worked cases on the day
before and the day itself, generated over the parameter files (a new change date cannot go untested)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import rules
from rules import params

from .conftest import as_date, load_cases

CASES = load_cases()


def _raw(*spans):
    return [
        {"value": i, "effective_from": f, "effective_to": t, "source": "codes_table"}
        for i, (f, t) in enumerate(spans)
    ]


def test_contiguous_periods_load():
    periods = params._periods(
        "x", _raw((None, "2020-01-31"), ("2020-02-01", "2021-12-31"), ("2022-01-01", None))
    )
    assert [p.value for p in periods] == [0, 1, 2]


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        (((None, "2020-01-31"), ("2020-01-15", None)), "overlap"),
        (((None, "2020-01-31"), ("2020-03-01", None)), "gap"),
        ((("2021-01-01", "2021-12-31"), ("2020-01-01", None)), "out of order"),
        (((None, None), ("2020-01-01", None)), "overlap"),
        ((("2021-01-01", "2020-12-31"),), "ends before it starts"),
    ],
)
def test_the_loader_refuses_overlaps_gaps_and_disorder(spans, message):
    with pytest.raises(params.ParameterError, match=message):
        params._periods("x", _raw(*spans))


def test_a_code_without_a_kind_in_codes_yaml_is_refused():
    raw = {"code": "Z99", "program": "c10", "reg": "R205(a)", "priority": 1, "label_en": "x", "label_fr": "x"}
    with pytest.raises(params.ParameterError, match="kind"):
        params._code({**raw, "source": "codes_table"})
    assert params._code({**raw, "source": "codes_table", "kind": "other"}).kind == "other"


def _change_dates() -> list[tuple[str, date]]:
    out = set()
    for key, periods in params.VALUES.items():
        for p in periods:
            if p.effective_from is not None and p.effective_from > params.EARLIEST_AS_OF:
                out.add((key, p.effective_from))
    for d in params._CHANGE_DATES:
        if d > params.EARLIEST_AS_OF:
            out.add(("codes.yaml", d))
    return sorted(out, key=lambda x: (x[1], x[0]))


CHANGES = _change_dates()


def test_change_dates_are_found_in_the_parameter_files():
    keys = {k for k, _ in CHANGES}
    assert {"flagpoling_restriction", "visa_exempt_citizens", "eu_member_states", "codes.yaml"} <= keys
    assert ("flagpoling_restriction", date(2024, 12, 24)) in CHANGES
    assert ("codes.yaml", date(2024, 7, 1)) in CHANGES  # CUFTA


@pytest.mark.parametrize(("key", "day"), CHANGES, ids=[f"{k}@{d.isoformat()}" for k, d in CHANGES])
def test_every_change_date_day_before_and_day_itself(key, day):
    before = day - timedelta(days=1)
    if key != "codes.yaml":
        assert params.value_at(key, before, None) != params.value_at(key, day), (key, day)
    else:
        assert params.code_table(before) != params.code_table(day)
    for case in CASES:
        facts = rules.facts_from_dict(case["facts"])
        for on in (before, day):
            d = rules.assess(facts, on).to_dict()
            assert d["route"] in ("IMP", "pending", "TFWP", "open_permit")
            assert d["complete"] == (not any(q["needed"] for q in d["questions"]))
            if d["route"] == "IMP":
                assert d["recommended"] in d["codes_fit"]
    # the worked cases still give their reference outcome on their own date
    for case in CASES:
        if as_date(case["as_of"]) in (before, day):
            d = rules.assess(rules.facts_from_dict(case["facts"]), as_date(case["as_of"])).to_dict()
            assert d["codes_fit"] == case["expect"]["codes_fit"]


@pytest.mark.parametrize("on", [date(2017, 9, 21), date(2022, 12, 14), date(2026, 11, 24)])
def test_criterion_texts_take_their_numbers_from_the_parameters(on):
    for case in CASES:
        a = rules.assess(rules.facts_from_dict(case["facts"]), on)
        for lang in ("en", "fr"):
            d = a.to_dict(lang)
            for cand in d["candidates"]:
                for crit in cand["criteria"]:
                    assert "{" not in crit["text"], crit
            for f in d["fixes"]:
                assert "{" not in f["text"], f
    text = params.param_text("{ict_min_months} / {c20_min_reciprocity_ratio_pct} % / {gats_max_days}", on)
    assert text == (
        f"{params.value_at('ict_min_months', on)} / "
        f"{params.value_at('c20_min_reciprocity_ratio', on) * 100:g} % / {params.value_at('gats_max_days', on)}"
    )
