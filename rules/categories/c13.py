"""C13 emergency repair / out-of-warranty repair personnel (R205(a))."""

from .base import C, CodeRule, Ctx, not3

R = "R205(a)"


def _kind(c: Ctx) -> bool | None:
    k = c.p.repair_kind
    if k is None:
        return None
    if k == "emergency":
        return True
    if k == "out_of_warranty":
        if not c.v["c13_out_of_warranty_stream_from"]:
            return False
        return not3(c.p.oem_presence_in_canada)
    return False


REPAIR = C(
    "c13.repair",
    "The work is the repair of industrial or commercial equipment.",
    "Le travail consiste à réparer de l'équipement industriel ou commercial.",
    "position.work_type",
    R,
    "c13",
    lambda c: c.work_type_is("repair"),
)
KIND = C(
    "c13.emergency_or_out_of_warranty",
    "It is an emergency repair, or a repair of equipment no longer under warranty or service agreement whose manufacturer has no commercial presence in Canada (warranty work is business-visitor work).",
    "Il s'agit d'une réparation d'urgence, ou de la réparation d'un équipement qui n'est plus sous garantie ni contrat de service et dont le fabricant n'a pas de présence commerciale au Canada (le travail sous garantie relève du visiteur commercial).",
    ("position.repair_kind", "position.oem_presence_in_canada"),
    R,
    "c13",
    _kind,
)
SKILL = C(
    "c13.specialized_knowledge",
    "The repair needs the worker's specific knowledge of the equipment.",
    "La réparation exige les connaissances particulières du travailleur sur l'équipement.",
    "worker.specialized_knowledge",
    R,
    "c13",
    lambda c: c.w.specialized_knowledge,
)
JOBS = C(
    "c13.jobs_at_risk",
    "Canadian jobs would suffer if the repair were delayed.",
    "Des emplois canadiens seraient touchés si la réparation était retardée.",
    "position.canadian_jobs_at_risk",
    R,
    "c13",
    lambda c: c.p.canadian_jobs_at_risk,
)

RULES = (
    CodeRule(
        "C13",
        (REPAIR, KIND, SKILL, JOBS),
        1,
        (
            ("Letter from the worker's home employer", "Lettre de l'employeur du travailleur à l'étranger"),
            (
                "Canadian company's explanation of the emergency or out-of-warranty status and absence of the manufacturer in Canada",
                "Explication de l'entreprise canadienne sur l'urgence ou l'absence de garantie et l'absence du fabricant au Canada",
            ),
            (
                "Detailed description of the work; proof of specialized knowledge",
                "Description détaillée du travail ; preuve des connaissances spécialisées",
            ),
        ),
    ),
)
