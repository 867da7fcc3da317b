from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, defer, mapped_column, relationship

import rules
from portal.extensions import Model
from portal.hashing import sha256_hex
from portal.lru import LRU
from portal.models._types import utcnow
from portal.models.statuses import CaseStatus, status_column_type

if TYPE_CHECKING:
    from portal.models.group import ForeignEnterprise
    from portal.models.position import Position
    from portal.models.transferee import Transferee


CASE_STATUSES = tuple(CaseStatus)


class Case(Model):
    """A transferee in a position, with the assessment snapshot of the rules engine."""

    __tablename__ = "cases"
    # The case list's first page, newest first, read in the index's order however many cases an employer
    # has (without it PostgreSQL sorted all of them: 13 ms at 10,000 cases, 3 at 100); the codes of its
    # filter read from the index alone (migration 0015).
    __table_args__ = (
        Index("ix_cases_organization_updated", "organization_id", "updated_at", "id"),
        Index("ix_cases_organization_code", "organization_id", "recommended_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    transferee_id: Mapped[int] = mapped_column(ForeignKey("transferees.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    foreign_enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("foreign_enterprises.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[CaseStatus] = mapped_column(
        status_column_type(CaseStatus, length=20, name="status"), default=CaseStatus.DRAFT
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The rules' assessment in its language-neutral form (``rules.stored_form``: a few kB, no text);
    # ``assessment_in(lang)`` gives what pages and documents read. A row stored before migration 0014
    # whose outcome that migration could not reproduce keeps ``{"en": ..., "fr": ...}`` until re-assessed.
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    facts_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ruleset_version: Mapped[str | None] = mapped_column(String(40))
    assessed_as_of: Mapped[date | None] = mapped_column(Date)
    assessed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    route: Mapped[str | None] = mapped_column(String(20))
    recommended_code: Mapped[str | None] = mapped_column(String(10), index=True)
    open_questions: Mapped[int] = mapped_column(default=0)
    # What the case list says beside the route without reading the assessment (cases.decision): the code
    # that could still fit first on the pending route, and whether a known fact shuts the intra-company
    # codes (migration 0019)
    likely_code: Mapped[str | None] = mapped_column(String(10))
    ict_blocked: Mapped[bool] = mapped_column(default=False, server_default=false())
    chosen_code: Mapped[str | None] = mapped_column(String(10))
    # What the employer records from IRCC's Employer Portal, then the permit.
    offer_number: Mapped[str | None] = mapped_column(String(8))
    fee_paid_on: Mapped[date | None] = mapped_column(Date)
    fee_exempt: Mapped[bool | None]
    submitted_on: Mapped[date | None] = mapped_column(Date)
    permit_issued_on: Mapped[date | None] = mapped_column(Date)
    first_day_on: Mapped[date | None] = mapped_column(Date)
    permit_expiry_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    transferee: Mapped[Transferee] = relationship("Transferee")

    @property
    def filing_code(self) -> str | None:
        """The code the case is filed under: the one the employer chose among those that fit, else the
        one the rules recommend; None while the assessment has neither (questions open, or no code)."""
        return self.chosen_code or self.recommended_code

    @property
    def planned_start(self) -> date | None:
        """The day the job is planned to start: its role's start date (the first day of work, until one is
        recorded)."""
        return self.position.start_date if self.position is not None else None

    def assessment_in(self, lang: str) -> dict[str, Any]:
        """The assessment in ``lang`` as the rules give it (``Assessment.to_dict(lang)``; English for
        another language; empty before the first). Read it, do not change it (a stored form's reader gets
        a copy of its own; a row stored in both languages before migration 0014 hands back its own dict)."""
        return displayed_assessment(self.assessment, lang)

    position: Mapped[Position] = relationship("Position")
    foreign_enterprise: Mapped[ForeignEnterprise | None] = relationship("ForeignEnterprise")


def displayed_assessment(stored: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """A stored assessment in ``lang``: the stored form rendered by the rules engine (``to_dict``), or a
    row stored before migration 0014 in both languages read as it is."""
    if not stored:
        return {}
    if rules.is_stored_form(stored):
        rendered: dict[str, Any] = json.loads(_rendered(_form_key(stored), _language(lang)))
        return rendered
    found: dict[str, Any] = stored.get(lang) or stored.get("en") or {}
    return found


def _form_key(stored: dict[str, Any]) -> str:
    """A stored form as the text its renderings are kept by (key order ignored)."""
    return json.dumps(stored, sort_keys=True, separators=(",", ":"))


def _language(lang: str) -> str:
    """The language a stored form is rendered in: French, else English."""
    return "fr" if lang == "fr" else "en"


@lru_cache(maxsize=256)
def _rendered(key: str, lang: str) -> str:
    """The texts of a stored form in ``lang``, made once per process for each distinct form and language
    (the key holds the rule-set version and the date; cases with the same outcome share it), kept as JSON
    so that each reader gets its own copy."""
    return json.dumps(rules.from_stored(json.loads(key)).to_dict(lang), ensure_ascii=False)


# The route and evidence texts of each distinct stored form and language: a few hundred bytes each, so
# many more than the rendered assessments (~100 kB each) are kept: the documents page of the bench's
# 1,500 cases (about 1,000 distinct forms) finds its own here, without rendering the assessment again.
EVIDENCE = LRU[tuple[str, str], tuple[str | None, tuple[str, ...]]](4096)


def displayed_evidence(stored: dict[str, Any] | None, lang: str) -> tuple[str | None, tuple[str, ...]]:
    """The route and the evidence to gather of a stored assessment in ``lang`` (what the documents page
    reads of it), without decoding the whole rendered assessment (~100 kB of JSON) for each reader:
    kept per process for each distinct stored form and language, as immutable values."""
    if not stored or not rules.is_stored_form(stored):  # none, or the older shape: read as it is
        return _route_and_evidence(displayed_assessment(stored, lang))
    key, language = _form_key(stored), _language(lang)
    return EVIDENCE.get_or_make(
        (sha256_hex(key), language), lambda: _route_and_evidence(json.loads(_rendered(key, language)))
    )


def _route_and_evidence(shown: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    return shown.get("route"), tuple(shown.get("evidence") or ())


def stored_codes_fit(stored: dict[str, Any] | None) -> list[str]:
    """The codes that fit, read from either shape of the stored assessment."""
    if not stored:
        return []
    found = (
        stored.get("codes_fit") if rules.is_stored_form(stored) else (stored.get("en") or {}).get("codes_fit")
    )
    return list(found or [])


def criterion_url(criterion: dict[str, Any], candidate: dict[str, Any]) -> str | None:
    """A criterion's source address: its own, or its code's when a snapshot left it out (assessments
    stored in both languages before migration 0014 kept it once, on the code, when it was the code's)."""
    url = (criterion.get("citation") or {}).get("url") or (candidate.get("citation") or {}).get("url")
    return str(url) if url else None


# The assessment, the facts it was made from and the answers: a list of cases needs none of them, and
# decoding them was most of a list page's time.
# ``select(Case).options(*list_options())`` loads a case without them (read on access, one query).
# (A function: building the options configures the mappers, which needs every model defined.)
def list_options() -> tuple[Any, ...]:
    return (defer(Case.assessment), defer(Case.facts_snapshot), defer(Case.answers))
