"""Re-assess every open case under the current rule-set version, once per organization and version.

Each organization gets one ``RulesetRun`` per version (unique), the cases are re-assessed through
``portal.cases.services.assess_case`` in batches (one commit per batch, the batch's rows locked only
for that transaction), each changed outcome (route or recommended code) becomes a ``RulesetChange``
(unique per run and case) and an audit event, and the owners are notified once: ``mailed_at`` is set
in its own transaction before ``notify`` runs, so a second run (or a second beat host) never mails
again. Running it when every open case is already assessed under the version does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError

import rules
from portal import audit
from portal.cases.services import assess_case
from portal.extensions import db, rows_changed
from portal.models import Case, CaseStatus, Organization, RulesetChange, RulesetNoticeSeen, RulesetRun, User
from portal.models._types import utcnow

OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.READY)  # submitted / approved / closed keep their filed code
BATCH_SIZE = 200

TP = TypeVar("TP", bound=tuple[Any, ...])


@dataclass
class BookReport:
    version: str
    organizations: int = 0
    reassessed: int = 0
    changed: int = 0
    mailed_runs: list[int] = field(default_factory=list)


def _stale(version: str) -> ColumnElement[bool]:
    return or_(Case.ruleset_version.is_(None), Case.ruleset_version != version)


def organizations_to_do(version: str) -> list[int]:
    """Organizations with an open case assessed under another version, or a run not finished or mailed."""
    stale = select(Case.organization_id).where(Case.status.in_(OPEN_STATUSES), _stale(version)).distinct()
    unfinished = select(RulesetRun.organization_id).where(
        RulesetRun.ruleset_version == version,
        or_(
            RulesetRun.finished_at.is_(None),
            (RulesetRun.mailed_at.is_(None)) & (RulesetRun.changed_count > 0),
        ),
    )
    return sorted(set(db.session.scalars(stale)) | set(db.session.scalars(unfinished)))


def _run_for(org_id: int, version: str) -> RulesetRun:
    query = select(RulesetRun).where(
        RulesetRun.organization_id == org_id, RulesetRun.ruleset_version == version
    )
    run = db.session.scalars(query).first()
    if run is not None:
        return run
    try:
        with db.session.begin_nested():
            db.session.add(RulesetRun(organization_id=org_id, ruleset_version=version))
        db.session.commit()
    except IntegrityError:  # another worker made it meanwhile
        db.session.rollback()
    return db.session.scalars(query).one()


def _record_change(
    run: RulesetRun,
    org: Organization,
    case: Case,
    old: tuple[str | None, str | None, str | None],
    version: str,
) -> bool:
    old_version, old_route, old_code = old
    try:
        with db.session.begin_nested():
            db.session.add(
                RulesetChange(
                    run_id=run.id,
                    organization_id=org.id,
                    case_id=case.id,
                    old_version=old_version,
                    old_route=old_route,
                    old_code=old_code,
                    new_version=version,
                    new_route=case.route,
                    new_code=case.recommended_code,
                )
            )
    except IntegrityError:  # already recorded by another worker
        return False
    audit.record(
        "case.ruleset_changed",
        actor=None,
        organization=org,
        obj=case,
        data={
            "old_route": old_route,
            "old_code": old_code,
            "old_ruleset_version": old_version,
            "new_route": case.route,
            "new_code": case.recommended_code,
            "new_ruleset_version": version,
        },
    )
    return True


def reassess_organization(
    org_id: int,
    *,
    on: date,
    version: str,
    notify: Callable[[RulesetRun], object] | None = None,
    batch_size: int = BATCH_SIZE,
    report: BookReport | None = None,
) -> RulesetRun:
    report = report or BookReport(version)
    run = _run_for(org_id, version)
    last_id = 0
    while True:
        org = db.session.get_one(Organization, org_id)
        batch = list(
            db.session.scalars(
                select(Case)
                .where(
                    Case.organization_id == org_id,
                    Case.status.in_(OPEN_STATUSES),
                    _stale(version),
                    Case.id > last_id,
                )
                .order_by(Case.id)
                .limit(batch_size)
                .with_for_update(of=Case, skip_locked=True)
            )
        )
        if not batch:
            break
        for case in batch:
            last_id = case.id
            old = (case.ruleset_version, case.route, case.recommended_code)
            assess_case(case, org, on=on)
            report.reassessed += 1
            if (case.route, case.recommended_code) != old[1:] and _record_change(
                run, org, case, old, version
            ):
                report.changed += 1
        db.session.commit()  # one transaction per batch: the locks are held for one batch only
    run = db.session.get_one(RulesetRun, run.id)
    run.changed_count = db.session.scalar(
        select(func.count()).select_from(RulesetChange).where(RulesetChange.run_id == run.id)
    )
    run.finished_at = run.finished_at or utcnow()
    db.session.commit()
    if run.changed_count and run.mailed_at is None:
        claimed = rows_changed(
            update(RulesetRun)
            .where(RulesetRun.id == run.id, RulesetRun.mailed_at.is_(None))
            .values(mailed_at=utcnow())
        )
        db.session.commit()
        if claimed and notify is not None:
            notify(run)
            report.mailed_runs.append(run.id)
    return run


def reassess_book(
    *,
    on: date,
    version: str | None = None,
    notify: Callable[[RulesetRun], object] | None = None,
    batch_size: int = BATCH_SIZE,
) -> BookReport:
    """Re-assess every organization's open cases under ``version`` (the engine's, by default)."""
    version = version or rules.RULESET_VERSION
    report = BookReport(version)
    for org_id in organizations_to_do(version):
        report.organizations += 1
        reassess_organization(
            org_id, on=on, version=version, notify=notify, batch_size=batch_size, report=report
        )
    return report


def _in_scope(query: Select[TP], case_ids: Collection[int] | None) -> Select[TP]:
    """Only the changes of ``case_ids`` (a consultant limited to some cases); every change when None."""
    return query if case_ids is None else query.where(RulesetChange.case_id.in_(sorted(case_ids)))


def changes_for(org: Organization, case_ids: Collection[int] | None = None) -> list[RulesetChange]:
    """The changed outcomes of the organization's runs, newest run first."""
    query = (
        select(RulesetChange)
        .join(RulesetRun)
        .where(RulesetChange.organization_id == org.id)
        .order_by(RulesetRun.id.desc(), RulesetChange.id)
    )
    return list(db.session.scalars(_in_scope(query, case_ids)))


def _runs_with_changes(org: Organization, case_ids: Collection[int] | None) -> Select[tuple[int]]:
    """Ids of the organization's finished runs with at least one change the viewer may see."""
    changed = _in_scope(select(RulesetChange.run_id), case_ids)
    return select(RulesetRun.id).where(
        RulesetRun.organization_id == org.id,
        RulesetRun.finished_at.is_not(None),
        RulesetRun.id.in_(changed),
    )


@dataclass
class Notice:
    run_id: int
    version: str
    count: int


def notice_for(org: Organization, user: User, case_ids: Collection[int] | None = None) -> Notice | None:
    """The newest run with changes the user may see and has not dismissed or seen (for the banner)."""
    seen = select(RulesetNoticeSeen.run_id).where(RulesetNoticeSeen.user_id == user.id)
    run = db.session.scalars(
        select(RulesetRun)
        .where(RulesetRun.id.in_(_runs_with_changes(org, case_ids)), RulesetRun.id.not_in(seen))
        .order_by(RulesetRun.id.desc())
        .limit(1)
    ).first()
    if run is None:
        return None
    count = db.session.scalar(
        _in_scope(select(func.count(RulesetChange.id)).where(RulesetChange.run_id == run.id), case_ids)
    )
    return Notice(run.id, run.ruleset_version, count or 0)


def visible_run(org: Organization, run_id: int, case_ids: Collection[int] | None = None) -> bool:
    return (
        db.session.scalar(
            select(func.count()).where(
                RulesetRun.id == run_id, RulesetRun.id.in_(_runs_with_changes(org, case_ids))
            )
        )
        == 1
    )


def mark_seen(
    org: Organization, user: User, run_id: int | None = None, case_ids: Collection[int] | None = None
) -> int:
    """The user dismissed the banner of ``run_id`` (or saw the page: every run). Returns how many."""
    query = _runs_with_changes(org, case_ids)
    if run_id is not None:
        query = query.where(RulesetRun.id == run_id)
    already = select(RulesetNoticeSeen.run_id).where(RulesetNoticeSeen.user_id == user.id)
    ids = list(db.session.scalars(query.where(RulesetRun.id.not_in(already))))
    for rid in ids:
        try:
            with db.session.begin_nested():
                db.session.add(RulesetNoticeSeen(run_id=rid, user_id=user.id))
        except IntegrityError:  # the same user in two tabs at once
            pass
    return len(ids)
