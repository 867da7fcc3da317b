"""The Assessment that ``assess()`` returns, and what it explains from its raw results on demand
(the codes one fix away, the reasons no code fits, every criterion's result).

Apart from model.py because it reads the categories' criteria and renders itself, and those import
model: here the imports run one way (assessment -> categories, render -> model).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .categories import ALL_RULES
from .model import MET, NOT_MET, UNKNOWN, CaseFacts, CodeResult, CriterionResult, Question, Warning
from .render import assessment_to_dict, assessment_to_dicts

_EMPTY: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Assessment:
    as_of: date
    ruleset_version: str
    route: str  # "IMP" | "TFWP" | "open_permit" | "no_permit" | "pending"
    recommended: str | None
    codes_fit: tuple[str, ...]
    raw_results: tuple[Any, ...]  # (code info, emitted code, status, criterion values, candidate) per code
    details: dict[str, Any]  # criterion id -> detail (e.g. the date a rule will be met)
    questions: tuple[Question, ...]
    employer_step: dict[str, Any]
    where: dict[str, Any]
    durations: dict[str, Any] | None
    evidence: tuple[Any, ...]
    obligations: tuple[Any, ...]
    warnings: tuple[Warning, ...]
    facts: CaseFacts
    # the note of a worker who needs no code: {reason, ...} of an open permit, or of no permit at all (route
    # no_permit: a Canadian citizen or permanent resident, with the source)
    open_permit: dict[str, Any] | None = None
    pending: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (code, facts it waits for), recommendation order
    business_size: dict[str, Any] | None = None  # R209.93 penalty tier of the employer
    to_verify: tuple[
        Warning, ...
    ] = ()  # unconfirmed points (imp-rules.md §8 item 12) that decide this outcome

    @property
    def fixes(self) -> tuple[dict[str, Any], ...]:
        """Codes that fail on exactly one fixable criterion (e.g. the C63 wage floor), with the fix."""
        return _fixes(self.raw_results, self.details)

    @property
    def reasons(self) -> tuple[dict[str, Any], ...]:
        """Why no code fits (TFWP) – the criteria not met per code – or the note of a worker who needs no
        code (open permit, or no permit at all: a Canadian citizen or permanent resident)."""
        if self.open_permit is not None:
            return (self.open_permit,)
        return _reasons(self.raw_results, self.route)

    @property
    def results(self) -> tuple[CodeResult, ...]:
        """Every code in force on as_of with each evaluated criterion met / not met / unknown."""
        out = []
        for info, emitted, status, vals, candidate in self.raw_results:
            crits = ALL_RULES[info.code].criteria
            cr = tuple(
                CriterionResult(
                    k,
                    MET if v is True else NOT_MET if v is False else UNKNOWN,
                    self.details.get(k.id),
                )
                for k, v in zip(crits, vals, strict=False)
            )
            legacy = info.legacy if emitted == info.code else emitted
            out.append(CodeResult(emitted, info.code, legacy, status, cr, candidate))
        return tuple(out)

    @property
    def complete(self) -> bool:
        """True exactly when no needed question remains (optional ones may stay open)."""
        return not any(q.needed for q in self.questions)

    @property
    def needed_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.needed)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return assessment_to_dict(self, lang)

    def to_dicts(self) -> dict[str, dict[str, Any]]:
        """``{"en": to_dict("en"), "fr": to_dict("fr")}``, the per-code results worked out once."""
        return assessment_to_dicts(self)


def _fixes(raw: Iterable[Any], details: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    out: list[dict[str, Any]] = []
    for info, emitted, status, vals, candidate in raw:
        if status is not NOT_MET or not candidate or vals.count(False) != 1 or None in vals:
            continue
        crit = ALL_RULES[info.code].criteria[vals.index(False)]
        if crit.fix_en:
            out.append(
                {
                    "code": emitted,
                    "criterion": crit.id,
                    "fix_en": crit.fix_en,
                    "fix_fr": crit.fix_fr,
                    "detail": details.get(crit.id),
                }
            )
    return tuple(out)


def _reasons(raw: Iterable[Any], route: str) -> tuple[dict[str, Any], ...]:
    if route != "TFWP":
        return _EMPTY
    out = []
    for info, emitted, status, vals, _candidate in raw:
        if status is NOT_MET:
            crits = ALL_RULES[info.code].criteria
            out.append({"code": emitted, "not_met": [crits[i].id for i, v in enumerate(vals) if v is False]})
    return tuple(out)
