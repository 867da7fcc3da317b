"""C16 Francophone mobility: R205(c)(ii) since 2023-06-15 (R205(a) before)."""

from .base import C, CodeRule, Ctx, and3, ge

R = "R205(c)(ii)"


def _french(c: Ctx) -> bool | None:
    n = c.v["c16_min_nclc"]
    return and3(ge(c.w.french_nclc_speaking, n), ge(c.w.french_nclc_listening, n))


def _occupation(c: Ctx) -> bool | None:
    if c.teer is None:
        return None
    if c.teer not in c.v["c16_allowed_teers"]:
        return False
    return not (c.teer >= 4 and c.noc in c.v["c16_excluded_primary_agriculture_nocs"])


def _outside_quebec(c: Ctx) -> bool | None:
    """The job is located outside Quebec (imp-rules.md §1.6, §3.9). An employer located in Quebec does not
    fail it: a job at its office outside Quebec qualifies (worked case 04: "the same worker in Ottawa
    would qualify"); only telework for that employer does not, which the facts do not say — the
    assessment warns (``c16_quebec_employer``) instead of guessing."""
    return None if c.p.province is None else c.p.province != "QC"


FRENCH = C(
    "c16.french",
    "The worker speaks and understands French at NCLC {c16_min_nclc} or higher.",
    "Le travailleur parle et comprend le français au niveau {c16_min_nclc} ou plus des NCLC.",
    ("worker.french_nclc_speaking", "worker.french_nclc_listening"),
    R,
    "c16",
    _french,
)


def _french_proof(c: Ctx) -> bool | None:
    """The proof of French is a requirement of IRCC's C16 instructions from their update of 2023-06-15 ("where the
    foreign national has provided sufficient evidence to satisfy an officer", ``c16_update_2023``); before it the
    officer was to be satisfied that French is the worker's habitual language of daily use, and could ask for a test
    or an interview when not (``c16``): met, the proof not asked (rules/README.md item 72)."""
    if c.on < c.v["c16_french_proof_required_from"]:
        c.details["c16.french_proof"] = {"required_from": c.v["c16_french_proof_required_from"].isoformat()}
        return True
    return None if c.w.french_proof is None else c.w.french_proof != "none"


FRENCH_PROOF = C(
    "c16.french_proof",
    "From {c16_french_proof_required_from}: the French level is proven by a TEF Canada or TCF Canada result, or a diploma or transcript from a French-language institution (a CV claim is not proof).",
    "À compter du {c16_french_proof_required_from} : le niveau de français est démontré par un résultat au TEF Canada ou au TCF Canada, ou par un diplôme ou un relevé de notes d'un établissement de langue française (une mention dans le CV n'est pas une preuve).",
    "worker.french_proof",
    R,
    "c16_update_2023",
    _french_proof,
)
OUTSIDE_QC = C(
    "c16.outside_quebec",
    "The job is located outside Quebec (telework for a Quebec employer does not qualify).",
    "Le poste est situé hors du Québec (le télétravail pour un employeur du Québec n'est pas admissible).",
    "position.province",
    R,
    "c16",
    _outside_quebec,
)
OCCUPATION = C(
    "c16.occupation",
    "The occupation is allowed: TEER {c16_allowed_teers_range}, except an excluded primary-agriculture occupation.",
    "La profession est admissible : FEER {c16_allowed_teers_range}, sauf une profession exclue de l'agriculture primaire.",
    "position.noc_code",
    R,
    "c16",
    _occupation,
)

RULES = (
    CodeRule(
        "C16",
        (FRENCH, FRENCH_PROOF, OUTSIDE_QC, OCCUPATION),
        1,
        (
            (
                "TEF Canada or TCF Canada results, or a French-language diploma or transcript",
                "Résultats au TEF Canada ou au TCF Canada, ou diplôme ou relevé de notes d'un programme en français",
            ),
            (
                "Offer showing the job location outside Quebec",
                "Offre indiquant un lieu de travail hors du Québec",
            ),
        ),
    ),
)
