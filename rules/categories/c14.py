"""C14 essential workers in the production stage of live-action TV and film (R205(a))."""

from .base import C, CodeRule

R = "R205(a)"
FILM = C(
    "c14.film_tv",
    "The job is in live-action film or television production.",
    "Le poste relève d'une production cinématographique ou télévisuelle en prises de vues réelles.",
    "position.work_type",
    R,
    "c14",
    lambda c: c.work_type_is("film_tv_production"),
)
NAMED = C(
    "c14.named_production",
    "The worker is essential to a specific, named production (not a long-term company job).",
    "Le travailleur est essentiel à une production précise et nommée (pas un emploi permanent dans l'entreprise).",
    "position.named_production",
    R,
    "c14",
    lambda c: c.p.named_production,
)
STAGE = C(
    "c14.production_stage",
    "The work is in the production (filming) stage – not pre- or post-production such as storyboards, VFX or editing.",
    "Le travail a lieu à l'étape de la production (tournage) – pas en préproduction ni en postproduction (scénarimage, effets visuels, montage).",
    "position.production_stage",
    R,
    "c14",
    lambda c: None if c.p.production_stage is None else c.p.production_stage == "production",
)
WAGE = C(
    "c14.high_wage",
    "The wage is at or above the median wage for the occupation and province.",
    "Le salaire est égal ou supérieur au salaire médian de la profession dans la province.",
    ("position.wage_hourly_cad", "position.prevailing_wage_hourly_cad"),
    R,
    "c14",
    lambda c: c.wage_at_least_prevailing(),
    "Raise the wage to at least the median wage for the occupation and province.",
    "Porter le salaire au moins au salaire médian de la profession dans la province.",
)
UNION = C(
    "c14.unionized",
    "The occupation is unionized in Canada (union or guild letter of no objection).",
    "La profession est syndiquée au Canada (lettre de non-objection du syndicat ou de la guilde).",
    "position.union_occupation",
    R,
    "c14",
    lambda c: c.p.union_occupation,
)

RULES = (
    CodeRule(
        "C14",
        (FILM, NAMED, STAGE, WAGE, UNION),
        1,
        (
            (
                "Union or guild letter naming the production and the worker, with no objection",
                "Lettre du syndicat ou de la guilde nommant la production et le travailleur, sans objection",
            ),
            (
                "Production details: title, dates, province, Canadian jobs and spend, tax-credit eligibility",
                "Détails de la production : titre, dates, province, emplois et dépenses au Canada, admissibilité aux crédits d'impôt",
            ),
        ),
    ),
)
