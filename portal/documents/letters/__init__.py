"""The argument of a support letter, one module per code family: plain data (the letter snapshot) in,
sections of plain text out, in English and in French. ``content.py`` calls ``argue``; nothing here
imports Flask, and the regulation, the agreement and its chapter come from the rules' code table."""

from __future__ import annotations

from typing import Protocol

from portal.documents.letters import (
    benefit,
    common,
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
from portal.documents.letters.common import Letter, Section, t
from portal.documents.markup import BOLD
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


# The sections every family shares (common.opening and common.ends); the others are the family's own
# argument: the corporate relationship and the employment abroad of a transferee, the profession, ...
SHARED = frozenset(
    {"introduction", "canadian_role", "temporary_stay", "legal_basis", "evidence", "undertakings"}
)


def demonstration(letter: Letter) -> str:
    """What the offer of employment must show IRCC (R209.11(1)(c)): the facts of this case that put the
    work under its code, for the data sheet's "How the job meets the exemption", rather than the rule's
    criteria, which describe every case. It is the letter's own argument, as the employer edited it, in
    plain text: why the worker comes (the family's purpose, after the opening's offer), the family's
    sections (the relationship, the months with the group, the capacity, ...), the temporary stay and
    the legal basis, a paragraph each. The job's title, NOC code and wage are rows of their own on the
    sheet."""
    sections = letter.get("sections") or argue(letter)
    text = {s["key"]: s["text"] for s in sections}
    purpose = text.get("introduction", "").split("\n\n")[1:]
    if family(letter.get("current_code") or letter.get("code")) is generic:
        purpose = []  # "explains below how the offer meets ...": the letter's own announcement
    own = [s["text"] for s in sections if s["key"] not in SHARED]
    parts = [*purpose, *own, text.get("temporary_stay", ""), text.get("legal_basis", "")]
    # plain text as typed into the portal's field: a paragraph per section, no list marks, no bold marks
    plain = BOLD.sub(r"\1", "\n\n".join(_inline(letter, part) for part in parts if part.strip()))
    return _named_in_full_first(letter, plain)


def _named_in_full_first(letter: Letter, text: str) -> str:
    """The field read on its own names the worker in full first, as the letter does: its text starts after the
    letter's opening, with the short form ("Ms. Rivera comes to ..."), so that first short form becomes the
    full name ("Camila Rivera comes to ..."; in French "la demande d'Avery Rivera", elided as the letter would)."""
    short, full = common.worker_name(letter), common.worker_full_name(letter)
    at = text.find(short)
    if short == full or at < 0 or 0 <= text.find(full) < at:
        return text
    before, after = text[:at], text[at + len(short) :]
    if letter["lang"] == "fr":  # "de Mme Rivera" stays "de", "de Avery Rivera" becomes "d'Avery Rivera"
        tail = common.ELISION.sub(r"\1'", before[-6:] + full[:1])[:-1]
        before = before[:-6] + tail if len(before) >= 6 else tail
    return before + full + after


def _inline(letter: Letter, text: str) -> str:
    """A section's text as running prose: its paragraphs one after the other, and a list (``- `` lines)
    after the line that announces it, its items separated by semicolons ("In that role, X: directs
    ...; sets ...", in French with the no-break space before each semicolon), or one after the other when
    each is a sentence of its own (ends with a full stop)."""
    out: list[str] = []
    items: list[str] = []

    def close() -> None:
        if items:
            # a list of sentences (the criteria of a generic letter, each with its full stop) stays sentences:
            # joined by semicolons it read "production; The worker is essential ..."
            if all(item.endswith(".") for item in items):
                listed = " ".join(items)
            else:
                listed = t(letter, "; ", " ; ").join(item.rstrip(".;") for item in items) + "."
            if out and out[-1].endswith(":"):
                out[-1] = f"{out[-1]} {listed}"
            else:
                out.append(listed)
            items.clear()

    for line in (line.strip() for line in text.splitlines()):
        if line.startswith(("- ", "• ")):
            items.append(line[2:].strip().rstrip(";"))
        elif line:
            close()
            out.append(line)
    close()
    return " ".join(out)
