"""One small module of criteria per exemption family. ``ALL_RULES`` maps code -> CodeRule."""

from . import c10, c11, c13, c14, c16, ceta, cuktca, cusma, gats, ict, iec, other_ftas, reciprocal, religious

ALL_RULES = {
    r.code: r
    for m in (cusma, ceta, cuktca, other_ftas, gats, ict, c16, c14, c13, reciprocal, religious, c11, iec, c10)
    for r in m.RULES
}
