"""International Experience Canada (C21): the worker's citizenship of a partner country, the category,
the invitation and the age limit, the job offered."""

from __future__ import annotations

from portal.documents.letters import common, countries
from portal.documents.letters.common import Letter, Section, fact, missing, t


def argue(letter: Letter) -> list[Section]:
    w = letter["worker"]
    cited = w.get("citizenship_codes") or w.get("citizenships") or []
    # the partner country: the citizenship the assessment found eligible (the passport to use), else all
    eligible = [c for c in cited if c == letter.get("passport_to_use")] or cited
    country = (
        countries.list_of(letter, eligible, "the")
        if eligible
        else missing(letter, "the partner country", "pays partenaire")
    )
    return common.argued(letter, WORDING, [participation(letter)], country=country)


CATEGORIES = {
    "young_professionals": ("Young Professionals", "Jeunes professionnels"),
    "international_coop": ("International Co-op (internship)", "Stage coop international"),
    "working_holiday": ("Working Holiday", "Vacances-travail"),
}


def participation(letter: Letter) -> Section:
    """The IEC participation: the category and the invitation. The date of birth and the citizenship are
    under the subject line (``common.identity``) and the partner country in the legal basis: the paragraph
    says them again only as placeholders, when the portal does not hold them."""
    w, name = letter["worker"], common.worker_name(letter)
    category = CATEGORIES.get(fact(letter, "worker.iec_category") or "")
    invited = fact(letter, "worker.iec_invited")
    unknown = []
    if not w.get("date_of_birth"):
        unknown.append(
            t(
                letter,
                "born on {born}",
                "dont la date de naissance est le {born}",
                born=missing(letter, "date of birth", "date de naissance"),
            )
        )
    if not [c for c in w.get("citizenships") or [] if c]:
        unknown.append(common.citizen(letter))
    about = f", {(' et ' if letter['lang'] == 'fr' else ' and ').join(unknown)}," if unknown else ""
    text = t(
        letter,
        "{name}{about} takes part in International Experience Canada in the {category} category{invited}; the position with {employer} is the job offer of that participation.",
        "{name}{about} participe à Expérience internationale Canada dans la catégorie {category}{invited} ; le poste chez {employer} est l'offre d'emploi liée à cette participation.",
        name=name,
        about=about,
        category=(category[1] if letter["lang"] == "fr" else category[0])
        if category
        else missing(letter, "IEC category", "catégorie d'EIC"),
        invited=t(
            letter,
            " and has received an invitation to apply",
            " et a reçu une invitation à présenter une demande",
        )
        if invited
        else " "
        + missing(letter, "date of the invitation to apply", "date de l'invitation à présenter une demande"),
        employer=common.employer_name(letter),
    )
    return common.section(
        "iec",
        t(
            letter,
            "Participation in International Experience Canada",
            "Participation à Expérience internationale Canada",
        ),
        text,
    )


WORDING = common.Wording(
    # the opening already "offers X the position": the purpose says why the worker comes, not the offer again
    purpose_en="{name} comes to {employer} through International Experience Canada.",
    purpose_fr="{name} vient chez {employer} dans le cadre d'Expérience internationale Canada.",
    # "with Ireland, of which X is a citizen" read as the arrangement's citizen: the worker after the country
    because_en="Canada's youth mobility arrangement with {country} opens International Experience Canada to the citizens of that country, such as {name}",
    because_fr="l'accord de mobilité des jeunes conclu par le Canada avec {country} ouvre Expérience internationale Canada aux citoyens de ce pays, comme {name}",
)
