"""The parts of the case page drawn from its assessment alone, rendered once per assessment and language.

The codes considered (every criterion of every candidate, a hundred lines or more), the right column
(the employer's step, where to apply, durations, obligations, evidence) and the open questions are
drawn from the stored assessment, the language and the as-of date: nothing of the case's people (the
questions' one link to the transferee's jobs is put in after, ``JOBS_URL``) and nothing of the person
who asks, whose access was checked before (the form around the questions, with its CSRF token, is
drawn by the page itself). They were most of the page's time, so each is kept
rendered in a small least-recently-used map of the process, keyed by a digest of everything it is
drawn from: a re-assessed case, another language or an answer sent back gives another key, so nothing
is invalidated by hand and a stale part is never shown. The open questions are drawn afresh when the
page shows refused answers (they hold what was typed and the errors).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for
from markupsafe import Markup, escape

from portal.cases.answers import WIDGETS
from portal.cases.decision import FOREIGN_NOT_DOING_BUSINESS as FOREIGN_NOT_DOING_BUSINESS
from portal.hashing import canonical_sha256
from portal.lru import LRU
from portal.models import Case
from rules.fields import BY_PATH

# Parts kept per process, compressed (zlib level 1: their repeated markup shrinks about nine times, and is
# read back in under 0.1 ms a part where drawing it took milliseconds): three per assessment (questions
# ~34 kB, codes considered ~93 kB, side ~1-7 kB as HTML; ~15 kB together compressed), so 8,192 parts hold
# ~2,700 distinct assessments in ~40 MB a process. Uncompressed, 1,024 parts held ~340 in ~40 MB: the
# portal bench's 1,500 assessments then missed most of the time in each gunicorn worker, and a miss drew
# the case page in ~15 ms instead of ~7.
SIZE = 8192
LEVEL = 1
# Where the questions' link to the transferee's jobs goes in the kept part (one part for every case with
# the same assessment, whoever its transferee).
JOBS_URL = "__imp_portal_jobs_url__"


def digest(value: Any) -> str:
    """A digest of JSON-like data (key order ignored): the portal's canonical SHA-256."""
    return canonical_sha256(value)


class Parts(LRU[tuple[str, ...], bytes]):
    """Rendered parts by key, kept compressed, the least recently used dropped beyond ``size``; safe
    across threads."""

    def __init__(self, size: int = SIZE) -> None:
        super().__init__(size)

    @property
    def renders(self) -> int:
        """How many times a part was rendered (tests read it)."""
        return self.misses

    def get(self, key: tuple[str, ...], template: str, **context: Any) -> Markup:
        kept = self.get_or_make(
            key, lambda: zlib.compress(render_template(template, **context).encode("utf-8"), LEVEL)
        )
        return Markup(zlib.decompress(kept).decode("utf-8"))


PARTS = Parts()


@dataclass(frozen=True)
class Shown:
    questions: Markup
    candidates: Markup
    side: Markup


def codes_failing_on(assessment: dict[str, Any], criterion: str) -> list[str]:
    """The codes considered that fail on ``criterion`` (not met on a known fact), in the assessment's order."""
    return [
        c["code"]
        for c in assessment.get("candidates", [])
        if any(cr["id"] == criterion and cr["status"] == "not_met" for cr in c.get("criteria", []))
    ]


def stored_digest(stored: dict[str, Any] | None) -> str:
    """The key of the parts drawn from ``Case.assessment_in(lang)`` for a case's stored assessment: that
    text is a function of the stored form and the language (which every key holds), and the stored form
    is a few kB where its texts are ~120 kB, so digesting it costs ~1 ms less per page."""
    return "stored:" + digest(stored)


def case_parts(
    case: Case,
    assessment: dict[str, Any],
    lang: str,
    *,
    answers: dict[str, Any],
    errors: dict[str, str],
    drawn_from: str | None = None,
) -> Shown:
    """The three parts of ``case``'s page for its ``assessment`` in ``lang`` (``answers`` and ``errors``:
    what a refused form sent back, drawn into the questions). ``drawn_from``: a key standing for the
    assessment (``stored_digest`` of the stored form it was rendered from), else its own digest."""
    drawn_from = drawn_from or digest(assessment)
    as_of = case.assessed_as_of.isoformat() if case.assessed_as_of else ""
    context = {"case": case, "a": assessment, "fields": BY_PATH, "widgets": WIDGETS}
    jobs_url = url_for("people.edit", transferee_id=case.transferee_id, _anchor="jobs")
    if answers or errors:
        questions = Markup(
            render_template(
                "cases/_questions.html", **context, answers=answers, errors=errors, jobs_url=jobs_url
            )
        )
    else:
        kept = PARTS.get(
            ("questions", lang, drawn_from),
            "cases/_questions.html",
            **context,
            answers={},
            errors={},
            jobs_url=JOBS_URL,
        )
        questions = Markup(str(kept).replace(JOBS_URL, str(escape(jobs_url))))
    return Shown(
        questions=questions,
        candidates=PARTS.get(("candidates", lang, drawn_from), "cases/_candidates.html", **context),
        # the side says the employer's step is done once the offer is filed: its record is in the key
        side=PARTS.get(
            ("side", lang, drawn_from, as_of, case.offer_number or "", str(case.submitted_on or "")),
            "cases/_side.html",
            **context,
        ),
    )
