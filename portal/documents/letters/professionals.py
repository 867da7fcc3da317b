"""Professionals under a trade agreement (T36, T33, T52, the F-code professionals and technicians, F72):
citizenship, the listed profession and its credentials, pre-arranged employment at professional level."""

from __future__ import annotations

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, fact, missing, t
from rules.params import CUSMA_PROFESSIONS

DEGREES = frozenset({"bachelor", "master", "doctorate"})


def argue(letter: Letter) -> list[Section]:
    return common.argued(letter, WORDING, [profession(letter)])


def profession(letter: Letter) -> Section:
    w, p = letter["worker"], letter["position"]
    name = common.worker_name(letter)
    # the profession's name as the worker's answers give it (worker.profession); position.fta_listed_occupation
    # only says whether the agreement lists it (a yes or a no, never a name)
    listed = listed_profession(letter) or str(w.get("profession") or "")
    info = common.code_info(letter)
    where = LISTS.get(info.program if info else "")
    first = t(
        letter,
        *(
            (
                "The position of {title} is in the profession of {profession}, listed in {where} of {treaty}, "
                "and it is offered at the professional level.",
                "Le poste de {title} relève de la profession de {profession}, inscrite à {where} de {treaty}, "
                "et il est offert au niveau professionnel.",
            )
            if where
            else (
                "The position of {title} is in the profession of {profession}, which {treaty} lists among the "
                "professions open to its citizens, and it is offered at the professional level.",
                "Le poste de {title} relève de la profession de {profession}, que {treaty} inscrit parmi les "
                "professions ouvertes à ses citoyens, et il est offert au niveau professionnel.",
            )
        ),
        title=p.get("title") or "",
        profession=listed
        or missing(
            letter, "the profession as the agreement lists it", "la profession telle que l'accord l'énumère"
        ),
        where=common.pick(letter, where) if where else "",
        treaty=common.agreement(letter)[0] or missing(letter, "agreement", "accord"),
    )
    support = _direct_support(letter, name)
    if support:
        first = f"{first} {support}"
    years = fact(letter, "worker.experience_years")
    if w.get("education_level") == "none":
        degree = _no_degree(letter, name, listed or p.get("title") or "", years)
    else:
        degree = t(
            letter,
            "{name} holds {education}, the credential the agreement requires for the profession of {profession}.",
            "{name} est titulaire de {education}, le titre de compétence exigé par l'accord pour la profession de {profession}.",
            name=name,
            education=common.education(letter),
            profession=listed or p.get("title") or "",
        )
    experience = ""
    # with no degree under an agreement that lists alternatives, the sentence on the degree states the years
    stated = (
        w.get("education_level") == "none"
        and alternative_credentials(letter)
        and not fact(letter, "worker.professional_licence")
    )
    if years is not None and not stated and w.get("education_level") != "none":
        # one sentence with the degree's: "X holds ..., the credential ..., and has 6 years of experience in
        # the profession." (three sentences in a row began with the worker's name, read a form)
        degree = degree.removesuffix(".") + t(
            letter,
            ", and has {years} years of experience in the profession.",
            ", et compte {years} années d'expérience dans la profession.",
            years=common.count(letter, years),
        )
    elif years is not None and not stated:
        experience = t(
            letter,
            "{name} has {years} years of experience in the profession.",
            "{name} compte {years} années d'expérience dans la profession.",
            name=name,
            years=common.count(letter, years),
        )
    elif years is None and not stated and w.get("education_level") not in DEGREES:
        # experience stands in for a degree only (an alternative credential); a degree needs no count of years
        experience = missing(
            letter,
            "years of experience of {name} in the profession",
            "années d'expérience de {name} dans la profession",
            name=name,
        )
    needs_licence = fact(letter, "position.licence_required")
    licence = ""
    if needs_licence:
        # worker.canadian_licence is "holds or can obtain" the province's licence: the letter says no more
        licence = (
            t(
                letter,
                "{name} holds, or will obtain before starting, the licence that the practice of the profession "
                "of {profession} requires {in_province}.",
                "{name} détient, ou obtiendra avant de commencer, le permis qu'exige l'exercice de la "
                "profession de {profession} {in_province}.",
                name=name,
                profession=listed or "",
                in_province=common.in_province(letter, letter["position"].get("province")),
            )
            if fact(letter, "worker.canadian_licence")
            else missing(
                letter,
                "how {name} will obtain the provincial licence before starting",
                "comment {name} obtiendra le permis provincial avant de commencer",
                name=name,
            )
        )
    return common.section(
        "profession",
        t(letter, "The profession and the credentials", "La profession et les titres de compétence"),
        first,
        " ".join(x for x in (degree, experience, licence) if x),
    )


# The proper nouns of the English names of CUSMA's list, kept capitalized in running text
_PROPER = frozenset({"Quebec", "Mexico", "US", "Canada"})


def listed_profession(letter: Letter) -> str:
    """The profession as CUSMA's closed list names it (the criterion's detail, rules/categories/cusma.py), in
    the letter's language and in running text ("engineer", "ingénieur", "lawyer (including notary in the
    province of Quebec)"); "" for another agreement, or when the rules matched none (the typed profession
    is then quoted as typed)."""
    detail = (letter.get("details") or {}).get("cusma.profession") or {}
    info = CUSMA_PROFESSIONS.get(str(detail.get("profession") or ""))
    if info is None:
        return ""
    if letter["lang"] == "fr":
        name = str(info["name_fr"])
        return name[:1].lower() + name[1:]
    return " ".join(
        word if word.strip("()") in _PROPER else word.lower() for word in str(info["name"]).split(" ")
    )


def _direct_support(letter: Letter, name: str) -> str:
    """A CUSMA Scientific Technician/Technologist "must be seeking temporary entry to work in direct support of
    professionals in" the listed sciences (CUSMA Appendix 2 to Annex 16-A; imp-rules.md §3.1 T36): the letter says
    so, and asks its author to name the professionals supported (no fact records them). The rules name the
    profession in the criterion's detail (rules/categories/cusma.py)."""
    detail = (letter.get("details") or {}).get("cusma.profession") or {}
    if detail.get("profession") != "scientific_technician":
        return ""
    return t(
        letter,
        "As a Scientific Technician/Technologist, {name} will work in direct support of {supported}, as the "
        "agreement requires of that profession.",
        "À titre de technicien ou technologue scientifique, {name} travaillera en appui direct à {supported}, "
        "comme l'accord l'exige pour cette profession.",
        name=name,
        supported=missing(
            letter,
            "the professionals {name} will support and their science (agricultural sciences, astronomy, biology, "
            "chemistry, engineering, forestry, geology, geophysics, meteorology or physics)",
            "les professionnels que {name} appuiera et leur science (sciences agricoles, astronomie, biologie, "
            "chimie, génie, foresterie, géologie, géophysique, météorologie ou physique)",
            name=name,
        ),
    )


# Where an agreement lists its professions, as an officer looks it up: CUSMA's closed list is Appendix 2
# (Professionals) to Annex 16-A (NAFTA's former Appendix 1603.D.1; rules/parameters/professions.yaml,
# source cusma_professionals; IRCC's CUSMA professionals page). The other agreements are named as a whole.
LISTS = {
    "cusma": (
        "Appendix 2 (Professionals) to Annex 16-A",
        "l'appendice 2 (Professionnels) de l'annexe 16-A",
    ),
}


# The agreements whose list of professions gives some of them an alternative credential in place of a
# degree (experience, a licence: rules/categories/base.py ``credential``); the others require a degree.
ALTERNATIVES = frozenset({"cusma", "gats"})


def alternative_credentials(letter: Letter) -> bool:
    info = common.code_info(letter)
    return bool(info and info.program in ALTERNATIVES)


def _no_degree(letter: Letter, name: str, profession: str, years: object) -> str:
    """A worker known to hold no degree (``education_level`` "none"): said so, and the credential argued
    from what the agreement accepts in its place (a licence, years of experience) or asked for; under an
    agreement that requires a degree, a request to confirm the education, never a degree the answers do
    not give."""
    if not alternative_credentials(letter):
        return t(
            letter,
            "{name} holds no degree: {fix}.",
            "{name} n'est titulaire d'aucun diplôme : {fix}.",
            name=name,
            fix=missing(
                letter,
                "the agreement requires a degree for {profession}: confirm the education of {name}",
                "l'accord exige un diplôme pour la profession de {profession} : confirmer les études de {name}",
                name=name,
                profession=profession,
            ),
        )
    if fact(letter, "worker.professional_licence"):
        alternative = t(
            letter, "a licence to practise the profession", "un permis d'exercice de la profession"
        )
    elif years is not None:
        alternative = t(
            letter,
            "{years} years of experience in the profession",
            "{years} années d'expérience dans la profession",
            years=common.count(letter, years),
        )
    else:
        alternative = missing(
            letter,
            "years of experience of {name} in the profession, or licence",
            "années d'expérience de {name} dans la profession, ou permis d'exercice",
            name=name,
        )
    return t(
        letter,
        "{name} holds no degree and meets instead the alternative credential the agreement lists for {profession}: {alternative}.",
        "{name} n'est titulaire d'aucun diplôme et remplit plutôt le titre de remplacement que l'accord prévoit pour la profession de {profession} : {alternative}.",
        name=name,
        profession=profession,
        alternative=alternative,
    )


WORDING = common.Wording(
    purpose_en="{name}, {citizen}, comes to {employer} under pre-arranged employment as a professional.",
    purpose_fr="{name}, {citizen}, vient travailler chez {employer} dans le cadre d'un emploi préalablement convenu, au titre de la catégorie des professionnels.",
    because_en="{treaty}, {chapter}, grants temporary entry to the professionals who are {members}, such as {name}, {citizen}",
    because_fr="{treaty}, {chapter}, accorde l'admission temporaire aux professionnels {members}, comme {name}, {citizen}",
)
