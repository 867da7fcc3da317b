"""What every support letter shares: bilingual wording helpers, money and dates in the reader's locale
(``portal.i18n``, Babel, always called with the letter's language), visible placeholders for missing facts, and the sections every family ends with (the role in
Canada, the temporary stay, the one regulation, the annexes, the employer's undertakings).

Plain data in, plain text out: a section is ``{"key", "heading", "text"}`` where ``text`` is the light
format of ``portal.documents.markup`` (blank line = paragraph, ``- `` = list item, ``**bold**``). No
Flask here: the language is ``letter["lang"]`` and every sentence is written in English and in French.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal

from portal import i18n
from portal.documents.letters import countries
from rules.categories.fta import PROGRAMS_COVERING_PRS
from rules.params import CODES, PROGRAMS, CodeInfo

LOCALES = {"en": "en_CA", "fr": "fr_CA"}

PROVINCES = {
    "AB": ("Alberta", "Alberta"),
    "BC": ("British Columbia", "Colombie-Britannique"),
    "MB": ("Manitoba", "Manitoba"),
    "NB": ("New Brunswick", "Nouveau-Brunswick"),
    "NL": ("Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    "NS": ("Nova Scotia", "Nouvelle-Écosse"),
    "NT": ("Northwest Territories", "Territoires du Nord-Ouest"),
    "NU": ("Nunavut", "Nunavut"),
    "ON": ("Ontario", "Ontario"),
    "PE": ("Prince Edward Island", "Île-du-Prince-Édouard"),
    "QC": ("Quebec", "Québec"),
    "SK": ("Saskatchewan", "Saskatchewan"),
    "YT": ("Yukon", "Yukon"),
}
CAPACITIES = {
    "executive": ("an executive", "un poste de direction (cadre supérieur)"),
    "manager": ("a managerial", "un poste de gestion"),
    "specialized_knowledge": ("a specialized-knowledge", "un poste exigeant des connaissances spécialisées"),
    "trainee": ("a trainee", "un poste de stagiaire"),
    "professional": ("a professional", "un poste de professionnel"),
    "technician": ("a technician's", "un poste de technicien"),
    "other": ("a", "un poste"),
}
EDUCATION = {
    "secondary": ("a secondary school diploma", "un diplôme d'études secondaires"),
    "post_secondary_1y": ("a one-year post-secondary credential", "un diplôme postsecondaire d'un an"),
    "post_secondary_2y": ("a two-year post-secondary credential", "un diplôme postsecondaire de deux ans"),
    "post_secondary_3y": ("a three-year post-secondary credential", "un diplôme postsecondaire de trois ans"),
    "bachelor": ("a bachelor's degree", "un baccalauréat"),
    "master": ("a master's degree", "une maîtrise"),
    "doctorate": ("a doctorate", "un doctorat"),
}


# A letter's plain data (the document snapshot's facts, employer, worker, position, language ...).
Letter = dict[str, Any]
# One section of the letter: {"key", "heading", "text"}.
Section = dict[str, str]

# French elides "de" and "que" before a word that starts with a vowel: "la demande d'Avery", "la même
# partie qu'Avery", "la profession d'ingénieur", "à titre d'investisseur" (a lower-case "y" is left:
# "de yoga").
ELISION = re.compile(r"\b(d|qu)e (?=[AEIOUYÀÂÉÈÊÎÔaeiouàâéèêëîïôœ])")


# French typography: the space before a colon, a semicolon, ? and ! and inside guillemets never breaks
# a line (a "«" alone at the end of a line, a "»." alone at the start of the next)
FRENCH_SPACES = re.compile(r" (?=[:;?!»])|(?<=«) ")


_FIELDS = string.Formatter()


def code_title(letter: Letter) -> str:
    """The code's label as a letter names it in parentheses after the code, without an aside of its own:
    "C10 (Significant benefit)", not "C10 (Significant benefit (general, discretionary))" (the code says
    which)."""
    label = letter.get("code_label") or ""
    return label.rsplit(" (", 1)[0] if label.endswith(")") else label


def _elided(fr: str, values: dict[str, object]) -> str:
    """``fr`` with its fields filled in, elided where the sentence's own words call for it: a "de" of the
    sentence before a value that starts with a vowel ("la demande d'Avery"), never inside a value — a job
    title, a company name or a duty is written as typed ("Gerente de ingeniería", "Banco de Occidente")."""
    out: list[str] = []
    for literal, name, spec, conversion in _FIELDS.parse(fr):
        if name is None:
            out.append(ELISION.sub(r"\1'", literal))
            continue
        value = _FIELDS.get_field(name, (), values)[0]
        filled = _FIELDS.format_field(_FIELDS.convert_field(value, conversion), spec or "")
        joined = ELISION.sub(r"\1'", literal + filled[:1])  # the value's first letter decides
        out.append(joined[: len(joined) - len(filled[:1])] + filled)
    return "".join(out)


def t(letter: Letter, en: str, fr: str, **values: object) -> str:
    """The sentence in the letter's language, with ``{name}`` fields filled in."""
    if letter["lang"] == "fr":
        return FRENCH_SPACES.sub("\u00a0", _elided(fr, values))
    return en.format(**values)


def full_stop(sentence: str) -> str:
    """``sentence`` ended by one full stop: a name that ends the sentence may carry its own ("Inc.")."""
    return sentence if sentence.endswith(".") else f"{sentence}."


def missing(letter: Letter, en: str, fr: str, **values: object) -> str:
    """A visible placeholder for a fact the author must complete before signing."""
    return "[" + t(letter, "to complete: " + en, "à compléter : " + fr, **values) + "]"


def pick(letter: Letter, pair: tuple[str, str]) -> str:
    return pair[1] if letter["lang"] == "fr" else pair[0]


def locale(letter: Letter) -> str:
    return LOCALES.get(letter["lang"], "en_CA")


def number(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(letter: Letter, amount: object) -> str:
    """``$165,000.00`` in English, ``165 000,00 $`` in French (the portal's one money format)."""
    return i18n.money(amount, lang=letter["lang"])


def hours(letter: Letter, value: object) -> str:
    amount = number(value)
    return "" if amount is None else format_decimal(amount, locale=locale(letter))


def day(letter: Letter, iso: str | None) -> str:
    """A date as the reader writes it: ``January 4, 2027`` / ``4 janvier 2027``."""
    return i18n.day(iso, lang=letter["lang"])


def count(letter: Letter, value: object) -> str:
    amount = number(value)
    return "" if amount is None else format_decimal(amount, locale=locale(letter))


def percent(letter: Letter, value: object) -> str:
    """A percent (60 for 60 %) in the letter's language: ``60%`` / ``60 %`` (``i18n.percent``)."""
    return i18n.percent(value, letter["lang"])


def province(letter: Letter, code: str | None) -> str:
    return pick(letter, PROVINCES[code]) if code in PROVINCES else (code or "")


# "in" a province or territory in French: the preposition and article each name takes ("en Ontario", "au
# Québec", "à l'Île-du-Prince-Édouard", "dans les Territoires du Nord-Ouest")
FRENCH_IN = {
    "AB": "en",
    "BC": "en",
    "MB": "au",
    "NB": "au",
    "NL": "à",
    "NS": "en",
    "NT": "dans les",
    "NU": "au",
    "ON": "en",
    "PE": "à l'",
    "QC": "au",
    "SK": "en",
    "YT": "au",
}


# A street address that starts with its civic number ("1 Example Square", "350-A rue Main", "12, rue Main"):
# the number and the rest of the address
CIVIC_NUMBER = re.compile(r"(\d+(?:[-/]?[A-Za-z]\b|-\d+)?),?\s+(?=\S)")


def french_street(street: str) -> str:
    """A street address as French writes it: a comma after the civic number ("1, Example Square", "12, rue
    Main"); an address that does not start with its number is left as typed ("Suite 400, 1 Example Square")."""
    m = CIVIC_NUMBER.match(street)
    return f"{m.group(1)}, {street[m.end() :]}" if m else street


def place(letter: Letter, city: str | None, code: str | None, street: str | None = None) -> str:
    """ "12 Main Street, Ottawa, Ontario" / "12, rue Main, Ottawa (Ontario)": the French style puts the
    province in parentheses after the city, and a comma after the civic number, wherever a French letter
    names a place."""
    prov = province(letter, code)
    if letter["lang"] == "fr":
        street = french_street(street) if street else street
        if city and prov:
            return ", ".join(x for x in (street, f"{city} ({prov})") if x)
    return ", ".join(x for x in (street, city, prov) if x)


def at_address(letter: Letter, street: str | None) -> str:
    """The preposition before a place (``place``) in a running sentence: "at" an address, "in" a city; in
    French "au" an address that starts with its civic number ("au 1, Example Square, Toronto (Ontario)"),
    "à l'adresse suivante :" any other ("à l'adresse suivante : Suite 400, 1 Example Square, ..."), where
    "au Suite 400" would not read, and "à" a city."""
    if letter["lang"] != "fr":
        return "at" if street else "in"
    if not street:
        return "à"
    return "au" if CIVIC_NUMBER.match(street) else "à l'adresse suivante :"


def in_province(letter: Letter, code: str | None) -> str:
    """ "in Ontario" / "en Ontario", "au Québec", "à l'Île-du-Prince-Édouard"...: the province with its
    preposition in the letter's language."""
    name = province(letter, code)
    if letter.get("lang") != "fr" or code not in FRENCH_IN:
        return t(letter, "in {name}", "en {name}", name=name)
    words = FRENCH_IN[code]
    if words == "dans les":  # "Territoires du Nord-Ouest" carries no article of its own
        return f"dans les {name}"
    return f"{words}{name}" if words.endswith("'") else f"{words} {name}"


def fact(letter: Letter, path: str) -> Any:
    """A fact of the case's assessed facts (``worker.retains_position_abroad``), or None."""
    section, _, name = path.partition(".")
    return ((letter.get("facts") or {}).get(section) or {}).get(name)


def worker_full_name(letter: Letter) -> str:
    """The worker's given names and family name: the letter's first mention of the person."""
    w = letter["worker"]
    return f"{w['given_names']} {w['family_name']}".strip()


# The title before the family name after the first mention (the transferee's form_of_address), by language:
# "Ms. Rivera", "Mme Rivera". French has no established neutral title: a French letter names a "Mx." in full.
TITLES = {"mr": ("Mr.", "M."), "ms": ("Ms.", "Mme"), "mx": ("Mx.", None)}


def worker_name(letter: Letter) -> str:
    """How the letter names the worker after its first mention: "Ms. Rivera" (a no-break space after the
    title) when the employer said how, else the full name each time (and in every letter frozen before)."""
    w = letter["worker"]
    titles = TITLES.get(w.get("form_of_address") or "", (None, None))
    title = titles[1] if letter["lang"] == "fr" else titles[0]
    family = str(w.get("family_name") or "").strip()
    return f"{title}\u00a0{family}" if title and family else worker_full_name(letter)


def employer_name(letter: Letter) -> str:
    return str(letter["employer"]["legal_name"])


def code_info(letter: Letter) -> CodeInfo | None:
    return CODES.get(letter.get("current_code") or letter.get("code") or "")


def regulation(letter: Letter) -> str:
    """The paragraph of the Regulations for this code, as the rules' code table gives it."""
    info = code_info(letter)
    return str((letter.get("citation") or {}).get("regulation") or (info.reg if info else ""))


# "R205(c)(ii)": a section, its paragraph's letter, a subparagraph's numeral
PROVISION = re.compile(r"R(\d+(?:\.\d+)?)\(([a-z])\)((?:\([ivx]+\))?)")


def under_provision(letter: Letter) -> str:
    """ "under paragraph 204(a)" / "en vertu de l'alinéa 204a)", "under subparagraph 205(c)(ii)" / "en
    vertu du sous-alinéa 205c)(ii)": the code's provision as each language's legal style writes it (the
    word names the provision, so the "R" of the portal's short form is left out; the French style of the
    Regulations numbers a paragraph "204a)", a subparagraph "205c)(ii)")."""
    reg = regulation(letter)
    m = PROVISION.fullmatch(reg)
    if letter["lang"] != "fr":
        if m is None:
            return f"under {reg}"
        number, paragraph, sub = m.groups()
        return f"under {'subparagraph' if sub else 'paragraph'} {number}({paragraph}){sub}"
    if m is None:
        return f"en vertu de l'alinéa {reg}"
    number, paragraph, sub = m.groups()
    if sub:
        return f"en vertu du sous-alinéa {number}{paragraph}){sub}"
    return f"en vertu de l'alinéa {number}{paragraph})"


def agreement(letter: Letter) -> tuple[str, str | None]:
    """(the agreement's name, its temporary-entry chapter or None) from the rules' programs table."""
    info = code_info(letter)
    program = PROGRAMS.get(info.program, {}) if info else {}
    name = pick(letter, (program.get("name_en", ""), program.get("name_fr", "")))
    chapter = pick(letter, (program.get("chapter_en") or "", program.get("chapter_fr") or "")) or None
    return name, chapter


def annual_salary(letter: Letter) -> Decimal | None:
    p = letter["position"]
    amount, unit, weekly = number(p.get("wage_amount")), p.get("wage_unit"), number(p.get("hours_per_week"))
    if amount is None:
        return None
    if unit == "year":
        return amount
    if unit == "month":
        return amount * 12
    if unit == "week":
        return amount * 52
    if unit == "hour" and weekly:
        return (amount * weekly * 52).quantize(Decimal("0.01"))
    return None


def section(key: str, heading: str, *blocks: str) -> Section:
    """One section: its blocks (paragraphs or ``- `` lists) joined by blank lines, empty ones left out."""
    return {"key": key, "heading": heading, "text": "\n\n".join(b for b in blocks if b)}


def missing_section(letter: Letter, key: str, heading: str, en: str, fr: str, **values: object) -> Section:
    """A section whose facts are missing: its heading over one placeholder (``missing``)."""
    return section(key, heading, missing(letter, en, fr, **values))


# ----------------------------------------------------------------------------- shared sections
OFFERS = {  # the opening's offer: a position, or (a service supplier, ``contract``) a contract's services
    False: (
        "{employer}, of {where} (business number {bn}), offers {name} the position of {title} and supports "
        "the application for an employer-specific work permit exempt from a Labour Market Impact "
        "Assessment under code {code} ({label}).",
        "{employer}, de {where}, dont le numéro d'entreprise est {bn}, offre à {name} le poste de {title} et appuie "
        "sa demande de permis de travail lié à un employeur, dispensé d'une étude d'impact sur le marché "
        "du travail au titre du code {code} ({label}).",
    ),
    True: (
        "{employer}, of {where} (business number {bn}), engages {name} under a service contract as {title} "
        "and supports the application for an employer-specific work permit exempt from a Labour Market "
        "Impact Assessment under code {code} ({label}).",
        "{employer}, de {where}, dont le numéro d'entreprise est {bn}, retient les services de {name} à titre "
        "de {title} en vertu d'un contrat de services et appuie sa demande de permis de travail lié à un "
        "employeur, dispensé d'une étude d'impact sur le marché du travail au titre du code {code} ({label}).",
    ),
}


def opening(
    letter: Letter, purpose_en: str, purpose_fr: str, *, contract: bool = False, **values: object
) -> Section:
    """The letter's first section: the offer (``contract``: the services a service supplier gives under a
    contract, not a position of the business's own), then the family's purpose."""
    e, p = letter["employer"], letter["position"]
    where = place(letter, e.get("city"), e.get("province"))
    first = t(
        letter,
        *OFFERS[contract],
        employer=employer_name(letter),
        where=where,
        bn=e.get("business_number") or "",
        name=worker_full_name(letter),
        title=p.get("title") or missing(letter, "job title", "titre du poste"),
        code=letter["code"],
        label=code_title(letter),
    )
    return section(
        "introduction",
        t(letter, "Purpose of this letter", "Objet de la présente lettre"),
        first,
        t(letter, purpose_en, purpose_fr, **values),
    )


# Codes whose work is held to no prevailing wage: IRCC's C16 instructions (source c16, c16_update_2023) set
# none (the offer is outside Quebec, in a TEER 0 to 5 occupation, the worker speaks French), and an IEC Young
# Professional's or Co-op job need only meet the province's labour laws, minimum wage included (source
# iec_employers). Their letters neither ask for the prevailing wage nor call a wage below it a gap to fix;
# a wage that meets one the employer entered is still said. (T42, a CETA graduate trainee, keeps the test:
# IRCC's CETA transferee instructions say its wage should not be below the prevailing wage, imp-rules.md §3.2.)
NO_PREVAILING_WAGE = frozenset({"C16", "C21"})


def canadian_role(letter: Letter, *, contract: bool = False) -> Section:
    """The work in Canada: occupation, place, duties, pay against the prevailing wage. ``contract``: a
    service supplier's, who holds no position of the business and whom the contract pays (the employee
    of a foreign supplier, or self-employed), so the letter does not say the business pays a wage."""
    p = letter["position"]
    name = worker_name(letter)
    title = p.get("title") or missing(letter, "job title", "titre du poste")
    where = place(letter, p.get("city"), p.get("province"), p.get("street_address"))
    if not p.get("street_address") and not p.get("city") and p.get("province"):
        # a province alone takes its own preposition: "en Colombie-Britannique", "au Québec" (it read "à
        # Colombie-Britannique")
        located = in_province(letter, p.get("province"))
    else:
        located = f"{at_address(letter, p.get('street_address'))} {where}" if where else ""
    noc = t(
        letter,
        "In Canada, {name} will work as {title} (NOC 2021 {noc}, {noc_title}, TEER {teer}) {located}."
        if contract
        else "In Canada, {name} will hold the position of {title} (NOC 2021 {noc}, {noc_title}, TEER {teer}) {located}.",
        "Au Canada, {name} travaillera à titre de {title} (CNP 2021 {noc}, {noc_title}, FEER {teer}) {located}."
        if contract
        else "Au Canada, {name} occupera le poste de {title} (CNP 2021 {noc}, {noc_title}, FEER {teer}) {located}.",
        # "au 12, rue X, Moncton" with a street address, "à Moncton" without; "at 12 Main Street, Calgary",
        # "in Calgary" (it read "at Calgary, Alberta")
        name=name,
        title=title,
        noc=p.get("noc_code") or "",
        noc_title=p.get("noc_title") or "",
        teer=p.get("teer") or "",
        located=located
        or t(
            letter,
            "in {what}",
            "à {what}",
            what=missing(letter, "address of the workplace", "adresse du lieu de travail"),
        ),
    )
    duties = p.get("duties")
    duties_block = (
        t(
            letter,
            "The duties of the {title} are:",
            "Les fonctions du poste de {title} sont les suivantes :",
            title=title,
        )
        + "\n"
        + "\n".join("- " + line.strip(" -•\t") for line in duties.splitlines() if line.strip(" -•\t"))
        if duties
        else missing(
            letter,
            "the duties of the {title} in Canada",
            "les fonctions du poste de {title} au Canada",
            title=title,
        )
    )
    annual, hourly, weekly = annual_salary(letter), p.get("wage_hourly"), p.get("hours_per_week")
    if annual is not None and hourly:
        pay = t(
            letter,
            "{name} will be paid {annual} per year under the contract, that is {hourly} per hour for {hours} hours a week."
            if contract
            else "{employer} will pay {name} {annual} per year, that is {hourly} per hour for {hours} hours a week.",
            "{name} recevra en vertu du contrat {annual} par année, soit {hourly} par heure pour {hours} heures par semaine."
            if contract
            else "{employer} versera à {name} {annual} par année, soit {hourly} par heure pour {hours} heures par semaine.",
            employer=employer_name(letter),
            name=name,
            annual=money(letter, annual),
            hourly=money(letter, hourly),
            hours=hours(letter, weekly),
        )
    elif hourly:
        pay = t(
            letter,
            "{name} will be paid {hourly} per hour under the contract, {annual}."
            if contract
            else "{employer} will pay {name} {hourly} per hour, {annual}.",
            "{name} recevra en vertu du contrat {hourly} par heure, {annual}."
            if contract
            else "{employer} versera à {name} {hourly} par heure, {annual}.",
            employer=employer_name(letter),
            name=name,
            hourly=money(letter, hourly),
            annual=missing(
                letter, "hours per week and annual salary", "heures par semaine et salaire annuel"
            ),
        )
    elif p.get("paid") is False:
        pay = ""  # unpaid work (C50): the family's own section says what the worker receives instead
    else:
        pay = t(
            letter,
            "{name} will be paid {pay} under the contract."
            if contract
            else "{employer} will pay {name} {pay}.",
            "{name} recevra en vertu du contrat {pay}." if contract else "{employer} versera à {name} {pay}.",
            employer=employer_name(letter),
            name=name,
            pay=missing(
                letter,
                "annual salary, hourly rate and weekly hours",
                "salaire annuel, taux horaire et heures par semaine",
            ),
        )
    prevailing = p.get("prevailing_wage_hourly")
    hourly_amount, prevailing_amount = number(hourly), number(prevailing)
    held = (letter.get("current_code") or letter.get("code")) not in NO_PREVAILING_WAGE
    if prevailing and hourly and hourly_amount is not None and prevailing_amount is not None:
        compare = (
            t(
                letter,
                "This rate meets the prevailing wage of {prevailing} per hour for NOC {noc} {region}.",
                "Ce taux atteint le salaire en vigueur de {prevailing} par heure pour la CNP {noc} {region}.",
                prevailing=money(letter, prevailing),
                noc=p.get("noc_code") or "",
                region=in_province(letter, p.get("province")),
            )
            if hourly_amount >= prevailing_amount
            else ""
            if not held
            else t(
                letter,
                "This rate is below the prevailing wage of {prevailing} per hour for NOC {noc} {region}: {fix}.",
                "Ce taux est inférieur au salaire en vigueur de {prevailing} par heure pour la CNP {noc} {region} : {fix}.",
                prevailing=money(letter, prevailing),
                noc=p.get("noc_code") or "",
                region=in_province(letter, p.get("province")),
                fix=missing(letter, "explain or raise the wage", "expliquer ou relever le salaire"),
            )
        )
    elif (p.get("paid") is False and not hourly) or not held:
        compare = ""  # no wage to compare, or no prevailing wage to compare it with
    else:
        compare = t(
            letter,
            "The prevailing wage for NOC {noc} {region} is {prevailing}.",
            "Le salaire en vigueur pour la CNP {noc} {region} est de {prevailing}.",
            noc=p.get("noc_code") or "",
            region=in_province(letter, p.get("province")),
            prevailing=missing(
                letter,
                "Job Bank prevailing wage per hour",
                "salaire horaire en vigueur selon le Guichet-Emplois",
            ),
        )
    return section(
        "canadian_role",
        t(letter, "The work in Canada", "Le travail au Canada")
        if contract
        else t(letter, "The position in Canada", "Le poste au Canada"),
        noc,
        duties_block,
        " ".join(x for x in (pay, compare) if x),
    )


# A transferee is on an assignment from the group; everyone else is hired for a temporary employment.
# (what the offer is for, in English and French; its end, "at the end of ...", "à la fin ...": the French
# with its "de" contracted as it must be: "de l'emploi", "du contrat")
STAY_WORDS = {
    True: ("a temporary assignment", "une affectation temporaire", "the assignment", "de l'affectation"),
    False: ("temporary employment", "un emploi temporaire", "the employment", "de l'emploi"),
}
CONTRACT_WORDS = (
    "a temporary service contract",
    "un contrat de services temporaire",
    "the contract",
    "du contrat",
)


# C60: a provincial nominee business candidate, or a Quebec self-employed worker with a CSQ, comes to stay
# (imp-rules.md §3.6: "dual-intent business candidates"): the letter does not say the worker intends to
# leave Canada at the end of the employment. It says what section 22(2) of the Act asks of a temporary
# resident who seeks permanent residence: that intention does not bar the stay, and the worker will leave
# by the end of the period authorized should permanent residence not be granted (the IRCC business owners'
# guidelines, rules/parameters/sources.yaml c11: "must satisfy the officer that they have the ability and
# willingness to leave Canada at the end of the temporary period authorized").
DUAL_INTENT_CODES = frozenset({"C60"})


def dual_intent(letter: Letter) -> str:
    name = worker_name(letter)
    province = letter["position"].get("province") or letter["employer"].get("province")
    if province == "QC":
        selected = t(
            letter,
            "{name} holds a Québec Selection Certificate (CSQ) as a self-employed worker and seeks permanent "
            "residence in Canada",
            "{name} est titulaire d'un certificat de sélection du Québec (CSQ) dans la catégorie des travailleurs "
            "autonomes et demande la résidence permanente au Canada",
            name=name,
        )
    else:
        selected = t(
            letter,
            "{name} seeks permanent residence in Canada as a business candidate of the Provincial Nominee "
            "Program {where}",
            "{name} demande la résidence permanente au Canada par le volet des gens d'affaires du Programme "
            "des candidats des provinces {where}",
            name=name,
            where=in_province(letter, province)
            if province in PROVINCES
            else missing(letter, "province", "province"),
        )
    return t(
        letter,
        "{selected}. That intention does not bar a temporary stay (subsection 22(2) of the Immigration and "
        "Refugee Protection Act): {name} will leave Canada by the end of the period authorized should "
        "permanent residence not be granted.",
        "{selected}. Cette intention n'empêche pas un séjour temporaire (paragraphe 22(2) de la Loi sur "
        "l'immigration et la protection des réfugiés) : {name} quittera le Canada à la fin de la période "
        "autorisée si la résidence permanente n'est pas accordée.",
        selected=selected[:1].upper() + selected[1:],
        name=name,
    )


def temporary_stay(
    letter: Letter, extra_en: str = "", extra_fr: str = "", *, contract: bool = False, **values: object
) -> Section:
    p = letter["position"]
    name = worker_name(letter)
    offer_en, offer_fr, end_en, end_fr = (
        CONTRACT_WORDS if contract else STAY_WORDS[letter.get("kind") == "ict"]
    )
    dual = (letter.get("current_code") or letter.get("code")) in DUAL_INTENT_CODES
    if p.get("start_date") or p.get("duration_months"):
        # what is known is stated, the other asked for
        start = (
            day(letter, p["start_date"])
            if p.get("start_date")
            else missing(letter, "start date", "date de début")
        )
        months = p.get("duration_months") or missing(letter, "duration", "durée")
        term = (
            # a candidate for permanent residence: the permit's term, not an offer that ends with it
            t(
                letter,
                "{name} will start on {start}; the work permit is requested for {months} months.",
                "{name} commencera le {start} ; le permis de travail est demandé pour {months} mois.",
                name=name,
                start=start,
                months=months,
            )
            if dual
            else t(
                letter,
                "{name} will start on {start} for {months} months; the offer is for {offer} that ends at that term.",
                "{name} commencera le {start} pour {months} mois ; l'offre porte sur {offer} qui prend fin à ce "
                "terme.",
                name=name,
                start=start,
                months=months,
                offer=pick(letter, (offer_en, offer_fr)),
            )
        )
    else:
        term = t(
            letter,
            "{name} will work in Canada from {when}.",
            "{name} travaillera au Canada à compter du {when}.",
            name=name,
            when=missing(letter, "start date and duration in months", "date de début et durée en mois"),
        )
    retains = fact(letter, "worker.retains_position_abroad")
    residence = letter["worker"].get("residence_country")
    if dual:
        back = dual_intent(letter)
    elif retains is True:
        back = t(
            letter,
            "{name} keeps a position to return to {country} at the end of {end}.",
            "{name} conserve un poste auquel revenir {country} à la fin {end}.",
            name=name,
            end=pick(letter, (end_en, end_fr)),
            # "in the United States" / "aux États-Unis": the country in the sentence, not in an aside
            country=countries.list_of(letter, [residence], "in")
            if residence
            else missing(letter, "country of return", "pays de retour"),
        )
    else:  # the intention the officer must be satisfied of (R183(1)(a)); no promise beyond it
        back = t(
            letter,
            "{name} intends to leave Canada at the end of {end}: {ties}.",
            "{name} entend quitter le Canada à la fin {end} : {ties}.",
            name=name,
            end=pick(letter, (end_en, end_fr)),
            ties=missing(
                letter,
                "the worker's ties and plans abroad",
                "attaches et projets du travailleur à l'étranger",
            ),
        )
    return section(
        "temporary_stay",
        t(letter, "A temporary stay", "Un séjour temporaire"),
        " ".join(x for x in (term, back, t(letter, extra_en, extra_fr, **values) if extra_en else "") if x),
    )


def legal_basis(letter: Letter, because_en: str, because_fr: str, **values: object) -> Section:
    return section(
        "legal_basis",
        t(letter, "Legal basis", "Fondement juridique"),
        # one full stop, where the reason ends with a name that carries its own ("... for Maple Inc.")
        full_stop(
            t(
                letter,
                "We ask that the work permit of {name} be issued {provision} of the Immigration and "
                "Refugee Protection Regulations (code {code}), because {because}",
                "Nous demandons que le permis de travail de {name} soit délivré {provision} du "
                "Règlement sur l'immigration et la protection des réfugiés (code {code}), parce que {because}",
                name=worker_name(letter),
                provision=under_provision(letter),
                code=letter["code"],
                because=t(letter, because_en, because_fr, **values),
            )
        ),
    )


def evidence(letter: Letter) -> Section:
    """The enclosed documents by annex letter (each uploaded file, as the packet annexes it: B, C, ...);
    a required document not uploaded yet is a placeholder. The letter does not enclose itself: the
    item it answers (the employer's letter, which the packet annexes as Annex A) is not listed."""
    enclosed: list[tuple[tuple[int, str], str]] = []  # (the first annex's place, the line)
    to_enclose = []
    for item in letter.get("evidence") or []:
        status, text = item.get("status"), item["text"]
        if status == "letter":
            continue  # this letter itself
        if item.get("annexes"):
            line = t(
                letter,
                "Annex {annex}: {text}" if len(item["annexes"]) == 1 else "Annexes {annex}: {text}",
                "Annexe {annex} : {text}" if len(item["annexes"]) == 1 else "Annexes {annex} : {text}",
                annex=", ".join(item["annexes"]),
                text=text,
            )
            first = item["annexes"][0]
            enclosed.append(((len(first), first), line))  # B ... Z, then AA ...
        elif status == "after_filing":
            continue
        else:
            # the checklist's title, quoted: "enclose “Signed employment agreement”", where "enclose Signed
            # ..." capitalized a word in the middle of the sentence and "joindre contrat ..." lacked its article
            to_enclose.append(missing(letter, "enclose “{text}”", "joindre « {text} »", text=text))
    # the officer reads the annexes in their order (A, B, C ...), then what is still to enclose
    lines = ["- " + line for _place, line in sorted(enclosed)] + ["- " + line for line in to_enclose]
    intro = t(
        letter,
        "The following documents support the application of {name}:",
        "Les documents suivants appuient la demande de {name} :",
        name=worker_name(letter),
    )
    return section(
        "evidence",
        t(letter, "Enclosed documents", "Pièces jointes"),
        intro + "\n" + "\n".join(lines)
        if lines
        else intro + " " + missing(letter, "list of documents", "liste des documents"),
    )


# A service supplier's letter (``contract``): the business engages the services under the contract and
# employs no one, yet it made the offer in the Employer Portal, so section 209.2 binds it all the same to
# the occupation, wage and working conditions of that offer, to a workplace free of abuse and to keeping
# the records for six years.
CONTRACT_UNDERTAKINGS = (
    "As the employer that submitted the offer of employment in the Employer Portal (LMIA exemption code "
    "{code}), {employer} will engage the services of {name} in the occupation, at the wage and under the "
    "working conditions set out in that offer, will make reasonable efforts to provide a workplace free of "
    "abuse, and will keep the records of this engagement for six years (section 209.2 of the Regulations).",
    "À titre d'employeur qui a présenté l'offre d'emploi dans le Portail des employeurs (code de dispense "
    "d'EIMT {code}), {employer} retiendra les services de {name} dans la profession, au salaire et aux "
    "conditions de travail de cette offre, fera des efforts raisonnables pour fournir un lieu de travail "
    "exempt de mauvais traitements et conservera les documents relatifs à ces services pendant six ans "
    "(article 209.2 du Règlement).",
)


def undertakings(letter: Letter, *, contract: bool = False) -> Section:
    """The employer's undertakings under section 209.2 (``contract``: a service supplier's letter, whose
    business engages the services rather than employs the worker)."""
    e, s = letter["employer"], letter["signatory"]
    return section(
        "undertakings",
        t(letter, "The employer's undertakings", "Les engagements de l'employeur"),
        t(
            letter,
            *CONTRACT_UNDERTAKINGS,
            employer=employer_name(letter),
            name=worker_name(letter),
            code=letter["code"],
        )
        if contract
        else t(
            letter,
            # The offer is the one submitted in the Employer Portal; the exemption code is not its name.
            "{employer} will employ {name} in the occupation, at the wage and under the working conditions set "
            "out in the offer of employment submitted in the Employer Portal (LMIA exemption code {code}), "
            "will make reasonable efforts to provide a workplace free of abuse, and will keep the records of "
            "this employment for six years (section 209.2 of the Regulations).",
            "{employer} emploiera {name} dans la profession, au salaire et aux conditions de travail de l'offre "
            "d'emploi présentée dans le Portail des employeurs (code de dispense d'EIMT {code}), fera des "
            "efforts raisonnables pour fournir un lieu de travail exempt de mauvais traitements et conservera "
            "les documents relatifs à cet emploi pendant six ans (article 209.2 du Règlement).",
            employer=employer_name(letter),
            name=worker_name(letter),
            code=letter["code"],
        ),
        t(
            letter,
            "{signatory}, {title}, for {employer}, can answer any question about the offer made to {name} at "
            "{telephone}.",
            "{signatory}, {title}, pour {employer}, répondra à toute question sur l'offre faite à {name} au "
            "{telephone}.",
            employer=employer_name(letter),
            name=worker_name(letter),
            signatory=s.get("name") or employer_name(letter),
            title=signatory_title(letter),
            telephone=e.get("telephone") or missing(letter, "telephone", "téléphone"),
        ),
    )


def signatory_title(letter: Letter) -> str:
    """The signatory's title (an officer reads who signs, and with what authority, under the name), or a
    visible placeholder where it was left out: the letter is never signed by a bare name."""
    title = (letter.get("signatory") or {}).get("title")
    return str(title) if title else missing(letter, "title of the signatory", "titre du signataire")


def education(letter: Letter) -> str:
    w = letter["worker"]
    level = EDUCATION.get(w.get("education_level") or "")
    if not level:
        return missing(letter, "the worker's highest degree and field", "diplôme le plus élevé et domaine")
    field = w.get("education_field")
    return pick(letter, level) + (t(letter, " in {f}", " en {f}", f=field) if field else "")


def ends(
    letter: Letter,
    because_en: str,
    because_fr: str,
    *,
    after_role: tuple[Section, ...] = (),
    contract: bool = False,
    **values: object,
) -> list[Section]:
    """The sections every family ends with, in the order the letter reads: the role in Canada (then
    ``after_role``, e.g. the ICT's capacity), the temporary stay, the legal basis (``because_*`` with
    ``values``, as ``legal_basis``), the annexes and the employer's undertakings. ``contract``: a service
    supplier's letter (``Wording.contract``)."""
    return [
        canadian_role(letter, contract=contract),
        *after_role,
        temporary_stay(letter, contract=contract),
        legal_basis(letter, because_en, because_fr, **values),
        evidence(letter),
        undertakings(letter, contract=contract),
    ]


def admitted_residences(letter: Letter) -> list[str]:
    """The permanent residences through which the rules admit the worker under the code's agreement (the
    nationality criterion's detail ``permanent_resident_of``: met by no citizenship, e.g. a Venezuelan
    permanent resident of Colombia under F12); empty when a citizenship gives the code."""
    for detail in (letter.get("details") or {}).values():
        if isinstance(detail, dict) and detail.get("permanent_resident_of"):
            return list(detail["permanent_resident_of"])
    return []


def identity(letter: Letter) -> list[str]:
    """The worker's identity under the subject line, as IRCC and CBSA match the application to the offer:
    the date of birth, the citizenship(s) and the passport (its number, and the country that issued it).
    A fact the portal does not hold is left out, never printed blank."""
    w = letter["worker"]
    lines = []
    if w.get("date_of_birth"):
        lines.append(
            t(
                letter,
                "Date of birth: {day}",
                "Date de naissance : {day}",
                day=day(letter, w["date_of_birth"]),
            )
        )
    found = [c for c in w.get("citizenships") or [] if c]
    if found:
        lines.append(
            t(letter, "Citizenship: {of}", "Citoyenneté : {of}", of=found[0])
            if len(found) == 1
            else t(letter, "Citizenships: {of}", "Citoyennetés : {of}", of=", ".join(found))
        )
    number, issued = w.get("passport_number"), w.get("passport_country")
    if number:
        lines.append(
            t(
                letter,
                "Passport number: {number} ({country})" if issued else "Passport number: {number}",
                "Numéro de passeport : {number} ({country})" if issued else "Numéro de passeport : {number}",
                number=number,
                country=issued,
            )
        )
    return lines


def citizen(letter: Letter) -> str:
    """ "a citizen of the United States" / "qui a la citoyenneté des États-Unis" (a running sentence, no
    "(citizenship: ...)" aside; French says nothing that agrees with the worker's gender), or a placeholder;
    a worker the agreement admits as a permanent resident is named so as well ("a citizen of Venezuela and a
    permanent resident of Colombia" / "qui a la citoyenneté du Venezuela et la résidence permanente de la
    Colombie")."""
    w = letter["worker"]
    found = w.get("citizenship_codes") or w.get("citizenships") or []
    residences = admitted_residences(letter)
    fr = letter["lang"] == "fr"
    if residences:
        where = countries.list_of(letter, residences, "of")
        resident = f"la résidence permanente {where}" if fr else f"a permanent resident {where}"
        if not found:
            return f"qui a {resident}" if fr else resident
        return f"{countries.citizen_of(letter, found)} {'et' if fr else 'and'} {resident}"
    if not found:
        return missing(letter, "the worker's citizenship", "citoyenneté du travailleur")
    return countries.citizen_of(letter, found)


def members(letter: Letter, *, feminine: bool = False) -> str:
    """Whom the agreement admits, for the legal basis: "citizens of its parties", "citizens or permanent
    residents of its parties" where its chapter covers both (``PROGRAMS_COVERING_PRS``: Colombia, Korea,
    Panama, Peru, Ukraine), or "citizens of its parties or permanent residents of Australia" where only
    some parties' residents are covered and the worker is one (CPTPP, GATS). French agrees with
    ``feminine`` ("personnes ... citoyennes")."""
    info = code_info(letter)
    fr = letter["lang"] == "fr"
    cit, res = ("citoyennes", "résidentes permanentes") if feminine else ("citoyens", "résidents permanents")
    if info is not None and info.program in PROGRAMS_COVERING_PRS:
        return f"{cit} ou {res} de ses parties" if fr else "citizens or permanent residents of its parties"
    residences = admitted_residences(letter)
    if residences:
        where = countries.list_of(letter, residences, "of")
        return (
            f"{cit} de ses parties ou {res} {where}"
            if fr
            else f"citizens of its parties or permanent residents {where}"
        )
    return f"{cit} de ses parties" if fr else "citizens of its parties"


def names(letter: Letter) -> dict[str, str]:
    """What every family's sentences may name: ``name`` (the worker), ``employer``, ``citizenship`` (the
    names, listed), ``citizen`` ("a citizen of the United States" / "qui a la citoyenneté des États-Unis"),
    ``members`` (whom the agreement admits: ``members``) and,
    for an agreement's code, ``treaty`` and its temporary-entry ``chapter`` (placeholders when unknown)."""
    treaty, chapter = agreement(letter)
    return {
        "name": worker_name(letter),
        "employer": employer_name(letter),
        "citizenship": ", ".join(letter["worker"]["citizenships"])
        or missing(letter, "citizenship", "citoyenneté"),
        "citizen": citizen(letter),
        "members": members(letter),
        "treaty": treaty or missing(letter, "agreement", "accord"),
        "chapter": chapter or missing(letter, "chapter of the agreement", "chapitre de l'accord"),
    }


@dataclass(frozen=True, slots=True)
class Wording:
    """A family's own two sentences, in English and in French: why the employer writes (``purpose``,
    after the opening's offer) and why the code applies (``because``, in the legal basis). Both may name
    ``names(letter)`` and the values the family gives ``argued``. A family module reads top down: its
    ``argue`` (``argued`` with its own sections), those sections, then its ``WORDING``."""

    purpose_en: str
    purpose_fr: str
    because_en: str
    because_fr: str
    # A service supplier (CETA, CUKTCA): the business engages the worker's services under a contract (as the
    # employee of a foreign supplier or self-employed): the letter offers no position and the contract pays.
    contract: bool = False


def argued(
    letter: Letter,
    wording: Wording,
    body: list[Section],
    *,
    after_role: tuple[Section, ...] = (),
    **values: object,
) -> list[Section]:
    """A family's letter in the order it reads: the opening with the family's purpose, its own sections
    (``body``), then ``ends`` with its legal basis."""
    named = {**names(letter), **values}
    return [
        opening(letter, wording.purpose_en, wording.purpose_fr, contract=wording.contract, **named),
        *body,
        *ends(
            letter,
            wording.because_en,
            wording.because_fr,
            after_role=after_role,
            contract=wording.contract,
            **named,
        ),
    ]
