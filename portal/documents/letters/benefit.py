"""Significant benefit: C10 (general, discretionary) and C11/C60 (business owners): the benefit to
Canada argued from the facts, the owner's share and funds for C11."""

from __future__ import annotations

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, fact, missing, t


def argue(letter: Letter) -> list[Section]:
    code = letter.get("current_code") or letter["code"]
    return common.argued(letter, WORDINGS.get(code, WORDING), [benefit(letter)])


def benefit(letter: Letter) -> Section:
    name, employer = common.worker_name(letter), common.employer_name(letter)
    blocks = []
    if letter["code"] in ("C11", "C60"):
        pct = fact(letter, "worker.ownership_pct")
        share = (
            common.percent(letter, pct)
            if pct is not None
            else missing(letter, "ownership share", "part de propriété")
        )
        has_funds = fact(letter, "worker.business_funds") and fact(letter, "worker.support_funds")
        if not has_funds and "required_from" in ((letter.get("details") or {}).get("c11.funds") or {}):
            # before IRCC's update of 2025-05-27 the funds were no C11 requirement (rules/categories/c11.py): the
            # letter does not ask for them
            blocks.append(
                t(
                    letter,
                    "{name} owns {pct} of {employer} and runs it in person.",
                    "{name} détient {pct} de {employer} et l'exploite en personne.",
                    name=name,
                    employer=employer,
                    pct=share,
                )
            )
        else:
            blocks.append(_owner_with_funds(letter, name, employer, share, bool(has_funds)))
    expertise = _expertise(letter)
    if expertise:
        blocks.append(expertise)
    blocks.append(
        t(
            letter,
            # the section's heading names the significant benefit, and the legal basis the regulation's test:
            # the sentence says what the benefit is, without a fourth "significant benefit"
            "The work of {name} for {employer} will benefit Canadians in these ways: {how}.",
            "Le travail de {name} pour {employer} profitera aux Canadiens de la façon suivante : {how}.",
            name=name,
            employer=employer,
            how=missing(
                letter,
                "the jobs created or kept, the investment, the expertise or recognition, with figures",
                "les emplois créés ou maintenus, l'investissement, l'expertise ou la reconnaissance, chiffres à l'appui",
            ),
        )
    )
    return common.section(
        "benefit",
        t(letter, "The significant benefit to Canada", "L'avantage important pour le Canada"),
        *blocks,
    )


def _owner_with_funds(letter: Letter, name: str, employer: str, share: str, has_funds: bool) -> str:
    """The owner's share and the funds for the business and the stay (a C11 requirement from IRCC's update of
    2025-05-27), asked for while not both known."""
    return t(
        letter,
        "{name} owns {pct} of {employer} and runs it in person; {funds}.",
        "{name} détient {pct} de {employer} et l'exploite en personne ; {funds}.",
        name=name,
        employer=employer,
        pct=share,
        funds=t(
            letter,
            "the business and {name} have the funds to operate it and to live in Canada",
            # the worker's name, not "sa propriétaire": the letters' French does not depend on the worker's gender
            "l'entreprise et {name} disposent des fonds nécessaires à son exploitation et au séjour au Canada",
            name=name,
        )
        if has_funds
        else missing(
            letter,
            "funds for the business and for the stay",
            "fonds pour l'entreprise et pour le séjour",
        ),
    )


def _expertise(letter: Letter) -> str:
    """What the worker brings, from the facts: years of experience, the highest degree and its field."""
    w, name = letter["worker"], common.worker_name(letter)
    years = fact(letter, "worker.experience_years")
    degree = common.EDUCATION.get(w.get("education_level") or "")
    parts = []
    if years is not None:
        parts.append(
            t(
                letter,
                "{years} years of experience",
                "{years} années d'expérience",
                years=common.count(letter, years),
            )
        )
    if degree:
        field = w.get("education_field")
        parts.append(
            t(letter, "{degree} in {field}", "{degree} en {field}", degree=t(letter, *degree), field=field)
            if field
            else t(letter, *degree)
        )
    if not parts:
        return ""
    return t(
        letter,
        "{name} brings {what} to the position of {title}.",
        "{name} apporte {what} au poste de {title}.",
        name=name,
        what=t(letter, " and ", " et ").join(parts),
        title=letter["position"].get("title") or "",
    )


# C10: the purpose announces the sections (the code's label and the heading already say "significant
# benefit"); the legal basis states the test of paragraph 205(a) once.
WORDING = common.Wording(
    purpose_en="The sections below set out the expertise of {name} and the benefits of the work for Canadians.",
    purpose_fr="Les sections qui suivent exposent l'expertise de {name} et les retombées de ce travail pour les Canadiens.",
    because_en="the work of {name} for {employer} will create or maintain significant economic, social or cultural benefits for Canadian citizens and permanent residents",
    because_fr="le travail de {name} pour {employer} créera ou maintiendra des avantages économiques, sociaux ou culturels importants pour les citoyens canadiens et les résidents permanents",
)
# The business owners: C11, who seeks only temporary residence (its label), and C60, a provincial business
# candidate who may stay (imp-rules.md §3.6): the purpose says why the owner comes.
WORDINGS = {
    "C11": common.Wording(
        purpose_en="{name} comes to Canada to direct {employer} and seeks only temporary residence.",
        purpose_fr="{name} vient au Canada pour diriger {employer} et ne cherche qu'à y résider temporairement.",
        because_en=WORDING.because_en,
        because_fr=WORDING.because_fr,
    ),
    "C60": common.Wording(
        # (the employer's name last would end the sentence with "Ltd..")
        purpose_en="To direct {employer}, {name} comes to Canada.",
        purpose_fr="Pour diriger {employer}, {name} vient au Canada.",
        because_en=WORDING.because_en,
        because_fr=WORDING.because_fr,
    ),
}
