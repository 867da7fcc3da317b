"""CETA (R204(a)): T44/T42/T41 intra-corporate transferees, T46 investors, T47 contractual service
suppliers, T43 independent professionals, T48 technologists."""

from . import fta

RULES = fta.ceta_family(fta.CETA, ict=("T44", "T42", "T41"), investor="T46", services=("T47", "T43", "T48"))
