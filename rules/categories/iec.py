"""C21 International Experience Canada: R204(d) since 2024-11-29 (R205(b) before). Young
Professionals and International Co-op are employer-specific; Working Holiday is an open permit."""

from datetime import date

from .base import C, CodeRule, Ctx, and3, or3

R = "R204(d)"


# IRCC assesses the age on the day it invites the worker to apply: "If we invite you to apply for a work
# permit before your birthday, you have passed our eligibility assessment for the age requirements for
# IEC" (IRCC Help Centre, "I'm almost too old for IEC. Can I still apply?"; imp-rules.md §3.11: "aged
# 18-35 ... on the date of the invitation to apply"). An invitation is answered within weeks and the
# letter of introduction it leads to is valid a year, so an invited worker may have had one birthday
# since, not two.
BIRTHDAYS_SINCE_INVITATION = 1


def _age(c: Ctx) -> bool | None:
    dob = c.w.date_of_birth
    invited = c.w.iec_invited is True
    if dob is None:
        return True if invited else None  # IRCC checked the age when it invited the worker
    on = c.on
    age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    hi = c.v["iec_age_max_default"]
    by = c.v["iec_age_max_by_country"]
    elig = [x for x in (c.w.citizenships or ()) if x in c.v["iec_partners"]]
    if elig:  # the country's own maximum for the worker's category (Austria: 30 for Working Holiday only)
        cat = c.w.iec_category
        hi = max(by.get(x, {}).get(cat, hi) for x in elig)
    c.details["c21.age"] = {"age": age, "invited": invited}
    lo = c.v["iec_age_min"]
    if lo <= age <= hi:
        return True
    if lo <= age <= hi + BIRTHDAYS_SINCE_INVITATION:  # too old to be invited now; an invitation has it
        return True if invited else None if c.w.iec_invited is None else False
    return False


def category_offered(c: Ctx, cat: str) -> bool | None:
    """The worker's category exists for (one of) their IEC countries (imp-rules.md §8 item 3)."""
    if c.cits is None:
        return None
    by = c.v["iec_categories_by_country"]
    # c.cits is None exactly when worker.citizenships is
    elig = [x for x in c.w.citizenships if x in c.v["iec_partners"]]  # type: ignore[union-attr]
    return any(cat in by.get(x, (cat,)) for x in elig)


def _job(c: Ctx) -> bool | None:
    cat = c.w.iec_category
    if cat is None:
        return None
    if cat != "working_holiday" and category_offered(c, cat) is False:
        c.details["c21.job"] = {"category_not_offered": cat}
        return False
    if cat == "young_professionals":
        teer_ok = c.teer_in(c.v["iec_young_professional_teers"])
        if teer_ok is False and c.teer in c.v["iec_young_professional_teers_with_credential"]:
            teer_ok = c.edu_at_least("post_secondary_1y")
        return and3(teer_ok, c.p.paid)
    if cat == "international_coop":
        return c.p.internship_required_by_program
    return False


PARTNER = C(
    "c21.partner_country",
    "The worker is a citizen of an IEC partner country or territory.",
    "Le travailleur est citoyen d'un pays ou territoire partenaire d'EIC.",
    "worker.citizenships",
    R,
    "iec_countries",
    lambda c: c.citizen_of("iec_partners"),
)
AGE = C(
    "c21.age",
    "The worker is within the agreement's age range ({iec_age_min}–{iec_age_max_default}; lower for some countries) on the day IRCC invites them to apply: a worker already invited still meets it after a birthday since.",
    "Le travailleur est dans la tranche d'âge de l'entente ({iec_age_min} à {iec_age_max_default} ans ; moins pour certains pays) le jour où IRCC l'invite à présenter une demande : un travailleur déjà invité y satisfait encore s'il a eu un anniversaire depuis.",
    ("worker.date_of_birth", "worker.iec_invited"),
    R,
    "c21",
    _age,
)
INVITED = C(
    "c21.invited",
    "The worker has an IEC invitation to apply.",
    "Le travailleur a reçu une invitation d'EIC à présenter une demande.",
    "worker.iec_invited",
    R,
    "c21",
    lambda c: c.w.iec_invited,
)
JOB = C(
    "c21.job",
    "Young Professionals: a paid TEER {iec_young_professional_teers_range} job (TEER {iec_young_professional_teers_with_credential_or} with a related post-secondary credential) that develops the worker professionally; International Co-op: an internship required by the worker's program.",
    "Jeunes professionnels : un emploi rémunéré FEER {iec_young_professional_teers_range} (FEER {iec_young_professional_teers_with_credential_or} avec un titre postsecondaire lié) qui contribue au perfectionnement professionnel ; Stage coop international : un stage exigé par le programme d'études.",
    ("worker.iec_category", "position.noc_code", "position.paid", "position.internship_required_by_program"),
    R,
    "iec_employers",
    _job,
)

RULES = (
    CodeRule(
        "C21",
        (PARTNER, AGE, INVITED, JOB),
        1,
        (
            ("IEC invitation and letter of introduction", "Invitation d'EIC et lettre de présentation"),
            (
                "Proof of funds (CAD {iec_min_funds_cad_money}) and health insurance for the whole stay",
                "Preuve de fonds ({iec_min_funds_cad_money} $ CA) et assurance maladie pour tout le séjour",
            ),
        ),
    ),
)
_ = (date, or3)
