"""Religious (C50) and charitable (C51) work: the organization, the work's religious or charitable
purpose, and the pay or its absence."""

from __future__ import annotations

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, missing, t


def argue(letter: Letter) -> list[Section]:
    return common.argued(letter, WORDING, [purpose(letter)], what=_kind(letter))


def _kind(letter: Letter) -> str:
    """The work's kind as the letter names it: charitable (C51) or religious (C50)."""
    return (
        t(letter, "charitable", "de bienfaisance")
        if letter["code"] == "C51"
        else t(letter, "religious", "religieux")
    )


def purpose(letter: Letter) -> Section:
    name, employer = common.worker_name(letter), common.employer_name(letter)
    charitable = letter["code"] == "C51"
    text = t(
        letter,
        # "its" faith: no faith was named before ("serves that faith" had nothing to point to)
        "{employer} is a {kind} organization; {name} will {work}, and the work itself serves its {aim}: {how}.",
        "{employer} est un organisme {kind} ; {name} {work}, et ce travail sert lui-même sa {aim} : {how}.",
        employer=employer,
        name=name,
        kind=_kind(letter),
        work=t(
            letter, "work for its charitable purpose", "travaillera au service de sa mission de bienfaisance"
        )
        if charitable
        else t(
            letter,
            "take part in its religious life and ministry",
            "participera à sa vie et à son ministère religieux",
        ),
        aim=t(letter, "purpose", "mission") if charitable else t(letter, "faith", "foi"),
        how=missing(
            letter,
            "the registration of {employer} and how the duties of {name} serve its mission",
            "l'enregistrement de {employer} et la façon dont les fonctions de {name} servent sa mission",
            employer=employer,
            name=name,
        ),
    )
    paid = letter["position"].get("paid")
    pay = (
        t(
            letter,
            "{name} is not paid for this work; {employer} provides {support}.",
            "{name} ne reçoit aucune rémunération pour ce travail ; {employer} fournit {support}.",
            name=name,
            employer=employer,
            support=missing(
                letter,
                "room, board or allowance, if any",
                "le gîte, le couvert ou l'allocation, le cas échéant",
            ),
        )
        if paid is False
        else ""
    )
    heading = (
        t(letter, "The charitable purpose", "La mission de bienfaisance")
        if charitable
        else t(letter, "The religious work", "Le travail religieux")
    )
    return common.section("purpose", heading, " ".join(x for x in (text, pay) if x))


WORDING = common.Wording(
    purpose_en="{name} comes to {employer} to do {what} work.",
    purpose_fr="{name} vient chez {employer} pour y accomplir un travail {what}.",
    because_en="the work of {name} for {employer} is {what} work that Canadians would not ordinarily be hired to do",
    because_fr="le travail de {name} pour {employer} est un travail {what} pour lequel des Canadiens ne seraient pas ordinairement embauchés",
)
