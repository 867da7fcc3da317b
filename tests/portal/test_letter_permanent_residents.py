"""The support letter's legal basis names whom the agreement admits (rules/README.md item 53): the bilateral
agreements with Colombia, Korea, Panama, Peru and Ukraine cover their parties' permanent residents as well as
their citizens (IRCC's pages, e.g. the Panama overview: the provisions "extend to permanent residents as well as
to citizens"), and a worker admitted as a permanent resident is named as one. The people are invented."""

from __future__ import annotations

from typing import Any

from portal.documents import letters
from tests.portal.test_letter_text_audit import letters_of, problems, text_of


def _as(letter: dict[str, Any], code: str, citizenships: list[str], detail: dict[str, Any] | None) -> dict:
    details = {k: v for k, v in letter["details"].items() if k != "colombia.citizen"}
    if detail is not None:
        details["colombia.citizen"] = detail
    worker = {**letter["worker"], "citizenship_codes": citizenships, "citizenships": citizenships}
    return {**letter, "code": code, "current_code": code, "details": details, "worker": worker}


def test_a_colombian_permanent_resident_is_named_as_one_in_the_legal_basis(app):
    both = letters_of(app, "case01-us-civil-engineer")
    for lang, members, resident in (
        (
            "en",
            "professionals who are citizens or permanent residents of its parties",
            "a citizen of Venezuela and a permanent resident of Colombia",
        ),
        (
            "fr",
            "aux professionnels citoyens ou résidents permanents de ses parties",
            "qui a la citoyenneté du Vénézuela et la résidence permanente de la Colombie",
        ),
    ):
        letter = _as(both[lang], "F12", ["VE"], {"permanent_resident_of": ["CO"]})
        text = text_of(letters.argue(letter), "legal_basis")
        assert members in text and resident in text, text
        assert not problems(text, letter), problems(text, letter)
        # a Colombian citizen: the agreement's members as they are, the worker a citizen
        citizen = text_of(letters.argue(_as(both[lang], "F12", ["CO"], None)), "legal_basis")
        assert members in citizen and "perman" not in citizen.split(members)[1], citizen


def test_an_agreement_of_citizens_only_still_says_citizens(app):
    """CUSMA admits citizens only (IRCC's CUSMA overview): its letter is unchanged."""
    both = letters_of(app, "case01-us-civil-engineer")
    text = text_of(letters.argue(both["en"]), "legal_basis")
    assert "professionals who are citizens of its parties, such as" in text, text
    assert "permanent" not in text, text
