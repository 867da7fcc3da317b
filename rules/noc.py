"""NOC 2021 lookup (516 unit groups, Statistics Canada; see rules/data/noc/README.md).

lookup("21300") -> NocUnit(code="21300", teer=1, title="Civil engineers", title_fr="Ingénieurs civils/...")
search("civil eng") -> [NocUnit(...), ...]   # by code prefix or title words (as-you-type)
find("software engineering manager") -> [NocMatch(unit=20012..., matched="Software engineering manager")]
find("gestionnaire en génie logiciel", lang="fr") -> [NocMatch(unit=20012..., matched="Gestionnaire de génie logiciel")]
noc2016_to_2021("2131") -> [NocUnit(...)]     # official concordance, may give several

``find`` matches the words people use: the ~28,000 English and ~30,000 French example job titles
Statistics Canada publishes for the unit groups (the "elements" file), a short reviewed list of
common titles, and the unit-group titles. It ranks an exact example title first, then a title that
starts with the words typed, then titles holding every word typed, then the unit-group titles.
The title index (about 30 MB) is built once, on the first call (one to three seconds), then answers in
milliseconds.
"""

from __future__ import annotations

import bisect
import csv
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent / "data" / "noc"

ENTREPRENEUR_CODE = "88888"  # synthetic code for entrepreneurs (IRCC practice), treated as TEER 0


@dataclass(frozen=True, slots=True)
class NocUnit:
    code: str
    teer: int
    title: str
    title_fr: str = ""
    definition: str = ""  # Statistics Canada's lead statement (English)

    def title_in(self, lang: str) -> str:
        """The unit-group title in ``lang`` ("fr": the CNP 2021 title), English when none."""
        return self.title_fr if lang == "fr" and self.title_fr else self.title

    @property
    def summary(self) -> str:
        """One line: the first sentence of Statistics Canada's definition."""
        m = re.match(r"(.+?\.)(\s|$)", self.definition)
        return m.group(1) if m else self.definition


@dataclass(frozen=True, slots=True)
class NocMatch:
    unit: NocUnit
    score: float
    matched: str  # the title that matched (an example title, or the unit-group title)
    lang: str  # language of ``matched``

    def examples(self, lang: str, limit: int = 3) -> list[str]:
        return examples(self.unit.code, lang)[:limit]


def _load() -> tuple[dict[str, NocUnit], dict[str, tuple[str, ...]], dict[str, str]]:
    details: dict[str, tuple[str, str]] = {}
    with open(_DIR / "noc2021-unit-group-details.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            details[row["noc2021_code"]] = (row["title_fr"], row["definition_en"])
    units: dict[str, NocUnit] = {}
    with open(_DIR / "noc2021-unit-groups.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["noc2021_code"]
            title_fr, definition = details.get(code, ("", ""))
            units[code] = NocUnit(code, int(row["teer"]), row["title_en"], title_fr, definition)
    conc: dict[str, list[str]] = {}
    titles16: dict[str, str] = {}
    with open(_DIR / "noc2016-to-noc2021.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            conc.setdefault(row["noc2016_code"], []).append(row["noc2021_code"])
            titles16[row["noc2016_code"]] = row["noc2016_title"]
    return units, {k: tuple(dict.fromkeys(v)) for k, v in conc.items()}, titles16


UNITS, _CONCORDANCE, NOC2016_TITLES = _load()
_WORDS = {code: tuple(re.findall(r"[a-z0-9]+", u.title.lower())) for code, u in UNITS.items()}
_ENTREPRENEUR = NocUnit(
    ENTREPRENEUR_CODE, 0, "Entrepreneur (IRCC synthetic code)", "Entrepreneur (code synthétique d'IRCC)"
)


def is_valid(code: str) -> bool:
    return code in UNITS or code == ENTREPRENEUR_CODE


def lookup(code: str) -> NocUnit | None:
    """The unit group for a 5-digit NOC 2021 code (or the entrepreneur code 88888), else None."""
    if code == ENTREPRENEUR_CODE:
        return _ENTREPRENEUR
    return UNITS.get(code)


def title(code: str | None, lang: str = "en") -> str:
    """The unit-group title of ``code`` in ``lang`` (French CNP title for "fr"), "" if unknown."""
    u = lookup(code) if code else None
    return u.title_in(lang) if u else ""


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


# --- Matching job titles -------------------------------------------------------------------------

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "of",
        "the",
        "for",
        "in",
        "on",
        "to",
        "at",
        "by",
        "or",
        "with",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "en",
        "au",
        "aux",
        "un",
        "une",
        "pour",
        "sur",
        "par",
        "ou",
    ]
)
# Words that end a French masculine/feminine pair's left half ("et programmeurs/programmeuses").
_CONNECTORS = _STOP | {"-"}


def _fold(text: str) -> str:
    text = text.lower()
    if text.isascii():
        return text
    text = text.replace("œ", "oe").replace("æ", "ae")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


_WORD = re.compile(r"[a-z0-9]+")
_STEMS: dict[str, str] = {}


def _stem(token: str) -> str:
    stem = _STEMS.get(token)
    if stem is None:
        stem = token[:-1] if len(token) > 3 and token[-1] in "sx" and not token.endswith("ss") else token
        _STEMS[token] = stem
    return stem


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_stem(t) for t in _WORD.findall(_fold(text)) if t not in _STOP)


def _gender_variants(text: str) -> list[str]:
    """'Directeur général/directrice générale - TI' -> masculine and feminine forms (StatCan writes
    the masculine phrase, a slash, then the feminine phrase with the same number of words)."""
    if "/" not in text:
        return [text]
    words = text.split(" ")
    left: list[str] = []
    right: list[str] = []
    boundary = 0  # words of ``left`` before it cannot belong to the next pair
    i = 0
    while i < len(words):
        w = words[i]
        if w.count("/") == 1:
            a, b = w.split("/")
            span = 0  # words before the slash that belong to the masculine phrase
            while len(left) - span > boundary and _fold(left[-span - 1]) not in _CONNECTORS:
                span += 1
            left.append(a)
            right = right[: len(right) - span] + [b] + words[i + 1 : i + 1 + span]
            i += 1 + span
            boundary = len(left)
            continue
        left.append(w)
        right.append(w)
        i += 1
    return list(dict.fromkeys([" ".join(left), " ".join(right)]))


def _abbreviation_variants(text: str) -> list[str]:
    """'Information technology (IT) director' -> 'IT director' and 'Information technology director'."""
    out: list[str] = []
    if "(" not in text:
        return out
    for m in re.finditer(r"\(([A-Za-z][A-Za-z.&-]*)\)", text):
        abbr = m.group(1)
        letters = [c.lower() for c in abbr if c.isupper()]
        if len(letters) < 2:
            continue
        before = text[: m.start()].rstrip().split(" ")
        k, j = len(letters) - 1, len(before) - 1
        while j >= 0 and k >= 0:
            w = _fold(before[j])
            if w in _STOP:
                j -= 1
                continue
            if not w or w[0] != letters[k]:
                break
            k -= 1
            j -= 1
        if k < 0:
            head = " ".join(before[: j + 1])
            tail = text[m.end() :]
            out.append(f"{head} {abbr}{tail}".strip())
    out.append(re.sub(r"\s*\([^)]*\)", "", text))
    return out


def _variants(text: str) -> list[str]:
    out: list[str] = []
    for g in _gender_variants(text):
        for v in [g, *_abbreviation_variants(g)]:
            out.append(v)
    return list(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class _Title:
    code: str
    lang: str
    text: str
    tokens: tuple[str, ...]
    unit_title: bool
    qualifier_dropped: bool = False


_Index = tuple[list[_Title], dict[str, list[int]], list[str]]
_INDEX: list[_Index] = []  # built once per process (about 1.7 s of CPU): empty until then
_INDEX_LOCK = threading.Lock()  # a lookup made while another thread builds the index waits for it


def _index() -> _Index:
    if not _INDEX:
        with _INDEX_LOCK:
            if not _INDEX:
                _INDEX.append(_build_index())
    return _INDEX[0]


def warm() -> None:
    """Build the job-title index now rather than on the first lookup (about 1.7 s of CPU, once per
    process). gunicorn.conf.py builds it in the master, before the web workers are forked from it."""
    _index()


def warm_in_background() -> None:
    """Build the index in a thread of its own unless it is built or being built: the role form calls it
    when it opens, so the index is ready by the time the user types a job title."""
    if not _INDEX and not _INDEX_LOCK.locked():
        threading.Thread(target=_index, name="noc-index", daemon=True).start()


def _build_index() -> _Index:
    titles: list[_Title] = []

    def add(code: str, lang: str, text: str, unit_title: bool = False) -> None:
        seen = set()
        for v in _variants(text):
            # "Data analyst - informatics and systems" is also a "Data analyst", ranked just below
            forms = [(_tokens(v), False)]
            if " - " in v:
                forms.append((_tokens(v.split(" - ")[0]), True))
            for toks, qualified in forms:
                if toks and toks not in seen:
                    seen.add(toks)
                    titles.append(_Title(code, lang, text, toks, unit_title, qualified))

    for name in ("noc2021-example-titles.csv", "noc2021-common-titles.csv"):
        with open(_DIR / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["noc2021_code"] in UNITS:
                    add(sys.intern(row["noc2021_code"]), sys.intern(row["lang"]), row["title"])
    for code, u in UNITS.items():
        add(code, "en", u.title, unit_title=True)
        if u.title_fr:
            add(code, "fr", u.title_fr, unit_title=True)
    by_token: dict[str, list[int]] = {}  # lists, not sets: a third of the memory
    for i, t in enumerate(titles):
        for tok in dict.fromkeys(t.tokens):
            by_token.setdefault(tok, []).append(i)
    return titles, by_token, sorted(by_token)


def _score(t: _Title, q: tuple[str, ...], last_is_prefix: bool) -> float:
    """100 exact title; 85 the title starts with the words typed; 60-80 every word typed is in the
    title (more for a shorter title); a unit-group title scores 10 less than an example title."""
    toks = t.tokens
    n = len(q)
    if toks == q:
        s = 98.0 if t.qualifier_dropped else 100.0
    elif (
        len(toks) >= n
        and toks[: n - 1] == q[: n - 1]
        and (toks[n - 1] == q[-1] or (last_is_prefix and toks[n - 1].startswith(q[-1])))
    ):
        s = 85.0 + 5.0 * n / len(toks)
    else:
        s = 60.0 + 20.0 * n / len(toks)
    return s - 10.0 if t.unit_title else s


def find(query: str, lang: str = "en", limit: int = 10) -> list[NocMatch]:
    """Unit groups for a job title as people write it, best first.

    A 5-digit code (or its first digits) gives those unit groups; a 4-digit NOC 2016 code its
    NOC 2021 unit groups. Otherwise every word of ``query`` (the last one may be unfinished) must
    appear in an example title or a unit-group title, in English or in French; titles in ``lang``
    win a tie."""
    q = query.strip()
    if not q:
        return []
    if q.isdigit():
        units = noc2016_to_2021(q) if len(q) == 4 else []
        units += [u for c, u in sorted(UNITS.items()) if c.startswith(q) and u not in units]
        return [NocMatch(u, 100.0, u.title_in(lang), lang) for u in units[:limit]]
    qt = _tokens(_expanded(q))
    if not qt:
        return []
    titles, by_token, vocabulary = _index()
    last_is_prefix = not q[-1].isspace()
    sets = [set(by_token.get(tok, ())) for tok in qt[:-1]]
    last = set(by_token.get(qt[-1], ()))
    if last_is_prefix and len(qt[-1]) >= 2:
        i = bisect.bisect_left(vocabulary, qt[-1])
        while i < len(vocabulary) and vocabulary[i].startswith(qt[-1]):
            last.update(by_token[vocabulary[i]])
            i += 1
    sets.append(last)
    candidates = set.intersection(*sorted(sets, key=len))
    penalty = 0.0
    if not candidates and len(sets) > 1:
        candidates, penalty = _all_but_one(qt, sets)
    best: dict[str, tuple[float, int, _Title]] = {}
    for i in candidates:
        t = titles[i]
        s = _score(t, qt, last_is_prefix) - penalty + (0.5 if t.lang == lang else 0.0)
        cur = best.get(t.code)
        if cur is None:
            best[t.code] = (s, 1, t)
        else:
            best[t.code] = (max(cur[0], s), cur[1] + 1, t if s > cur[0] else cur[2])
    ranked = sorted(best.items(), key=lambda kv: (-(kv[1][0] + min(kv[1][1], 20) * 0.1), kv[0]))
    return [NocMatch(UNITS[code], round(s, 1), t.text, t.lang) for code, (s, _n, t) in ranked[:limit]]


# Short forms of titles that the NOC's titles spell out. The ones that are also the start of other words
# ("dev", "eng") are expanded only once the user has gone past them: typed last, they stay a prefix.
_SPELLED = {
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "avp": "assistant vice president",
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "cio": "chief information officer",
    "hr": "human resources",
    "mgr": "manager",
    "dir": "director",
    "dev": "developer",
    "eng": "engineer",
    "engr": "engineer",
}
_PREFIXES = frozenset({"dir", "dev", "eng"})


def _expanded(query: str) -> str:
    """``query`` with the short forms of _SPELLED spelled out (tour of 2026-12-06: "VP Operations")."""
    words = query.split()
    out = []
    for k, word in enumerate(words):
        key = _fold(word).strip(".,")
        typing = k == len(words) - 1 and not query[-1].isspace()
        full = _SPELLED.get(key)
        out.append(full if full and not (typing and key in _PREFIXES) else word)
    return " ".join(out) + (" " if query[-1:].isspace() else "")


# Words of a company's own title that the NOC's titles leave out: a level, not an occupation.
_LEVELS = frozenset(_stem(w) for w in "senior junior lead principal intermediate associate sr jr".split())


def _all_but_one(qt: tuple[str, ...], sets: list[set[int]]) -> tuple[set[int], float]:
    """When no title holds every word typed (tour of 2026-12-06: "Senior Software Developer" found
    nothing): the titles holding every word but a level ("senior", "lead"), else, for three words or
    more, every word but one; scored 15 lower. (Empty when neither applies.)"""
    kept = [s for tok, s in zip(qt, sets, strict=True) if tok not in _LEVELS]
    if kept and len(kept) < len(sets):
        found = set.intersection(*kept)
        if found:
            return found, 15.0
    if len(sets) < 3:
        return set(), 0.0
    found = set()
    for skipped in range(len(sets)):
        rest = [s for k, s in enumerate(sets) if k != skipped]
        found |= set.intersection(*rest)
    return found, 15.0


@cache
def _examples() -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    with open(_DIR / "noc2021-example-titles.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault((row["noc2021_code"], row["lang"]), []).append(row["title"])
    return out


def examples(code: str, lang: str = "en") -> list[str]:
    """Statistics Canada's example job titles of a unit group, in ``lang``."""
    return list(_examples().get((code, "fr" if lang == "fr" else "en"), []))
