"""What the consultant's review page shows, in words: each fact with its label, unit and value in the
reader's language (never a fact path or a Python value), the criteria of the code with the facts behind
each, the worker's employment history, and what changed since the version reviewed before.

Presentation helpers for the review page (like ``portal.labels``): they read stored snapshots and rows
and format them with ``portal.i18n`` and ``portal.labels``; they change nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from portal import labels
from portal.extensions import db
from portal.i18n import day, number
from portal.i18n import gettext as _
from portal.models import Document, Review, Transferee
from portal.models.case import criterion_url
from rules.field_labels import field_label
from rules.fields import BY_PATH

EMPTY = "—"


def _bool(value: Any) -> str:
    return _("Yes") if value else _("No")


def flat_facts(facts: dict[str, Any] | None) -> dict[str, Any]:
    """``{"worker": {"citizenships": [...]}}`` -> ``{"worker.citizenships": [...]}``."""
    out: dict[str, Any] = {}
    for section, values in (facts or {}).items():
        if isinstance(values, dict):
            for name, value in values.items():
                out[f"{section}.{name}"] = value
    return out


def fact_rows(paths: Iterable[str], facts: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    return [
        {"path": p, "label": field_label(p, lang), "value": labels.fact_value(p, facts.get(p))} for p in paths
    ]


def facts_of(document: Document, fallback: dict[str, Any] | None) -> dict[str, Any]:
    """The facts the document version argues (frozen in its snapshot), else the case's."""
    letter = (document.snapshot or {}).get("letter") or {}
    return flat_facts(letter.get("facts") or fallback)


def criteria(
    assessment: dict[str, Any], code: str | None, facts: dict[str, Any], lang: str
) -> list[dict[str, Any]]:
    """The criteria of ``code`` with their status, text, citation and the facts each one reads."""
    candidate = next((c for c in assessment.get("candidates") or [] if c.get("code") == code), None)
    if candidate is None:
        return []
    return [
        {
            "status": cr.get("status"),
            "text": cr.get("text"),
            "citation": {**(cr.get("citation") or {}), "url": criterion_url(cr, candidate)},
            "facts": fact_rows(cr.get("facts") or [], facts, lang),
        }
        for cr in candidate.get("criteria") or []
    ]


def _period(start: date | None, end: date | None, lang: str) -> str:
    if start is None:
        return EMPTY
    if end is None:
        return _("%(start)s to today", start=day(start, lang=lang))
    return _("%(start)s to %(end)s", start=day(start, lang=lang), end=day(end, lang=lang))


def employment(transferee: Transferee, lang: str, on: date) -> list[dict[str, Any]]:
    """The worker's jobs, the latest first: employer, country, title, capacity, dates, hours, duties;
    full time as the assessment of ``on`` judged it."""
    rows = []
    for r in sorted(transferee.employment, key=lambda r: (r.start_date, r.id), reverse=True):
        rows.append(
            {
                "employer": r.foreign_enterprise.name if r.foreign_enterprise else (r.employer_name or EMPTY),
                "with_group": r.foreign_enterprise_id is not None,
                "country": labels.country_name(r.country, lang) or EMPTY,
                "title": r.job_title or EMPTY,
                "capacity": labels.label(labels.CAPACITY, r.capacity) or EMPTY,
                "period": _period(r.start_date, r.end_date, lang),
                "full_time": _bool(r.full_time_on(on)),
                "hours": number(r.hours_per_week, lang=lang) if r.hours_per_week is not None else "",
                "duties": r.duties or "",
            }
        )
    return rows


def version_state(reviews: list[Review]) -> str:
    """The review state of one document version (never the case's stage) from its reviews, oldest
    first: its latest decision (approved, returned), else not reviewed; a key of ``labels.VERSION_STATE``."""
    return str(reviews[-1].decision) if reviews else labels.VERSION_NOT_REVIEWED


# ------------------------------------------------------------------ changes since the last review
def previous_version(document: Document) -> Document | None:
    """The version to compare with: the latest earlier version that was reviewed, else the one just before;
    among the earlier versions in the document's language when there are some (the letter's texts of a
    version in the other language all differ, whatever changed)."""
    earlier = list(
        db.session.scalars(
            select(Document)
            .where(
                Document.case_id == document.case_id,
                Document.kind == document.kind,
                Document.version < document.version,
            )
            .order_by(Document.version.desc())
        )
    )
    if not earlier:
        return None
    earlier = [d for d in earlier if d.language == document.language] or earlier
    reviewed = set(
        db.session.scalars(select(Review.document_id).where(Review.document_id.in_([d.id for d in earlier])))
    )
    return next((d for d in earlier if d.id in reviewed), earlier[0])


def _job_line(job: dict[str, Any], lang: str) -> str:
    hours = job.get("hours_per_week")
    parts = [
        job.get("job_title") or "",
        job.get("employer") or "",
        job.get("country") or "",
        _("%(hours)s hours per week", hours=number(hours, lang=lang)) if hours else "",
    ]
    start, end = job.get("start_date"), job.get("end_date")
    period = (
        _period(date.fromisoformat(start), date.fromisoformat(end) if end else None, lang) if start else ""
    )
    return ", ".join(p for p in [*parts, period] if p)


def changes(document: Document, previous: Document | None, lang: str) -> dict[str, Any] | None:
    """What differs between ``previous`` and ``document``: facts (label, before, after), the letter's
    sections (heading, before, after), the jobs of the employment history and the annexed files. The
    sections and jobs of a previous version in another language are not compared (``other_language``):
    their texts differ, whatever changed."""
    if previous is None:
        return None
    other_language = previous.language != document.language
    old, new = previous.snapshot or {}, document.snapshot or {}
    old_letter, new_letter = old.get("letter") or {}, new.get("letter") or {}
    before, after = flat_facts(old_letter.get("facts")), flat_facts(new_letter.get("facts"))
    facts = []
    for path in sorted(set(before) | set(after), key=_registry_order):
        if path == "worker.employment" or before.get(path) == after.get(path):
            continue
        facts.append(
            {
                "label": field_label(path, lang),
                "before": labels.fact_value(path, before.get(path)),
                "after": labels.fact_value(path, after.get(path)),
            }
        )
    facts.extend(_offer_changes(old_letter, new_letter))
    # the snapshots' jobs carry their country's name in their own language
    old_jobs = [_job_line(j, lang) for j in (old_letter.get("worker") or {}).get("employment") or []]
    new_jobs = [_job_line(j, lang) for j in (new_letter.get("worker") or {}).get("employment") or []]
    if other_language:
        old_jobs = new_jobs
    old_sections = {s["key"]: s for s in old_letter.get("sections") or []}
    sections = []
    for s in [] if other_language else new_letter.get("sections") or []:
        was = old_sections.get(s["key"])
        if was is None or was.get("text") != s.get("text"):
            sections.append(
                {
                    "key": s["key"],
                    "heading": s.get("heading") or s["key"],
                    "before": (was or {}).get("text") or "",
                    "after": s.get("text") or "",
                    "edited": bool(s.get("edited")),
                }
            )
    old_files = {f["sha256"]: f for f in (old.get("packet") or {}).get("evidence_files") or []}
    new_files = {f["sha256"]: f for f in (new.get("packet") or {}).get("evidence_files") or []}
    return {
        "previous": previous,
        "other_language": other_language,
        "facts": facts,
        "jobs_added": [j for j in new_jobs if j not in old_jobs],
        "jobs_removed": [j for j in old_jobs if j not in new_jobs],
        "sections": sections,
        "files_added": [f["filename"] for k, f in new_files.items() if k not in old_files],
        "files_removed": [f["filename"] for k, f in old_files.items() if k not in new_files],
    }


def _offer_rows(letter: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The offer's fields that the Employer Portal asks for and the rules do not read (no fact has them):
    (label, part of the letter, key, value in words)."""
    w, e = letter.get("worker") or {}, letter.get("employer") or {}
    passport = w.get("passport_country_code")
    address = ", ".join(str(v) for v in (e.get("street_address"), e.get("city"), e.get("postal_code")) if v)
    return [
        (_("Family name"), "worker", "family_name", w.get("family_name") or ""),
        (_("Given names"), "worker", "given_names", w.get("given_names") or ""),
        (_("Passport number"), "worker", "passport_number", w.get("passport_number") or ""),
        (
            _("Passport issued by"),
            "worker",
            "passport_country_code",
            labels.country_name(passport) if passport else "",
        ),
        (
            _("Work address"),
            "position",
            "street_address",
            (letter.get("position") or {}).get("street_address") or "",
        ),
        (_("Operating name"), "employer", "operating_name", e.get("operating_name") or ""),
        (_("CRA business number"), "employer", "business_number", e.get("business_number") or ""),
        (_("Employer's address"), "employer", "street_address", address),
        (_("Telephone"), "employer", "telephone", e.get("telephone") or ""),
        (_("Signed by"), "signatory", "name", (letter.get("signatory") or {}).get("name") or ""),
        (_("Signatory's title"), "signatory", "title", (letter.get("signatory") or {}).get("title") or ""),
    ]


def _offer_changes(old_letter: dict[str, Any], new_letter: dict[str, Any]) -> list[dict[str, Any]]:
    """The offer's fields outside the facts that differ (a passport number added after a return for it was
    not listed: the facts compared are the rules' only); one missing from an older snapshot is skipped."""
    return [
        {"label": label, "before": was or EMPTY, "after": now or EMPTY}
        for (label, part, key, was), (_label, _part, _key, now) in zip(
            _offer_rows(old_letter), _offer_rows(new_letter), strict=True
        )
        if was != now and key in (old_letter.get(part) or {}) and key in (new_letter.get(part) or {})
    ]


_ORDER = {path: index for index, path in enumerate(BY_PATH)}


def _registry_order(path: str) -> tuple[int, str]:
    return (_ORDER.get(path, len(_ORDER)), path)


def has_changes(diff: dict[str, Any] | None) -> bool:
    return bool(
        diff
        and any(
            diff[k]
            for k in ("facts", "jobs_added", "jobs_removed", "sections", "files_added", "files_removed")
        )
    )
