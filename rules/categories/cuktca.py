"""CUKTCA (R204(a)), mirrors CETA: F61/F62/F63 ICT, F65 investors, F66 CSS, F60 IP, F67 technologists."""

from . import fta
from .base import CodeRule
from .fta import CUKTCA as P

RULES = (
    *fta.ict_codes(
        P,
        executive="F61",
        trainee="F62",
        specialist="F63",
        criteria=fta.ceta_ict,
        trainee_role=fta.CETA_TRAINEE,
    ),
    CodeRule("F65", fta.investor_criteria(P), 2, fta.INVESTOR_EVIDENCE),
    CodeRule("F66", fta.css_criteria(P), 2, fta.SERVICE_EVIDENCE),
    CodeRule("F60", fta.ip_criteria(P), 2, fta.SERVICE_EVIDENCE),
    CodeRule("F67", fta.technologist_criteria(P), 2, fta.SERVICE_EVIDENCE),
)
