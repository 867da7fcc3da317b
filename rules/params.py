"""Dated parameters: loaded once at import from rules/parameters/*.yaml.

Each parameter of ``values.yaml`` lists its values keyed by the date each value starts (the layout of
OpenFisca's parameter files); a value applies until the next one starts, and an explicit end is a
value ``null`` (or ``expired``) keyed by the first day it no longer applies. ``value_at(key, on)``
returns the value in force on ``on``. Every period names a source key that resolves to a URL in
``sources.yaml``. The loader refuses at import dates out of order, two values starting the same day
(an overlap), a value after an end (a gap), an end with nothing to end, a period without a source or
with an unknown one (``ParameterError``): a parameter file cannot contradict itself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

import yaml
from babel.dates import format_date

_DIR = Path(__file__).resolve().parent / "parameters"


class ParameterError(LookupError):
    pass


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # C or Python loader
    """A safe loader that refuses a key given twice in one mapping (YAML would keep the last one
    silently: two values starting the same day would hide an overlap)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                where = key.isoformat() if isinstance(key, date) else repr(key)
                raise ParameterError(
                    f"{key_node.start_mark.name}:{key_node.start_mark.line + 1}: {where} is given twice "
                    "(two values starting the same day overlap)"
                )
            seen.add(key)
        mapping: dict[Hashable, Any] = super().construct_mapping(node, deep)
        return mapping


# YAML 1.2's booleans only (true/false): YAML 1.1, PyYAML's default, also reads yes/no/on/off as
# booleans, so Norway's code NO in a country list became False and Norwegians were treated as
# visa-required. Every other implicit type (dates, numbers, null) is kept as it was.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_text(text: str) -> Any:
    """Parse YAML with the loader of the parameter files (duplicate keys refused)."""
    return yaml.load(text, Loader=_Loader)


def _load(name: str) -> dict[str, Any]:
    with open(_DIR / name, encoding="utf-8") as fh:
        doc: dict[str, Any] = yaml.load(fh, Loader=_Loader)
        return doc


def _d(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


SOURCES: dict[str, str] = _load("sources.yaml")["sources"]


def source_url(key: str) -> str:
    try:
        return SOURCES[key]
    except KeyError:  # pragma: no cover - guarded at import
        raise KeyError(f"unknown source key {key!r}") from None


_VALUES_DOC = _load("values.yaml")
RULESET_VERSION: str = _VALUES_DOC["ruleset"]["version"]
# both are set in values.yaml (a date there is never None)
EARLIEST_AS_OF: date = cast(date, _d(_VALUES_DOC["ruleset"]["earliest_as_of"]))
RENUMBERING_DATE: date = cast(date, _d(_VALUES_DOC["ruleset"]["renumbering_date"]))
NOC_TO_PROFESSION: dict[str, str | None] = {str(k): v for k, v in _VALUES_DOC["noc_to_profession"].items()}


@dataclass(frozen=True, slots=True)
class Period:
    """One value of a parameter: in force from ``start`` to ``end`` (its last day; None: still in force)."""

    value: Any
    start: date
    end: date | None
    source: str
    confirmed: bool

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


_END_MARKERS = (None, "expired")
_PERIOD_FIELDS = frozenset({"value", "source", "confirmed", "note"})
_PARAMETER_FIELDS = frozenset({"values", "description"})


def _is_end(entry: Any) -> bool:
    if isinstance(entry, dict):
        return entry.get("value", 0) in _END_MARKERS
    return entry in _END_MARKERS


def _starts(key: str, raw: Any, where: str) -> list[date]:
    """The start dates of one parameter, in the file's order, refused if unsorted or repeated."""
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), dict) or not raw["values"]:
        raise ParameterError(f"{where}: {key}: expected `values:` with one entry per start date")
    unknown = set(raw) - _PARAMETER_FIELDS
    if unknown:
        raise ParameterError(f"{where}: {key}: unknown field(s) {sorted(unknown)}")
    starts: list[date] = []
    for k in raw["values"]:
        try:
            starts.append(k if isinstance(k, date) else date.fromisoformat(str(k)))
        except ValueError:
            raise ParameterError(f"{where}: {key}: {k!r} is not a start date (YYYY-MM-DD)") from None
    for a, b in pairwise(starts):
        if b < a:
            raise ParameterError(
                f"{where}: {key}: periods out of order ({b.isoformat()} after {a.isoformat()})"
            )
        if b == a:  # two spellings of one date ("2020-01-01" and 2020-01-01)
            raise ParameterError(f"{where}: {key}: two values start on {a.isoformat()} (overlap)")
    return starts


def _period(key: str, start: date, end: date | None, entry: Any, where: str) -> Period:
    if not isinstance(entry, dict) or "value" not in entry:
        raise ParameterError(f"{where}: {key}: {start.isoformat()}: expected {{value: ..., source: ...}}")
    bad = set(entry) - _PERIOD_FIELDS
    if bad:
        raise ParameterError(f"{where}: {key}: {start.isoformat()}: unknown field(s) {sorted(bad)}")
    src = entry.get("source")
    if not src:
        raise ParameterError(f"{where}: {key}: {start.isoformat()}: the period has no source")
    if src not in SOURCES:
        raise ParameterError(f"{where}: {key}: {start.isoformat()}: unknown source key {src!r}")
    v = entry["value"]
    if isinstance(v, list):
        if any(isinstance(item, bool) for item in v):  # a list of codes or names, never a yes/no
            raise ParameterError(f"{where}: {key}: {start.isoformat()}: a list item is a boolean {v!r}")
        v = frozenset(v)
    return Period(v, start, end, src, bool(entry.get("confirmed", True)))


def _periods(key: str, raw: Any, where: str = "values.yaml") -> tuple[Period, ...]:
    """The periods of one parameter ``{values: {start date: {value, source}, ...}}``, checked."""
    starts = _starts(key, raw, where)
    entries = list(raw["values"].values())
    out: list[Period] = []
    for i, (start, entry) in enumerate(zip(starts, entries, strict=True)):
        if _is_end(entry):
            if i == 0 or _is_end(entries[i - 1]):
                raise ParameterError(f"{where}: {key}: an end on {start.isoformat()} with no value to end")
            continue
        if i > 0 and _is_end(entries[i - 1]):
            raise ParameterError(
                f"{where}: {key}: gap: the value ended on {starts[i - 1].isoformat()} and the next starts "
                f"on {start.isoformat()} (give the value in between)"
            )
        end = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None
        out.append(_period(key, start, end, entry, where))
    return tuple(out)


VALUES: dict[str, tuple[Period, ...]] = {k: _periods(k, v) for k, v in _VALUES_DOC["parameters"].items()}


def _derive(key: str, base: str, subset: str) -> None:
    """A dated list = ``base`` (e.g. the CPTPP parties in force) restricted to ``subset``."""
    out: list[Period] = []
    keep = VALUES[subset][-1].value
    for p in VALUES[base]:
        v = frozenset(p.value & keep)
        if out and out[-1].value == v:  # merge: a base change that does not change the subset
            last = out.pop()
            out.append(Period(v, last.start, p.end, last.source, last.confirmed))
        else:
            out.append(Period(v, p.start, p.end, p.source, p.confirmed))
    VALUES[key] = tuple(out)


_derive("cptpp_investor_parties", "cptpp_parties", "cptpp_investor_citizens")
_derive("cptpp_professional_parties", "cptpp_parties", "cptpp_professional_citizens")


def period_at(key: str, on: date) -> Period:
    for p in VALUES[key]:
        if p.covers(on):
            return p
    raise ParameterError(f"no value of {key!r} in force on {on.isoformat()}")


def unconfirmed_members(key: str) -> frozenset[str]:
    """The members a list parameter (``cptpp_parties``) gains in a period whose start is not confirmed
    (``confirmed: false`` in values.yaml): those whose date of joining is still to verify."""
    out: set[str] = set()
    before: frozenset[str] = frozenset()
    for p in VALUES[key]:
        now = frozenset(p.value or ())
        if not p.confirmed:
            out |= now - before
        before = now
    return frozenset(out)


def joined_on(key: str) -> dict[str, date]:
    """The day each member of a list parameter (``cptpp_parties``) first appears in it."""
    out: dict[str, date] = {}
    for period in VALUES[key]:
        for member in period.value or ():
            out.setdefault(member, period.start)
    return out


# the days on which some parameter changes: between two of them every parameter keeps its value
_VALUE_CHANGES = sorted(
    {p.start for ps in VALUES.values() for p in ps}
    | {p.end + timedelta(days=1) for ps in VALUES.values() for p in ps if p.end is not None}
)


class ParameterSet(dict[str, Any]):
    """Every parameter in force on one day (``ps[key]``); a parameter not in force raises ParameterError."""

    def __init__(self, on: date) -> None:
        super().__init__((key, p.value) for key, periods in VALUES.items() for p in periods if p.covers(on))
        self.on = on

    def __missing__(self, key: str) -> Any:
        raise ParameterError(f"no value of {key!r} in force on {self.on.isoformat()}")


@cache
def _values_for_epoch(epoch: int) -> ParameterSet:
    return ParameterSet(_VALUE_CHANGES[epoch - 1] if epoch > 0 else date.min)


def values_on(on: date) -> ParameterSet:
    """Every parameter in force on ``on``: one table per range of days in which none changes, built once
    (an assessment reads its parameters from it instead of looking each one up). The one cache of the
    parameters: ``value_at`` reads it too (a test that changes a value clears it)."""
    return _values_for_epoch(bisect.bisect_right(_VALUE_CHANGES, on))


def value_at(key: str, on: date, default: Any = ParameterError) -> Any:
    """The value of ``key`` in force on ``on`` (from ``values_on``'s table); ``default`` when none is
    in force, else ParameterError. An unknown key is a KeyError."""
    table = values_on(on)
    if key in table:
        return table[key]
    if key not in VALUES:
        raise KeyError(f"{key!r} is not a parameter (rules/parameters/values.yaml)")
    if default is ParameterError:
        raise ParameterError(f"no value of {key!r} in force on {on.isoformat()}")
    return default


def full_time_hours(on: date) -> Any:
    """The hours a week from which a job is full time (IRPR R73(1)), as in force on ``on``; before the
    rule set's first date, its first value."""
    return value_at("full_time_hours_per_week", on, default=VALUES["full_time_hours_per_week"][0].value)


def is_full_time(hours: Any, flag: bool | None, on: date) -> bool | None:
    """Whether a job is full time: its hours a week decide where given (at least
    ``full_time_hours_per_week`` in force on ``on``, IRPR R73(1)), else its full-time flag; None when
    neither is known. The one definition: the rules engine, the job services and the import's check
    call it.

    ``on`` is the day the question is asked, not the day the job began: IRCC asks whether the
    employment in the years before the application was full time (continuous full-time employment for
    one year in the three years preceding the initial application, R205(a)), and a rule is applied as
    in force when the application is assessed. The rules engine passes the assessment's date; the job
    services and the import pass the day they save or check (an assessment made that day agrees)."""
    if hours is None or hours == "":
        return flag
    if isinstance(hours, str):
        hours = Decimal(hours.replace(",", ".").strip())
    return bool(hours >= full_time_hours(on))


# --------------------------------------------------------------------------- code table
TRADE_AGREEMENT_PROGRAMS = frozenset(
    {"cusma", "ceta", "cuktca", "cptpp", "chile", "colombia", "korea", "panama", "peru", "ukraine", "gats"}
)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str
    program: str
    reg: str
    reg_history: tuple[Period, ...]
    effective_from: date | None
    effective_to: date | None
    legacy: str | None
    legacy_from: date | None
    priority: int
    label_en: str
    label_fr: str
    durations: dict[str, Any]
    source: str
    poe: bool
    poe_preferred: bool
    flagpole_exception: bool
    ict: bool
    kind: str  # what a support letter must argue: ict, professional, trader_investor, francophone or other

    @property
    def url(self) -> str:
        return source_url(self.source)

    def reg_on(self, on: date) -> str:
        for h in self.reg_history:
            if h.covers(on):
                reg: str = h.value
                return reg
        return self.reg

    def emitted_on(self, on: date) -> str | None:
        """The code IRCC used on ``on`` for this situation, or None if none applied."""
        if self.effective_to is not None and on > self.effective_to:
            return None
        if self.effective_from is None or on >= self.effective_from:
            return self.code
        if self.legacy and self.legacy_from is not None and on >= self.legacy_from:
            return self.legacy
        return None


# the recommended (or likely) code of an assessment: its info and the code emitted on the date
Recommended = tuple[CodeInfo, str]

_CODES_DOC = _load("codes.yaml")


def _code(raw: dict[str, Any]) -> CodeInfo:
    source_url(raw["source"])
    return CodeInfo(
        code=raw["code"],
        program=raw["program"],
        reg=raw["reg"],
        reg_history=_periods(raw["code"], raw["reg_history"], "codes.yaml") if "reg_history" in raw else (),
        effective_from=_d(raw.get("effective_from")),
        effective_to=_d(raw.get("effective_to")),
        legacy=raw.get("legacy"),
        legacy_from=_d(raw.get("legacy_from")),
        priority=int(raw["priority"]),
        label_en=raw["label_en"],
        label_fr=raw["label_fr"],
        durations=dict(raw.get("durations") or {}),
        source=raw["source"],
        poe=bool(raw.get("poe", True)),
        poe_preferred=bool(raw.get("poe_preferred", True)),
        flagpole_exception=bool(raw.get("flagpole_exception", False)),
        ict=bool(raw.get("ict", False)),
        kind=_kind(raw),
    )


CODE_KINDS = frozenset({"ict", "professional", "trader_investor", "francophone", "other"})


def _kind(raw: dict[str, Any]) -> str:
    kind = raw.get("kind")
    if kind not in CODE_KINDS:
        raise ParameterError(
            f"codes.yaml: {raw['code']}: kind must be one of {sorted(CODE_KINDS)}, got {kind!r}"
        )
    return cast(str, kind)  # one of CODE_KINDS


CODES: dict[str, CodeInfo] = {c["code"]: _code(c) for c in _CODES_DOC["codes"]}
LEGACY_CODES: dict[str, dict[str, Any]] = {c["code"]: c for c in _CODES_DOC["legacy_codes"]}
for _c in LEGACY_CODES.values():
    source_url(_c["source"])
OPEN_PERMIT_CODES: frozenset[str] = frozenset(_CODES_DOC["open_permit_codes"])
PROGRAMS: dict[str, dict[str, str]] = dict(_CODES_DOC["programs"])
for _program in PROGRAMS.values():
    if _program.get("chapter_source"):
        source_url(_program["chapter_source"])  # the page naming the agreement's chapter must be known
for _info in CODES.values():
    if _info.program not in PROGRAMS:  # pragma: no cover - guarded at import
        raise ValueError(f"codes.yaml: program {_info.program!r} of {_info.code} has no entry in programs")


@dataclass(frozen=True, slots=True)
class SpousePermit:
    """The open permit of the spouse or common-law partner of a worker admitted under a trade agreement
    (codes.yaml ``spouse_permits``)."""

    code: str
    program: str
    reg: str
    effective_from: date | None
    legacy: str | None
    legacy_from: date | None
    principal_kinds: frozenset[str] | None  # the principal's code kinds that give it (None: any)
    principal_countries: dict[str, frozenset[str] | None] | None  # country -> its principal codes (None: any)
    label_en: str
    label_fr: str
    source: str

    @property
    def url(self) -> str:
        return source_url(self.source)

    def emitted_on(self, on: date) -> str | None:
        """The spouse's code on ``on`` (the legacy code before the renumbering), None before the provision."""
        if self.effective_from is None or on >= self.effective_from:
            return self.code
        if self.legacy and self.legacy_from is not None and on >= self.legacy_from:
            return self.legacy
        return None


def _spouse_permit(raw: dict[str, Any]) -> SpousePermit:
    source_url(raw["source"])
    if raw["program"] not in PROGRAMS:
        raise ParameterError(f"codes.yaml: spouse_permits: {raw['code']}: unknown program {raw['program']!r}")
    kinds = raw.get("principal_kinds")
    if kinds is not None and not set(kinds) <= CODE_KINDS:
        raise ParameterError(f"codes.yaml: spouse_permits: {raw['code']}: unknown kind in {kinds!r}")
    countries = raw.get("principal_countries")
    return SpousePermit(
        code=raw["code"],
        program=raw["program"],
        reg=raw["reg"],
        effective_from=_d(raw.get("effective_from")),
        legacy=raw.get("legacy"),
        legacy_from=_d(raw.get("legacy_from")),
        principal_kinds=frozenset(kinds) if kinds is not None else None,
        principal_countries=(
            {k: (None if v == "all" else frozenset(v)) for k, v in countries.items()}
            if countries is not None
            else None
        ),
        label_en=raw["label_en"],
        label_fr=raw["label_fr"],
        source=raw["source"],
    )


# program -> the spouse permit its agreement gives (an agreement absent gives none: CUSMA, Chile, Peru ...)
SPOUSE_PERMITS: dict[str, SpousePermit] = {
    sp.program: sp for sp in map(_spouse_permit, _CODES_DOC.get("spouse_permits") or ())
}


def _programs_of_codes() -> dict[str, frozenset[str]]:
    """Every employer code, current or legacy, -> the programs it belongs to (T44 is CETA's and, before the
    renumbering, CUKTCA's; T23 every bilateral agreement's professionals')."""
    out: dict[str, set[str]] = {}
    for info in CODES.values():
        out.setdefault(info.code, set()).add(info.program)
        if info.legacy:
            out.setdefault(info.legacy, set()).add(info.program)
    return {k: frozenset(v) for k, v in out.items()}


PROGRAMS_OF_CODE: dict[str, frozenset[str]] = _programs_of_codes()


def kind_of_code(code: str, program: str) -> str | None:
    """The kind of a current or legacy ``code`` within ``program`` (T44 of CETA: ict), None if unknown."""
    kinds = {
        info.kind for info in CODES.values() if info.program == program and code in (info.code, info.legacy)
    }
    return next(iter(kinds)) if len(kinds) == 1 else None


# dates on which the code table changes -> one cached table per epoch
_CHANGE_DATES = sorted(
    {d for c in CODES.values() for d in (c.effective_from, c.legacy_from) if d}
    | {c.effective_to + timedelta(days=1) for c in CODES.values() if c.effective_to}
)


def epoch_of(on: date) -> int:
    """The code-table epoch of ``on``: the number of days the code table changed on up to ``on``."""
    return bisect.bisect_right(_CHANGE_DATES, on)


def epoch_start(epoch: int) -> date:
    """The first day of a code-table epoch (``epoch_of``): the codes in force that day are those of the
    whole epoch, so a table built for it serves every day of it."""
    return _CHANGE_DATES[epoch - 1] if epoch > 0 else date(1900, 1, 1)


@cache
def _table_for_epoch(epoch: int) -> tuple[tuple[CodeInfo, str], ...]:
    on = epoch_start(epoch)
    return tuple((c, em) for c in CODES.values() if (em := c.emitted_on(on)) is not None)


def code_table(on: date) -> tuple[tuple[CodeInfo, str], ...]:
    """(code info, code emitted on that date) for every employer code in force on ``on``."""
    return _table_for_epoch(epoch_of(on))


def code_kind(code: str) -> str:
    """``CodeInfo.kind`` of a current code (``other`` for an unknown one)."""
    info = CODES.get(code)
    return info.kind if info else "other"


def codes_in_force(on: date) -> list[dict[str, Any]]:
    """Public listing used by ``python -m rules codes``."""
    seen: dict[str, dict[str, Any]] = {}
    for info, emitted in code_table(on):
        if emitted in seen:
            seen[emitted]["covers"].append(info.code)
            continue
        if emitted == info.code:
            label_en, label_fr, src = info.label_en, info.label_fr, info.url
        else:
            lc = LEGACY_CODES.get(emitted)
            label_en = (
                lc["label_en"] if lc else CODES[emitted].label_en if emitted in CODES else info.label_en
            )
            label_fr = (
                lc["label_fr"] if lc else CODES[emitted].label_fr if emitted in CODES else info.label_fr
            )
            src = source_url(lc["source"]) if lc else info.url
        seen[emitted] = {
            "code": emitted,
            "regulation": info.reg_on(on),
            "label_en": label_en,
            "label_fr": label_fr,
            "effective_from": (info.effective_from if emitted == info.code else info.legacy_from),
            "source": src,
            "covers": [info.code],
        }
    out = []
    for v in seen.values():
        v["effective_from"] = v["effective_from"].isoformat() if v["effective_from"] else None
        out.append(v)
    return out


# --------------------------------------------------------------------------- professions / obligations
_PROF_DOC = _load("professions.yaml")
CUSMA_PROFESSIONS: dict[str, dict[str, Any]] = {p["key"]: p for p in _PROF_DOC["cusma"]["professions"]}
GATS_PROFESSIONS: dict[str, dict[str, Any]] = {p["key"]: p for p in _PROF_DOC["gats"]["professions"]}
source_url(_PROF_DOC["cusma"]["source"])
source_url(_PROF_DOC["gats"]["source"])

OBLIGATIONS: tuple[dict[str, Any], ...] = tuple(
    {**o, "effective_from": _d(o.get("effective_from")), "url": source_url(o["source"])}
    for o in _load("obligations.yaml")["obligations"]
)


_OR = {"en": "or", "fr": "ou"}
_TO = {"en": "–", "fr": " à "}


def long_date(iso: str, lang: str) -> str:
    """An ISO date in the language's long form (``March 1, 2027`` / ``1er mars 2027``); anything else as it is."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    text = format_date(day, "long", locale="fr_CA" if lang == "fr" else "en_CA")
    # French writes the first of a month as an ordinal; Babel's long form starts with the day
    return "1er" + text[1:] if lang == "fr" and day.day == 1 and text.startswith("1 ") else text


def _plain(v: Any, lang: str) -> str:
    if isinstance(v, bool):
        raise ParameterError("a yes/no parameter has no text form")
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, date):
        return long_date(v.isoformat(), lang)
    if isinstance(v, frozenset):
        return _or_list(v, lang)
    return str(v)


def _or_list(v: Any, lang: str) -> str:
    items = [str(x) for x in sorted(v)]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {_OR[lang]} " + items[-1]


def _range(v: Any, lang: str) -> str:
    items = sorted(v)
    if len(items) > 2 and items == list(range(items[0], items[-1] + 1)):
        return f"{items[0]}{_TO[lang]}{items[-1]}"
    return _or_list(v, lang)


def _money(v: Any, lang: str) -> str:
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang == "fr" else text


# {key<suffix>}: how a text quotes a parameter in another form
_FORMS: dict[str, Any] = {
    "_pct": lambda key, on, lang: f"{value_at(key, on) * 100:g}",  # a ratio as a percentage
    "_more_than": lambda key, on, lang: str(value_at(key, on) - 1),  # a minimum, as "more than"
    "_or": lambda key, on, lang: _or_list(value_at(key, on), lang),  # "0, 1, 2 or 3"
    "_range": lambda key, on, lang: _range(value_at(key, on), lang),  # "0–3" / "0 à 3"
    "_money": lambda key, on, lang: _money(value_at(key, on), lang),  # "2,500" / "2 500"
    # the day the value started, written out as a reader reads it (March 1, 2024 / 1er mars 2024)
    "_since": lambda key, on, lang: long_date(period_at(key, on).start.isoformat(), lang),
}
# numbers the texts quote that are counts of a parameter table rather than a dated value
DERIVED: dict[str, Any] = {"cusma_profession_count": lambda on: len(CUSMA_PROFESSIONS)}


class ParamText(dict[str, Any]):
    """``text.format_map(ParamText(on, lang))``: ``{key}`` is the parameter's value on ``on``, and
    ``{key_pct}``, ``{key_more_than}``, ``{key_or}``, ``{key_range}``, ``{key_money}``, ``{key_since}``
    other forms of it (see ``_FORMS``) — human texts take their numbers and dates from the parameters
    instead of writing them twice. ``extra`` adds the case's own values (a passport, a date). An unknown
    key raises ``KeyError``: a misspelt placeholder never reaches a page."""

    def __init__(self, on: date, lang: str = "en", **extra: Any):
        super().__init__(extra)
        self.on = on
        self.lang = lang

    def __missing__(self, key: str) -> str:
        if key in VALUES:
            return _plain(value_at(key, self.on), self.lang)
        if key in DERIVED:
            return str(DERIVED[key](self.on))
        for suffix, form in _FORMS.items():
            if key.endswith(suffix) and key[: -len(suffix)] in VALUES:
                text: str = form(key[: -len(suffix)], self.on, self.lang)
                return text
        raise KeyError(f"{key!r} is not a parameter (rules/parameters/values.yaml)")


def param_text(text: str, on: date, lang: str = "en", **extra: Any) -> str:
    if "{" not in text:
        return text
    if extra:  # a case's own values: not memoized
        return text.format_map(ParamText(on, lang, **extra))
    return _text_at(text, on, lang)


@lru_cache(maxsize=65536)
def _text_at(text: str, on: date, lang: str) -> str:
    """A text with only parameters in it, on a day (memoized like ``values_on``: the values are immutable;
    a test that changes one clears both caches). Every case of a book run renders the same criteria,
    exclusions and obligations on the same day: a fifth of a case's assessment-and-render time."""
    return text.format_map(ParamText(on, lang))
