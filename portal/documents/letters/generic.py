"""Any other code (C13, C14, ...): a sober letter that states the facts of the offer and asks the author,
in visible placeholders, for the argument the code needs; the criteria the assessment found met are listed."""

from __future__ import annotations

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, missing, t


def argue(letter: Letter) -> list[Section]:
    name = common.worker_name(letter)
    met = [c["text"] for c in letter.get("criteria") or []]
    requirements = common.section(
        "requirements",
        t(
            letter,
            "How the requirements of code {code} are met",
            "Comment les exigences du code {code} sont remplies",
            code=letter["code"],
        ),
        "\n".join("- " + c for c in met) if met else "",
        missing(
            letter,
            "the facts of the case of {name} that meet each requirement",
            "les faits du dossier de {name} qui remplissent chaque exigence",
            name=name,
        ),
    )
    return common.argued(
        letter,
        WORDING,
        [requirements],
        code=letter["code"],
        because=missing(
            letter,
            "why the offer to {name} falls under this paragraph",
            "pourquoi l'offre faite à {name} relève de cet alinéa",
            name=name,
        ),
    )


# the reason the code applies is the author's to give: a placeholder names it
WORDING = common.Wording(
    purpose_en="{employer} explains below how the offer made to {name} meets the requirements of code {code}.",
    purpose_fr="{employer} explique ci-dessous comment l'offre faite à {name} satisfait aux exigences du code {code}.",
    because_en="{because}",
    because_fr="{because}",
)
