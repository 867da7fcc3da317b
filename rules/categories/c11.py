"""C11 business owners seeking only temporary residence and C60 provincial business candidates
(R205(a)). C60 was C11 before 2022-12-15."""

from .base import EXEC_MGR, C, CodeRule, Ctx, and3, ge, not3

R = "R205(a)"
OWNERSHIP = C(
    "c11.ownership",
    "The worker owns at least {c11_min_ownership_pct}% of the Canadian business they will run.",
    "Le travailleur détient au moins {c11_min_ownership_pct} % de l'entreprise canadienne qu'il exploitera.",
    "worker.ownership_pct",
    R,
    "c11",
    lambda c: ge(c.w.ownership_pct, c.v["c11_min_ownership_pct"]),
)


def _runs(c: Ctx) -> bool | None:
    """Met for the business's executive or manager; also for an owner of at least the C11 share who works in
    the business in its own occupation: a self-employed worker runs their business (imp-rules.md §3.6: "NOC:
    the real occupation for self-employed"; fishing guides, outfitters, freelance race jockeys)."""
    in_role = c.capacity_in(EXEC_MGR)
    if in_role is not False:
        return in_role
    # in another role, only a share known to be large enough makes the worker self-employed: most files leave
    # an employee's share out, and an unknown one is no reason to hold an employee's case for C11 or C60
    share = c.w.ownership_pct
    return share is not None and share >= c.v["c11_min_ownership_pct"]


RUNS = C(
    "c11.runs_business",
    "The worker will run (or establish) the business themself: as its executive or manager, or self-employed in its own occupation as the owner of at least {c11_min_ownership_pct}%.",
    "Le travailleur exploitera (ou établira) lui-même l'entreprise : comme cadre ou gestionnaire, ou comme travailleur autonome dans son propre métier, propriétaire d'au moins {c11_min_ownership_pct} %.",
    ("position.capacity", "worker.ownership_pct"),
    R,
    "c11",
    _runs,
)
NOT_PR = C(
    "c11.not_pr_track",
    "The worker is not a provincial business nominee candidate (those use C60).",
    "Le travailleur n'est pas un candidat d'affaires désigné par une province (ceux-ci utilisent C60).",
    "worker.provincial_business_candidate",
    R,
    "c11",
    lambda c: not3(c.w.provincial_business_candidate),
)
TEMPORARY = C(
    "c11.temporary",
    "The stay is temporary or seasonal, with a concrete plan to leave at the end.",
    "Le séjour est temporaire ou saisonnier, avec un plan concret de départ à la fin.",
    "worker.temporary_intent",
    R,
    "c11",
    lambda c: c.w.temporary_intent,
)


def _funds(c: Ctx) -> bool | None:
    """Support funds and business funds are an eligibility requirement of IRCC's C11 instructions from their
    update of 2025-05-27 ("Under 'Eligibility,' added a requirement about having sufficient support and business
    funds", ``c11_update_2025``); before it the financial ability to start the business was one indicator of the
    significant benefit, not a requirement of its own: met, the funds not asked."""
    if c.on < c.v["c11_funds_required_from"]:
        c.details["c11.funds"] = {"required_from": c.v["c11_funds_required_from"].isoformat()}
        return True
    return and3(c.w.support_funds, c.w.business_funds)


FUNDS = C(
    "c11.funds",
    "From {c11_funds_required_from}: the worker has support funds (LICO for {c11_support_funds_months} months) separate from business funds of lawful origin.",
    "À compter du {c11_funds_required_from} : le travailleur dispose de fonds de subsistance (SFR pour {c11_support_funds_months} mois) distincts des fonds d'entreprise de provenance licite.",
    ("worker.support_funds", "worker.business_funds"),
    R,
    "c11_update_2025",
    _funds,
)
BENEFIT = C(
    "c11.benefit",
    "A concrete business plan shows a significant benefit (local jobs, remote-area impact, innovation, exports).",
    "Un plan d'affaires concret démontre un avantage important (emplois locaux, retombées en région éloignée, innovation, exportations).",
    "position.significant_benefit",
    R,
    "c11",
    lambda c: c.p.significant_benefit,
)
CANDIDATE = C(
    "c60.candidate",
    "The worker is a provincial nominee business candidate, or a Quebec self-employed worker with a CSQ.",
    "Le travailleur est un candidat d'affaires désigné par une province, ou un travailleur autonome du Québec titulaire d'un CSQ.",
    "worker.provincial_business_candidate",
    R,
    "codes_table",
    lambda c: c.w.provincial_business_candidate,
)

RULES = (
    CodeRule(
        "C11",
        (OWNERSHIP, RUNS, NOT_PR, TEMPORARY, FUNDS, BENEFIT),
        1,
        (
            (
                "Proof of ownership (at least {c11_min_ownership_pct}%)",
                "Preuve de propriété (au moins {c11_min_ownership_pct} %)",
            ),
            ("Business plan with local benefit", "Plan d'affaires démontrant les retombées locales"),
            (
                "Proof of support funds and of business funds with their lawful source",
                "Preuve des fonds de subsistance et des fonds d'entreprise et de leur provenance licite",
            ),
            ("Exit or transition plan", "Plan de sortie ou de transition"),
        ),
    ),
    CodeRule(
        "C60",
        (CANDIDATE, RUNS),
        1,
        (("Provincial support letter or CSQ", "Lettre d'appui de la province ou CSQ"),),
    ),
)
