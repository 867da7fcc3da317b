"""CETA (R204(a)): T44/T42/T41 intra-corporate transferees, T46 investors, T47 contractual service
suppliers, T43 independent professionals, T48 technologists."""

from . import fta
from .base import CodeRule
from .fta import CETA as P

RULES = (
    *fta.ict_codes(
        P,
        executive="T44",
        trainee="T42",
        specialist="T41",
        criteria=fta.ceta_ict,
        trainee_role=fta.CETA_TRAINEE,
    ),
    CodeRule("T46", fta.investor_criteria(P), 2, fta.INVESTOR_EVIDENCE),
    CodeRule("T47", fta.css_criteria(P), 2, fta.SERVICE_EVIDENCE),
    CodeRule("T43", fta.ip_criteria(P), 2, fta.SERVICE_EVIDENCE),
    CodeRule("T48", fta.technologist_criteria(P), 2, fta.SERVICE_EVIDENCE),
)
