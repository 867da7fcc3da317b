"""Assessment -> the JSON contract (``Assessment.to_dict(lang)``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .params import CODES, LEGACY_CODES, CodeInfo, param_text, source_url

if TYPE_CHECKING:
    from datetime import date

    from .assessment import Assessment
    from .model import CodeResult, CriterionResult

CONTRACT_KEYS = (
    "ruleset_version",
    "as_of",
    "lang",
    "route",
    "recommended",
    "codes_fit",
    "complete",
    "pending",
    "candidates",
    "excluded",
    "questions",
    "employer_step",
    "business_size",
    "where",
    "durations",
    "evidence",
    "obligations",
    "warnings",
    "to_verify",
    "fixes",
    "reasons",
)


# A section of the Regulations ("R205", "R209.2"), its subsection if any ("(1)"), then its paragraph's
# letter ("(a)", "(a.1)"): what follows (a subparagraph "(i)", a clause) keeps its parentheses.
_PARAGRAPH = re.compile(r"(R\d+(?:\.\d+)?(?:\(\d+(?:\.\d+)?\))?)\(([a-z](?:\.\d+)?)\)")


def regulation_in(regulation: str, lang: str) -> str:
    """A citation of the Regulations as ``lang`` writes it. The contract keeps one form, an identifier
    ("R205(c)(ii)", "R209.2(1)(a)(i)"); the French text of the Regulations numbers a paragraph without
    its opening parenthesis ("alinéa 205c)", "sous-alinéa 209.2(1)a)(i)"), so French pages and documents
    show "R205c)(ii)", "R209.2(1)a)(i)"."""
    return _PARAGRAPH.sub(r"\1\2)", regulation) if lang == "fr" else regulation


def _label(code: str, current: str, lang: str) -> str:
    if code in CODES:
        i = CODES[code]
        return i.label_fr if lang == "fr" else i.label_en
    lc = LEGACY_CODES.get(code)
    if lc:
        label: str = lc["label_fr"] if lang == "fr" else lc["label_en"]
        return label
    i = CODES[current]
    return i.label_fr if lang == "fr" else i.label_en


def _current(code: str) -> str:
    if code in CODES:
        return code
    return next(c.code for c in CODES.values() if c.legacy == code)


def _crit(cr: CriterionResult, lang: str, on: date, info: CodeInfo) -> dict[str, Any]:
    c = cr.criterion
    # a criterion citing its code's authority cites it as it stood on the day (C16 under R205(a) until
    # 2023-06-14, C21 under R205(b) until 2024-11-28: imp-rules.md §3.9, §3.11, §8 item 10)
    regulation = info.reg_on(on) if c.regulation == info.reg else c.regulation
    d = {
        "id": c.id,
        "status": cr.status,
        "text": param_text(c.text(lang), on, lang),
        "facts": list(c.reads),
        "citation": {"regulation": regulation, "url": source_url(c.source)},
    }
    if cr.detail:
        d["detail"] = cr.detail
    return d


def assessment_to_dict(a: Assessment, lang: str = "en") -> dict[str, Any]:
    if lang not in ("en", "fr"):
        raise ValueError("lang must be 'en' or 'fr'")
    return _render(a, lang, a.results, a.fixes, a.reasons)


def assessment_to_dicts(a: Assessment) -> dict[str, dict[str, Any]]:
    """The contract in English and in French, the per-code results worked out once for both."""
    results, fixes, reasons = a.results, a.fixes, a.reasons
    return {lang: _render(a, lang, results, fixes, reasons) for lang in ("en", "fr")}


def _render(
    a: Assessment,
    lang: str,
    results: tuple[CodeResult, ...],
    fixes: tuple[dict[str, Any], ...],
    reasons: tuple[dict[str, Any], ...],
) -> dict[str, Any]:
    fr = lang == "fr"
    candidates, excluded = [], []
    for r in results:  # built lazily from raw_results
        info = CODES[r.current_code]
        if r.candidate:
            candidates.append(
                {
                    "code": r.code,
                    "current_code": r.current_code,
                    "legacy_code": r.legacy_code,
                    "label": _label(r.code, r.current_code, lang),
                    "program": info.program,
                    "status": r.status,
                    "citation": {"regulation": info.reg_on(a.as_of), "url": info.url},
                    "criteria": [_crit(x, lang, a.as_of, info) for x in r.criteria],
                }
            )
        else:
            gate = r.criteria[-1]
            excluded.append(
                {
                    "code": r.code,
                    "current_code": r.current_code,
                    "criterion": gate.criterion.id,
                    "text": param_text(gate.criterion.text(lang), a.as_of, lang),
                }
            )
    es = dict(a.employer_step)
    where = dict(a.where)
    dur = None
    if a.durations:
        dur = {k: v for k, v in a.durations.items() if k not in ("note_en", "note_fr")}
        note = a.durations.get("note_fr" if fr else "note_en")
        dur["note"] = param_text(note, a.as_of, lang) if note else note
    return {
        "ruleset_version": a.ruleset_version,
        "as_of": a.as_of.isoformat(),
        "lang": lang,
        "route": a.route,
        "recommended": a.recommended,
        "codes_fit": list(a.codes_fit),
        "complete": a.complete,
        "pending": [
            {
                "code": code,
                "label": _label(code, _current(code), lang),
                "waits_for": list(waits),
            }
            for code, waits in a.pending
        ],
        "candidates": candidates,
        "excluded": excluded,
        "questions": [
            {**q, "question": param_text(q["question"], a.as_of, lang)}
            for q in (x.to_dict(lang) for x in a.questions)
        ],
        "employer_step": es,
        "business_size": a.business_size,
        "where": where,
        "durations": dur,
        "evidence": [param_text(e[1] if fr else e[0], a.as_of, lang) for e in a.evidence],
        "obligations": [
            {
                "id": o["id"],
                "regulation": o["ref"],
                "type": o["type"],
                "text": param_text(o["text_fr"] if fr else o["text_en"], a.as_of, lang),
                "url": o["url"],
            }
            for o in a.obligations
        ],
        "warnings": [
            {
                "id": w.id,
                "text": w.text_fr if fr else w.text_en,
                "url": source_url(w.source) if w.source else None,
            }
            for w in a.warnings
        ],
        "to_verify": [
            {
                "id": w.id,
                "text": w.text_fr if fr else w.text_en,
                "url": source_url(w.source) if w.source else None,
            }
            for w in a.to_verify
        ],
        "fixes": [
            {
                "code": f["code"],
                "criterion": f["criterion"],
                "text": param_text(f["fix_fr"] if fr else f["fix_en"], a.as_of, lang),
                **({"detail": f["detail"]} if f.get("detail") else {}),
            }
            for f in fixes
        ],
        "reasons": list(reasons),
    }
