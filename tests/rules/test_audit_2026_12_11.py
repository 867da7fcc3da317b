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
