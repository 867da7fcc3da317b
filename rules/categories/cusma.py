"""CUSMA (R204(a)): T34 traders, T35 investors, T36 professionals, T37/T38 intra-company transferees."""

from ..params import CUSMA_PROFESSIONS
from . import fta
from .base import C, CodeRule, Ctx
from .fta import CUSMA as P

R = "R204(a)"


def _profession(c: Ctx) -> bool | None:
    key = c.cusma_profession()
    if key:
        # the detail names the listed profession: the support letter names it as the list does, in its own
        # language (professions.yaml name, name_fr), and for a Scientific Technician/Technologist states the
        # direct support of professionals the agreement asks of it (portal/documents/letters/professionals.py)
        c.details["cusma.profession"] = {"profession": key}
    # a Scientific Technician/Technologist supports professionals in the listed sciences: a construction trade
    # is not that profession, whatever it is called (imp-rules.md §3.1 T36, "construction trades excluded")
    if key == "scientific_technician" and c.noc in c.v["cusma_technician_construction_nocs"]:
        return False
    # Appendix 2 lists "Physician (teaching or research only)": a job in a clinical physicians' unit group is
    # patient care, not that profession, whatever the profession typed (imp-rules.md §3.1 T36: "no direct patient
    # care beyond incidental"; rules/README.md item 64)
    if key == "physician_teaching_research" and c.noc in c.v["cusma_physician_clinical_nocs"]:
        return False
    # Appendix 2 lists "Research Assistant (working in a post-secondary educational institution)": the same work
    # for a company is not that profession (item 64); a university or college is the employer kind "university"
    if key == "research_assistant":
        return None if c.e.kind is None else c.e.kind == "university"
    return c.profession_listed(key)


def _credential(c: Ctx) -> bool | None:
    return c.credential_for(c.cusma_profession(), CUSMA_PROFESSIONS)


PROFESSION = C(
    "cusma.profession",
    "The job is one of the {cusma_profession_count} professions of CUSMA Appendix 2 to Annex 16-A (closed list; a construction trade is no scientific technician's job, a physician's job in clinical practice is no teaching or research, and a research assistant works for a university or college).",
    "Le poste correspond à l'une des {cusma_profession_count} professions de l'appendice 2 de l'annexe 16-A de l'ACEUM (liste fermée ; un métier de la construction n'est pas un emploi de technicien scientifique, un poste de médecin en pratique clinique n'est pas de l'enseignement ni de la recherche, et un assistant de recherche travaille pour une université ou un collège).",
    ("worker.profession", "position.noc_code", "employer.kind"),
    R,
    "cusma_professionals",
    _profession,
)

CREDENTIAL = C(
    "cusma.credential",
    "The worker holds the minimum education or alternative credential listed for that profession.",
    "Le travailleur détient le niveau d'études minimal ou le titre de remplacement prévu pour cette profession.",
    ("worker.education_level", "worker.professional_licence", "worker.experience_years"),
    R,
    "cusma_professionals",
    _credential,
)

PROFESSIONAL_LEVEL = C(
    "cusma.professional_level",
    "The worker will provide professional-level services: the job is a TEER {professional_teers_or} occupation.",
    "Le travailleur fournira des services de niveau professionnel : le poste relève d'une profession FEER {professional_teers_or}.",
    "position.noc_code",
    R,
    "cusma_professionals",
    lambda c: c.teer_in(c.v["professional_teers"]),
)

RULES = (
    CodeRule("T34", fta.trader_criteria(P), 2, fta.TRADER_EVIDENCE),
    CodeRule("T35", fta.investor_criteria(P), 2, fta.INVESTOR_EVIDENCE),
    CodeRule(
        "T36",
        (
            fta.citizen(P),
            PROFESSION,
            CREDENTIAL,
            PROFESSIONAL_LEVEL,
            fta.NOT_SELF_EMPLOYED_IN_CANADA,
            fta.LICENCE,
        ),
        1,
        fta.PROF_EVIDENCE,
    ),
    *fta.ict_codes(P, executive="T37", specialist="T38"),
)
