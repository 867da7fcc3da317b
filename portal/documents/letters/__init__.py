"""The argument of a support letter, one module per code family: plain data (the letter snapshot) in,
sections of plain text out, in English and in French. ``content.py`` calls ``argue``; nothing here
imports Flask, and the regulation, the agreement and its chapter come from the rules' code table."""

from __future__ import annotations

from typing import Protocol

from portal.documents.letters import (
    benefit,
    francophone,
    generic,
    ict,
    iec,
    investors,
    professionals,
    reciprocal,
    religious,
    service_suppliers,
)
from portal.documents.letters.common import Letter, Section
from rules.params import CODES


class Family(Protocol):
    """A module that argues for a family of codes: its ``argue`` gives the letter's sections."""

    def argue(self, letter: Letter) -> list[Section]: ...


# program (rules/parameters/codes.yaml) -> module, for the codes a family is not chosen by kind alone
BY_PROGRAM: dict[str | tuple[str, str], Family] = {
    "c16": francophone,
    "c10": benefit,
    "c11": benefit,
    "reciprocal": reciprocal,
    "iec": iec,
    "religious": religious,
    ("ceta", "professional"): service_suppliers,
    ("cuktca", "professional"): service_suppliers,
}
BY_KIND: dict[str, Family] = {"ict": ict, "professional": professionals, "trader_investor": investors}


def family(code: str | None) -> Family:
    """The module that argues for ``code`` (a current code of the rules' table)."""
    info = CODES.get(code or "")
    if info is None:
        return generic
    return (
        BY_PROGRAM.get((info.program, info.kind))
        or BY_PROGRAM.get(info.program)
        or BY_KIND.get(info.kind)
        or generic
    )


def argue(letter: Letter) -> list[Section]:
    """The letter's sections: ``[{"key", "heading", "text"}]``, in the order the letter reads."""
    return family(letter.get("current_code") or letter.get("code")).argue(letter)
