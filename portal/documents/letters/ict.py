"""Intra-company transferees: C61/C62/C63 (R205(a)) and the FTA ICT codes (R204(a)): the corporate
relationship, the qualifying employment with the group, the capacity, the role in Canada, the return."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.documents.letters import common, countries
from portal.documents.letters.common import Letter, Section, fact, missing, t
from rules import months_worked
from rules.params import value_at

RELATIONSHIP = {
    "parent": (
        "{employer} (Canada) is a subsidiary of {enterprise} ({country})",
        "{employer} (Canada) est une filiale de {enterprise} ({country})",
    ),
    "subsidiary": (
        "{enterprise} ({country}) is a subsidiary of {employer} (Canada)",
        "{enterprise} ({country}) est une filiale de {employer} (Canada)",
    ),
    "branch": (
        "{employer} (Canada) and {enterprise} ({country}) are branches of the same legal entity",
        "{employer} (Canada) et {enterprise} ({country}) sont des succursales de la même entité juridique",
    ),
    "affiliate": (
        "{employer} (Canada) and {enterprise} ({country}) are affiliates under common ownership and control",
        "{employer} (Canada) et {enterprise} ({country}) sont des sociétés affiliées sous une propriété et un contrôle communs",
    ),
}
# Who holds the share of capital and votes (``enterprise.ownership_pct``, the group company form's help)
SHARE = {
    "parent": (
        "{enterprise} holds {pct} of the capital and votes of {employer}",
        "{enterprise} détient {pct} du capital et des droits de vote de {employer}",
    ),
    "subsidiary": (
        "{employer} holds {pct} of the capital and votes of {enterprise}",
        "{employer} détient {pct} du capital et des droits de vote de {enterprise}",
    ),
    "affiliate": (
        "their common owner holds {pct} of the capital and votes of {employer}",
        "leur propriétaire commun détient {pct} du capital et des droits de vote de {employer}",
    ),
}
CAPACITY_WHY = {
    "executive": (
        "As {title}, {name} will direct the management of {employer}, set its goals and policies and decide "
        "with wide latitude, under the general supervision of {enterprise} only: these are the duties of an "
        "executive.",
        "À titre de {title}, {name} dirigera la gestion de {employer}, en fixera les objectifs et les "
        "politiques et décidera avec une grande latitude, sous la seule supervision générale de {enterprise} : "
        "ces fonctions sont celles d'un cadre supérieur.",
    ),
    "manager": (
        "As {title}, {name} will manage a function of {employer}, supervise the work of the staff assigned to "
        "it and have authority over hiring and day-to-day decisions: these duties are managerial.",
        "À titre de {title}, {name} gérera une fonction de {employer}, supervisera le travail du personnel qui "
        "y est affecté et aura autorité sur l'embauche et les décisions courantes : il s'agit de fonctions de "
        "gestion.",
    ),
    # {knowledge}: ": [to complete: ...]" when no duty abroad shows it, else nothing (the duties follow)
    "specialized_knowledge": (
        "As {title}, {name} will apply knowledge of the products, processes and methods of {enterprise} "
        "that is both proprietary to the group and advanced{knowledge}.",
        # plural, as the sentences after it say "ces connaissances" (it read "une connaissance ... exclusive")
        "À titre de {title}, {name} mettra en œuvre des connaissances des produits, procédés et méthodes de "
        "{enterprise} à la fois exclusives au groupe et de niveau avancé{knowledge}.",
    ),
}


# The trainee transferred for training (imp-rules.md §3.2, T42 item 4): under CETA and CUKTCA (T42,
# F62) a graduate trainee, who holds a university degree (or, under CETA and CUKTCA, a professional-level
# licence) and is transferred for career development or training in the business's techniques or methods;
# under the other agreements (T54, F14, F34, F54) a management trainee on a professional development
# program, who holds a degree. Neither is executive, managerial or specialized knowledge.
GRADUATE_TRAINEE_PROGRAMS = frozenset({"ceta", "cuktca"})
TRAINEE_WHY = {
    True: (
        "As {title}, {name} is transferred to {employer} for career development and for training in the "
        "business techniques and methods of {enterprise}: the purpose for which {treaty} admits graduate "
        "trainees.",
        "À titre de {title}, {name} vient chez {employer} pour son perfectionnement professionnel et pour "
        "se former aux techniques et méthodes d'affaires de {enterprise} : c'est à cette fin que "
        "{treaty} admet les stagiaires diplômés.",
    ),
    False: (
        "As {title}, {name} is transferred to {employer} on a professional development program in the "
        "management of {enterprise}: the purpose for which {treaty} admits management trainees.",
        "À titre de {title}, {name} vient chez {employer} dans le cadre d'un programme de perfectionnement "
        "à la gestion de {enterprise} : c'est à cette fin que {treaty} admet les stagiaires en gestion.",
    ),
}


def _trainee(letter: Letter, values: dict[str, str]) -> str:
    """Why the position is a trainee's (the training, not a capacity of the three others) and the
    degree the agreement asks of a trainee: the one the worker holds, a licence where it counts, or a
    request for it (never a degree the answers do not give)."""
    info = common.code_info(letter)
    graduate = bool(info and info.program in GRADUATE_TRAINEE_PROGRAMS)
    treaty = common.agreement(letter)[0] or missing(letter, "agreement", "accord")
    why = t(letter, *TRAINEE_WHY[graduate], treaty=treaty, **values)
    level = letter["worker"].get("education_level")
    if level in ("bachelor", "master", "doctorate"):
        degree = t(
            letter,
            "{name} holds {education}, the university degree the agreement requires of a trainee.",
            "{name} est titulaire de {education}, le diplôme universitaire que l'accord exige d'un stagiaire.",
            name=values["name"],
            education=common.education(letter),
        )
    elif graduate and fact(letter, "worker.professional_licence"):
        degree = t(
            letter,
            "{name} holds a professional-level licence, which the agreement accepts of a graduate trainee in place of a university degree.",
            "{name} détient un permis d'exercice de niveau professionnel, que l'accord accepte d'un stagiaire diplômé au lieu d'un diplôme universitaire.",
            name=values["name"],
        )
    else:
        degree = missing(
            letter,
            "the university degree of {name}, which the agreement requires of a trainee{licence}",
            "le diplôme universitaire de {name}, que l'accord exige d'un stagiaire{licence}",
            name=values["name"],
            licence=t(
                letter,
                " (or a professional-level licence)",
                " (ou un permis d'exercice de niveau professionnel)",
            )
            if graduate
            else "",
        )
    return f"{why} {common.full_stop(degree)}"


def _months(start: str, end: str | None, on: str) -> int:
    """The whole months of one job, its end date a day worked, as the rules count them (``rules.months_worked``)."""
    return months_worked(
        date.fromisoformat(start), date.fromisoformat(end) if end else None, date.fromisoformat(on)
    )


# The rules' criteria that count the months of continuous full-time employment with the group
# (rules/categories/fta.py): within the look-back window before the application (R205(a), CUSMA and the
# other agreements' ICT codes), or the stretch current at the application (CETA, CUKTCA).
WITHIN_WINDOW, AT_APPLICATION = "ict.prior_employment_12m", "ict.employed_1y_at_application"


def qualifying_months(letter: Letter) -> tuple[str, dict[str, Any]] | None:
    """(the criterion that counted, its detail ``{"months", "needed"}``) as the assessment found them: the
    one count of the months with the group, so that the letter and the assessment cannot disagree. None
    when the assessment gives none (no employment known, or a snapshot older than the count)."""
    details = letter.get("details") or {}
    return next(((cid, details[cid]) for cid in (WITHIN_WINDOW, AT_APPLICATION) if cid in details), None)


def _qualifying(letter: Letter, name: str) -> str:
    """The sentence on the months with the group the assessment counted, or a placeholder for it."""
    counted = qualifying_months(letter)
    if counted is None:
        return missing(
            letter,
            "the months of continuous full-time employment of {name} with the group",
            "les mois d'emploi continu à temps plein de {name} au sein du groupe",
            name=name,
        )
    cid, detail = counted
    window = value_at("ict_lookback_months", date.fromisoformat(letter["date"]))
    values = {
        "name": name,
        "total": detail["months"],
        "needed": detail["needed"],
        "years": window // 12,
        "term": transfer_term(letter),
    }
    met = detail["months"] >= detail["needed"]
    if cid == AT_APPLICATION:
        if met:
            return t(
                letter,
                "At the date of this application, {name} has been employed full time by the group for {total} "
                "continuous months, at least the {needed} months an {term} transfer requires.",
                "À la date de la présente demande, {name} travaille à temps plein au sein du groupe depuis "
                "{total} mois sans interruption, soit au moins les {needed} mois qu'exige une mutation à "
                "l'intérieur d'une société.",
                **values,
            )
        return missing(
            letter,
            "continuous full-time employment of {name} with the group at the date of the application "
            "reaches {total} months only: the {needed} months required",
            "l'emploi continu à temps plein de {name} au sein du groupe à la date de la demande n'atteint "
            "que {total} mois : les {needed} mois exigés",
            **values,
        )
    if met:
        return t(
            letter,
            "Within the {years} years before this application, {name} thus has {total} months of "
            "continuous full-time employment with the group, at least the {needed} months an {term} "
            "transfer requires.",
            "Au cours des {years} années précédant la présente demande, {name} compte ainsi {total} mois "
            "d'emploi continu à temps plein au sein du groupe, soit au moins les {needed} mois qu'exige une "
            "mutation à l'intérieur d'une société.",
            **values,
        )
    return missing(
        letter,
        "continuous full-time employment of {name} with the group within the {years} years before the "
        "application reaches {total} months only: the {needed} months required",
        "l'emploi continu à temps plein de {name} au sein du groupe au cours des {years} années précédant "
        "la demande n'atteint que {total} mois : les {needed} mois exigés",
        **values,
    )


def duty_lines(text: str | None) -> list[str]:
    """The duties of a job, one a line, without bullets or final full stops."""
    lines = (line.strip().lstrip("-•*").strip().rstrip(".;") for line in (text or "").splitlines())
    return [line for line in lines if line]


def _duties_block(letter: Letter, job: dict[str, Any], name: str) -> str:
    duties = duty_lines(job.get("duties"))
    if not duties:
        return t(
            letter,
            # no duty to list: a noun before the colon, as the French (it read "In that role, X: [to complete: ...].")
            "The duties of {name} in that role: {duties}.",
            "Les fonctions de {name} dans ce poste : {duties}.",
            name=name,
            duties=missing(letter, "the duties performed abroad", "les fonctions exercées à l'étranger"),
        )
    return "\n".join(
        # French lists the duties as typed, nouns ("Conception du moteur") as often as verbs: a lead-in
        # that reads with either ("Dans ce poste, Camille : - Conception du moteur" did not, tour)
        [t(letter, "In that role, {name}:", "Les fonctions de {name} dans ce poste :", name=name)]
        + [f"- {duty}" for duty in duties]
    )


# Words of a duty that show each capacity (English and French stems, lower case): the letter quotes the
# duties abroad that carry them as the evidence of the capacity.
CAPACITY_WORDS = {
    "executive": (
        "direct",
        "strateg",
        "policy",
        "policies",
        "board",
        "p&l",
        "budget",
        "oversee",
        "executive",
        "dirig",
        "stratég",
        "politique",
        "conseil d'administration",
        "budget",
        "supervis",
    ),
    "manager": (
        "manag",
        "lead",
        "supervis",
        "hire",
        "hiring",
        "team",
        "budget",
        "appraisal",
        "report",
        "gère",
        "gestion",
        "dirige",
        "encadr",
        "embauch",
        "équipe",
        "budget",
    ),
    "specialized_knowledge": (
        "proprietary",
        "patent",
        "design",
        "architect",
        "method",
        "process",
        "platform",
        "expert",
        "develop",
        "internal",
        "exclusi",
        "brevet",
        "conçoit",
        "conception",
        "méthode",
        "procédé",
        "plateforme",
        "développ",
        "interne",
    ),
}


def _capacity_duties(letter: Letter, cap: str, name: str) -> str:
    """The duties abroad that show the capacity, quoted; or, when none does, a request to say how."""
    group_jobs = [j for j in letter["worker"]["employment"] if j.get("with_group")]
    if not group_jobs:
        return ""
    job = max(group_jobs, key=lambda j: (j.get("end_date") or "9999", j["start_date"]))
    duties = duty_lines(job.get("duties"))
    if not duties:
        return ""
    words = CAPACITY_WORDS.get(cap, ())
    telling = [d for d in duties if any(w in d.lower() for w in words)] or duties[:2]
    opening, closing = common.pick(letter, ("“", "« ")), common.pick(letter, ("”", " »"))
    quoted = t(letter, "; ", " ; ").join(f"{opening}{d}{closing}" for d in telling[:3])
    values = {
        "name": name,
        "title": job.get("job_title") or t(letter, "employee", "membre du personnel"),
        "employer": job["employer"],
        "quoted": quoted,
    }
    if cap == "specialized_knowledge":  # the sentence before names the knowledge: not a third "capacity"
        return t(
            letter,
            "The duties of {name} as {title} with {employer} already show that knowledge: {quoted}. "
            "The position in Canada calls for the same knowledge.",
            "Les fonctions de {name} à titre de {title} chez {employer} montrent déjà ces connaissances : "
            "{quoted}. Le poste au Canada exige ces mêmes connaissances.",
            **values,
        )
    label = {"executive": ("executive", "de direction"), "manager": ("managerial", "de gestion")}[cap]
    return t(
        letter,
        "The duties of {name} as {title} with {employer} already show that {label} capacity: {quoted}. "
        "The position in Canada calls for the same capacity.",
        "Les fonctions de {name} à titre de {title} chez {employer} montrent déjà cette nature {label} : "
        "{quoted}. Le poste au Canada exige cette même nature.",
        label=common.pick(letter, label),
        **values,
    )


def relationship(letter: Letter) -> Section:
    e = letter.get("enterprise")
    heading = t(letter, "The corporate relationship", "Le lien entre les sociétés")
    if not e:
        return common.missing_section(
            letter,
            "relationship",
            heading,
            "the foreign company, its country and how it relates to {employer}",
            "la société étrangère, son pays et son lien avec {employer}",
            employer=common.employer_name(letter),
        )
    pattern = RELATIONSHIP.get(e.get("relationship") or "")
    values = {
        "employer": common.employer_name(letter),
        "enterprise": e["name"],
        "country": e.get("country") or "",
    }
    link = (
        t(letter, *pattern, **values)
        if pattern
        else missing(
            letter,
            "how {employer} and {enterprise} are related",
            "le lien entre {employer} et {enterprise}",
            **values,
        )
    )
    owns = common.full_stop(
        t(letter, "{link}; {share}", "{link} ; {share}", link=link, share=_share(letter, e, values))
    )
    if e.get("relationship") == "branch":  # one legal entity: no share between its branches
        owns = common.full_stop(link)
    where = e.get("countries_of_operation") or []
    in_countries = (
        countries.list_of(letter, where, "in") if where else ""
    )  # "in the United States and Mexico"
    working = fact(letter, "foreign_enterprise.doing_business") is not False and fact(
        letter, "employer.actively_engaged"
    )
    opening = not working and bool(fact(letter, "employer.start_up"))
    operates = (
        t(
            letter,
            "{enterprise} operates {countries}.",
            "{enterprise} exerce ses activités {countries}.",
            enterprise=e["name"],
            countries=in_countries,
        )
        if where and not opening  # a new office's sentence says where the group company does business
        else ""
    )
    both = (
        # both must be doing business for the whole stay (the R205(a) ICT guidelines)
        t(
            letter,
            "{enterprise} and {employer} are both doing business and will continue to do so throughout the transfer of {name}.",
            "{enterprise} et {employer} exercent toutes deux des activités et continueront de le faire pendant toute la mutation de {name}.",
            name=common.worker_name(letter),
            **values,
        )
        if working
        else new_office(letter, values, in_countries)
        if opening
        else missing(
            letter,
            "evidence that {enterprise} and {employer} are both doing business",
            "preuve que {enterprise} et {employer} exercent toutes deux des activités",
            **values,
        )
    )
    return common.section("relationship", heading, " ".join(x for x in (owns, operates, both) if x))


# What shows that a new Canadian office will do business and support the position (C61: the R205(a) ICT
# guidelines, imp-rules.md §3.4: physical commercial premises, a staffing plan, a business plan and the
# financial capacity), each fact of the case that says so, or a request for it.
NEW_OFFICE = (
    (
        "employer.physical_premises",
        "has secured physical commercial premises",
        "dispose de locaux commerciaux",
    ),
    (
        "employer.staffing_plan",
        "has a staffing plan that supports the position",
        "a un plan de dotation qui soutient le poste",
    ),
    ("employer.business_plan", "has a business plan", "a un plan d'affaires"),
    (
        "employer.financial_capacity",
        "has the financial capacity to pay the position for the whole permit",
        "a la capacité financière de rémunérer le poste pendant toute la durée du permis",
    ),
)


# the new Canadian company, by its relationship to the group company (the group company is its parent ...)
NEW_ENTITY = {
    "parent": ("a new subsidiary", "une nouvelle filiale"),
    "branch": ("a new branch", "une nouvelle succursale"),
    "affiliate": ("a new affiliate", "une nouvelle société affiliée"),
    "": ("a new office", "un nouveau bureau"),
}


def _listed(letter: Letter, parts: list[str]) -> str:
    """ "A, B and C" / "A, B et C"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + t(letter, " and ", " et ") + parts[-1]


def new_office(letter: Letter, values: dict[str, str], in_countries: str = "") -> str:
    """The Canadian company a transferee comes to open (``employer.start_up``) is not doing business yet:
    the letter says that the group company is (``in_countries``: where, "in the United Kingdom and Ireland",
    in the same sentence rather than in one of its own just before), and what shows that the new office will
    (its premises, its plans, its funds), instead of asking for evidence that both already are."""
    held = [(en, fr) for path, en, fr in NEW_OFFICE if fact(letter, path)]
    lacking = [(en, fr) for path, en, fr in NEW_OFFICE if not fact(letter, path)]
    enterprise = letter.get("enterprise") or {}
    first = t(
        letter,
        "{enterprise} does business {where} and is opening {a_new} in Canada, {employer}, which {name} is "
        "transferred to set up."
        if in_countries
        else "{enterprise} is doing business and is opening {a_new} in Canada, {employer}, which {name} is "
        "transferred to set up.",
        "{enterprise} exerce ses activités {where} et ouvre au Canada {a_new}, {employer}, dont la mise sur "
        "pied est l'objet de la mutation de {name}."
        if in_countries
        else "{enterprise} exerce des activités et ouvre au Canada {a_new}, {employer}, dont la mise sur pied "
        "est l'objet de la mutation de {name}.",
        where=in_countries,
        name=common.worker_name(letter),
        a_new=common.pick(letter, NEW_ENTITY.get(enterprise.get("relationship") or "", NEW_ENTITY[""])),
        **values,
    )
    shown = (
        t(
            letter,
            "{employer} {held}.",
            "{employer} {held}.",
            employer=values["employer"],
            held=_listed(letter, [common.pick(letter, (en, fr)) for en, fr in held]),
        )
        if held
        else ""
    )
    asked = (
        missing(
            letter,
            "evidence that {employer} {lacking}",
            "preuve que {employer} {lacking}",
            employer=values["employer"],
            lacking=_listed(letter, [common.pick(letter, (en, fr)) for en, fr in lacking]),
        )
        if lacking
        else ""
    )
    return " ".join(x for x in (first, shown, asked) if x)


def employment_abroad(letter: Letter) -> Section:
    name, jobs = (
        common.worker_name(letter),
        [j for j in letter["worker"]["employment"] if j.get("with_group")],
    )
    heading = t(letter, "Qualifying employment with the group", "Emploi admissible au sein du groupe")
    if not jobs:
        return common.missing_section(
            letter,
            "employment_abroad",
            heading,
            "employment of {name} with the foreign company: employer, title, dates, hours per week, duties",
            "emploi de {name} au sein de la société étrangère : employeur, titre, dates, heures par semaine, fonctions",
            name=name,
        )
    blocks = []
    for job in jobs:
        months = _months(job["start_date"], job.get("end_date"), letter["date"])
        period = (
            t(
                letter,
                "from {start} to {end}",
                "du {start} au {end}",
                start=common.day(letter, job["start_date"]),
                end=common.day(letter, job["end_date"]),
            )
            if job.get("end_date")
            else t(letter, "since {start}", "depuis le {start}", start=common.day(letter, job["start_date"]))
        )
        weekly = job.get("hours_per_week")
        # a job still held is told in the present ("travaille ... depuis"), an ended one in the past
        sentence = (
            (
                "{name} worked for {employer} ({country}) as {title} {period}, {time} ({hours} a week), "
                "{months} months in all.",
                "{name} a travaillé pour {employer} ({country}) à titre de {title} {period}, {time} "
                "({hours} par semaine), soit {months} mois en tout.",
            )
            if job.get("end_date")
            else (
                "{name} has worked for {employer} ({country}) as {title} {period}, {time} ({hours} a week), "
                "{months} months to date.",
                "{name} travaille pour {employer} ({country}) à titre de {title} {period}, {time} "
                "({hours} par semaine), soit {months} mois à ce jour.",
            )
        )
        blocks.append(
            t(
                letter,
                *sentence,
                name=name,
                employer=job["employer"],
                country=job.get("country") or "",
                title=job.get("job_title")
                or missing(letter, "job title abroad", "titre du poste à l'étranger"),
                period=period,
                time=t(letter, "full time", "à temps plein")
                if job.get("full_time")
                else t(letter, "part time", "à temps partiel"),
                hours=t(letter, "{h} hours", "{h} heures", h=common.hours(letter, weekly))
                if weekly
                else missing(letter, "hours", "heures"),
                months=months,
            )
            + "\n"
            + _duties_block(letter, job, name)
        )
    blocks.append(_qualifying(letter, name))
    return common.section("employment_abroad", heading, *blocks)


def capacity(letter: Letter, *, quote_duty: bool = True) -> Section:
    """Why the position is executive, managerial, specialized knowledge (or a trainee's): the duties abroad
    that show it and (``quote_duty``) the first duty of the position in Canada, which ``canadian_need``
    quotes instead where it argues the Canadian operation's need."""
    p, e = letter["position"], letter.get("enterprise") or {}
    cap = p.get("capacity")
    heading = t(letter, "The capacity of the position", "La nature du poste")
    pattern = CAPACITY_WHY.get(cap or "")
    values = {
        "title": p.get("title") or "",
        "name": common.worker_name(letter),
        "employer": common.employer_name(letter),
        "enterprise": e.get("name") or missing(letter, "foreign company", "société étrangère"),
    }
    # a trainee is transferred under an agreement only (R204(a)); R205(a) asks for one of the three others
    if cap == "trainee" and common.regulation(letter).startswith("R204"):
        return common.section("capacity", heading, _trainee(letter, values))
    if not pattern:
        return common.missing_section(
            letter,
            "capacity",
            heading,
            "why the position of {title} is executive, managerial or specialized knowledge",
            "pourquoi le poste de {title} est de direction, de gestion ou exige des connaissances spécialisées",
            **values,
        )
    # the duties abroad that show the knowledge follow; without them, what it is is asked for
    knowledge = (
        ""
        if _capacity_duties(letter, cap, values["name"])
        else t(
            letter,
            ": {what}",
            " : {what}",
            what=missing(
                letter,
                "what the proprietary knowledge is and how it was acquired",
                "la nature de ces connaissances exclusives et comment elles ont été acquises",
            ),
        )
    )
    blocks = [
        t(letter, *pattern, knowledge=knowledge, **values),
        _capacity_duties(letter, cap, values["name"]),
    ]
    first = (p.get("duties") or "").strip().splitlines()
    if first and quote_duty:
        blocks.append(
            t(
                letter,
                # a sentence, not a label ("Among the duties of the X: “...”." read like a form)
                "The duties of the {title} include “{duty}”.",
                "Les fonctions du poste de {title} comprennent « {duty} ».",
                title=values["title"],
                duty=first[0].strip(" -•").rstrip("."),
            )
        )
    return common.section("capacity", heading, " ".join(b for b in blocks if b))


# The codes whose letter argues that the Canadian operation needs the position (the R205(a) ICT guidelines,
# imp-rules.md §3.4): C62, an executive or a manager, only where "the Canadian operation [is] big enough to
# need the role"; C63, a specialist whose knowledge the work in Canada calls for. (C61 argues the new office
# instead: its staffing plan, premises, business plan and funds, ``new_office``.)
NEED_CODES = frozenset({"C62", "C63"})
# Below this many employees in Canada the letter does not assert that the operation is "large enough" to need
# an executive or a manager of its own (a consultant would return "With 2 employees, ... is large enough"): it
# asks its author why, visibly. IRCC's R205(a) guidelines set no number; this one only decides who says it.
SMALL_OPERATION = 5
# the role the Canadian operation needs, by capacity: "large enough to need a manager of its own"
ROLE_NEEDED = {
    "executive": ("an executive", "de direction"),
    "manager": ("a manager", "de gestion"),
}


def argues_need(letter: Letter) -> bool:
    """Whether the letter argues the Canadian operation's need (``canadian_need``): C62 and C63, for an
    executive, a manager or a specialist."""
    code = letter.get("current_code") or letter.get("code")
    return code in NEED_CODES and letter["position"].get("capacity") in (
        *ROLE_NEEDED,
        "specialized_knowledge",
    )


def _duties_in_canada(letter: Letter, cap: str) -> list[str]:
    """The duties of the position in Canada that show the capacity (the words of ``CAPACITY_WORDS``), up to
    three; none when no duty carries them."""
    words = CAPACITY_WORDS.get(cap, ())
    return [d for d in duty_lines(letter["position"].get("duties")) if any(w in d.lower() for w in words)][:3]


def _quoted(letter: Letter, duties: list[str]) -> str:
    opening, closing = common.pick(letter, ("“", "« ")), common.pick(letter, ("”", " »"))
    return t(letter, "; ", " ; ").join(f"{opening}{d}{closing}" for d in duties)


def canadian_need(letter: Letter) -> Section:
    """Why the Canadian operation needs the position: for an executive or a manager (C62), the size of the
    employer in Canada and the duties in Canada that show the role; for a specialist (C63), the duties in
    Canada that call for the knowledge. What the facts do not show is asked for, visibly."""
    p = letter["position"]
    cap = p.get("capacity") or ""
    values = {
        "name": common.worker_name(letter),
        "employer": common.employer_name(letter),
        "title": p.get("title") or missing(letter, "job title", "titre du poste"),
    }
    duties = _duties_in_canada(letter, cap)
    if cap == "specialized_knowledge":
        heading = t(
            letter,
            "Why the Canadian operation needs this knowledge",
            "Pourquoi l'entreprise canadienne a besoin de ces connaissances",
        )
        if duties:
            text = t(
                letter,
                # one colon, before the quoted duties (it read "... in Canada: the position of X calls for it in
                # these duties: “...”")
                "{employer} needs this knowledge in Canada, where the position of {title} applies it in these "
                "duties: {quoted}.",
                "{employer} a besoin de ces connaissances au Canada, où le poste de {title} les met en œuvre "
                "dans ces fonctions : {quoted}.",
                quoted=_quoted(letter, duties),
                **values,
            )
        else:
            text = t(
                letter,
                "{employer} needs this knowledge in Canada: {why}.",
                "{employer} a besoin de ces connaissances au Canada : {why}.",
                why=missing(
                    letter,
                    "the work in Canada that calls for the knowledge of {name}, and why no employee of "
                    "{employer} in Canada holds it",
                    "le travail au Canada qui exige les connaissances de {name}, et pourquoi aucun membre du "
                    "personnel de {employer} au Canada ne les possède",
                    **values,
                ),
                **values,
            )
        return common.section("canadian_need", heading, text)
    role_en, role_fr = ROLE_NEEDED.get(cap, ("an executive or a manager", "de direction ou de gestion"))
    heading = t(
        letter,
        "Why the Canadian operation needs the position",
        "Pourquoi l'entreprise canadienne a besoin du poste",
    )
    employees = common.number(letter["employer"].get("employees"))
    size = (
        t(
            letter,
            "{employer} has {count} {people} in Canada; {why}.",
            "{employer} compte {count} {people} à son service au Canada ; {why}.",
            count=common.count(letter, employees),
            people=t(letter, "employee", "personne")
            if employees == 1
            else t(letter, "employees", "personnes"),
            why=missing(
                letter,
                "why an operation of this size needs {role} of its own (the people, contractors or activities the "
                "position will direct)",
                "pourquoi une entreprise de cette taille a besoin de son propre poste {role} (les personnes, les "
                "sous-traitants ou les activités que le poste dirigera)",
                role=t(letter, role_en, role_fr),
                **values,
            ),
            **values,
        )
        if employees and employees < SMALL_OPERATION
        else t(
            letter,
            "With {count} employees in Canada, {employer} is large enough to need {role} of its own.",
            "Avec {count} personnes à son service au Canada, {employer} a la taille voulue pour avoir besoin "
            "de son propre poste {role}.",
            count=common.count(letter, employees),
            role=t(letter, role_en, role_fr),
            **values,
        )
        if employees
        else t(
            letter,
            "{employer} is large enough to need {role} of its own: {count}.",
            "{employer} a la taille voulue pour avoir besoin de son propre poste {role} : {count}.",
            role=t(letter, role_en, role_fr),
            count=missing(
                letter,
                "the number of employees of {employer} in Canada",
                "le nombre de personnes au service de {employer} au Canada",
                **values,
            ),
            **values,
        )
    )
    shown = (
        t(
            letter,
            "The position of {title} is that role in Canada: {quoted}.",
            "Le poste de {title} remplit ce rôle au Canada : {quoted}.",
            quoted=_quoted(letter, duties),
            **values,
        )
        if duties
        else missing(
            letter,
            "the team or function {name} will lead in Canada (how many people, which activities) and why "
            "{employer} needs it led on site",
            "l'équipe ou la fonction que {name} dirigera au Canada (combien de personnes, quelles activités) "
            "et pourquoi {employer} a besoin qu'elle soit dirigée sur place",
            **values,
        )
    )
    return common.section("canadian_need", heading, size, shown)


# The agreements whose temporary-entry chapter names the category "intra-company transferees" (CUSMA
# Appendix 16-A Section D; the Canada–Chile agreement, written on NAFTA's model); the others (CETA, CUKTCA,
# CPTPP, the bilateral agreements) say "intra-corporate transferees". The French texts say "personnes mutées
# à l'intérieur d'une société" in both cases.
INTRA_COMPANY_PROGRAMS = frozenset({"cusma", "chile"})


def transfer_term(letter: Letter) -> str:
    """The category as the code's source names it, for the English text (the opening, the months with the group,
    the legal basis): "intra-company" for IRCC's R205(a) codes, CUSMA and the Canada–Chile agreement,
    "intra-corporate" for the other agreements."""
    info = common.code_info(letter)
    treaty = common.regulation(letter).startswith("R204")
    return (
        "intra-corporate"
        if treaty and not (info and info.program in INTRA_COMPANY_PROGRAMS)
        else "intra-company"
    )


# Why a transfer under R205(a) benefits Canada, in the legal basis: the expertise the group brings
BENEFIT = {
    "working": (
        "this temporary transfer within the multinational {enterprise} group brings {employer} the "
        "group's {what}, a significant economic benefit to Canada",
        "cette mutation temporaire au sein du groupe multinational {enterprise} apporte à {employer} "
        "{what} du groupe, un avantage économique important pour le Canada",
    ),
    "start_up": (
        "this temporary transfer within the multinational {enterprise} group sets up {employer} in "
        "Canada with the group's {what}, a significant economic benefit to Canada",
        "cette mutation temporaire au sein du groupe multinational {enterprise} met sur pied "
        "{employer} au Canada avec {what} du groupe, un avantage économique important pour le Canada",
    ),
}
EXPERTISE = {
    "executive": ("management expertise", "l'expertise en gestion"),
    "manager": ("management expertise", "l'expertise en gestion"),
    "specialized_knowledge": (
        "specialized knowledge of its products, processes and methods",
        "les connaissances spécialisées des produits, procédés et méthodes",
    ),
    "": ("expertise", "l'expertise"),
}


def argue(letter: Letter) -> list[Section]:
    e = letter.get("enterprise") or {}
    name = common.worker_name(letter)
    reg = common.regulation(letter)
    term = transfer_term(letter)
    purpose = common.opening(
        letter,
        "{enterprise} transfers {name} to {employer} for this assignment, as an {term} transferee.",
        "{enterprise} mute {name} chez {employer} pour cette affectation, à titre de personne mutée à l'intérieur d'une société.",
        enterprise=e.get("name") or missing(letter, "foreign company", "société étrangère"),
        name=name,
        employer=common.employer_name(letter),
        term=term,
    )
    if reg.startswith("R204"):
        treaty, chapter = common.agreement(letter)
        because = (
            "{treaty}, {chapter}, grants temporary entry to the "
            + term
            + " transferees who are {members}, such as {name}, {citizen}",
            "{treaty}, {chapter}, accorde l'admission temporaire aux personnes mutées à l'intérieur d'une "
            "société qui sont {members}, comme {name}, {citizen}",
        )
        values = {
            "members": common.members(letter, feminine=True),
            "treaty": treaty,
            "chapter": chapter or missing(letter, "chapter of the agreement", "chapitre de l'accord"),
            "citizen": common.citizen(letter),
            "name": name,
        }
    else:
        # R205(a): the transfer's benefit to Canada is the expertise the group brings (an executive's or a
        # manager's management, a specialist's knowledge), to an office it opens (C61) or to one that works
        because = BENEFIT["start_up" if fact(letter, "employer.start_up") else "working"]
        values = {
            "name": name,
            "enterprise": e.get("name") or missing(letter, "foreign company", "société étrangère"),
            "employer": common.employer_name(letter),
            "what": common.pick(
                letter, EXPERTISE.get(letter["position"].get("capacity") or "", EXPERTISE[""])
            ),
        }
    # C62/C63: the duties in Canada are quoted where the letter argues the Canadian operation's need
    need = argues_need(letter)
    after_role = (
        (capacity(letter, quote_duty=not need), canadian_need(letter)) if need else (capacity(letter),)
    )
    return [
        purpose,
        relationship(letter),
        employment_abroad(letter),
        *common.ends(letter, *because, after_role=after_role, contract=False, **values),
    ]


def _share(letter: Letter, e: dict[str, Any], values: dict[str, str]) -> str:
    """Who holds what share of whom, from the group company's ``ownership_pct``; the placeholder when it
    (or the relationship) is not given."""
    pattern = SHARE.get(e.get("relationship") or "")
    if pattern is None or e.get("ownership_pct") is None:
        return missing(
            letter,
            "share of the capital and votes held, e.g. 100%",
            "part du capital et des droits de vote détenue, p. ex. 100 %",
        )
    return t(letter, *pattern, pct=common.percent(letter, e["ownership_pct"]), **values)
