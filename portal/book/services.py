"""Re-assess every open case under the current rule-set version, once per organization and version.

Open means not ended: draft, ready, submitted and approved cases are re-assessed (a submitted or
approved case keeps the code it was filed under; its new outcome is listed), a closed case keeps its
assessment. Each organization gets one ``RulesetRun`` per version (unique). The cases go in chunks of
case ids (``CHUNK_SIZE``): a chunk loads its cases, their roles, transferees, employment records and
group companies in a handful of queries, re-assesses them, records each changed outcome (route or
recommended code) as a ``RulesetChange`` (unique per run and case) and an audit event. The
assessments are worked out holding no lock; only then are the chunk's rows locked (``SKIP LOCKED``: a
case a page holds, or one changed since it was loaded, is left for the next run, never waited for) and
written in one short transaction. Chunks run in the caller (the CLI) or as Celery tasks spread over
the workers (the beat: ``dispatch_book``).

When an organization has no stale open case left, its run is finished and the owners are notified
once: ``mailed_at`` is claimed in its own transaction before ``notify`` runs, so a second run (or two
chunks finishing together, or a second beat host) never mails again. Running it when every open case
is already assessed under the version does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Integer,
    Select,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, selectinload

import rules
from portal import audit
from portal.cases import lifecycle
from portal.cases.services import assess_case
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    EmploymentRecord,
    Organization,
    RulesetChange,
    RulesetNoticeSeen,
    RulesetRun,
    Transferee,
    User,
)
from portal.models._types import utcnow

# every case not ended (closed keeps the assessment it was closed with)
OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.READY, CaseStatus.SUBMITTED, CaseStatus.APPROVED)
# 100: a chunk's write (its rows locked) stays well under a second on a loaded machine (a case row is
# ~3 kB since migration 0014: 100 rows write a tenth of what 50 did before); the per-chunk work (about
# ten queries, the task, finishing the runs) is shared by twice as many cases as at 50 (the workers' CPU
# a case in bench/book_bench.py: 1.52 ms at 50, 1.23 ms at 100)
CHUNK_SIZE = 100

TP = TypeVar("TP", bound=tuple[Any, ...])
Notify = Callable[[RulesetRun], object]
_Old = tuple[str | None, str | None, str | None]  # (ruleset version, route, recommended code)


@dataclass
class BookReport:
    version: str
    organizations: int = 0
    reassessed: int = 0
    changed: int = 0
    mailed_runs: list[int] = field(default_factory=list)
    chunks: int = 0


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


def stale_case_ids(org_id: int, version: str) -> list[int]:
    """The organization's open cases not yet assessed under ``version`` (ids only: no row is locked)."""
    return list(
        db.session.scalars(
            select(Case.id)
            .where(Case.organization_id == org_id, Case.status.in_(OPEN_STATUSES), _stale(version))
            .order_by(Case.id)
        )
    )


def chunked(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def run_for(org_id: int, version: str) -> RulesetRun:
    """The organization's run for ``version`` (made once, even by two workers at the same time)."""
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


def _record_changes(changes: list[tuple[RulesetRun, Case, _Old]], version: str) -> int:
    """A RulesetChange and an audit event per changed outcome not yet recorded for its run."""
    if not changes:
        return 0
    known = set(
        db.session.execute(
            select(RulesetChange.run_id, RulesetChange.case_id).where(
                RulesetChange.run_id.in_(sorted({run.id for run, _, _ in changes})),
                RulesetChange.case_id.in_(sorted(case.id for _, case, _ in changes)),
            )
        ).tuples()
    )
    count = 0
    for run, case, (old_version, old_route, old_code) in changes:
        if (run.id, case.id) in known:  # recorded by another worker
            continue
        # the outcome before and after, as the change row and the audit event both name it
        outcome = {
            "old_route": old_route,
            "old_code": old_code,
            "new_route": case.route,
            "new_code": case.recommended_code,
        }
        db.session.add(
            RulesetChange(
                run_id=run.id,
                organization_id=case.organization_id,
                case_id=case.id,
                old_version=old_version,
                new_version=version,
                **outcome,
            )
        )
        audit.record(
            "case.ruleset_changed",
            actor=None,
            organization_id=case.organization_id,
            obj=case,
            data={**outcome, "old_ruleset_version": old_version, "new_ruleset_version": version},
        )
        count += 1
    return count


def _load_chunk(case_ids: Iterable[int], version: str) -> list[Case]:
    """The chunk's open, stale cases with everything their facts read, in a few queries (no N+1) and
    without locking them. The stored assessments and facts are not read: they are replaced."""
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.id.in_(sorted(case_ids)), Case.status.in_(OPEN_STATUSES), _stale(version))
            .order_by(Case.id)
            .options(
                defer(Case.assessment),
                defer(Case.facts_snapshot),
                selectinload(Case.position),
                selectinload(Case.foreign_enterprise),
                selectinload(Case.transferee)
                .selectinload(Transferee.employment)
                .selectinload(EmploymentRecord.foreign_enterprise),
            )
        )
    )


def _lock_unchanged(cases: list[Case], loaded_at: dict[int, Any]) -> list[Case]:
    """Lock the rows of the cases still as they were loaded (``SKIP LOCKED``: never wait for a page)
    and return those; the others (held by a page's transaction now, or changed since) lose the changes
    made to them here, with their audit events, and are left for the next run."""
    with db.session.no_autoflush:
        rows = db.session.execute(
            select(Case.id, Case.updated_at)
            .where(Case.id.in_(sorted(loaded_at)))
            .with_for_update(skip_locked=True)
        ).tuples()
        current = {case_id: stamp for case_id, stamp in rows}
    kept = [c for c in cases if c.id in current and current[c.id] == loaded_at[c.id]]
    dropped = {c.id for c in cases} - {c.id for c in kept}
    if dropped:
        for case in cases:
            if case.id in dropped:
                db.session.expire(case)  # discards what assess_case set on it
        for obj in list(db.session.new):
            if isinstance(obj, AuditEvent) and obj.object_type == "Case" and obj.object_id in dropped:
                db.session.expunge(obj)
    return kept


def reassess_chunk(
    case_ids: Iterable[int], *, on: date, version: str, report: BookReport | None = None
) -> set[int]:
    """Re-assess the given cases (those still open and stale); returns the ids of the organizations
    they belong to. The assessments are worked out holding no lock; then the rows still as loaded are
    locked and written in one short transaction (a page is never blocked for the time of a chunk's
    computation, and a case changed meanwhile is not overwritten). Safe to run twice or on two workers."""
    report = report or BookReport(version)
    cases = _load_chunk(case_ids, version)
    if not cases:
        db.session.rollback()
        return set()
    loaded_at = {c.id: c.updated_at for c in cases}
    org_ids = {c.organization_id for c in cases}
    orgs = {
        o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(sorted(org_ids))))
    }
    runs = {
        r.organization_id: r
        for r in db.session.scalars(
            select(RulesetRun).where(
                RulesetRun.organization_id.in_(sorted(org_ids)), RulesetRun.ruleset_version == version
            )
        )
    }
    # what the audit of a changed assessment compares, read without the whole snapshot (either shape:
    # the stored form's, or both languages' before migration 0014)
    query = select(Case.id, Case.assessment["codes_fit"], Case.assessment["en"]["codes_fit"]).where(
        Case.id.in_([c.id for c in cases])
    )
    codes_fit = {
        case_id: list(fit or legacy or []) for case_id, fit, legacy in db.session.execute(query).tuples()
    }
    changes: list[tuple[RulesetRun, Case, _Old]] = []
    with db.session.no_autoflush:  # nothing is written (nor any row locked) before _lock_unchanged
        for case in cases:
            old = (case.ruleset_version, case.route, case.recommended_code)
            assess_case(
                case,
                orgs[case.organization_id],
                on=on,
                record_stage=False,
                previous_codes_fit=codes_fit.get(case.id),
            )
            run = runs.get(case.organization_id)
            if run is not None and (case.route, case.recommended_code) != old[1:]:
                changes.append((run, case, old))
    cases = _lock_unchanged(cases, loaded_at)
    kept = {c.id for c in cases}
    changes = [x for x in changes if x[1].id in kept]
    report.reassessed += len(cases)
    org_ids = {c.organization_id for c in cases}
    for org_id in sorted(org_ids):
        lifecycle.record_stages_of(
            [c for c in cases if c.organization_id == org_id], orgs[org_id], actor=None, on=on
        )
    report.changed += _record_changes(changes, version)
    report.chunks += 1
    db.session.commit()  # the locks are held from _lock_unchanged to here only
    return org_ids


def finish_organization(
    org_id: int,
    version: str,
    *,
    notify: Notify | None = None,
    report: BookReport | None = None,
) -> RulesetRun | None:
    """Once no stale open case is left: count the run's changes, mark it finished and mail the owners
    once (the mail is claimed before it is sent). None while cases are left (another chunk finishes)."""
    left = db.session.scalar(
        select(func.count(Case.id)).where(
            Case.organization_id == org_id, Case.status.in_(OPEN_STATUSES), _stale(version)
        )
    )
    if left:
        db.session.rollback()
        return None
    run = run_for(org_id, version)
    run.changed_count = (
        db.session.scalar(
            select(func.count()).select_from(RulesetChange).where(RulesetChange.run_id == run.id)
        )
        or 0
    )
    run.finished_at = run.finished_at or utcnow()
    db.session.commit()
    if run.changed_count and run.mailed_at is None:
        claimed = cast(  # an UPDATE's result is a CursorResult (execute() is typed for any statement)
            CursorResult[Any],
            db.session.execute(
                update(RulesetRun)
                .where(RulesetRun.id == run.id, RulesetRun.mailed_at.is_(None))
                .values(mailed_at=utcnow())
            ),
        ).rowcount
        db.session.commit()
        if claimed and notify is not None:
            notify(run)
            if report is not None:
                report.mailed_runs.append(run.id)
    return run


def reassess_organization(
    org_id: int,
    *,
    on: date,
    version: str,
    notify: Notify | None = None,
    batch_size: int = CHUNK_SIZE,
    report: BookReport | None = None,
) -> RulesetRun | None:
    """Every stale open case of one organization, chunk after chunk in this process, then finish."""
    report = report or BookReport(version)
    run_for(org_id, version)
    for chunk in chunked(stale_case_ids(org_id, version), batch_size):
        reassess_chunk(chunk, on=on, version=version, report=report)
    return finish_organization(org_id, version, notify=notify, report=report)


def reassess_book(
    *,
    on: date,
    version: str | None = None,
    notify: Notify | None = None,
    batch_size: int = CHUNK_SIZE,
) -> BookReport:
    """Re-assess every organization's open cases under ``version`` (the engine's, by default), in this
    process (the CLI, tests). The beat spreads the same chunks over the workers: ``dispatch_book``."""
    version = version or rules.RULESET_VERSION
    report = BookReport(version)
    for org_id in organizations_to_do(version):
        report.organizations += 1
        reassess_organization(
            org_id, on=on, version=version, notify=notify, batch_size=batch_size, report=report
        )
    return report


def dispatch_book(
    *,
    version: str | None = None,
    send_chunk: Callable[[list[int], str], object],
    send_finish: Callable[[int, str], object],
    chunk_size: int = CHUNK_SIZE,
) -> BookReport:
    """Plan the book for the workers: make each organization's run, then send one task per chunk of
    stale case ids (``send_chunk(ids, version)``); an organization with nothing left to re-assess but a
    run not finished or mailed gets ``send_finish(org_id, version)``. Nothing is locked here."""
    version = version or rules.RULESET_VERSION
    report = BookReport(version)
    for org_id in organizations_to_do(version):
        report.organizations += 1
        run_for(org_id, version)
        ids = stale_case_ids(org_id, version)
        db.session.rollback()  # no transaction stays open while the tasks are sent
        if not ids:
            send_finish(org_id, version)
        for chunk in chunked(ids, chunk_size):
            send_chunk(chunk, version)
            report.chunks += 1
            report.reassessed += len(chunk)
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
    return _runs_with_changes_of(org.id, case_ids)


def _runs_with_changes_of(
    org_id: int | BindParameter[int], case_ids: Collection[int] | None
) -> Select[tuple[int]]:
    changed = _in_scope(select(RulesetChange.run_id), case_ids)
    return select(RulesetRun.id).where(
        RulesetRun.organization_id == org_id,
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
    if case_ids is None:  # every page of an employer asks: the statement is built once
        found = db.session.execute(
            _newest_unseen_of_every_case(), {"org_id": org.id, "user_id": user.id}
        ).first()
    else:
        found = db.session.execute(_newest_unseen(org.id, user.id, case_ids)).first()
    if found is None:
        return None
    run_id, version = found
    count = db.session.scalar(
        _in_scope(select(func.count(RulesetChange.id)).where(RulesetChange.run_id == run_id), case_ids)
    )
    return Notice(run_id, version, count or 0)


def _newest_unseen(
    org_id: int | BindParameter[int], user_id: int | BindParameter[int], case_ids: Collection[int] | None
) -> Select[tuple[int, str]]:
    """The id and rule-set version of the newest run with changes in ``case_ids`` (None: every case)
    that the user has not dismissed or seen."""
    seen = select(RulesetNoticeSeen.run_id).where(RulesetNoticeSeen.user_id == user_id)
    return (
        select(RulesetRun.id, RulesetRun.ruleset_version)
        .where(RulesetRun.id.in_(_runs_with_changes_of(org_id, case_ids)), RulesetRun.id.not_in(seen))
        .order_by(RulesetRun.id.desc())
        .limit(1)
    )


@cache
def _newest_unseen_of_every_case() -> Select[tuple[int, str]]:
    return _newest_unseen(bindparam("org_id", type_=Integer), bindparam("user_id", type_=Integer), None)


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
