"""Each agreement's transferee codes cite that agreement's own instructions for the Canadian enterprise doing
business (rules/README.md item 71): every code cited CUSMA's page, CETA's T41 and T44 included."""

from __future__ import annotations

from rules.categories import ALL_RULES
from rules.params import CODES


def _doing_business_source(code: str) -> str:
    (criterion,) = [c for c in ALL_RULES[code].criteria if c.id.endswith(".canadian_doing_business")]
    return criterion.source


def test_each_agreement_cites_its_own_transferee_instructions() -> None:
    assert _doing_business_source("T37") == "cusma_ict"
    assert _doing_business_source("T41") == "ceta_ict"
    cited = {_doing_business_source(code) for code in ALL_RULES if code in CODES and _has(code)}
    assert {"cusma_ict", "ceta_ict"} <= cited and len(cited) > 2


def _has(code: str) -> bool:
    return any(c.id.endswith(".canadian_doing_business") for c in ALL_RULES[code].criteria)
