"""One small module of criteria per exemption family. ``ALL_RULES`` maps code -> CodeRule."""

from dataclasses import replace

from ..params import CODES
from . import c10, c11, c13, c14, c16, ceta, cuktca, cusma, gats, ict, iec, other_ftas, reciprocal, religious
from .base import CodeRule
from .fta import ict_cap_left


def _with_ict_cap(rule: CodeRule) -> CodeRule:
    """An ICT code with a total cap (codes.yaml durations.total_cap) is not met once the worker's pooled
    ICT months reach it."""
    info = CODES.get(rule.code)
    cap = info.durations.get("total_cap") if info is not None and info.ict else None
    return replace(rule, criteria=(*rule.criteria, ict_cap_left(cap))) if cap else rule


ALL_RULES = {
    r.code: _with_ict_cap(r)
    for m in (cusma, ceta, cuktca, other_ftas, gats, ict, c16, c14, c13, reciprocal, religious, c11, iec, c10)
    for r in m.RULES
}
