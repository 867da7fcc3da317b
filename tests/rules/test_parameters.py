"""Dated parameters: the loader refuses bad periods; every change date gets worked cases on the day
before and the day itself, generated over the parameter files (a new change date cannot go untested)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest

import rules
from rules import params

from .conftest import as_date, load_cases

CASES = load_cases()


def _param(body: str):
    """One parameter written as in values.yaml, parsed with the parameter files' loader and checked."""
    return params._periods("x", params.load_text(body)["x"])


def test_contiguous_periods_load_a_period_ending_where_the_next_begins():
    periods = _param(
        """
x:
  values:
    2015-02-21: {value: 0, source: codes_table}
    2020-02-01: {value: 1, source: codes_table}
    2022-01-01: {value: 2, source: codes_table}
    2024-07-01: {value: null, source: codes_table}
"""
    )
    assert [(p.value, p.start, p.end) for p in periods] == [
        (0, date(2015, 2, 21), date(2020, 1, 31)),
        (1, date(2020, 2, 1), date(2021, 12, 31)),
        (2, date(2022, 1, 1), date(2024, 6, 30)),
    ]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        # the same start date twice: two values in force on one day
        (
            ["2020-01-01: {value: 1, source: codes_table}", "2020-01-01: {value: 2, source: codes_table}"],
            "overlap",
        ),
        (
            ["2020-01-01: {value: 1, source: codes_table}", '"2020-01-01": {value: 2, source: codes_table}'],
            "overlap",
        ),
        # an explicit end, then a value later: the days between have none
        (
            [
                "2020-01-01: {value: 1, source: codes_table}",
                "2021-01-01: expired",
                "2021-03-01: {value: 2, source: codes_table}",
            ],
            "gap",
        ),
        (
            [
                "2020-01-01: {value: 1, source: codes_table}",
                "2021-01-01: {value: null, source: codes_table}",
                "2021-03-01: {value: 2, source: codes_table}",
            ],
            "gap",
        ),
        (
            ["2021-01-01: {value: 1, source: codes_table}", "2020-01-01: {value: 2, source: codes_table}"],
            "out of order",
        ),
        (["2020-01-01: null"], "no value to end"),
        (["2020-01-01: {value: 1}"], "no source"),
        (["2020-01-01: {value: 1, source: nowhere}"], "unknown source"),
        (["2020-01-01: {value: 1, source: codes_table, effective_to: 2021-01-01}"], "unknown field"),
        (["soon: {value: 1, source: codes_table}"], "start date"),
    ],
)
def test_the_loader_refuses_overlaps_gaps_disorder_and_missing_sources(entries, message):
    body = "x:\n  values:\n" + "".join(f"    {e}\n" for e in entries)
    with pytest.raises(params.ParameterError, match=message):
        _param(body)


def test_the_parameter_files_are_read_with_the_refusing_loader(tmp_path):
    """The real files go through the same loader: a duplicated start date in values.yaml is refused."""
    text = (params._DIR / "values.yaml").read_text(encoding="utf-8")
    line = "      2015-02-21: {value: 230, source: general_processing}\n"
    assert line in text
    with pytest.raises(params.ParameterError, match="overlap"):
        params.load_text(text.replace(line, line + line.replace("230", "231")))
    doc = params.load_text(text)
    assert set(doc["parameters"]) <= set(params.VALUES)


def test_every_period_has_a_source_and_periods_follow_each_other():
    for key, periods in params.VALUES.items():
        for a, b in itertools.pairwise(periods):
            assert a.end == b.start - timedelta(days=1), key
        for p in periods:
            assert p.source in params.SOURCES, key


def test_a_code_without_a_kind_in_codes_yaml_is_refused():
    raw = {"code": "Z99", "program": "c10", "reg": "R205(a)", "priority": 1, "label_en": "x", "label_fr": "x"}
    with pytest.raises(params.ParameterError, match="kind"):
        params._code({**raw, "source": "codes_table"})
    assert params._code({**raw, "source": "codes_table", "kind": "other"}).kind == "other"


def _change_dates() -> list[tuple[str, date]]:
    out = set()
    for key, periods in params.VALUES.items():
        for p in periods:
            if p.start > params.EARLIEST_AS_OF:
                out.add((key, p.start))
            if p.end is not None:  # an explicit end: the day after it is a change date too
                out.add((key, p.end + timedelta(days=1)))
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


def test_every_agreement_of_an_r204a_code_names_its_chapter_with_a_source():
    """A letter under R204(a) cites the agreement and its temporary-entry chapter (issue 15): every
    program of such a code has both, in English and French, and the page that names the chapter."""
    programs = {c.program for c in params.CODES.values() if c.reg == "R204(a)"}
    assert {"colombia", "korea", "panama", "peru", "ukraine"} <= programs
    for program in sorted(programs):
        entry = params.PROGRAMS[program]
        assert entry.get("name_en") and entry.get("name_fr"), program
        assert entry.get("chapter_en") and entry.get("chapter_fr"), program
        if program != "chile":  # Chapter K: no official page found yet (codes.yaml says so)
            assert params.source_url(entry["chapter_source"]).startswith("https://"), program
    assert params.PROGRAMS["ukraine"]["chapter_en"].startswith("Chapter 21")
    assert params.PROGRAMS["panama"]["chapter_en"].startswith("Chapter Thirteen")


def test_norway_is_a_country_code_not_a_boolean():
    """YAML 1.1 reads NO as false: Norwegians were treated as visa-required and not as IEC partners."""
    on = date(2025, 1, 1)
    assert "NO" in params.value_at("visa_exempt_citizens", on)
    assert "NO" in params.value_at("iec_partners", on)
    assert params.load_text("x: [NO, ON, yes, off, true, False]") == {
        "x": ["NO", "ON", "yes", "off", True, False]
    }
    every_list = [
        p.value for periods in params.VALUES.values() for p in periods if isinstance(p.value, frozenset)
    ]
    assert not any(isinstance(item, bool) for value in every_list for item in value)


def test_the_loader_refuses_a_boolean_in_a_list():
    body = "x:\n  values:\n    2020-01-01: {value: [AT, false], source: c21}\n"
    with pytest.raises(params.ParameterError, match="boolean"):
        params._periods("x", params.load_text(body)["x"])


def test_the_rules_readme_names_the_rule_set_version_in_force():
    """rules/README.md states the version (bumped on every change of outcome): it fell one behind."""
    readme = (Path(rules.__file__).parent / "README.md").read_text(encoding="utf-8")
    assert f"`rules.RULESET_VERSION` (`{rules.RULESET_VERSION}`)" in readme
