"""CETA (R204(a)): T44/T42/T41 intra-corporate transferees, T46 investors, T47 contractual service
suppliers, T43 independent professionals, T48 technologists."""

from . import fta
from .base import CodeRule
from .fta import CETA as P

RULES = (
    CodeRule("T44", fta.ceta_ict(P, fta.EXECUTIVE), 3, fta.ICT_EVIDENCE),
    CodeRule("T42", fta.ceta_ict(P, fta.TRAINEE), 3, fta.ICT_EVIDENCE),
    CodeRule("T41", fta.ceta_ict(P, fta.SPECIALIZED), 3, fta.ICT_EVIDENCE + fta.SK_EVIDENCE),
    CodeRule("T46", fta.investor_criteria(P), 2, fta.INVESTOR_EVIDENCE),
    CodeRule("T47", fta.css_criteria(P), 2, fta.SERVICE_EVIDENCE),
    CodeRule("T43", fta.ip_criteria(P), 2, fta.SERVICE_EVIDENCE),
    CodeRule("T48", fta.technologist_criteria(P), 2, fta.SERVICE_EVIDENCE),
)
