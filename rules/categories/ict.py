"""Intra-company transferees under R205(a): C61 (new office), C62 (executives/managers), C63
(specialized knowledge). Before 2022-12-15 all three were C12."""

from ..params import CODES
from . import fta
from .base import C, CodeRule, Ctx, and3, ge

R = "R205(a)"

MNC = C(
    "ict.mnc",
    "The foreign enterprise is part of a multinational: it has revenue-generating operations in at least one country other than its home country.",
    "L'entreprise étrangère fait partie d'une multinationale : elle exerce des activités génératrices de revenus dans au moins un pays autre que son pays d'origine.",
    (
        "foreign_enterprise.countries_of_operation",
        "foreign_enterprise.country",
        "employer.actively_engaged",
        "employer.start_up",
    ),
    R,
    "ict_r205",
    lambda c: c.multinational(),  # Canada counts once its enterprise is known to do business there
)
MNC_BEFORE_CANADA = C(
    "ict.c61_mnc_before_canada",
    "The foreign enterprise already operates in at least {c61_min_countries_before_canada} countries (home plus one other) before coming to Canada.",
    "L'entreprise étrangère exerce déjà ses activités dans au moins {c61_min_countries_before_canada} pays (pays d'origine et un autre) avant de venir au Canada.",
    ("foreign_enterprise.countries_of_operation", "foreign_enterprise.country"),
    R,
    "ict_r205",
    lambda c: ge(c.countries_of_operation(include_canada=False), c.v["c61_min_countries_before_canada"]),
)
ACTIVE = C(
    "ict.canadian_actively_engaged",
    "The Canadian enterprise is actively engaged in business (not a shell or a mere agent or office).",
    "L'entreprise canadienne exerce activement ses activités (pas une société fictive ni un simple agent ou bureau).",
    ("employer.actively_engaged", "employer.start_up"),
    R,
    "ict_r205",
    lambda c: False if c.e.start_up is True else c.e.actively_engaged,
)
PREMISES = C(
    "ict.physical_premises",
    "The work will be done at physical commercial premises in Canada (no residential or virtual office).",
    "Le travail sera effectué dans des locaux commerciaux physiques au Canada (pas de bureau résidentiel ou virtuel).",
    "employer.physical_premises",
    R,
    "ict_r205",
    lambda c: c.e.physical_premises,
)
NEW_ENTITY = C(
    "ict.c61_new_entity",
    "The Canadian branch, subsidiary or affiliate is being established (start-up).",
    "La succursale, filiale ou société affiliée canadienne est en cours d'établissement (démarrage).",
    "employer.start_up",
    R,
    "ict_r205",
    lambda c: c.e.start_up,
)
STARTUP_PLAN = C(
    "ict.c61_plans",
    "There is a business plan, a staffing plan showing the entity can support the role for the whole permit, and the financial capacity to start.",
    "Il existe un plan d'affaires, un plan de dotation montrant que l'entité peut soutenir le poste pendant toute la durée du permis, et la capacité financière de démarrer.",
    ("employer.business_plan", "employer.staffing_plan", "employer.financial_capacity"),
    R,
    "ict_r205",
    lambda c: and3(c.e.business_plan, c.e.staffing_plan, c.e.financial_capacity),
)


C61_ROLE = C(
    "ict.c61_role",
    "The worker is an executive or manager (TEER {ict_manager_teers_or} occupation) or a specialized-knowledge employee of the existing multinational.",
    "Le travailleur est un cadre ou un gestionnaire (profession FEER {ict_manager_teers_or}) ou un employé ayant des connaissances spécialisées de la multinationale existante.",
    ("position.capacity", "position.noc_code", "worker.specialized_knowledge"),
    R,
    "ict_r205",
    # an executive or manager in a TEER 0 or 1 occupation, as for C62 (a first-line supervisor is no manager),
    # or a specialized-knowledge employee, as for C63: the test of the agreements' ICT codes (rules/README.md item 63)
    fta.EXEC_OR_SK.fn,
)


def _c61_sk_wage(c: Ctx) -> bool | None:
    """IRCC: "For entries pursuant to R205, the applicant must be offered a wage given consistent with the Canadian
    prevailing wage" (specialized knowledge, source ict_sk_positions): a specialized-knowledge worker opening the
    new office (C61, an R205(a) entry) too, not only under C63. An executive or manager has no wage floor."""
    wage_ok = c.wage_at_least_prevailing()
    if c.p.capacity is None:
        return None if wage_ok is not True else True
    return wage_ok if c.p.capacity == "specialized_knowledge" else True


C61_SK_WAGE = C(
    "ict.c61_sk_wage",
    "A specialized-knowledge worker is paid at least the prevailing wage (Job Bank median) for the occupation and region, as under C63; allowances such as housing or per diems do not count.",
    "Un travailleur ayant des connaissances spécialisées reçoit au moins le salaire en vigueur (médiane du Guichet-Emplois) pour la profession et la région, comme sous C63 ; les indemnités comme le logement ou les indemnités journalières ne comptent pas.",
    ("position.capacity", "position.wage_hourly_cad", "position.prevailing_wage_hourly_cad"),
    R,
    "ict_sk_positions",
    _c61_sk_wage,
    "Raise the wage to at least the prevailing wage for the occupation and region.",
    "Porter le salaire au moins au niveau du salaire en vigueur pour la profession et la région.",
)
WAGE_FLOOR = C(
    "ict.c63_wage_floor",
    "The wage is at least the prevailing wage (Job Bank median) for the occupation and region; allowances such as housing or per diems do not count.",
    "Le salaire est au moins égal au salaire en vigueur (médiane du Guichet-Emplois) pour la profession et la région ; les indemnités comme le logement ou les indemnités journalières ne comptent pas.",
    ("position.wage_hourly_cad", "position.prevailing_wage_hourly_cad"),
    R,
    "ict_r205",
    lambda c: c.wage_at_least_prevailing(),
    "Raise the wage to at least the prevailing wage for the occupation and region.",
    "Porter le salaire au moins au niveau du salaire en vigueur pour la profession et la région.",
)

# C61 has no total cap of its own (a year, then C62 or C63), but the pooled ICT time counts against it
# too (imp-rules.md §3.4: "caps cumulative across ICT codes"): the cap of the code the worker moves on
# to, C63's for specialized knowledge, else C62's.
C61_CAP = C(
    "ict.c61_cap_left",
    "The worker has not used up the total limit on intra-company transfer time of the code that follows C61 (C62 for executives and managers, C63 for specialized knowledge; time under every intra-company transfer code counts).",
    "Le travailleur n'a pas épuisé la durée totale de mutation à l'intérieur d'une société du code qui suit C61 (C62 pour les cadres et gestionnaires, C63 pour les connaissances spécialisées ; le temps passé sous tout code de mutation compte).",
    ("worker.ict_months_used", "position.capacity"),
    "R205(a)",
    "ict_r205",
    lambda c: (
        True
        if c.w.ict_months_used is None
        else c.w.ict_months_used
        < CODES["C63" if c.p.capacity == "specialized_knowledge" else "C62"].durations["total_cap"]
    ),
)

MULTINATIONAL_EVIDENCE = (
    "Proof of the multinational's foreign and third-country operations",
    "Preuve des activités de la multinationale à l'étranger et dans un pays tiers",
)
# C62/C63: a Canadian enterprise already doing business shows it by its filings and payroll
ACTIVE_EVIDENCE = (
    "Proof the Canadian entity is actively engaged (articles, T2 returns, CRA payroll account, lease)",
    "Preuve que l'entité canadienne est active (statuts, déclarations T2, compte de retenues sur la paie de l'ARC, bail)",
)
_EVID = fta.ICT_EVIDENCE + (ACTIVE_EVIDENCE, MULTINATIONAL_EVIDENCE)
# C61: the Canadian company is being set up: it has filed no T2 return and may have no payroll yet, and it is
# not doing business yet (criterion ict.canadian_actively_engaged is not C61's). The R205(a) ICT guidelines
# (rules/README.md item 53) ask of a start-up that the foreign enterprise is doing business, and of the new
# entity its incorporation, secured premises, a staffing plan, a business plan and the funds to start:
# those replace "both enterprises are doing business" and the T2 returns and payroll account.
FOREIGN_DOING_BUSINESS_EVIDENCE = (
    "Proof that the foreign enterprise is doing business (annual reports, financial statements)",
    "Preuve que l'entreprise étrangère exerce ses activités (rapports annuels, états financiers)",
)
INCORPORATION_EVIDENCE = (
    "Proof that the Canadian entity is incorporated or registered (certificate and articles of incorporation, "
    "or the branch's registration in the province)",
    "Preuve de la constitution ou de l'enregistrement de l'entité canadienne (certificat et statuts "
    "constitutifs, ou enregistrement de la succursale dans la province)",
)
BOTH_DOING_BUSINESS = "Proof that both enterprises are doing business"
_C61_EVID = tuple(
    FOREIGN_DOING_BUSINESS_EVIDENCE if en == BOTH_DOING_BUSINESS else (en, fr) for en, fr in fta.ICT_EVIDENCE
) + (INCORPORATION_EVIDENCE, MULTINATIONAL_EVIDENCE)
RULES = (
    CodeRule(
        "C61",
        (
            fta.RELATIONSHIP,
            fta.FOREIGN_DOING_BUSINESS,
            MNC_BEFORE_CANADA,
            NEW_ENTITY,
            fta.CURRENTLY_EMPLOYED,
            fta.PRIOR_12M,
            C61_ROLE,
            PREMISES,
            STARTUP_PLAN,
            fta.RETAINS,
            C61_CAP,
            C61_SK_WAGE,
        ),
        1,
        _C61_EVID
        + (
            (
                "Lease or proof of secured premises; HR/staffing plan; business plan; proof of financial capacity",
                "Bail ou preuve des locaux ; plan de dotation ; plan d'affaires ; preuve de la capacité financière",
            ),
        ),
    ),
    CodeRule(
        "C62",
        (
            fta.RELATIONSHIP,
            fta.FOREIGN_DOING_BUSINESS,
            MNC,
            ACTIVE,
            fta.CURRENTLY_EMPLOYED,
            fta.PRIOR_12M,
            fta.EXECUTIVE,
            PREMISES,
            fta.RETAINS,
        ),
        1,
        _EVID,
    ),
    CodeRule(
        "C63",
        (
            fta.RELATIONSHIP,
            fta.FOREIGN_DOING_BUSINESS,
            MNC,
            ACTIVE,
            fta.CURRENTLY_EMPLOYED,
            fta.PRIOR_12M,
            fta.SPECIALIZED,
            PREMISES,
            fta.RETAINS,
            WAGE_FLOOR,
        ),
        1,
        _EVID
        + fta.SK_EVIDENCE
        + (
            (
                "Wage comparison with the Job Bank median for the NOC and region",
                "Comparaison du salaire avec la médiane du Guichet-Emplois pour la CNP et la région",
            ),
        ),
    ),
)
