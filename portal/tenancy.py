"""The current organization, and the one helper every tenant query goes through.

Employer users reach an organization through a Membership; consultants (RCICs) through an
active Engagement the employer granted, possibly limited to some cases. The current
organization lives in the session (``org_id``) and is re-checked on every request, so a removed
member or a revoked consultant loses access on the very next request. Objects of another
organization — or, for a case-limited consultant, of another case — answer 404, exactly like
objects that do not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, abort, g, session
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload
from sqlalchemy.sql.base import ExecutableOption

from portal.extensions import Model, db
from portal.models import Case, Engagement, EngagementStatus, Membership, Organization, Role
from portal.validation import valid_id

T = TypeVar("T", bound=Model)
TP = TypeVar("TP", bound=tuple[Any, ...])
P = ParamSpec("P")
R = TypeVar("R")

SESSION_KEY = "org_id"


@dataclass(frozen=True)
class Access:
    organization: Organization
    membership: Membership | None = None
    engagement: Engagement | None = None

    @property
    def is_consultant(self) -> bool:
        return self.engagement is not None

    @property
    def case_ids(self) -> frozenset[int] | None:
        """The cases a case-limited consultant may see; None means every case."""
        if self.engagement is None or self.engagement.case_ids is None:
            return None
        return frozenset(self.engagement.case_ids)


def _accesses() -> list[Access]:
    """Every organization the signed-in user reaches: one query (with the organizations) per request,
    none for an employer user whose memberships came with the user (``prime_memberships``)."""
    if "accesses" not in g:
        g.accesses = _load_accesses()
    accesses: list[Access] = g.accesses
    return accesses


def prime_memberships(user: Any, memberships: list[Membership]) -> None:
    """The memberships (with their organizations, by id) that the session's user loader read with the
    user, kept for this request and this user only: ``_load_accesses`` uses them instead of asking."""
    g.primed_memberships = (user.id, memberships)


def _load_accesses() -> list[Access]:
    if not current_user.is_authenticated:
        return []
    if current_user.is_consultant:
        if not current_user.email_verified:
            return []  # a consultant reaches an employer's data only with a verified address
        engagements = db.session.scalars(_active_engagements(), {"consultant_id": current_user.id}).all()
        return [Access(e.organization, engagement=e) for e in engagements]
    primed = g.pop("primed_memberships", None)
    if primed is not None and primed[0] == current_user.id:
        memberships: Sequence[Membership] = primed[1]
    else:
        memberships = db.session.scalars(
            select(Membership)
            .where(Membership.user_id == current_user.id)
            .options(joinedload(Membership.organization))
            .order_by(Membership.id)
        ).all()
    return [Access(m.organization, membership=m) for m in memberships]


@cache
def _active_engagements() -> Select[tuple[Engagement]]:
    """A consultant's active engagements with their organizations (the consultant bound as
    ``consultant_id``): every page of a consultant asks, so the statement is built once."""
    return (
        select(Engagement)
        .where(
            Engagement.consultant_id == bindparam("consultant_id", type_=Integer),
            Engagement.status == EngagementStatus.ACTIVE,
        )
        .options(joinedload(Engagement.organization))
        .order_by(Engagement.id)
    )


def current_access() -> Access | None:
    if "access" in g:
        cached: Access | None = g.access
        return cached
    accesses = _accesses()
    wanted = session.get(SESSION_KEY)
    access = next((a for a in accesses if a.organization.id == wanted), None)
    if access is None and accesses:
        access = accesses[0]
        session[SESSION_KEY] = access.organization.id
    g.access = access
    return access


def accesses() -> list[Access]:
    """Every organization the user can switch to."""
    return _accesses()


def case_scope() -> frozenset[int] | None:
    """The cases the current access is limited to (a case-limited consultant); None: every case."""
    access = current_access()
    return access.case_ids if access else None


def current_membership() -> Membership | None:
    access = current_access()
    return access.membership if access else None


def current_org() -> Organization | None:
    access = current_access()
    return access.organization if access else None


def require_org() -> Organization:
    org = current_org()
    if org is None:
        abort(404)
    return org


def is_owner() -> bool:
    membership = current_membership()
    return membership is not None and membership.role == Role.OWNER


def column(model: type[Model], name: str) -> InstrumentedAttribute[Any]:
    """A mapped attribute every tenant model has (``id``, ``organization_id``) or may have (``case_id``):
    a typing protocol cannot describe SQLAlchemy's mapped attributes of a class, so it is looked up."""
    attribute: InstrumentedAttribute[Any] = getattr(model, name)
    return attribute


def _case_column(model: type[Model]) -> Any:
    """The column naming the case a row of ``model`` is (Case) or belongs to (``case_id``); None for a
    model outside the cases (a case-limited consultant's scope does not apply to it)."""
    if model is Case:
        return Case.id
    return column(model, "case_id") if hasattr(model, "case_id") else None


def _case_scope(query: Select[TP], model: type[Model]) -> Select[TP]:
    """A case-limited consultant sees only the cases of the engagement (and what belongs to them)."""
    scope, case_id = case_scope(), _case_column(model)
    return query if scope is None or case_id is None else query.where(case_id.in_(scope))


def tenant_select(model: type[T]) -> Select[tuple[T]]:
    """``select(model)`` restricted to the current organization (and a consultant's cases)."""
    org = require_org()
    return _case_scope(select(model).where(column(model, "organization_id") == org.id), model)


def scoped(query: Select[TP], org: Organization) -> Select[TP]:
    """Restrict a ``select()`` of one tenant model to ``org`` (for services, which get ``org`` passed in)."""
    model = query.column_descriptions[0]["entity"]
    return query.where(column(model, "organization_id") == org.id)


Loads = Callable[[], tuple[ExecutableOption, ...]]


def hold(org: Organization) -> None:
    """Hold the organization's row until the commit (``FOR NO KEY UPDATE``, PostgreSQL; SQLite writes one
    transaction at a time), before a service checks that what it is about to add is not there yet (a second
    case of one person in one role, a group company of the same name, a pending invitation or engagement
    of the same address): two requests at once (a double click, two tabs, two web processes) then run that
    check and the insert one after the other, the second seeing what the first committed. The rows that
    merely refer to the organization (their foreign key's ``KEY SHARE``) are not held up by it."""
    db.session.execute(
        select(Organization.id).where(Organization.id == org.id).with_for_update(key_share=True)
    )


def hold_if_there(model: type[Model], row_id: int) -> bool:
    """Hold the row ``row_id`` of ``model`` until the commit (``FOR UPDATE``) and say whether it is still
    there, before a service deletes it: a second request at once (a double click on "Remove") waits for
    the first's commit and finds it gone, instead of recording a second removal in the audit log."""
    return (
        db.session.scalar(select(column(model, "id")).where(column(model, "id") == row_id).with_for_update())
        is not None
    )


def hold_row(row: Model) -> None:
    """Hold ``row`` until the commit and read it again (``FOR UPDATE``; SQLite writes one transaction at a
    time), before a service checks its state and changes it (revoke, archive): a second request at once
    (a double click, two tabs) waits for the first's commit and sees what it wrote, instead of acting on
    what it read before and recording the change twice in the append-only audit log."""
    db.session.refresh(row, with_for_update=True)


def get_or_404(model: type[T], object_id: int, *, loads: Loads | None = None) -> T:
    """The current organization's object (and, for a case-limited consultant, one of its cases), or 404.

    ``loads``: a module-level function giving the loader options. The statement is built once per
    model, ``loads`` and kind of access (every case, or some), the ids bound when it runs: pages ask for
    their object on every request, and building the statement cost more than running it."""
    if not valid_id(object_id):  # e.g. a query argument beyond the integer column: no such row
        abort(404)
    scope = case_scope()
    limited = scope is not None and _case_column(model) is not None
    params: dict[str, Any] = {"org_id": require_org().id, "object_id": object_id}
    if limited:
        params["case_ids"] = sorted(scope or ())
    obj: T | None = db.session.scalars(_by_id(model, limited, loads), params).first()
    if obj is None:
        abort(404)
    return obj


@lru_cache(maxsize=256)
def _by_id(model: type[Model], limited: bool, loads: Loads | None) -> Select[Any]:
    """``get_or_404``'s statement: ``model`` by id (``object_id``) in the organization ``org_id``, and
    (``limited``) among the cases ``case_ids``."""
    query = select(model).where(
        column(model, "organization_id") == bindparam("org_id", type_=Integer),
        column(model, "id") == bindparam("object_id", type_=Integer),
    )
    if limited:
        query = query.where(_case_column(model).in_(bindparam("case_ids", expanding=True, type_=Integer)))
    return query.options(*loads()) if loads is not None else query


def _guarded(view: Callable[P, R], check: Callable[[], object]) -> Callable[P, R]:
    """``view``, run only once ``check()`` has passed (it aborts the request when it fails)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        check()
        return view(*args, **kwargs)

    return wrapped


def _member() -> None:
    if current_membership() is None:
        abort(404)


def _consultant() -> None:
    access = current_access()
    if access is None or not access.is_consultant:
        abort(404)


def _owner() -> None:
    _member()
    if not is_owner():
        abort(403)


def org_required(view: Callable[P, R]) -> Callable[P, R]:
    """Employer users of the current organization (consultants and outsiders get 404)."""
    return _guarded(view, _member)


def case_access_required(view: Callable[P, R]) -> Callable[P, R]:
    """Employer users, or a consultant with an active engagement: the views that read cases and documents."""
    return _guarded(view, require_org)


def consultant_required(view: Callable[P, R]) -> Callable[P, R]:
    return _guarded(view, _consultant)


def owner_required(view: Callable[P, R]) -> Callable[P, R]:
    """Owners of the current organization (other members get 403, consultants and outsiders 404)."""
    return _guarded(view, _owner)


def record_form(
    bp: Blueprint, model: type[T], id_name: str
) -> Callable[[Callable[[T | None], ResponseReturnValue]], Callable[[T | None], ResponseReturnValue]]:
    """Route the form page of the organization's ``model`` records (GET shows it, POST saves it) for
    its members (``org_required``): ``create`` at ``/new`` calls ``page(None)``, ``edit`` at
    ``/<int:id_name>/edit`` calls ``page(record)`` with the current organization's record, else 404."""

    def routes(page: Callable[[T | None], ResponseReturnValue]) -> Callable[[T | None], ResponseReturnValue]:
        @org_required
        def create() -> ResponseReturnValue:
            return page(None)

        @org_required
        def edit(**ids: int) -> ResponseReturnValue:
            return page(get_or_404(model, ids[id_name]))

        bp.add_url_rule("/new", "create", create, methods=["GET", "POST"])
        bp.add_url_rule(f"/<int:{id_name}>/edit", "edit", edit, methods=["GET", "POST"])
        return page

    return routes


def switch_to(org_id: int) -> Organization:
    # Read afresh: the flow that calls it may have just made the membership (a new organization, an
    # accepted invitation), which the memberships read with the user at the request's start lack.
    g.pop("accesses", None)
    g.pop("primed_memberships", None)
    access = next((a for a in _accesses() if a.organization.id == org_id), None)
    if access is None:
        abort(404)
    session[SESSION_KEY] = org_id
    g.pop("access", None)
    g.pop("accesses", None)
    return access.organization
