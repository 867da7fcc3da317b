"""CUKTCA (R204(a)), mirrors CETA: F61/F62/F63 ICT, F65 investors, F66 CSS, F60 IP, F67 technologists."""

from . import fta

RULES = fta.ceta_family(fta.CUKTCA, ict=("F61", "F62", "F63"), investor="F65", services=("F66", "F60", "F67"))
