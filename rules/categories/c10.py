"""C10 significant benefit (R205(a)): discretionary last resort when no specific code fits."""

from .base import C, CodeRule, Ctx

R = "R205(a)"
BENEFIT = C(
    "c10.significant_benefit",
    "The work will bring a significant, documented economic, social or cultural benefit to Canadians (exceptional credentials and a concrete benefit – not convenience).",
    "Le travail procurera aux Canadiens un avantage important et documenté sur le plan économique, social ou culturel (titres exceptionnels et avantage concret – pas la commodité).",
    "position.significant_benefit",
    R,
    "c10",
    lambda c: c.p.significant_benefit,
)


def _no_specific(c: Ctx) -> bool | None:
    """Not met when a specific code fits; unknown while a specific code whose first test is met (e.g. C11
    for an owner of 51 % or more), or that is close to fitting (one answer away, or most of its criteria met
    and none failed: C11 for an owner running the business whose share is not given), waits only for answers: C10 is the last resort (imp-rules.md §5 step 6), and
    missing facts give questions, not a discretionary code."""
    if c._cache.get("specific_fit", False):
        return False
    return None if c._cache.get("specific_pending", False) else True


NO_SPECIFIC = C(
    "c10.no_specific_code",
    "No more specific exemption code fits the situation (C10 is a last resort).",
    "Aucun code de dispense plus précis ne convient à la situation (C10 est un dernier recours).",
    (),
    R,
    "c10",
    _no_specific,
)

RULES = (
    CodeRule(
        "C10",
        (BENEFIT, NO_SPECIFIC),
        1,
        (
            (
                "Credentials and track record: degrees, awards, patents, publications, peer recognition",
                "Titres et réalisations : diplômes, prix, brevets, publications, reconnaissance par les pairs",
            ),
            (
                "Concrete Canadian benefit: jobs, investment, transfer of skills, regional impact",
                "Avantage concret pour le Canada : emplois, investissement, transfert de compétences, retombées régionales",
            ),
            ("Why an LMIA is not practical", "Pourquoi une EIMT n'est pas réalisable"),
        ),
    ),
)
