"""An assessment in a language-neutral form, for storage, and the Assessment back from it.

``stored_form(a)`` keeps only what is the case's own: the outcome, the codes evaluated, the criteria
met and not met (by id), the details, the open questions (fact paths), the employer's step,
the place of application, the durations' numbers, the warnings (ids with the case's values in them) and
the points to verify (ids) -- no text. ``from_stored(data)`` rebuilds the Assessment with the engine's
tables (criteria, codes, evidence, obligations, warnings), so that for every assessment ``a``::

    from_stored(stored_form(a)).to_dict(lang) == a.to_dict(lang)      # in JSON terms, en and fr

A case stores a few kilobytes instead of both languages' texts (~64 kB of JSON), and the texts are
those of the engine that reads it. A form written by another rule-set version is read as far as this
engine knows its codes, criteria, facts and warnings (what it does not know is left out or unknown);
re-assessing the case replaces it.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from typing import Any

from .assessment import Assessment
from .categories import ALL_RULES
from .categories.base import CodeRule
from .engine import NO_PERMIT_EVIDENCE, OPEN_PERMIT_EVIDENCE, _evidence, _obligations, self_employed
from .fields import BY_PATH
from .model import MET, NOT_MET, UNKNOWN, CaseFacts, Question, Warning, facts_from_dict
from .params import CODES, CodeInfo
from .warnings import TO_VERIFY, W, verification, warning

FORMAT = 1  # the form's own version (``format`` key); a dict without it is not a stored form
_NOTES = ("note_en", "note_fr")
_Row = tuple[CodeInfo, str, str, tuple[bool | None, ...], bool]


def is_stored_form(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT


def stored_form(a: Assessment) -> dict[str, Any]:
    """The language-neutral form of ``a`` (JSON-ready)."""
    values: dict[str, bool | None] = {}
    codes: list[str | list[str]] = []
    for info, emitted, _status, vals, _candidate in a.raw_results:
        # the criteria evaluated (vals stop at a gate not met)
        values.update(zip(_criterion_ids(info.code), vals, strict=False))
        codes.append(emitted if emitted == info.code else [info.code, emitted])
    waiting = _waiting(a.pending)
    asked = {q.fact: i for i, q in enumerate(a.questions)}
    return {
        "format": FORMAT,
        "ruleset_version": a.ruleset_version,
        "as_of": a.as_of.isoformat(),
        "route": a.route,
        "recommended": a.recommended,
        "codes_fit": list(a.codes_fit),
        "codes": codes,
        # the criteria evaluated that are met or not met (a criterion shared by several codes is evaluated
        # once); every other criterion of a code, up to a gate not met, is unknown
        "met": [k for k, v in values.items() if v is True],
        "not_met": [k for k, v in values.items() if v is False],
        "details": a.details,
        "questions": [_question(q, waiting.get(q.fact, ())) for q in a.questions],
        # the facts each pending code waits for, by their question's index when it has one
        "pending": [[code, [asked.get(p, p) for p in waits]] for code, waits in a.pending],
        "employer_step": a.employer_step,
        "where": a.where,
        "durations": {k: v for k, v in a.durations.items() if k not in _NOTES} if a.durations else None,
        "business_size": a.business_size,
        "warnings": [[w.id, w.values or {}] for w in a.warnings],
        "to_verify": [w.id for w in a.to_verify],
        "open_permit": a.open_permit,
    }


@cache
def _criterion_ids(code: str) -> tuple[str, ...]:
    return tuple(c.id for c in ALL_RULES[code].criteria)


def _waiting(pending: Any) -> dict[str, tuple[str, ...]]:
    """Fact -> the pending codes that wait for it, in the pending codes' order."""
    out: dict[str, list[str]] = {}
    for code, waits in pending:
        for fact in waits:
            codes = out.setdefault(fact, [])
            if code not in codes:
                codes.append(code)
    return {fact: tuple(codes) for fact, codes in out.items()}


def _question(q: Question, waiting: tuple[str, ...]) -> list[Any]:
    """[fact, 1 if needed + 2 if it decides the step], then its codes and the codes it opens (None: the
    pending codes that wait for it, as usual) only when either is not the usual."""
    out: list[Any] = [q.fact, int(q.needed) + 2 * int(q.step)]
    if q.codes != waiting or q.opens != waiting:
        out += [None if q.codes == waiting else list(q.codes), None if q.opens == waiting else list(q.opens)]
    return out


def _question_back(entry: list[Any], waiting: dict[str, tuple[str, ...]]) -> Question:
    fact, flags, *listed = entry
    codes, opens = listed or (None, None)
    usual = waiting.get(fact, ())
    return Question(
        fact,
        usual if codes is None else tuple(codes),
        bool(flags & 1),
        usual if opens is None else tuple(opens),
        bool(flags & 2),
    )


def _row(info: CodeInfo, emitted: str, rule: CodeRule, values: dict[str, bool | None]) -> _Row:
    """A code's raw result from the criteria's values, as the engine's evaluation loop makes it."""
    vals: list[bool | None] = []
    status = MET
    candidate = True
    for i, criterion in enumerate(rule.criteria):
        v = values.get(criterion.id)
        vals.append(v)
        if v is False:
            status = NOT_MET
            if i < rule.n_gate:
                candidate = False
                break
        elif v is None and status is MET:
            status = UNKNOWN
    return (info, emitted, status, tuple(vals), candidate)


@lru_cache(maxsize=1)
def _no_facts() -> CaseFacts:
    return facts_from_dict({})


def from_stored(data: dict[str, Any], facts: CaseFacts | None = None) -> Assessment:
    """The Assessment of a stored form (``facts``, which no rendering reads, defaults to empty)."""
    if not is_stored_form(data):
        raise ValueError("not a stored assessment form")
    on = date.fromisoformat(data["as_of"])
    values: dict[str, bool | None] = dict.fromkeys(data.get("met") or [], True)
    values.update(dict.fromkeys(data.get("not_met") or [], False))
    raw: list[_Row] = []
    for entry in data.get("codes") or []:
        current, emitted = (entry, entry) if isinstance(entry, str) else entry
        if current in CODES and current in ALL_RULES:
            raw.append(_row(CODES[current], emitted, ALL_RULES[current], values))
    route = data["route"]
    recommended = data.get("recommended")
    # the recommended code's entry: the first that fits with that code (as the engine's ``fit`` keeps it)
    rec = next((r[0] for r in raw if r[1] == recommended and r[2] == MET), None) if recommended else None
    step = data.get("employer_step") or {}
    durations = data.get("durations")
    if durations is not None and rec is not None:
        durations = {**durations, **{k: rec.durations.get(k) for k in _NOTES}}
    asked = [q[0] for q in data.get("questions") or []]
    pending = tuple(
        (code, tuple(asked[p] if isinstance(p, int) else p for p in waits))
        for code, waits in data.get("pending") or []
    )
    waiting = _waiting(pending)
    questions = tuple(_question_back(q, waiting) for q in data.get("questions") or [] if q[0] in BY_PATH)
    if route == "open_permit":
        evidence: tuple[tuple[str, str], ...] = OPEN_PERMIT_EVIDENCE
    elif route == "no_permit":
        evidence = NO_PERMIT_EVIDENCE
    else:
        evidence = _evidence(ALL_RULES[rec.code] if rec else None, route, step, on)
    return Assessment(
        on,
        data["ruleset_version"],
        route,
        recommended,
        tuple(data.get("codes_fit") or ()),
        tuple(raw),
        data.get("details") or {},
        questions,
        step,
        data.get("where") or {},
        durations,
        evidence,
        _obligations(on, self_employed(ALL_RULES[rec.code] if rec else None))
        if (route == "IMP" and step.get("kind") != "none")
        else (),
        tuple(_warning(key, on, kw) for key, kw in data.get("warnings") or [] if key in W),
        facts if facts is not None else _no_facts(),
        data.get("open_permit"),
        pending,
        data.get("business_size"),
        tuple(verification(key, on) for key in data.get("to_verify") or [] if key in TO_VERIFY),
    )


def _warning(key: str, on: date, values: dict[str, Any]) -> Warning:
    return warning(key, on, **values)
