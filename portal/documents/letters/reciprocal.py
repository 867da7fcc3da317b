"""Reciprocal employment: C20 (general) and its branches C22 (academic exchanges), C23 (performing
arts), C24 (residential camp counsellors), C26 (athletes and coaches of Canadian teams)."""

from __future__ import annotations

from datetime import date

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, fact, missing, t
from rules.params import value_at


def argue(letter: Letter) -> list[Section]:
    return common.argued(letter, WORDING, [reciprocity(letter)])


WHY = {
    "C22": (
        "{employer} receives {name} as a visiting academic under an exchange between institutions, on terms that give Canadian academics similar positions abroad",
        "{employer} accueille {name} comme universitaire en visite dans le cadre d'un échange entre établissements, à des conditions qui offrent aux universitaires canadiens des postes semblables à l'étranger",
    ),
    "C23": (
        "{employer} engages {name} in the performing arts ({discipline}) under reciprocal arrangements through which Canadian artists perform abroad",
        "{employer} engage {name} dans les arts de la scène ({discipline}) dans le cadre d'arrangements réciproques permettant aux artistes canadiens de se produire à l'étranger",
    ),
    "C24": (
        "{employer} hires {name} as a counsellor of a residential summer camp, and Canadian counsellors are hired by camps abroad in return",
        "{employer} embauche {name} au personnel d'animation d'un camp de vacances résidentiel, et du personnel d'animation canadien est embauché par des camps à l'étranger en retour",
    ),
    "C26": (
        "{employer} engages {name} as an athlete or coach of its Canadian-based team, as Canadian athletes and coaches play for teams abroad",
        "{employer} engage {name} pour jouer ou entraîner au sein de son équipe établie au Canada, comme les athlètes et entraîneurs canadiens jouent pour des équipes étrangères",
    ),
}
# The performing-arts disciplines (rules/fields.py position.arts_discipline) as the letter names them:
# "in the performing arts ({en})", "dans les arts de la scène ({fr})"; "other" asks for the discipline.
DISCIPLINES = {
    "dance": ("dance", "danse"),
    "opera": ("opera", "opéra"),
    "orchestral_music": ("orchestral music", "musique orchestrale"),
    "live_theatre": ("live theatre", "théâtre"),
}
# (the magnitude of the flows is said after their numbers, where they show it: ``numbers``)
GENERAL = (
    "{employer} receives {name} under a reciprocal exchange in which Canadians work abroad in return",
    "{employer} accueille {name} dans le cadre d'un échange réciproque qui permet à des Canadiens de travailler à l'étranger en retour",
)


def reciprocity(letter: Letter) -> Section:
    name, employer = common.worker_name(letter), common.employer_name(letter)
    discipline = DISCIPLINES.get(str(fact(letter, "position.arts_discipline")))
    values = {
        "employer": employer,
        "name": name,
        "discipline": common.pick(letter, discipline)
        if discipline
        else missing(letter, "the performing-arts discipline", "la discipline des arts de la scène"),
    }
    why = t(letter, *WHY.get(letter["code"], GENERAL), **values) + "."
    # a general exchange (C20) names the agreement it is made under; its branches argue their own arrangement
    under = [] if letter["code"] in WHY else [arrangement(letter)]
    return common.section(
        "reciprocity", t(letter, "Reciprocity", "Réciprocité"), why + " " + numbers(letter, employer), *under
    )


def arrangement(letter: Letter) -> str:
    """The reciprocal agreement a general exchange (C20) is made under: no fact records it, and an officer asks
    which arrangement opens the comparable positions to Canadians (IRCC's C20 instructions: the employer shows
    the reciprocal agreement and that it gives Canadians similar opportunities), so the letter asks for it."""
    return t(
        letter,
        "This exchange is made under {what}.",
        "Cet échange se fait en vertu de {what}.",
        what=missing(
            letter,
            "the reciprocal agreement or arrangement (its parties and date) and the partner organization abroad "
            "that employs Canadians in return",
            "l'entente ou l'arrangement de réciprocité (ses parties et sa date) et l'organisation partenaire à "
            "l'étranger qui emploie des Canadiens en retour",
        ),
    )


def _people(letter: Letter, value: object, one: tuple[str, str], many: tuple[str, str]) -> str:
    """ "15 Canadians", "1 Canadian" / "15 Canadiens", "1 Canadien", "0 Canadien" (French counts 0 and 1 as
    one)."""
    amount = common.number(value)
    single = amount is not None and (amount == 1 or (letter["lang"] == "fr" and amount == 0))
    return f"{common.count(letter, value)} {common.pick(letter, one if single else many)}"


def numbers(letter: Letter, employer: str) -> str:
    """The exchange's flows over the period the question counts (the foreign workers already brought to
    Canada, the worker not among them), and whether they are of a similar magnitude: said where the
    Canadians sent abroad reach the share the C20 guidelines expect of a large exchange, else the author is
    asked to explain (the rules' criterion c20.similar_magnitude)."""
    sent, received = (
        fact(letter, "employer.canadians_sent_abroad"),
        fact(letter, "employer.foreign_workers_received"),
    )
    if sent is None or received is None:
        return missing(
            letter,
            "the reciprocity agreement of {employer} and the numbers of Canadians sent abroad under it",
            "l'entente de réciprocité de {employer} et le nombre de Canadiens envoyés à l'étranger",
            employer=employer,
        )
    on = date.fromisoformat(letter["date"])
    flows = t(
        letter,
        "Over the last {years} years, {employer} has sent {sent} abroad under this exchange and brought {received} to Canada.",
        "Au cours des {years} dernières années, {employer} a envoyé {sent} à l'étranger dans le cadre de cet échange et fait venir {received} au Canada.",
        years=value_at("c20_reciprocity_period_years", on),
        employer=employer,
        sent=_people(letter, sent, ("Canadian", "Canadien"), ("Canadians", "Canadiens")),
        received=_people(
            letter,
            received,
            ("foreign worker", "travailleur étranger"),
            ("foreign workers", "travailleurs étrangers"),
        ),
    )
    balanced = float(sent) >= value_at("c20_min_reciprocity_ratio", on) * float(received)
    magnitude = (
        t(
            letter,
            "These numbers are of a similar magnitude.",
            "Ces nombres sont d'un ordre de grandeur comparable.",
        )
        if balanced
        else missing(
            letter,
            "why the exchange is reciprocal although fewer Canadians were sent abroad than foreign workers brought to Canada",
            "pourquoi l'échange est réciproque même s'il a envoyé moins de Canadiens à l'étranger qu'il n'a fait venir de travailleurs étrangers au Canada",
        )
    )
    return f"{flows} {magnitude}"


WORDING = common.Wording(
    purpose_en="The offer to {name} is part of a reciprocal arrangement that opens comparable positions to Canadians abroad.",
    purpose_fr="L'offre faite à {name} s'inscrit dans un arrangement réciproque qui ouvre des postes comparables aux Canadiens à l'étranger.",
    because_en="the employment of {name} by {employer} provides reciprocal opportunities for Canadians abroad",
    because_fr="l'emploi de {name} par {employer} procure des possibilités réciproques aux Canadiens à l'étranger",
)
