"""Criteria shared by the trade-agreement codes (R204(a)): traders, investors, intra-company
transferees, professionals, contractual service suppliers and independent professionals."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from ..model import Criterion
from .base import EXEC_MGR, C, CodeRule, Ctx, and3, ge, not3, or3


@dataclass(frozen=True)
class Program:
    key: str
    citizens_key: str
    name_en: str
    name_fr: str
    who_en: str
    who_fr: str
    prs: bool = False
    src: str = "codes_table"
    src_ict: str = "codes_table"
    src_invest: str = "codes_table"
    src_trade: str = "codes_table"
    src_prof: str = "codes_table"
    # the enterprise's nationality is one party's, the worker's own: the shares of nationals of different parties
    # are not added up (an agreement whose parties are separate countries, as CUSMA; not CETA, whose party is the
    # EU); rules/README.md item 74
    one_party_nationality: bool = False


CUSMA = Program(
    "cusma",
    "cusma_citizens",
    "CUSMA",
    "ACEUM",
    "the United States or Mexico",
    "des États-Unis ou du Mexique",
    src="cusma_overview",
    src_ict="cusma_ict",
    src_invest="cusma_investors",
    src_trade="cusma_traders",
    src_prof="cusma_professionals",
    one_party_nationality=True,
)
CETA = Program(
    "ceta",
    "eu_member_states",
    "CETA",
    "AECG",
    "a European Union member state",
    "d'un État membre de l'Union européenne",
    src="ceta_overview",
    src_ict="ceta_ict",
    src_invest="ceta_investors",
    src_prof="ceta_css_ip",
)
CUKTCA = Program(
    "cuktca",
    "cuktca_citizens",
    "CUKTCA",
    "ACCRU",
    "the United Kingdom",
    "du Royaume-Uni",
    src="cuktca",
    src_ict="cuktca",
    src_invest="cuktca",
    src_prof="cuktca",
)
CPTPP = Program(
    "cptpp",
    "cptpp_parties",
    "CPTPP",
    "PTPGP",
    "a CPTPP party (for Canada)",
    "d'un pays partie au PTPGP (à l'égard du Canada)",
    src="cptpp",
    src_ict="cptpp",
    src_invest="cptpp",
    src_prof="cptpp",
)
CHILE = Program("chile", "chile_citizens", "Canada–Chile FTA", "ALE Canada-Chili", "Chile", "du Chili")
COLOMBIA = Program(
    "colombia",
    "colombia_citizens",
    "Canada–Colombia FTA",
    "ALE Canada-Colombie",
    "Colombia",
    "de la Colombie",
    prs=True,
)
KOREA = Program(
    "korea", "korea_citizens", "Canada–Korea FTA", "ALE Canada-Corée", "Korea", "de la Corée", prs=True
)
PANAMA = Program(
    "panama", "panama_citizens", "Canada–Panama FTA", "ALE Canada-Panama", "Panama", "du Panama", prs=True
)
PERU = Program("peru", "peru_citizens", "Canada–Peru FTA", "ALE Canada-Pérou", "Peru", "du Pérou", prs=True)
UKRAINE = Program("ukraine", "ukraine_citizens", "CUFTA", "ALECU", "Ukraine", "de l'Ukraine", prs=True)

R = "R204(a)"

# the programs whose temporary-entry chapter covers the parties' permanent residents as well as their
# citizens (IRCC's pages for each: e.g. the Panama overview, "extend to permanent residents as well as to
# citizens"; imp-rules.md §3.3, §8 item 1); the letters say so (rules/README.md item 53)
PROGRAMS_COVERING_PRS = frozenset(p.key for p in (COLOMBIA, KOREA, PANAMA, PERU, UKRAINE) if p.prs)


def as_permanent_resident(
    c: Ctx, cid: str, met: bool | None, citizens: Iterable[str], prs: Iterable[str]
) -> bool | None:
    """``met`` as it is; when it is met through a permanent residence alone (no citizenship among
    ``citizens`` known), the criterion's detail names the residences (``permanent_resident_of``), for the
    letter that says on what footing the worker is admitted."""
    allowed = set(citizens)
    if met and (c.cits is None or c.cits.isdisjoint(allowed)):
        held = sorted(set(c.w.permanent_residences or ()) & set(prs))
        if held:
            c.details[cid] = {"permanent_resident_of": held}
    return met


# --------------------------------------------------------------------------- nationality
@cache
def citizen(p: Program) -> Criterion:
    if p.prs:
        cid = f"{p.key}.citizen"
        return C(
            cid,
            f"The worker is a citizen or permanent resident of {p.who_en} ({p.name_en}).",
            f"Le travailleur est citoyen ou résident permanent {p.who_fr} ({p.name_fr}).",
            ("worker.citizenships", "worker.permanent_residences"),
            R,
            p.src,
            lambda c: as_permanent_resident(
                c, cid, c.citizen_or_pr_of(p.citizens_key), c.v[p.citizens_key], c.v[p.citizens_key]
            ),
        )
    return C(
        f"{p.key}.citizen",
        f"The worker is a citizen of {p.who_en} ({p.name_en}); permanent residents are not covered.",
        f"Le travailleur est citoyen {p.who_fr} ({p.name_fr}) ; les résidents permanents ne sont pas visés.",
        "worker.citizenships",
        R,
        p.src,
        lambda c: c.citizen_of(p.citizens_key),
    )


@cache
def enterprise_of(p: Program) -> Criterion:
    return C(
        f"{p.key}.enterprise_country",
        f"The foreign enterprise that employs the worker is an enterprise of {p.who_en}.",
        f"L'entreprise étrangère qui emploie le travailleur est une entreprise {p.who_fr}.",
        "foreign_enterprise.country",
        R,
        p.src_ict,
        lambda c: c.fe_country_in(p.citizens_key),
    )


@cache
def enterprise_nationality(p: Program) -> Criterion:
    cid = f"{p.key}.enterprise_nationality"

    def fn(c: Ctx) -> bool | None:
        allowed = c.v[p.citizens_key]
        if not p.one_party_nationality:
            return ge(c.ownership_pct_by(allowed), c.v["enterprise_nationality_min_pct"])
        # one party's nationals, the worker's own country, hold the share: 30% US and 30% Mexican is neither a US
        # nor a Mexican enterprise, and a US trader's enterprise is a US one (IRCC: "the employing enterprise has
        # Korean nationality", the trade "principally between Canada and" the worker's country; item 74)
        own = c.e.ownership_by_nationality
        if own is None:
            return None
        parties = sorted(allowed if c.cits is None else c.cits & frozenset(allowed))
        shares = {k: own.get(k, 0) for k in parties}
        best = max(shares.values(), default=0)
        if best < c.v["enterprise_nationality_min_pct"]:
            return False
        # a party's nationals own enough, but whether it is the worker's country waits for the citizenship
        return True if c.cits is not None else None

    if p.one_party_nationality:
        en = (
            "The Canadian enterprise has the nationality of the worker's country: at least {enterprise_nationality_min_pct}% owned by nationals of that one country, whether "
            + p.who_en
            + " (the shares of nationals of different countries are not added up)."
        )
        fr = (
            "L'entreprise canadienne a la nationalité du pays du travailleur : elle appartient à au moins {enterprise_nationality_min_pct} % à des ressortissants de ce seul pays, qu'il s'agisse "
            + p.who_fr
            + " (les parts de ressortissants de pays différents ne s'additionnent pas)."
        )
    else:
        en = (
            "The Canadian enterprise has the nationality of the agreement: at least {enterprise_nationality_min_pct}% owned by nationals of "
            + p.who_en
            + "."
        )
        fr = (
            "L'entreprise canadienne a la nationalité de l'accord : elle appartient à au moins {enterprise_nationality_min_pct} % à des ressortissants "
            + p.who_fr
            + "."
        )
    fields: str | tuple[str, ...] = "employer.ownership_by_nationality"
    if p.one_party_nationality:
        fields = ("employer.ownership_by_nationality", "worker.citizenships")
    return C(cid, en, fr, fields, R, p.src_invest, fn)


# --------------------------------------------------------------------------- traders / investors
EXEC_OR_ESSENTIAL = C(
    "fta.executive_or_essential",
    "The position is supervisory or executive, or needs skills essential to the enterprise.",
    "Le poste comporte des fonctions de supervision ou de direction, ou exige des compétences essentielles à l'entreprise.",
    "position.capacity",
    R,
    "cusma_investors",
    lambda c: c.capacity_in(("executive", "manager", "specialized_knowledge")),
)

SUBSTANTIAL_INVESTMENT = C(
    "fta.substantial_investment",
    "The worker (or the investing enterprise that employs them) has made, or is actively making, a substantial investment in a real, active business.",
    "Le travailleur (ou l'entreprise investisseuse qui l'emploie) a fait, ou fait activement, un investissement important dans une entreprise réelle et active.",
    "worker.investment_substantial",
    R,
    "cusma_investors",
    lambda c: c.w.investment_substantial,
)


def _trade(c: Ctx) -> bool | None:
    return and3(
        c.e.substantial_trade,
        None
        if c.e.trade_share_with_treaty_country_pct is None
        else c.e.trade_share_with_treaty_country_pct > c.v["trader_min_trade_share_pct_exclusive"],
    )


SUBSTANTIAL_TRADE = C(
    "fta.substantial_trade",
    "The enterprise already carries on substantial trade, and more than {trader_min_trade_share_pct_exclusive}% of its international trade is between Canada and the worker's country.",
    "L'entreprise fait déjà un commerce important, et plus de {trader_min_trade_share_pct_exclusive} % de son commerce international se fait entre le Canada et le pays du travailleur.",
    ("employer.substantial_trade", "employer.trade_share_with_treaty_country_pct"),
    R,
    "cusma_traders",
    _trade,
)

INVESTOR_EVIDENCE = (
    (
        "Application for Trader/Investor Status (IMM 5321)",
        "Demande de statut de négociant ou d'investisseur (IMM 5321)",
    ),
    (
        "Proof of the enterprise's ownership and nationality (share register)",
        "Preuve de la propriété et de la nationalité de l'entreprise (registre des actionnaires)",
    ),
    (
        "Proof of the investment and source of funds; business plan",
        "Preuve de l'investissement et de la provenance des fonds ; plan d'affaires",
    ),
)
TRADER_EVIDENCE = (
    (
        "Application for Trader/Investor Status (IMM 5321)",
        "Demande de statut de négociant ou d'investisseur (IMM 5321)",
    ),
    (
        "Trade volumes: invoices, contracts, bills of lading",
        "Volume des échanges : factures, contrats, connaissements",
    ),
    (
        "Proof of the enterprise's ownership and nationality",
        "Preuve de la propriété et de la nationalité de l'entreprise",
    ),
)


def investor_criteria(p: Program) -> tuple[Criterion, ...]:
    """Gates: citizenship, role."""
    return (citizen(p), EXEC_OR_ESSENTIAL, enterprise_nationality(p), SUBSTANTIAL_INVESTMENT)


def trader_criteria(p: Program) -> tuple[Criterion, ...]:
    """Gates: citizenship, role."""
    return (citizen(p), EXEC_OR_ESSENTIAL, enterprise_nationality(p), SUBSTANTIAL_TRADE)


# --------------------------------------------------------------------------- ICT
RELATIONSHIP = C(
    "ict.relationship",
    "The foreign enterprise and the Canadian employer have a qualifying relationship (parent, subsidiary, branch or affiliate) – not a client, supplier, franchise or licensing link.",
    "L'entreprise étrangère et l'employeur canadien ont un lien admissible (société mère, filiale, succursale ou société affiliée) – pas un lien client, fournisseur, franchise ou licence.",
    "foreign_enterprise.relationship",
    "R205(a) / R204(a)",
    "ict_r205",
    lambda c: c.relationship_qualifies(),
)

# CETA and CUKTCA name the Canadian enterprise a transferee goes to: a subsidiary, branch or head company of
# the enterprise abroad (imp-rules.md §3.2, "Mirrors CETA" for CUKTCA §3.3) — not a sister company.
CETA_RELATIONSHIP = C(
    "ceta.relationship",
    "The Canadian employer is a subsidiary, branch or head company of the foreign enterprise (a sister company does not qualify under this agreement).",
    "L'employeur canadien est une filiale, une succursale ou la société mère de l'entreprise étrangère (une société sœur n'est pas admissible au titre de cet accord).",
    "foreign_enterprise.relationship",
    R,
    "ceta_ict",
    lambda c: None if c.fe.relationship is None else c.fe.relationship in c.v["ceta_ict_relationships"],
)

# Both enterprises must be doing business (imp-rules.md §3.1, §3.4): the Canadian one is tested apart
# (canadian_doing_business, or the R205 codes' own); the foreign one was asked and never read.
FOREIGN_DOING_BUSINESS = C(
    "ict.foreign_doing_business",
    "The foreign enterprise is doing business: it regularly and continuously provides goods or services (not merely an agent or office).",
    "L'entreprise étrangère exerce ses activités : elle fournit des biens ou des services de façon régulière et continue (pas un simple agent ou bureau).",
    "foreign_enterprise.doing_business",
    "R205(a) / R204(a)",
    "ict_r205",
    lambda c: c.fe.doing_business,
)

CURRENTLY_EMPLOYED = C(
    "ict.currently_employed",
    "The worker is currently employed by the foreign enterprise.",
    "Le travailleur est actuellement employé par l'entreprise étrangère.",
    "worker.employment",
    "R205(a) / R204(a)",
    "ict_r205",
    lambda c: c.currently_with_fe(),
)

PRIOR_12M = C(
    "ict.prior_employment_12m",
    "The worker has at least {ict_min_months} months of continuous full-time employment with the foreign enterprise, outside Canada, in a similar position, within the {ict_lookback_months} months before the application.",
    "Le travailleur compte au moins {ict_min_months} mois d'emploi continu à temps plein auprès de l'entreprise étrangère, hors du Canada, dans un poste semblable, au cours des {ict_lookback_months} mois précédant la demande.",
    ("worker.employment", "position.capacity"),
    "R205(a) / R204(a)",
    "ict_r205",
    lambda c: c.months_with_fe_check(
        "ict.prior_employment_12m",
        c.v["ict_min_months"],
        full_time=True,
        match_capacity=True,
        window=True,
        current_only=False,
        abroad=True,
    ),
    "Wait until the worker has {ict_min_months} months of continuous full-time employment with the foreign enterprise.",
    "Attendre que le travailleur compte {ict_min_months} mois d'emploi continu à temps plein auprès de l'entreprise étrangère.",
)

EMPLOYED_1Y_AT_APPLICATION = C(
    "ict.employed_1y_at_application",
    "At the time of application, the worker has been employed by the enterprise (full-time, continuously) for at least {ict_min_months} months in an equivalent position.",
    "Au moment de la demande, le travailleur est employé par l'entreprise (à temps plein, de façon continue) depuis au moins {ict_min_months} mois dans un poste équivalent.",
    ("worker.employment", "position.capacity"),
    R,
    "ceta_ict",
    lambda c: c.months_with_fe_check(
        "ict.employed_1y_at_application",
        c.v["ict_min_months"],
        full_time=True,
        match_capacity=True,
        window=False,
        current_only=True,
        abroad=True,
    ),
    "Wait until the worker has {ict_min_months} months of continuous full-time employment with the enterprise.",
    "Attendre que le travailleur compte {ict_min_months} mois d'emploi continu à temps plein auprès de l'entreprise.",
)

EXECUTIVE = C(
    "ict.executive_or_manager",
    "The worker is transferred as an executive or manager (primarily directs the organization or a function), in a TEER {ict_manager_teers_or} occupation.",
    "Le travailleur est muté à titre de cadre supérieur ou de gestionnaire (dirige principalement l'organisation ou une fonction), dans une profession FEER {ict_manager_teers_or}.",
    ("position.capacity", "position.noc_code"),
    "R205(a) / R204(a)",
    "ict_r205",
    lambda c: and3(c.capacity_in(EXEC_MGR), c.teer_in(c.v["ict_manager_teers"])),
)

SPECIALIZED = C(
    "ict.specialized_knowledge",
    "The worker is transferred in a specialized-knowledge capacity and has both advanced proprietary knowledge of the enterprise and advanced expertise.",
    "Le travailleur est muté à titre de personne ayant des connaissances spécialisées et possède à la fois des connaissances exclusives avancées de l'entreprise et une expertise avancée.",
    ("position.capacity", "worker.specialized_knowledge"),
    "R205(a) / R204(a)",
    "ict_r205",
    lambda c: and3(c.capacity_in(("specialized_knowledge",)), c.w.specialized_knowledge),
)

TRAINEE = C(
    "ict.graduate_trainee",
    "The worker is transferred as a graduate trainee for career development or training in business techniques, and holds a bachelor's degree or higher.",
    "Le travailleur est muté à titre de stagiaire diplômé pour son perfectionnement professionnel ou sa formation aux techniques de l'entreprise, et détient un baccalauréat ou plus.",
    ("position.capacity", "worker.education_level"),
    R,
    "ceta_ict",
    lambda c: and3(c.capacity_in(("trainee",)), c.edu_at_least("bachelor")),
)
# CETA and CUKTCA only (T42, F62): imp-rules.md §3.2 item 4, "holds a bachelor's degree or professional-level
# licence"; the other agreements' management trainees (Colombia F14, Korea F34, Peru F54) keep TRAINEE
CETA_TRAINEE = C(
    "ceta.graduate_trainee",
    "The worker is transferred as a graduate trainee for career development or training in business techniques, and holds a bachelor's degree or higher or a professional-level licence.",
    "Le travailleur est muté à titre de stagiaire diplômé pour son perfectionnement professionnel ou sa formation aux techniques de l'entreprise, et détient un baccalauréat ou plus ou un permis d'exercice de niveau professionnel.",
    ("position.capacity", "worker.education_level", "worker.professional_licence"),
    R,
    "ceta_ict",
    lambda c: and3(c.capacity_in(("trainee",)), or3(c.edu_at_least("bachelor"), c.w.professional_licence)),
)

RETAINS = C(
    "ict.position_abroad_kept",
    "The transfer is temporary and the worker's position abroad stays available for their return, confirmed by a letter from the foreign enterprise.",
    "La mutation est temporaire et le poste du travailleur à l'étranger reste disponible à son retour, ce que confirme une lettre de l'entreprise étrangère.",
    ("worker.retains_position_abroad", "worker.position_abroad_letter"),
    "R205(a) / R204(a)",
    "ict_r205",
    lambda c: and3(c.w.retains_position_abroad, c.w.position_abroad_letter),
)


@cache
def canadian_doing_business(p: Program) -> Criterion:
    """The Canadian enterprise doing business, cited to the agreement's own transferee instructions (it cited
    CUSMA's for every agreement: rules/README.md item 71)."""
    return C(
        f"{p.key}.canadian_doing_business",
        "The Canadian enterprise is doing business, or (new office) will do business with a plan showing it can support the role.",
        "L'entreprise canadienne exerce ses activités ou (nouveau bureau) les exercera selon un plan montrant qu'elle peut soutenir le poste.",
        ("employer.actively_engaged", "employer.start_up", "employer.business_plan"),
        R,
        p.src_ict,
        lambda c: (
            True
            if c.e.actively_engaged is True
            else (
                c.e.business_plan
                if c.e.start_up is True
                else (False if c.e.actively_engaged is False and c.e.start_up is False else None)
            )
        ),
    )


@cache
def ict_cap_left(cap: int) -> Criterion:
    """The worker has not used up the code's total cap on intra-company transfer time (``cap`` months,
    pooled across every ICT code, R204(a) and R205(a); imp-rules.md §3.1, §3.4, §4.8): after the cap, a
    year full time abroad with the enterprise before a new ICT permit. Time not given is not held against
    the worker (most files give none: a first transfer). The question asks for the months since the worker
    last spent a full year working for the group abroad, so a worker who requalified answers 0."""
    return C(
        f"ict.cap_left_{cap}",
        "The worker has not used up this code's total limit on intra-company transfer time in Canada (time under every intra-company transfer code counts; a full year working for the group abroad starts it again).",
        "Le travailleur n'a pas épuisé la durée totale permise par ce code pour les mutations à l'intérieur d'une société au Canada (le temps passé sous tout code de mutation compte ; une année complète de travail pour le groupe à l'étranger le remet à zéro).",
        "worker.ict_months_used",
        "R205(a) / R204(a)",
        "ict_r205",
        lambda c: True if c.w.ict_months_used is None else c.w.ict_months_used < cap,
    )


ICT_EVIDENCE = (
    (
        "Letter of introduction: current and Canadian positions, duties, duration, corporate relationship",
        "Lettre de présentation : postes actuel et canadien, fonctions, durée, lien entre les sociétés",
    ),
    (
        "Proof of the corporate relationship (share registers, annual reports, organization charts)",
        "Preuve du lien entre les sociétés (registres des actionnaires, rapports annuels, organigrammes)",
    ),
    (
        "Proof of {ict_min_months} months' continuous full-time employment (payslips, employer letter)",
        "Preuve de {ict_min_months} mois d'emploi continu à temps plein (talons de paie, lettre de l'employeur)",
    ),
    (
        "Proof that both enterprises are doing business",
        "Preuve que les deux entreprises exercent leurs activités",
    ),
    # what criterion ict.position_abroad_kept reads (worker.position_abroad_letter, imp-rules.md §8 item 11)
    (
        "Letter from the foreign enterprise confirming the worker's position abroad is kept for their return",
        "Lettre de l'entreprise étrangère confirmant que le poste du travailleur à l'étranger lui est conservé "
        "pour son retour",
    ),
)
# A graduate trainee's degree (or professional-level licence), what ``CETA_TRAINEE`` reads: imp-rules.md §3.2,
# CETA transferees' evidence "degree (T42)"; CUKTCA mirrors CETA (F62)
CETA_TRAINEE_EVIDENCE = (
    (
        "Bachelor's degree or higher (or professional-level licence); transcripts",
        "Baccalauréat ou diplôme supérieur (ou permis d'exercice de niveau professionnel) ; relevés de notes",
    ),
)
# A management trainee's degree under the other agreements, what ``TRAINEE`` (Colombia F14, Korea F34, Peru
# F54) and CPTPP's ``ict.management_trainee`` (T54) read: the same proof as T42's, without the licence those
# criteria do not accept (imp-rules.md §3.2 evidence "degree (T42)", §3.3 management trainees)
TRAINEE_EVIDENCE = (
    (
        "Bachelor's degree or higher; transcripts",
        "Baccalauréat ou diplôme supérieur ; relevés de notes",
    ),
)
SK_EVIDENCE = (
    (
        "Evidence of proprietary knowledge and expertise (training records, patents, internal tools)",
        "Preuve des connaissances exclusives et de l'expertise (dossiers de formation, brevets, outils internes)",
    ),
)


EXEC_OR_SK = C(
    "ict.executive_or_specialist",
    "The worker is transferred as an executive, manager or specialist (specialized knowledge).",
    "Le travailleur est muté à titre de cadre, de gestionnaire ou de spécialiste (connaissances spécialisées).",
    ("position.capacity", "position.noc_code", "worker.specialized_knowledge"),
    R,
    "codes_table",
    lambda c: EXECUTIVE.fn(c) if c.p.capacity in EXEC_MGR else SPECIALIZED.fn(c),
)

# ICT code tuples: gates = citizenship, enterprise country, relationship


def ict_criteria(p: Program, role: Criterion, eligible: Criterion | None = None) -> tuple[Criterion, ...]:
    """An agreement's ICT code in ``role`` (``EXECUTIVE``, ``SPECIALIZED``, ``TRAINEE``): currently with
    the enterprise and ``ict_min_months`` with it within the look-back window. ``eligible`` replaces the
    citizenship of the program where a category has its own list (CPTPP)."""
    return (
        eligible or citizen(p),
        enterprise_of(p),
        RELATIONSHIP,
        FOREIGN_DOING_BUSINESS,
        CURRENTLY_EMPLOYED,
        PRIOR_12M,
        role,
        RETAINS,
        canadian_doing_business(p),
    )


def ceta_ict(p: Program, role: Criterion) -> tuple[Criterion, ...]:
    return (
        citizen(p),
        enterprise_of(p),
        CETA_RELATIONSHIP,
        FOREIGN_DOING_BUSINESS,
        EMPLOYED_1Y_AT_APPLICATION,
        role,
        RETAINS,
        canadian_doing_business(p),
    )


def ict_codes(
    p: Program,
    *,
    executive: str,
    specialist: str,
    trainee: str | None = None,
    criteria: Callable[[Program, Criterion], tuple[Criterion, ...]] = ict_criteria,
    trainee_role: Criterion = TRAINEE,
    trainee_evidence: tuple[tuple[str, str], ...] = TRAINEE_EVIDENCE,
) -> tuple[CodeRule, ...]:
    """An agreement's ICT codes: executives and managers, trainees where it has a code for them, and
    specialists (specialized knowledge, with its evidence); ``criteria`` is ``ceta_ict`` for CETA and
    CUKTCA (employed for the months required at the application, no look-back window); ``trainee_role``:
    the trainee's criterion (``CETA_TRAINEE`` for CETA and CUKTCA, which accept a professional licence), and
    ``trainee_evidence`` the proof of it the packet lists (``TRAINEE_EVIDENCE``, ``CETA_TRAINEE_EVIDENCE``)."""
    roles: list[tuple[str, Criterion, tuple[tuple[str, str], ...]]] = [(executive, EXECUTIVE, ICT_EVIDENCE)]
    if trainee:
        roles.append((trainee, trainee_role, ICT_EVIDENCE + trainee_evidence))
    roles.append((specialist, SPECIALIZED, ICT_EVIDENCE + SK_EVIDENCE))
    return tuple(CodeRule(code, criteria(p, role), 3, evidence) for code, role, evidence in roles)


# --------------------------------------------------------------------------- professionals
NOT_SELF_EMPLOYED_IN_CANADA = C(
    "fta.not_self_employed_in_canada",
    "The work is pre-arranged with a Canadian enterprise that the worker does not own or control (no self-employment in Canada).",
    "Le travail est préalablement convenu avec une entreprise canadienne que le travailleur ne détient ni ne contrôle (pas de travail autonome au Canada).",
    "worker.ownership_pct",
    R,
    "cusma_professionals",
    lambda c: None if c.w.ownership_pct is None else c.w.ownership_pct < c.v["control_ownership_min_pct"],
)

LICENCE = C(
    "fta.licence",
    "If the occupation is regulated in the province of work, the worker holds or can obtain the provincial licence.",
    "Si la profession est réglementée dans la province de travail, le travailleur détient ou peut obtenir le permis provincial.",
    ("position.licence_required", "worker.canadian_licence"),
    "R200(3)(a)",
    "cusma_professionals",
    lambda c: c.licence_ok(),
)

LISTED = C(
    "fta.listed_occupation",
    "The occupation is on the agreement's list of professions or technicians for the worker's country.",
    "La profession figure sur la liste des professions ou des techniciens de l'accord pour le pays du travailleur.",
    "position.fta_listed_occupation",
    R,
    "codes_table",
    lambda c: c.p.fta_listed_occupation,
)

PREVAILING_WAGE = C(
    "fta.prevailing_wage",
    "The wage offered is at least the prevailing wage for the occupation and region.",
    "Le salaire offert est au moins égal au salaire en vigueur pour la profession et la région.",
    ("position.wage_hourly_cad", "position.prevailing_wage_hourly_cad"),
    R,
    "cptpp",
    lambda c: c.wage_at_least_prevailing(),
    "Raise the wage to at least the prevailing wage.",
    "Porter le salaire au moins au niveau du salaire en vigueur.",
)


@cache
def professional_level(
    key: str,
    technicians: bool,
    prof_exp: str | None,
    tech_exp: str | None,
    prof_edu: str = "bachelor",
    tech_edu: str = "post_secondary_2y",
    prof_teers: str = "fta_professional_teers",
) -> Criterion:
    """``prof_exp`` / ``tech_exp``: the parameter giving the years of experience required (None: none);
    ``prof_teers``: the parameter giving the professionals' TEER categories (CPTPP dates its own, item 69)."""

    def fn(c: Ctx) -> bool | None:
        prof = and3(
            c.teer_in(c.v[prof_teers]),
            c.edu_at_least(prof_edu),
            c.exp_at_least(c.v[prof_exp]) if prof_exp else True,
        )
        if not technicians:
            return prof
        tech = and3(
            c.teer_in(c.v["fta_technician_teers"]),
            c.edu_at_least(tech_edu),
            c.exp_at_least(c.v[tech_exp]) if tech_exp else True,
        )
        return prof if prof is True else (tech if tech is not False else prof)

    pe_en = f", {{{prof_exp}}} years experience" if prof_exp else ""
    te_en = f", {{{tech_exp}}} years experience" if tech_exp else ""
    pe_fr = f", {{{prof_exp}}} ans d'expérience" if prof_exp else ""
    te_fr = f", {{{tech_exp}}} ans d'expérience" if tech_exp else ""
    if technicians:
        en = (
            f"Professional (TEER {{{prof_teers}_or}}, degree{pe_en}) or technician "
            f"(TEER {{fta_technician_teers_or}}, post-secondary diploma{te_en})."
        )
        fr = (
            f"Professionnel (FEER {{{prof_teers}_or}}, diplôme universitaire{pe_fr}) ou technicien "
            f"(FEER {{fta_technician_teers_or}}, diplôme postsecondaire{te_fr})."
        )
    else:
        en = (
            f"Professional-level job (TEER {{{prof_teers}_or}}) and the worker holds the required degree"
            + (f" and {{{prof_exp}}} years of experience" if prof_exp else "")
            + "."
        )
        fr = (
            f"Poste de niveau professionnel (FEER {{{prof_teers}_or}}) et le travailleur détient le diplôme exigé"
            + (f" et {{{prof_exp}}} ans d’expérience" if prof_exp else "")
            + "."
        )
    return C(
        f"{key}.professional_level",
        en,
        fr,
        ("position.noc_code", "worker.education_level", "worker.experience_years"),
        R,
        "codes_table",
        fn,
    )


def fta_professional(
    p: Program,
    *,
    technicians: bool,
    prof_exp: str | None = None,
    tech_exp: str | None = None,
    wage: bool = False,
    prof_edu: str = "bachelor",
    tech_edu: str = "post_secondary_2y",
    prof_teers: str = "fta_professional_teers",
) -> tuple[Criterion, ...]:
    """Gates: citizenship, listed occupation."""
    crit = [
        citizen(p),
        LISTED,
        professional_level(p.key, technicians, prof_exp, tech_exp, prof_edu, tech_edu, prof_teers),
        NOT_SELF_EMPLOYED_IN_CANADA,
        LICENCE,
    ]
    if wage:
        crit.append(PREVAILING_WAGE)
    return tuple(crit)


# The passport the offer names is the one of the agreement's country (a dual national may hold another):
# one item, which takes the place of the general checklist's "Passport (the one entered in the offer)"
# (rules.engine: _evidence, EVIDENCE_RENAMED).
PASSPORT_OF_THE_AGREEMENT = (
    "Passport of the agreement country (the one entered in the offer)",
    "Passeport du pays de l'accord (celui inscrit dans l'offre)",
)
PROF_EVIDENCE = (
    PASSPORT_OF_THE_AGREEMENT,
    ("Degrees, diplomas and licences; transcripts", "Diplômes, certificats et permis ; relevés de notes"),
    (
        "Employer letter: title, duties, term, pay arrangement, required education",
        "Lettre de l'employeur : titre, fonctions, durée, rémunération, études exigées",
    ),
    ("Reference letters proving experience", "Lettres de référence prouvant l'expérience"),
)

# --------------------------------------------------------------------------- CSS / IP / technologists
SERVICE_CONTRACT = C(
    "fta.service_contract",
    "The worker will supply a service in Canada under a contract between the foreign enterprise (or the worker, if self-employed) and the Canadian client.",
    "Le travailleur fournira un service au Canada en vertu d'un contrat entre l'entreprise étrangère (ou le travailleur, s'il est autonome) et le client canadien.",
    "position.work_type",
    R,
    "ceta_css_ip",
    lambda c: c.work_type_is("service_contract"),
)

NO_ESTABLISHMENT = C(
    "fta.no_establishment_in_canada",
    "The foreign enterprise has no establishment in Canada.",
    "L'entreprise étrangère n'a pas d'établissement au Canada.",
    "foreign_enterprise.establishment_in_canada",
    R,
    "ceta_css_ip",
    lambda c: not3(c.fe.establishment_in_canada),
)

CSS_EMPLOYEE_1Y = C(
    "css.employee_1y",
    "The worker has been an employee of the foreign enterprise for at least {css_min_employee_months} months.",
    "Le travailleur est employé de l'entreprise étrangère depuis au moins {css_min_employee_months} mois.",
    "worker.employment",
    R,
    "ceta_css_ip",
    lambda c: c.months_with_fe_check(
        "css.employee_1y",
        c.v["css_min_employee_months"],
        full_time=False,
        match_capacity=False,
        window=False,
        current_only=True,
    ),
)

CSS_EMPLOYEE = C(
    "css.employee",
    "The worker is an employee of the foreign enterprise (not self-employed).",
    "Le travailleur est un employé de l'entreprise étrangère (pas un travailleur autonome).",
    "worker.self_employed",
    R,
    "ceta_css_ip",
    lambda c: not3(c.w.self_employed),
)

CSS_PAID_ABROAD = C(
    "css.paid_by_foreign_enterprise",
    "The worker is paid only by the foreign enterprise that employs them, not by the Canadian client.",
    "Le travailleur est payé uniquement par l'entreprise étrangère qui l'emploie, pas par le client canadien.",
    "position.paid_by",
    R,
    "ceta_css_ip",
    lambda c: None if c.p.paid_by is None else c.p.paid_by == "foreign_enterprise",
)

CSS_EXPERIENCE = C(
    "css.experience",
    "The worker has at least {css_min_experience_years} years of professional experience in the sector.",
    "Le travailleur a au moins {css_min_experience_years} ans d'expérience professionnelle dans le secteur.",
    "worker.experience_years",
    R,
    "ceta_css_ip",
    lambda c: c.exp_at_least(c.v["css_min_experience_years"]),
)

IP_SELF_EMPLOYED = C(
    "ip.self_employed",
    "The worker is self-employed (independent professional) abroad.",
    "Le travailleur exerce à titre autonome (professionnel indépendant) à l'étranger.",
    "worker.self_employed",
    R,
    "ceta_css_ip",
    lambda c: c.w.self_employed,
)

IP_EXPERIENCE = C(
    "ip.experience",
    "The worker has at least {ip_min_experience_years} years of professional experience in the sector.",
    "Le travailleur a au moins {ip_min_experience_years} ans d'expérience professionnelle dans le secteur.",
    "worker.experience_years",
    R,
    "ceta_css_ip",
    lambda c: c.exp_at_least(c.v["ip_min_experience_years"]),
)

DEGREE = C(
    "css.degree",
    "The worker holds a university degree (or equivalent qualification) and any professional qualification required in the province.",
    "Le travailleur détient un diplôme universitaire (ou une qualification équivalente) et toute qualification professionnelle exigée dans la province.",
    ("worker.education_level", "position.licence_required", "worker.canadian_licence"),
    R,
    "ceta_css_ip",
    lambda c: and3(c.edu_at_least("bachelor"), c.licence_ok()),
)

PROFESSIONAL_TEER = C(
    "css.professional_teer",
    "The job is a TEER {professional_teers_or} occupation.",
    "Le poste relève d'une profession FEER {professional_teers_or}.",
    "position.noc_code",
    R,
    "ceta_css_ip",
    lambda c: c.teer_in(c.v["professional_teers"]),
)

CSS_SECTOR = C(
    "css.sector",
    "The service is in a sector the agreement opens to contractual service suppliers (CETA Annex 10-E).",
    "Le service relève d'un secteur que l'accord ouvre aux fournisseurs de services contractuels (annexe 10-E de l'AECG).",
    "position.service_sector",
    R,
    "ceta_css_ip",
    lambda c: None if c.p.service_sector is None else c.p.service_sector in c.v["ceta_css_sectors"],
)

IP_SECTOR = C(
    "ip.sector",
    "The service is in a sector the agreement opens to independent professionals (CETA Annex 10-E).",
    "Le service relève d'un secteur que l'accord ouvre aux professionnels indépendants (annexe 10-E de l'AECG).",
    "position.service_sector",
    R,
    "ceta_css_ip",
    lambda c: None if c.p.service_sector is None else c.p.service_sector in c.v["ceta_ip_sectors"],
)

CSS_DURATION = C(
    "css.max_12_months",
    "The permit is capped at {css_ip_max_months} months (cumulative in any {css_ip_window_months}-month period); a longer contract still fits, with the permit capped (the commitments cover only its first {css_ip_max_months} months).",
    "Le permis est limité à {css_ip_max_months} mois (cumulés sur toute période de {css_ip_window_months} mois) ; un contrat plus long convient, avec un permis limité (les engagements ne couvrent que ses {css_ip_max_months} premiers mois).",
    (),
    R,
    "ceta_css_ip",
    lambda c: True,  # a cap on the permit, not an eligibility test (imp-rules.md §8 item 9): see durations
)

# How a field of study of the technologists' list reads when typed, in English or French (lower case; a
# stem begins a word of the text): "Chemistry", "chemical engineering technology", "Chimie" — not
# "physical education" for physics.
TECHNOLOGIST_FIELD_STEMS = {
    "engineering_technology": ("engineering technolog", "technologie du génie", "technologie de génie"),
    "agriculture": ("agricultur", "agronom"),
    "architecture": ("architect",),
    "biology": ("biolog",),
    "chemistry": ("chemi", "chimi"),
    "physics": ("physics", "physique"),
    "forestry": ("forest", "foresteri", "forêt"),
    "geology": ("geolog", "géolog"),
    "geophysics": ("geophysi", "géophysi"),
    "mining": ("mining", "mines", "minier", "minière"),
    "energy": ("energy", "énergi"),
}


def technologist_field(c: Ctx) -> bool | None:
    """The worker's field of study is one of the technologists' list (as typed: a key, or a stem of one)."""
    typed = c.w.education_field
    if typed is None:
        return None
    text = " ".join(typed.lower().replace("_", " ").split())
    return any(
        re.search(rf"\b{re.escape(stem)}", text)
        for field in c.v["technologist_fields"]
        for stem in (field.replace("_", " "), *TECHNOLOGIST_FIELD_STEMS.get(field, ()))
    )


TECH_FIELD = C(
    "technologist.field",
    "The worker holds a post-secondary degree of at least {technologist_min_study_years} years in engineering technology or a listed science (agriculture, architecture, biology, chemistry, physics, forestry, geology, geophysics, mining or energy).",
    "Le travailleur détient un diplôme postsecondaire d'au moins {technologist_min_study_years} ans en technologie du génie ou dans une science énumérée (agriculture, architecture, biologie, chimie, physique, foresterie, géologie, géophysique, mines ou énergie).",
    ("worker.education_level", "worker.education_field"),
    R,
    "ceta_technologists",
    lambda c: and3(
        c.edu_at_least(f"post_secondary_{c.v['technologist_min_study_years']}y"),
        technologist_field(c),
    ),
)


@cache
def tech_css_or_ip(p: Program) -> Criterion:
    """A technologist supplies the service as a contractual service supplier or as an independent
    professional (imp-rules.md §3.2 T48: "CSS or IP with the same 1-year/3-year (CSS) or 6-year (IP)
    experience"): as a supplier, an employee of an enterprise of the agreement's country (§3.2 T47: "employee
    of an EU enterprise"), like ``css_criteria``'s ``enterprise_of``."""

    def fn(c: Ctx) -> bool | None:
        css = and3(
            CSS_EMPLOYEE.fn(c),
            enterprise_of(p).fn(c),
            CSS_EMPLOYEE_1Y.fn(c),
            NO_ESTABLISHMENT.fn(c),
            CSS_PAID_ABROAD.fn(c),
            CSS_EXPERIENCE.fn(c),
        )
        ip = and3(IP_SELF_EMPLOYED.fn(c), IP_EXPERIENCE.fn(c))
        if css is True or ip is True:
            return True
        return None if (css is None or ip is None) else False

    return C(
        f"{p.key}.technologist_css_or_ip",
        "Either an employee for {css_min_employee_months} months of an enterprise of "
        + p.who_en
        + " without a Canadian establishment, paid only by it, with {css_min_experience_years} years' experience, or self-employed with {ip_min_experience_years} years' experience.",
        "Soit employé depuis {css_min_employee_months} mois d'une entreprise "
        + p.who_fr
        + " sans établissement au Canada, payé uniquement par elle, avec {css_min_experience_years} ans d'expérience, soit travailleur autonome avec {ip_min_experience_years} ans d'expérience.",
        (
            "worker.employment",
            "foreign_enterprise.country",
            "foreign_enterprise.establishment_in_canada",
            "position.paid_by",
            "worker.experience_years",
            "worker.self_employed",
        ),
        R,
        "ceta_technologists",
        fn,
    )


# A technologist's 3-year degree stands for the university degree (§3.2 T48); the provincial licence of a
# regulated occupation is still required, as for every service supplier (§3.2: "plus any professional
# qualification required in the province")
TECH_LICENCE = C(
    "technologist.licence",
    "If the occupation is regulated in the province of work, the worker holds or can obtain the provincial licence.",
    "Si la profession est réglementée dans la province de travail, le travailleur détient ou peut obtenir le permis provincial.",
    ("position.licence_required", "worker.canadian_licence"),
    R,
    "ceta_technologists",
    lambda c: c.licence_ok(),
)

# The Canadian client signs the employment agreement with the worker (imp-rules.md §3.2): the general
# checklist's "Signed employment agreement" is this one (rules.engine: _evidence, EVIDENCE_RENAMED).
CLIENT_AGREEMENT = (
    "Employment agreement signed by the Canadian client",
    "Contrat de travail signé par le client canadien",
)
SERVICE_CONTRACT_EVIDENCE = (
    "Signed service contract between the foreign enterprise (or the worker) and the Canadian client",
    "Contrat de services signé entre l'entreprise étrangère (ou le travailleur) et le client canadien",
)
SERVICE_QUALIFICATIONS = (
    ("Degree and any provincial licence", "Diplôme et tout permis provincial"),
    (
        "Proof of experience (and of {css_min_employee_months} months' employment for service suppliers)",
        "Preuve de l'expérience (et de {css_min_employee_months} mois d'emploi pour les fournisseurs de services)",
    ),
)
SERVICE_EVIDENCE = (SERVICE_CONTRACT_EVIDENCE, *SERVICE_QUALIFICATIONS, CLIENT_AGREEMENT)
# An independent professional (T43, F60) is self-employed: no one employs them, in Canada or abroad, and the
# Canadian client engages them by a contract for services (IRCC's CETA instructions, ceta_css_ip: an
# independent professional is "self-employed" and supplies a service under a contract). The checklist asks
# for that contract, signed by the worker, in place of an employment agreement (rules/README.md item 65).
IP_CONTRACT_EVIDENCE = (
    "Signed service contract between the self-employed worker and the Canadian client",
    "Contrat de services signé entre le travailleur autonome et le client canadien",
)
# ... and for the experience the agreement asks of them ({ip_min_experience_years} years in the sector, criterion
# ip.experience): the service suppliers' "(and of 12 months' employment ...)" is an employee's, which a self-employed
# professional is not (rules/README.md item 68)
IP_EXPERIENCE_EVIDENCE = (
    "Proof of at least {ip_min_experience_years} years of professional experience in the sector",
    "Preuve d'au moins {ip_min_experience_years} ans d'expérience professionnelle dans le secteur",
)
IP_EVIDENCE = (IP_CONTRACT_EVIDENCE, SERVICE_QUALIFICATIONS[0], IP_EXPERIENCE_EVIDENCE)


def css_criteria(p: Program) -> tuple[Criterion, ...]:
    return (
        citizen(p),
        SERVICE_CONTRACT,
        CSS_EMPLOYEE,
        enterprise_of(p),
        NO_ESTABLISHMENT,
        CSS_PAID_ABROAD,
        CSS_EMPLOYEE_1Y,
        CSS_EXPERIENCE,
        DEGREE,
        CSS_SECTOR,
        PROFESSIONAL_TEER,
        CSS_DURATION,
    )


def ip_criteria(p: Program) -> tuple[Criterion, ...]:
    return (
        citizen(p),
        SERVICE_CONTRACT,
        IP_SELF_EMPLOYED,
        IP_EXPERIENCE,
        DEGREE,
        IP_SECTOR,
        PROFESSIONAL_TEER,
        CSS_DURATION,
    )


def technologist_criteria(p: Program) -> tuple[Criterion, ...]:
    return (
        citizen(p),
        SERVICE_CONTRACT,
        tech_css_or_ip(p),
        TECH_FIELD,
        TECH_LICENCE,
        PROFESSIONAL_TEER,
        CSS_DURATION,
    )


@cache
def ceta_investor_role(p: Program) -> Criterion:
    """CETA's investors (and CUKTCA's, "the same as CETA") establish, develop or administer the investment "in a
    capacity that is supervisory or executive" (IRCC's CETA investors instructions, ``ceta_investors``): an employee
    needed only for essential skills, whom CUSMA's investors cover (``EXEC_OR_ESSENTIAL``), is not one
    (rules/README.md item 73)."""
    return C(
        f"{p.key}.investor_supervisory_or_executive",
        "The position is supervisory or executive (the agreement names no employee with essential skills).",
        "Le poste comporte des fonctions de supervision ou de direction (l'accord ne vise pas l'employé aux compétences essentielles).",
        "position.capacity",
        R,
        p.src_invest,
        lambda c: c.capacity_in(EXEC_MGR),
    )


def ceta_family(
    p: Program, ict: tuple[str, str, str], investor: str, services: tuple[str, str, str]
) -> tuple[CodeRule, ...]:
    """CETA's codes and CUKTCA's, which mirror them: ``ict`` the intra-corporate transferees' codes
    (executive or manager, graduate trainee, specialist; ``ceta_ict``: employed for the months required at
    the application, and a trainee may hold a professional licence instead of a degree), ``investor``,
    and ``services`` (contractual service suppliers, independent professionals, technologists)."""
    executive, trainee, specialist = ict
    suppliers, independent, technologists = services
    return (
        *ict_codes(
            p,
            executive=executive,
            trainee=trainee,
            specialist=specialist,
            criteria=ceta_ict,
            trainee_role=CETA_TRAINEE,
            trainee_evidence=CETA_TRAINEE_EVIDENCE,
        ),
        CodeRule(
            investor,
            (citizen(p), ceta_investor_role(p), enterprise_nationality(p), SUBSTANTIAL_INVESTMENT),
            2,
            INVESTOR_EVIDENCE,
        ),
        CodeRule(suppliers, css_criteria(p), 2, SERVICE_EVIDENCE),
        CodeRule(independent, ip_criteria(p), 2, IP_EVIDENCE),
        CodeRule(technologists, technologist_criteria(p), 2, SERVICE_EVIDENCE),
    )
