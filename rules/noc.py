"""NOC 2021 lookup (516 unit groups, Statistics Canada; see rules/data/noc/README.md).

lookup("21300") -> NocUnit(code="21300", teer=1, title="Civil engineers")
search("civil eng") -> [NocUnit(...), ...]   # by code prefix or title words (as-you-type)
noc2016_to_2021("2131") -> [NocUnit(...)]     # official concordance, may give several
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

_DIR = Path(__file__).resolve().parent / "data" / "noc"

ENTREPRENEUR_CODE = "88888"  # synthetic code for entrepreneurs (IRCC practice), treated as TEER 0


@dataclass(frozen=True, slots=True)
class NocUnit:
    code: str
    teer: int
    title: str


def _load() -> tuple[dict[str, NocUnit], dict[str, tuple[str, ...]], dict[str, str]]:
    units: dict[str, NocUnit] = {}
    with open(_DIR / "noc2021-unit-groups.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            units[row["noc2021_code"]] = NocUnit(row["noc2021_code"], int(row["teer"]), row["title_en"])
    conc: dict[str, list[str]] = {}
    titles16: dict[str, str] = {}
    with open(_DIR / "noc2016-to-noc2021.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            conc.setdefault(row["noc2016_code"], []).append(row["noc2021_code"])
            titles16[row["noc2016_code"]] = row["noc2016_title"]
    return units, {k: tuple(dict.fromkeys(v)) for k, v in conc.items()}, titles16


UNITS, _CONCORDANCE, NOC2016_TITLES = _load()
_WORDS = {code: tuple(re.findall(r"[a-z0-9]+", u.title.lower())) for code, u in UNITS.items()}
_ENTREPRENEUR = NocUnit(ENTREPRENEUR_CODE, 0, "Entrepreneur (IRCC synthetic code)")


def is_valid(code: str) -> bool:
    return code in UNITS or code == ENTREPRENEUR_CODE


def lookup(code: str) -> NocUnit | None:
    """The unit group for a 5-digit NOC 2021 code (or the entrepreneur code 88888), else None."""
    if code == ENTREPRENEUR_CODE:
        return _ENTREPRENEUR
    return UNITS.get(code)


def teer(code: str | None) -> int | None:
    if code is None:
        return None
    u = lookup(code)
    return u.teer if u else None


def search(query: str, limit: int = 10) -> list[NocUnit]:
    """Unit groups whose code starts with ``query`` (digits) or whose title contains every word of
    ``query`` as a word prefix. Ordered by code."""
    q = query.strip().lower()
    if not q:
        return []
    if q.isdigit():
        return [u for c, u in sorted(UNITS.items()) if c.startswith(q)][:limit]
    words = re.findall(r"[a-z0-9]+", q)
    out = []
    for c in sorted(UNITS):
        tw = _WORDS[c]
        if all(any(t.startswith(w) for t in tw) for w in words):
            out.append(UNITS[c])
            if len(out) >= limit:
                break
    return out


def noc2016_to_2021(code: str) -> list[NocUnit]:
    """NOC 2021 unit groups that a NOC 2016 (4-digit) code maps to, per the official concordance."""
    return [UNITS[c] for c in _CONCORDANCE.get(code.strip(), ()) if c in UNITS]
