"""English and French texts exist for every criterion, question and obligation."""

from __future__ import annotations

from datetime import date

import rules
from rules.categories import ALL_RULES
from rules.engine import _FEE_EXEMPT_EVIDENCE, _GENERAL_EVIDENCE, _TFWP_EVIDENCE
from rules.fields import EMPLOYMENT_FIELDS, FIELDS
from rules.params import CODES, LEGACY_CODES, OBLIGATIONS, SOURCES
from rules.warnings import W
from tests.typography import french_typography_faults


def _ok(en, fr):
    return isinstance(en, str) and isinstance(fr, str) and len(en) > 3 and len(fr) > 3 and en != fr


def test_every_criterion_has_english_and_french_text_and_a_citation():
    seen = {}
    for rule in ALL_RULES.values():
        for c in rule.criteria:
            assert _ok(c.text_en, c.text_fr), c.id
            assert c.regulation and c.source in SOURCES, c.id
            assert seen.setdefault(c.id, c) is c, f"two different criteria share the id {c.id}"
            if c.fix_en or c.fix_fr:
                assert _ok(c.fix_en, c.fix_fr), c.id
            for path in c.reads:
                assert path in {f.path for f in FIELDS}, (c.id, path)
        for en, fr in rule.evidence:
            assert _ok(en, fr)
    assert len(seen) > 60


def test_every_fact_has_an_english_and_french_question():
    for f in FIELDS + EMPLOYMENT_FIELDS:
        assert _ok(f.q_en, f.q_fr), f.path


def test_every_obligation_warning_code_label_and_evidence_is_bilingual():
    for o in OBLIGATIONS:
        assert _ok(o["text_en"], o["text_fr"]) and o["ref"] and o["url"].startswith("http"), o["id"]
    for key, (en, fr, src) in W.items():
        assert _ok(en, fr) and src in SOURCES, key
    for info in CODES.values():
        assert _ok(info.label_en, info.label_fr) and info.url.startswith("http"), info.code
    for lc in LEGACY_CODES.values():
        assert _ok(lc["label_en"], lc["label_fr"])
    for en, fr in _GENERAL_EVIDENCE + _FEE_EXEMPT_EVIDENCE + _TFWP_EVIDENCE:
        assert _ok(en, fr)


def test_french_output_has_no_english_criterion_text(worked_cases):
    for case in worked_cases:
        facts = rules.facts_from_dict(case["facts"])
        a = rules.assess(facts, date.fromisoformat(str(case["as_of"])))
        en, fr = a.to_dict("en"), a.to_dict("fr")
        en_texts = {c["text"] for cand in en["candidates"] for c in cand["criteria"]}
        fr_texts = {c["text"] for cand in fr["candidates"] for c in cand["criteria"]}
        assert not (en_texts & fr_texts)
        assert [q["fact"] for q in en["questions"]] == [q["fact"] for q in fr["questions"]]


# French typography as the tours asked for it (tests/typography.py); tests/portal/test_i18n.py checks the
# portal's messages.


def _french_texts() -> list[str]:
    texts: list[str] = []
    for rule in ALL_RULES.values():
        for c in rule.criteria:
            texts += [c.text_fr, c.fix_fr or ""]
        texts += [fr for _en, fr in rule.evidence]
    texts += [f.q_fr for f in FIELDS + EMPLOYMENT_FIELDS]
    texts += [o["text_fr"] for o in OBLIGATIONS]
    texts += [fr for _en, fr, _src in W.values()]
    for info in CODES.values():
        texts += [info.label_fr, info.durations.get("note_fr") or ""]
    texts += [lc["label_fr"] for lc in LEGACY_CODES.values()]
    texts += [fr for _en, fr in _GENERAL_EVIDENCE + _FEE_EXEMPT_EVIDENCE + _TFWP_EVIDENCE]
    return texts


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def test_the_rules_french_texts_follow_the_tours_typography(worked_cases):
    """The rules' French texts put an ordinary space before a colon ("Québec : un permis ...", which a page
    may break before the colon). The texts as written, and every French assessment of the worked cases (its
    values filled in), put a no-break space before ':', ';', '?' and '!' and inside « » (the tours asked
    for France's usage before ';', '?' and '!')."""
    faults = [f for text in _french_texts() for f in french_typography_faults(text)]
    for case in worked_cases:
        a = rules.assess(rules.facts_from_dict(case["facts"]), date.fromisoformat(str(case["as_of"])))
        faults += [
            f"{case['name']}: {f}" for s in _strings(a.to_dict("fr")) for f in french_typography_faults(s)
        ]
    assert faults == []
    assert french_typography_faults("Québec : un permis") and french_typography_faults("plan; permis")
    assert french_typography_faults("plan ; permis") and not french_typography_faults(
        "plan\u00a0; permis IN;US"
    )


def test_french_country_names_are_spelled_as_french_writes_them():
    """pycountry wrote "Groënland", "Guinée Équatoriale" and "Macau" (tour of 2026-12-07)."""
    from rules.kinds import country_name  # noqa: PLC0415

    assert [country_name(code, "fr") for code in ("GL", "GQ", "MO")] == [
        "Groenland",
        "Guinée équatoriale",
        "Macao",
    ]
    assert [country_name(code, "en") for code in ("GL", "GQ", "MO")] == [
        "Greenland",
        "Equatorial Guinea",
        "Macao",
    ]
