"""The evidence checklist names the proof a criterion reads (imp-rules.md §8 item 11): an intra-company
transfer is met only with a letter from the foreign enterprise that keeps the worker's position abroad
(criterion ict.position_abroad_kept), so the checklist the employer uploads against lists that letter.
The people and companies are invented."""

from __future__ import annotations

import pytest

from .conftest import assess_case

LETTER = {
    "en": "Letter from the foreign enterprise confirming the worker's position abroad is kept for their return",
    "fr": "Lettre de l'entreprise étrangère confirmant que le poste du travailleur à l'étranger lui est "
    "conservé pour son retour",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("case02-us-executive", "T37"),
        ("case15-ict-new-subsidiary", "C61"),
    ],
)
def test_an_intra_company_code_lists_the_letter_that_keeps_the_position_abroad(case, code, lang):
    out = assess_case(case, lang=lang)
    recommended = out["recommended"]
    assert recommended == code
    candidate = next(c for c in out["candidates"] if c["code"] == recommended)
    assert any(c["id"] == "ict.position_abroad_kept" for c in candidate["criteria"]), recommended
    assert LETTER[lang] in out["evidence"], out["evidence"]


def test_a_code_that_reads_no_such_letter_does_not_ask_for_it():
    out = assess_case("case01-us-civil-engineer")  # a CUSMA professional
    candidate = next(c for c in out["candidates"] if c["code"] == out["recommended"])
    assert all(c["id"] != "ict.position_abroad_kept" for c in candidate["criteria"])
    assert LETTER["en"] not in out["evidence"]
