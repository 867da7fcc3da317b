"""CPTPP and the bilateral FTAs with mobility chapters (Chile, Colombia, Korea, Panama, Peru,
Ukraine), all R204(a)."""

from dataclasses import replace

from ..model import Criterion
from . import fta
from .base import C, CodeRule, Ctx, and3
from .fta import CHILE, COLOMBIA, CPTPP, KOREA, PANAMA, PERU, UKRAINE

# one nationality list per CPTPP category (imp-rules.md §8 item 2)
CPTPP_INVESTORS = replace(CPTPP, key="cptpp_investors", citizens_key="cptpp_investor_parties")
CPTPP_PROFESSIONALS = replace(CPTPP, key="cptpp_professionals", citizens_key="cptpp_professional_parties")


def _cptpp_investor(c: Ctx) -> bool | None:
    """T50: a citizen of a party the investors' category covers, or a permanent resident of Australia
    (IRCC T50 page; imp-rules.md §8 item 2), from the party's entry into force."""
    if c.cits is not None and not c.cits.isdisjoint(c.v["cptpp_investor_parties"]):
        return True
    prs = c.v["cptpp_investor_permanent_residents_of"] & c.v["cptpp_parties"]
    if c.prs is not None and not c.prs.isdisjoint(prs):
        return fta.as_permanent_resident(
            c, "cptpp_investors.citizen", True, c.v["cptpp_investor_parties"], prs
        )
    if c.cits is None or c.prs is None:
        return None
    return False


CPTPP_INVESTOR_CITIZEN = C(
    "cptpp_investors.citizen",
    "The worker is a citizen of a CPTPP party whose investors are covered (Australia, Brunei, Chile, Japan, Mexico, Peru, Viet Nam) or a permanent resident of Australia.",
    "Le travailleur est citoyen d'un pays partie au PTPGP dont les investisseurs sont visés (Australie, Brunei, Chili, Japon, Mexique, Pérou, Viet Nam) ou résident permanent de l'Australie.",
    ("worker.citizenships", "worker.permanent_residences"),
    "R204(a)",
    "cptpp",
    _cptpp_investor,
)


def _cptpp_ict(role_key: str) -> Criterion:
    def fn(c: Ctx) -> bool | None:
        excluded = c.v["cptpp_specialists_not_for" if role_key == "sk" else "cptpp_ict_not_for"]
        if role_key == "trainee":
            allowed = c.v["cptpp_trainees_only_for"] & c.v["cptpp_parties"]
        else:
            allowed = c.v["cptpp_parties"] - excluded
        cit = None if c.cits is None else not c.cits.isdisjoint(allowed)
        if cit:
            return True
        if role_key != "trainee":
            prs = c.v["cptpp_ict_permanent_residents_of"]
            if c.prs is not None and not c.prs.isdisjoint(prs):
                return fta.as_permanent_resident(c, f"cptpp.ict_eligible_{role_key}", True, allowed, prs)
            if c.prs is None:
                return None
        return cit

    labels = {
        "exec": ("executives and senior managers", "cadres supérieurs"),
        "trainee": (
            "management trainees (citizens of Chile only)",
            "stagiaires en gestion (citoyens du Chili seulement)",
        ),
        "sk": (
            "specialists (not citizens of Singapore, Viet Nam or Malaysia)",
            "spécialistes (sauf citoyens de Singapour, du Viet Nam ou de la Malaisie)",
        ),
    }
    en, fr = labels[role_key]
    return C(
        f"cptpp.ict_eligible_{role_key}",
        f"The worker is a citizen of a CPTPP party covered for intra-corporate transferees – {en} – or a permanent resident of Australia or New Zealand.",
        f"Le travailleur est citoyen d'un pays partie au PTPGP visé pour les personnes mutées – {fr} – ou résident permanent de l'Australie ou de la Nouvelle-Zélande.",
        ("worker.citizenships", "worker.permanent_residences"),
        "R204(a)",
        "cptpp",
        fn,
    )


def _cptpp_ict_enterprise(c: Ctx) -> bool | None:
    """IRCC's CPTPP transferees page: "business persons who are employed by an enterprise in one of the [CPTPP]
    countries, except Singapore and Vietnam" (rules/README.md item 75): the enterprise abroad is of a party in
    force, not Singapore or Viet Nam (``cptpp_ict_not_for``), whatever the worker's own citizenship."""
    country = c.fe.country
    if country is None:
        return None
    return country in c.v["cptpp_parties"] and country not in c.v["cptpp_ict_not_for"]


CPTPP_ICT_ENTERPRISE = C(
    "cptpp.enterprise_country",
    "The foreign enterprise that employs the worker is an enterprise of a CPTPP party (for Canada) other than Singapore or Viet Nam.",
    "L'entreprise étrangère qui emploie le travailleur est une entreprise d'un pays partie au PTPGP (à l'égard du Canada) autre que Singapour ou le Viet Nam.",
    "foreign_enterprise.country",
    "R204(a)",
    "cptpp",
    _cptpp_ict_enterprise,
)


def _cptpp_ict_criteria(role: Criterion, eligible: Criterion) -> tuple[Criterion, ...]:
    """The agreement's transferee criteria, with the enterprise of a party other than Singapore or Viet Nam."""
    base = fta.ict_criteria(fta.CPTPP, role, eligible)
    return tuple(CPTPP_ICT_ENTERPRISE if k.id == "cptpp.enterprise_country" else k for k in base)


MGMT_TRAINEE = C(
    "ict.management_trainee",
    "The worker is transferred as a management trainee on a professional development program and holds a degree.",
    "Le travailleur est muté à titre de stagiaire en gestion dans un programme de perfectionnement et détient un diplôme universitaire.",
    ("position.capacity", "worker.education_level"),
    "R204(a)",
    "cptpp",
    lambda c: and3(c.capacity_in(("trainee",)), c.edu_at_least("bachelor")),
)


KOREA_CSS_IP = (
    fta.citizen(KOREA),
    fta.LISTED,
    fta.PROFESSIONAL_TEER,
    fta.DEGREE,
    fta.NOT_SELF_EMPLOYED_IN_CANADA,
)


RULES = (
    # CPTPP
    CodeRule(
        "T50",
        (CPTPP_INVESTOR_CITIZEN, *fta.investor_criteria(CPTPP_INVESTORS)[1:]),
        2,
        fta.INVESTOR_EVIDENCE,
        citizens_key=CPTPP_INVESTORS.citizens_key,
    ),
    CodeRule("T51", _cptpp_ict_criteria(fta.EXECUTIVE, _cptpp_ict("exec")), 3, fta.ICT_EVIDENCE),
    CodeRule(
        "T54",
        _cptpp_ict_criteria(MGMT_TRAINEE, _cptpp_ict("trainee")),
        3,
        fta.ICT_EVIDENCE + fta.TRAINEE_EVIDENCE,
    ),
    CodeRule(
        "T55",
        _cptpp_ict_criteria(fta.SPECIALIZED, _cptpp_ict("sk")),
        3,
        fta.ICT_EVIDENCE + fta.SK_EVIDENCE,
    ),
    CodeRule(
        "T52",
        fta.fta_professional(
            CPTPP_PROFESSIONALS,
            technicians=True,
            prof_exp="cptpp_professional_min_experience_years",
            tech_exp="cptpp_technician_min_experience_years",
            wage=True,
            prof_teers="cptpp_professional_teers",
        ),
        2,
        fta.PROF_EVIDENCE,
        citizens_key=CPTPP_PROFESSIONALS.citizens_key,
    ),
    # Chile
    CodeRule("F20", fta.trader_criteria(CHILE), 2, fta.TRADER_EVIDENCE),
    CodeRule("F21", fta.investor_criteria(CHILE), 2, fta.INVESTOR_EVIDENCE),
    CodeRule("F22", fta.fta_professional(CHILE, technicians=False), 2, fta.PROF_EVIDENCE),
    *fta.ict_codes(CHILE, executive="F23", specialist="F24"),
    # Colombia
    CodeRule("F10", fta.trader_criteria(COLOMBIA), 2, fta.TRADER_EVIDENCE),
    CodeRule("F11", fta.investor_criteria(COLOMBIA), 2, fta.INVESTOR_EVIDENCE),
    CodeRule(
        "F12",
        fta.fta_professional(COLOMBIA, technicians=True, tech_edu="post_secondary_1y"),
        2,
        fta.PROF_EVIDENCE,
    ),
    *fta.ict_codes(COLOMBIA, executive="F13", trainee="F14", specialist="F15"),
    # Korea
    CodeRule("F30", fta.trader_criteria(KOREA), 2, fta.TRADER_EVIDENCE),
    CodeRule("F31", fta.investor_criteria(KOREA), 2, fta.INVESTOR_EVIDENCE),
    CodeRule("F32", KOREA_CSS_IP, 2, fta.SERVICE_EVIDENCE),
    *fta.ict_codes(KOREA, executive="F33", trainee="F34", specialist="F35"),
    # Panama
    CodeRule("F42", fta.fta_professional(PANAMA, technicians=False), 2, fta.PROF_EVIDENCE),
    # Peru
    CodeRule("F50", fta.trader_criteria(PERU), 2, fta.TRADER_EVIDENCE),
    CodeRule("F51", fta.investor_criteria(PERU), 2, fta.INVESTOR_EVIDENCE),
    CodeRule(
        "F52",
        fta.fta_professional(PERU, technicians=True, tech_edu="post_secondary_1y"),
        2,
        fta.PROF_EVIDENCE,
    ),
    *fta.ict_codes(PERU, executive="F53", trainee="F54", specialist="F55"),
    # Ukraine
    CodeRule("F70", fta.investor_criteria(UKRAINE), 2, fta.INVESTOR_EVIDENCE),
    *fta.ict_codes(UKRAINE, executive="F71", specialist="F74"),
    CodeRule(
        "F72",
        fta.fta_professional(
            UKRAINE,
            technicians=False,
            prof_exp="cufta_professional_min_experience_years",
            wage=True,
            prof_edu="post_secondary_3y",
        ),
        2,
        fta.PROF_EVIDENCE,
    ),
)
