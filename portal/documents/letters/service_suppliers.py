"""CETA and CUKTCA contractual service suppliers, independent professionals and technologists
(T47, T43, T48, F66, F60, F67): the service contract, who holds it, the worker's qualifications."""

from __future__ import annotations

from datetime import date

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, fact, missing, t
from rules.params import value_at


def argue(letter: Letter) -> list[Section]:
    kind, kinds = (
        (
            ("an independent professional", "professionnel indépendant"),
            ("independent professionals", "professionnels indépendants"),
        )
        if independent(letter)
        else (
            ("a contractual service supplier", "fournisseur de services contractuels"),
            ("contractual service suppliers", "fournisseurs de services contractuels"),
        )
    )
    return common.argued(
        letter,
        WORDING,
        [contract(letter)],
        kind=common.pick(letter, kind),
        kinds=common.pick(letter, kinds),
    )


def independent(letter: Letter) -> bool:
    """An independent professional (T43, F60), or a technologist (T48, F67) who is self-employed; the others
    supply the service as the employee of a foreign enterprise."""
    info = common.code_info(letter)
    if technologist(letter):
        return fact(letter, "worker.self_employed") is True
    return bool(info and "independent" in info.label_en.lower())


def technologist(letter: Letter) -> bool:
    info = common.code_info(letter)
    return bool(info and "technologist" in info.label_en.lower())


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
        who = _supplier(letter, name, sector)
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
            "{name} compte {years} d'expérience professionnelle dans le secteur et n'est titulaire d'aucun diplôme : {fix}.",
            name=name,
            years=experience,
            fix=missing(
                letter,
                "the agreement requires a degree or diploma (or an equivalent qualification): confirm the education of {name}",
                "l'accord exige un diplôme (ou une qualification équivalente) : confirmer les études de {name}",
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
    if technologist(letter) and letter["worker"].get("education_level") == "post_secondary_3y":
        # T48/F67: a three-year post-secondary credential in the listed fields stands for the university degree
        qualified += " " + t(
            letter,
            "The agreement accepts this credential of an engineering or scientific technologist in place of a university degree.",
            "L'accord accepte ce diplôme d'un technologue en ingénierie ou d'un technicien scientifique au lieu d'un diplôme universitaire.",
        )
    if independent(letter) and not technologist(letter):
        qualified += _independent_requirements(letter, name, years)
    elif not independent(letter) and not technologist(letter):
        qualified += _supplier_requirements(letter, name, years)
    return common.section(
        "service_contract", t(letter, "The service contract", "Le contrat de services"), who, qualified
    )


DEGREES = frozenset({"bachelor", "master", "doctorate"})


def _independent_requirements(letter: Letter, name: str, years: object) -> str:
    """What CETA asks of an independent professional (T43; F60 under CETA Chapter 10 as the CUKTCA
    incorporates it), said where the answers show it met: a university degree and the years of professional
    experience (``ip_min_experience_years``, IRCC's CETA instructions, source ceta_css_ip) in a sector of
    Annex 10-E, the list an officer checks the sector against. Where they do not, nothing is claimed (the
    sentences before ask for what is missing)."""
    least = value_at("ip_min_experience_years", date.fromisoformat(letter["date"]))
    amount = common.number(years)
    if (
        letter["worker"].get("education_level") not in DEGREES
        or amount is None
        or amount < least
        or str(fact(letter, "position.service_sector")) not in SECTORS
    ):
        return ""
    return " " + t(
        letter,
        "The agreement requires of an independent professional a university degree and at least {least} years "
        "of professional experience in a sector listed in Annex 10-E of CETA: {name} meets both.",
        "L'accord exige d'un professionnel indépendant un diplôme universitaire et au moins {least} années "
        "d'expérience professionnelle dans un secteur inscrit à l'annexe 10-E de l'AECG : {name} remplit ces "
        "deux conditions.",
        least=common.count(letter, least),
        name=name,
    )


def _supplier_requirements(letter: Letter, name: str, years: object) -> str:
    """What CETA asks of a contractual service supplier (T47; F66 under CETA Chapter 10 as the CUKTCA
    incorporates it), said as ``_independent_requirements`` says an independent professional's: a university
    degree, the months as an employee of the enterprise that supplies the service
    (``css_min_employee_months``) and the years of professional experience (``css_min_experience_years``) in a
    sector of Annex 10-E (IRCC's CETA instructions, source ceta_css_ip). Said only where the answers show all
    three met: the months with the enterprise as the assessment counted them (criterion css.employee_1y met);
    where they do not, nothing is claimed (the sentences before ask for what is missing)."""
    on = date.fromisoformat(letter["date"])
    months, least = value_at("css_min_employee_months", on), value_at("css_min_experience_years", on)
    amount = common.number(years)
    met = {c["id"] for c in letter.get("criteria") or []}
    if (
        letter["worker"].get("education_level") not in DEGREES
        or amount is None
        or amount < least
        or "css.employee_1y" not in met
        or str(fact(letter, "position.service_sector")) not in SECTORS
    ):
        return ""
    return " " + t(
        letter,
        "The agreement requires of a contractual service supplier a university degree, at least {months} months "
        "as an employee of the enterprise that supplies the service and at least {least} years of professional "
        "experience in a sector listed in Annex 10-E of CETA: {name} meets all three.",
        "L'accord exige d'un fournisseur de services contractuels un diplôme universitaire, au moins {months} mois "
        "d'emploi au sein de l'entreprise qui fournit les services et au moins {least} années d'expérience "
        "professionnelle dans un secteur inscrit à l'annexe 10-E de l'AECG : {name} remplit ces trois conditions.",
        months=common.count(letter, months),
        least=common.count(letter, least),
        name=name,
    )


def _supplier(letter: Letter, name: str, sector: str) -> str:
    """The enterprise abroad that holds the contract and employs the worker: named with its country and
    the worker's employment with it where the case records them (the group company of the case, a job
    with it), the contract's date and term asked for."""
    e = letter.get("enterprise") or {}
    values = {"name": name, "employer": common.employer_name(letter), "sector": sector}
    if not e.get("name"):
        return t(
            letter,
            "{name} is an employee of the enterprise that holds the contract to supply services to {employer} in the sector of {sector}: {supplier}.",
            "{name} fait partie du personnel de l'entreprise titulaire du contrat de services conclu avec {employer} dans le secteur {sector} : {supplier}.",
            supplier=missing(
                letter,
                "the supplier's name, its country and the contract's date and term",
                "le nom du fournisseur, son pays et la date et la durée du contrat",
            ),
            **values,
        )
    supplier = f"{e['name']} ({e['country']})" if e.get("country") else e["name"]
    term = missing(letter, "the contract's date and term", "la date et la durée du contrat")
    jobs = [
        j for j in letter["worker"].get("employment") or [] if j.get("with_group") and not j.get("end_date")
    ]
    if jobs:
        # the date in the same sentence (it read "X is an employee of Y, ...: [term]. X has worked for Y
        # since ...": the name and the enterprise twice)
        return t(
            letter,
            "{name} has been an employee of {supplier} since {start}; that enterprise holds the contract to supply services to {employer} in the sector of {sector}: {term}.",
            "{name} fait partie du personnel de {supplier} depuis le {start} ; cette entreprise est titulaire du contrat de services conclu avec {employer} dans le secteur {sector} : {term}.",
            supplier=supplier,
            term=term,
            start=common.day(letter, min(j["start_date"] for j in jobs)),
            **values,
        )
    return t(
        letter,
        "{name} is an employee of {supplier}, the enterprise that holds the contract to supply services to {employer} in the sector of {sector}: {term}.",
        "{name} fait partie du personnel de {supplier}, l'entreprise titulaire du contrat de services conclu avec {employer} dans le secteur {sector} : {term}.",
        supplier=supplier,
        term=term,
        **values,
    )


# {kinds}: the agreement's category, "contractual service suppliers" or "independent professionals" (the
# letter said "service suppliers" of an independent professional too)
WORDING = common.Wording(
    purpose_en="{name}, {citizen}, will supply services to {employer} in Canada as {kind}.",
    # the agreement's category, plural ("à titre de professionnel indépendant" agreed with no "Mme")
    purpose_fr="{name}, {citizen}, fournira des services à {employer} au Canada dans la catégorie des {kinds}.",
    because_en="{treaty}, {chapter}, grants temporary entry to the {kinds} of its parties who perform a service contract for a Canadian consumer, as {name}, {citizen}, does for {employer}",
    because_fr="{treaty}, {chapter}, accorde l'admission temporaire aux {kinds} de ses parties qui exécutent un contrat de services pour un consommateur canadien, comme {name}, {citizen}, le fait pour {employer}",
    contract=True,
)
