"""CETA and CUKTCA contractual service suppliers, independent professionals and technologists
(T47, T43, T48, F66, F60, F67): the service contract, who holds it, the worker's qualifications."""

from __future__ import annotations

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, fact, missing, t


def argue(letter: Letter) -> list[Section]:
    kind = (
        ("an independent professional", "professionnel indépendant")
        if independent(letter)
        else ("a contractual service supplier", "fournisseur de services contractuels")
    )
    return common.argued(
        letter,
        WORDING,
        [contract(letter)],
        kind=common.pick(letter, kind),
    )


def independent(letter: Letter) -> bool:
    info = common.code_info(letter)
    return bool(info and "independent" in info.label_en.lower())


# The sectors of the agreements' lists (rules/fields.py position.service_sector) as the letter names
# them: "in the sector of {en}", "dans le secteur {fr}".
SECTORS = {
    "advertising": ("advertising", "de la publicité"),
    "architecture": ("architecture", "de l'architecture"),
    "computer_services": ("computer and related services", "des services informatiques et services connexes"),
    "engineering": ("engineering", "de l'ingénierie"),
    "integrated_engineering": ("integrated engineering", "des services intégrés d'ingénierie"),
    "legal_advisory": ("legal advisory services", "des services de conseil juridique"),
    "management_consulting": ("management consulting", "du conseil en gestion"),
    "market_research": ("market research", "des études de marché"),
    "research_and_development": ("research and development", "de la recherche et du développement"),
    "technical_testing": ("technical testing and analysis", "des essais et analyses techniques"),
    "translation": ("translation and interpretation", "de la traduction et de l'interprétation"),
    "urban_planning": (
        "urban planning and landscape architecture",
        "de l'urbanisme et de l'architecture paysagère",
    ),
    "environmental_services": ("environmental services", "des services environnementaux"),
    "related_scientific_consulting": (
        "related scientific and technical consulting",
        "des services connexes de consultations scientifiques et techniques",
    ),
    "education": ("education services", "des services d'éducation"),
    "health": ("health services", "des services de santé"),
    "recreation_culture_sport": (
        "recreational, cultural and sporting services",
        "des services récréatifs, culturels et sportifs",
    ),
}


def contract(letter: Letter) -> Section:
    name, key = common.worker_name(letter), fact(letter, "position.service_sector")
    named = SECTORS.get(str(key)) if key else None
    sector = (
        t(letter, named[0], named[1])
        if named
        else missing(letter, "the service sector of the contract", "le secteur de services du contrat")
    )
    if independent(letter):
        who = t(
            letter,
            "{name} is self-employed and holds the service contract with {employer} in person, in the sector of {sector}.",
            "{name} exerce à son compte et est personnellement titulaire du contrat de services conclu avec {employer}, dans le secteur {sector}.",
            name=name,
            employer=common.employer_name(letter),
            sector=sector,
        )
    else:
        who = t(
            letter,
            "{name} is an employee of the enterprise that holds the contract to supply services to {employer} in the sector of {sector}: {supplier}.",
            "{name} fait partie du personnel de l'entreprise titulaire du contrat de services conclu avec {employer} dans le secteur {sector} : {supplier}.",
            name=name,
            employer=common.employer_name(letter),
            sector=sector,
            supplier=missing(
                letter,
                "the supplier's name, its country and the contract's date and term",
                "le nom du fournisseur, son pays et la date et la durée du contrat",
            ),
        )
    years = fact(letter, "worker.experience_years")
    experience = (
        t(letter, "{n} years", "{n} années", n=common.count(letter, years))
        if years is not None
        else missing(letter, "years of experience", "années d'expérience")
    )
    if letter["worker"].get("education_level") == "none":
        # every supplier code asks for a degree or diploma (or an equivalent qualification): the letter
        # says none is known and asks to confirm, never names one the answers do not give
        qualified = t(
            letter,
            "{name} has {years} of professional experience in the sector and holds no degree: {fix}.",
            "{name} compte {years} d'expérience professionnelle dans le secteur et n'est titulaire d'aucun diplôme : {fix}.",
            name=name,
            years=experience,
            fix=missing(
                letter,
                "the agreement requires a degree or diploma (or an equivalent qualification): confirm the education of {name}",
                "l'accord exige un diplôme (ou une qualification équivalente) : confirmer les études de {name}",
                name=name,
            ),
        )
    else:
        qualified = t(
            letter,
            "{name} holds {education} and has {years} of professional experience in the sector.",
            "{name} est titulaire de {education} et compte {years} d'expérience professionnelle dans le secteur.",
            name=name,
            education=common.education(letter),
            years=experience,
        )
    return common.section(
        "service_contract", t(letter, "The service contract", "Le contrat de services"), who, qualified
    )


WORDING = common.Wording(
    purpose_en="{name}, {citizen}, will supply services to {employer} in Canada as {kind}.",
    purpose_fr="{name}, {citizen}, fournira des services à {employer} au Canada à titre de {kind}.",
    because_en="{treaty}, {chapter}, grants temporary entry to the service suppliers of its parties who hold or serve a contract with a Canadian consumer, as {name}, {citizen}, does for {employer}",
    because_fr="{treaty}, {chapter}, accorde l'admission temporaire aux fournisseurs de services de ses parties qui exécutent un contrat conclu avec un consommateur canadien, comme {name}, {citizen}, le fait pour {employer}",
    contract=True,
)
