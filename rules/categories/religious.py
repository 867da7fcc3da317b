"""C50 religious work and C51 charitable work (R205(d)); C51 was C50 before 2022-12-15."""

from .base import C, CodeRule

R = "R205(d)"
RELIGIOUS = C(
    "c50.religious_duties",
    "The duties themselves are religious (instruction, promoting a faith, spiritual teaching, maintaining doctrine) – administrative work for a church does not count.",
    "Les fonctions elles-mêmes sont religieuses (enseignement, promotion d'une foi, enseignement spirituel, maintien de la doctrine) – le travail administratif pour une église ne compte pas.",
    "position.work_type",
    R,
    "c50",
    lambda c: c.work_type_is("religious"),
)
CHARITABLE = C(
    "c51.charitable_duties",
    "The work itself is charitable (relief of poverty, advancement of education, other community benefit) – being employed by a charity is not enough.",
    "Le travail lui-même est de bienfaisance (soulagement de la pauvreté, avancement de l'éducation, autre bienfait pour la collectivité) – être employé par un organisme de bienfaisance ne suffit pas.",
    "position.work_type",
    R,
    "c51",
    lambda c: c.work_type_is("charitable"),
)

RULES = (
    CodeRule(
        "C50",
        (RELIGIOUS,),
        1,
        (
            (
                "Letter from the religious organization describing the religious duties",
                "Lettre de l'organisation religieuse décrivant les fonctions religieuses",
            ),
            (
                "Proof of membership in the community (if applicable)",
                "Preuve d'appartenance à la communauté (s'il y a lieu)",
            ),
        ),
    ),
    CodeRule(
        "C51",
        (CHARITABLE,),
        1,
        (
            (
                "Proof of the organization's charitable status and description of the charitable work",
                "Preuve du statut d'organisme de bienfaisance et description du travail de bienfaisance",
            ),
        ),
    ),
)
