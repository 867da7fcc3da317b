"""What a question could decide, in plain language (EN/FR), from the codes it decides.

"Could make the worker eligible under the Canada–Colombia agreement" — the codes themselves are
given separately (``codes``) for the small print.
"""

from __future__ import annotations

from .params import CODES, PROGRAMS

_STEP = {
    "worker.in_canada": (
        "Decides where the worker can apply (port of entry, online or in Canada).",
        "Détermine où le travailleur peut présenter sa demande (point d'entrée, en ligne ou au Canada).",
    ),
    "worker.eta_eligible": (
        "Decides whether the worker can travel without a visa and apply at the port of entry.",
        "Détermine si le travailleur peut voyager sans visa et présenter sa demande au point d'entrée.",
    ),
    "worker.passport_country": (
        "Decides whether the worker needs a visa and where the worker can apply.",
        "Détermine si le travailleur a besoin d'un visa et où il peut présenter sa demande.",
    ),
    "worker.citizenships": (
        "Decides whether the worker needs a visa and where the worker can apply.",
        "Détermine si le travailleur a besoin d'un visa et où il peut présenter sa demande.",
    ),
    "position.duration_months": (
        "Decides which code to file: the agreement's intra-company transfer code has the shorter total cap, a longer assignment is filed under R205(a).",
        "Détermine le code à utiliser : le code de mutation de l'accord a la durée totale la plus courte, une affectation plus longue relève du R205a).",
    ),
    "position.paid": (
        "Decides whether the employer compliance fee is due.",
        "Détermine si les frais de conformité de l'employeur sont exigibles.",
    ),
}
_NO_PERMIT = (
    "Could show the worker needs no work permit (a Canadian citizen).",
    "Pourrait montrer que le travailleur n'a besoin d'aucun permis de travail (citoyen canadien).",
)
_NO_PERMIT_PR = (
    "Could show the worker needs no work permit (a permanent resident of Canada).",
    "Pourrait montrer que le travailleur n'a besoin d'aucun permis de travail (résident permanent du Canada).",
)
_OPEN = (
    "Could show the worker is already authorized to work (open work permit): no employer step.",
    "Pourrait montrer que le travailleur est déjà autorisé à travailler (permis ouvert) : aucune démarche de l'employeur.",
)

_SPOUSE = (
    "Could give the worker an open work permit as a spouse or common-law partner: no employer step.",
    "Pourrait donner au travailleur un permis de travail ouvert d'époux ou de conjoint de fait : aucune démarche de l'employeur.",
)


def _program_of(code: str) -> str | None:
    info = CODES.get(code)
    if info is not None:
        return info.program
    for c in CODES.values():  # a legacy code emitted before 2022-12-15
        if c.legacy == code:
            return c.program
    return None


def decides_text(fact: str, opens: tuple[str, ...], step: bool, lang: str) -> str:
    """One sentence: the agreements or exemptions the answer could open, and the step it decides."""
    fr = lang == "fr"
    parts = []
    if "open_permit" in opens:
        text = _SPOUSE if fact.startswith("worker.principal_") else _OPEN
        parts.append(text[1] if fr else text[0])
    if "no_permit" in opens:
        text = _NO_PERMIT_PR if fact == "worker.permanent_residences" else _NO_PERMIT
        parts.append(text[1] if fr else text[0])
    programs: list[str] = []
    for code in opens:
        prog = _program_of(code)
        if prog is not None and prog not in programs:
            programs.append(prog)
    if programs:
        names = [PROGRAMS[p]["under_fr" if fr else "under_en"] for p in programs]
        if fr:
            parts.append("Pourrait rendre le travailleur admissible " + _join(names, "ou") + ".")
        else:
            parts.append("Could make the worker eligible under " + _join(names, "or") + ".")
    if step:
        parts.append(_STEP.get(fact, _STEP["worker.in_canada"])[1 if fr else 0])
    return " ".join(parts)


def _join(names: list[str], word: str) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {word} " + names[-1]
