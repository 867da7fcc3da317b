"""Human texts take their numbers and dates from the parameters: no number is written twice.

Every criterion, fix, question, warning, "to verify" note, obligation, evidence item and duration note
is scanned; once the parameter placeholders (``{ict_min_months}``, ``{professional_teers_or}`` ...) and
the names that merely contain digits (regulation paragraphs, exemption codes, form numbers, annexes)
are taken out, no digit may remain. A number a text needs goes into rules/parameters/values.yaml and
the text quotes it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

import rules
from rules import decides, engine, params
from rules import warnings as rule_warnings
from rules.categories import ALL_RULES
from rules.fields import EMPLOYMENT_FIELDS, FIELDS

from .conftest import load_cases

# Names that contain digits but are not quantities (each with what it is).
NAMES = (
    r"\bR\d+(\.\d+)*(\([a-z0-9.]+\))*",  # a regulation paragraph: R205(a), R209.2(1)(a)(i), R303.1
    r"\b[A-Z]\d{2}\b",  # an exemption code: C10, T33, F71, EC1's E02
    r"\bEC1\b",  # the compliance-fee exemption code
    r"\bIMM \d{4}\b",  # an IRCC form number
    r"\bA#+",  # the offer number's pattern
    r"\b(Annex|annexe) 1\d-[A-Z]\b",  # CUSMA Annex 16-A, CETA Annex 10-E
    r"\b(Appendix|appendice) 2\b",  # CUSMA's Appendix 2 (its list of professions)
    r"\b(group|groupe) 2\b",  # GATS's second group of professions
    r"\b(NOC|CNP) 2021\b",  # the edition of the National Occupational Classification
    r"\(5 (digits|chiffres)\)",  # the format of a NOC code
    r"\b0 (if none|si aucun)\b",  # how to answer an NCLC level when there is none
    r"\bT2\b",  # the CRA's corporate tax return
)
_PLACEHOLDER = re.compile(r"\{[a-z0-9_]+\}")
_NAMES = re.compile("|".join(NAMES))


def number_literals(text: str) -> list[str]:
    """The digits a text writes itself (after placeholders and names are taken out)."""
    return re.findall(r"\d[\d.,-]*\d|\d", _NAMES.sub("", _PLACEHOLDER.sub("", text)))


def human_texts() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for rule in ALL_RULES.values():
        for c in rule.criteria:
            out += [(c.id, c.text_en), (c.id, c.text_fr)]
            out += [(c.id + " (fix)", t) for t in (c.fix_en, c.fix_fr) if t]
        out += [(rule.code + " evidence", t) for pair in rule.evidence for t in pair]
    out += [(f.path, t) for f in FIELDS + EMPLOYMENT_FIELDS for t in (f.q_en, f.q_fr)]
    out += [(k, t) for k, v in rule_warnings.W.items() for t in v[:2]]
    out += [(k, t) for k, v in rule_warnings.TO_VERIFY.items() for t in v[:2]]
    out += [
        ("evidence", t)
        for pair in engine._GENERAL_EVIDENCE + engine._FEE_EXEMPT_EVIDENCE + engine._TFWP_EVIDENCE
        for t in pair
    ]
    out += [(o["id"], o[k]) for o in params.OBLIGATIONS for k in ("text_en", "text_fr")]
    out += [
        (i.code + " durations", i.durations[k])
        for i in params.CODES.values()
        for k in ("note_en", "note_fr")
        if k in i.durations
    ]
    out += [(k, t) for k, v in decides._STEP.items() for t in v]
    out += [("open", t) for t in decides._OPEN]
    return out


def test_the_scan_sees_every_kind_of_text():
    texts = human_texts()
    assert len(texts) > 400
    joined = " ".join(t for _, t in texts)
    for placeholder in (
        "{ict_min_months}",
        "{retention_years}",
        "{gats_window_months}",
        "{c11_support_funds_months}",
    ):
        assert placeholder in joined


def test_no_human_text_writes_a_number_of_its_own():
    offenders = [(where, text) for where, text in human_texts() if number_literals(text)]
    assert not offenders, "\n".join(f"{w}: {t}" for w, t in offenders)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("for at least 1 year in an equivalent position", ["1"]),
        ("at least 50% owned", ["50"]),
        ("since 2024-03-01", ["2024-03-01"]),
        ("a fee of $1,000", ["1,000"]),
        ("for at least {ict_min_months} months under R205(a) (code C62, CUSMA Annex 16-A)", []),
    ],
)
def test_the_scan_finds_numbers_and_passes_names(text, found):
    assert number_literals(text) == found


@pytest.mark.parametrize(
    "on", [params.EARLIEST_AS_OF, date(2017, 9, 21), date(2022, 12, 14), date(2026, 11, 24)]
)
def test_every_placeholder_resolves_in_every_text_of_the_contract(on):
    """The 30 reference cases in both languages: no "{" left in any text the contract carries."""
    for case in load_cases():
        a = rules.assess(rules.facts_from_dict(case["facts"]), on)
        for lang in ("en", "fr"):
            d = a.to_dict(lang)
            texts = [c["text"] for cand in d["candidates"] for c in cand["criteria"]]
            texts += [x["text"] for x in d["excluded"] + d["fixes"] + d["warnings"] + d["to_verify"]]
            texts += [x["text"] for x in d["obligations"]] + d["evidence"]
            texts += [q["question"] for q in d["questions"]]
            if d["durations"] and d["durations"].get("note"):
                texts.append(d["durations"]["note"])
            for t in texts:
                assert "{" not in t and "}" not in t, t


def test_a_text_follows_its_parameter(monkeypatch):
    """Change a value in the parameters and the texts that quote it change with it."""
    on = date(2026, 11, 24)
    prior = next(k for k in ALL_RULES["C62"].criteria if k.id == "ict.prior_employment_12m")
    periods = params.VALUES["ict_min_months"]
    monkeypatch.setitem(params.VALUES, "ict_min_months", tuple(replace(p, value=18) for p in periods))
    params._values_for_epoch.cache_clear()
    params._text_at.cache_clear()
    try:
        text = params.param_text(prior.text_en, on)
        fix = params.param_text(prior.fix_en or "", on)
    finally:
        monkeypatch.undo()
        params._values_for_epoch.cache_clear()
        params._text_at.cache_clear()
    assert "18 months" in text and "18 months" in fix, (text, fix)
    assert "12 months" in params.param_text(prior.text_en, on)


def test_list_and_money_forms_in_both_languages():
    on = date(2026, 11, 24)
    assert params.param_text("TEER {professional_teers_or}", on) == "TEER 0, 1, 2 or 3"
    assert params.param_text("FEER {professional_teers_or}", on, "fr") == "FEER 0, 1, 2 ou 3"
    assert params.param_text("TEER {c16_allowed_teers_range}", on) == "TEER 0–5"
    assert params.param_text("TEER {c16_allowed_teers_range}", date(2020, 1, 1)) == "TEER 0–3"
    assert params.param_text("CAD {iec_min_funds_cad_money}", on) == "CAD 2,500"
    assert params.param_text("{iec_min_funds_cad_money} $", on, "fr") == "2\u00a0500 $"
    # a date is written out as a reader reads it (the warnings' prose: "need a visa since March 1, 2024")
    assert params.param_text("{mexico_eta_rule_since}", on) == "March 1, 2024"
    assert params.param_text("{mexico_eta_rule_since}", on, "fr") == "1er mars 2024"
    assert params.param_text("{c16_allowed_teers_since}", on, "fr") == "15 juin 2023"
    assert params.param_text("{quebec_pr_public_policy_from}", on) == params.long_date(
        params.value_at("quebec_pr_public_policy_from", on).isoformat(), "en"
    )
    assert "-" not in params.param_text("{quebec_pr_public_policy_from}", on, "fr")
    with pytest.raises(KeyError, match="not a parameter"):
        params.param_text("{no_such_parameter}", on)
