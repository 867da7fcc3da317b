"""What each audit event's object is, for the history pages: a name people know (the case's worker
and code, the company's name, the document's kind, language and version) and the page where it
lives, or that it no longer exists. Plain data: the words are put together in ``labels.object_label``.
One query per kind of object among the events, whatever their number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, select
from sqlalchemy.orm import aliased, joinedload, load_only, selectinload
from sqlalchemy.sql.base import ExecutableOption

from portal.extensions import Model, db
from portal.models import (
    AuditEvent,
    CalendarFeed,
    Case,
    Document,
    Engagement,
    EvidenceFile,
    ForeignEnterprise,
    Invitation,
    Membership,
    Organization,
    Position,
    Transferee,
    User,
)
from portal.tenancy import column


@dataclass(frozen=True)
class ObjectRef:
    kind: str  # the model's name, as recorded (Case, Document, ...)
    exists: bool
    name: str = ""  # the object's own name (a person, a company, a role's title, an address)
    detail: dict[str, Any] = field(default_factory=dict)  # code, document kind/language/version
    endpoint: str | None = None  # the page where it lives (None: no page, or gone)
    args: dict[str, Any] = field(default_factory=dict)
    in_case: bool = False  # its page belongs to a case (a case-limited consultant may open it)


def _case(c: Case) -> ObjectRef:
    return ObjectRef(
        "Case",
        True,
        c.transferee.full_name,
        {"code": c.recommended_code, "route": c.route},
        "cases.show",
        {"case_id": c.id},
        in_case=True,
    )


def _document(d: Document) -> ObjectRef:
    return ObjectRef(
        "Document",
        True,
        d.case.transferee.full_name,
        {"document_kind": d.kind, "language": d.language, "version": d.version},
        "documents.case_documents",
        {"case_id": d.case_id, "_anchor": f"document-{d.id}"},
        in_case=True,
    )


def _evidence(e: EvidenceFile) -> ObjectRef:
    return ObjectRef(
        "EvidenceFile",
        True,
        e.item,
        {"filename": e.filename},
        "documents.case_documents",
        {"case_id": e.case_id},
        in_case=True,
    )


# kind -> (model, loader options, has organization_id, describe)
_KINDS: dict[str, tuple[type[Model], tuple[ExecutableOption, ...], bool, Callable[[Any], ObjectRef]]] = {
    "Case": (Case, (selectinload(Case.transferee),), True, _case),
    "Document": (
        Document,
        (selectinload(Document.case).selectinload(Case.transferee),),
        True,
        _document,
    ),
    "EvidenceFile": (EvidenceFile, (), True, _evidence),
    "Transferee": (
        Transferee,
        (),
        True,
        lambda t: ObjectRef("Transferee", True, t.full_name, {}, "people.show", {"transferee_id": t.id}),
    ),
    "Position": (
        Position,
        (),
        True,
        lambda p: ObjectRef("Position", True, p.title, {}, "roles.edit", {"position_id": p.id}),
    ),
    "ForeignEnterprise": (
        ForeignEnterprise,
        (),
        True,
        lambda e: ObjectRef("ForeignEnterprise", True, e.name, {}, "group.edit", {"enterprise_id": e.id}),
    ),
    "Organization": (
        Organization,
        (),
        False,
        lambda o: ObjectRef("Organization", True, o.display_name, {}, "orgs.show", {}),
    ),
    "Membership": (
        Membership,
        (selectinload(Membership.user),),
        True,
        lambda m: ObjectRef("Membership", True, m.user.name, {}, "orgs.show", {}),
    ),
    "Invitation": (
        Invitation,
        (),
        True,
        lambda i: ObjectRef("Invitation", True, i.email, {}, "orgs.show", {}),
    ),
    "Engagement": (
        Engagement,
        (),
        True,
        lambda e: ObjectRef("Engagement", True, e.email, {}, "consult.engagements", {}),
    ),
    "CalendarFeed": (
        CalendarFeed,
        (selectinload(CalendarFeed.user),),
        True,
        lambda f: ObjectRef("CalendarFeed", True, f.user.name, {}, "compliance.organization_calendar", {}),
    ),
    "User": (User, (), False, lambda u: ObjectRef("User", True, u.name)),
}


def _within(kind: str, target: Any, organization_id: Any) -> ColumnElement[bool] | None:
    """What keeps an object of ``kind`` (``target``: its model or an alias of it) to the event's
    organization: its ``organization_id``, the organization's own id, or nothing (a user)."""
    model, _options, scoped, _describe = _KINDS[kind]
    if scoped:
        owner = target.organization_id
    elif model is Organization:
        owner = target.id
    else:
        return None
    within: ColumnElement[bool] = owner == organization_id
    return within


# What each description reads of its object (besides the id): nothing else is loaded. A case's
# assessment alone is tens of kilobytes of JSON, and loading every column of twelve kinds of object was
# most of the dashboard's time.
_READS: dict[str, tuple[str, ...]] = {
    "Case": ("recommended_code", "route", "transferee_id"),
    "Document": ("case_id", "kind", "language", "version"),
    "EvidenceFile": ("case_id", "item", "filename"),
    "Transferee": ("given_names", "family_name"),
    "Position": ("title",),
    "ForeignEnterprise": ("name",),
    "Organization": ("legal_name", "operating_name"),
    "Membership": ("user_id",),
    "Invitation": ("email",),
    "Engagement": ("email",),
    "CalendarFeed": ("user_id",),
    "User": ("name",),
}


def _only(entity: Any, kind: str) -> Any:
    """``load_only`` of what the description of ``kind`` reads, on its model or an alias of it (a loader
    option, typed Any: a loader's own ``options()`` takes SQLAlchemy's private ``_AbstractLoad``)."""
    names = _READS[kind] + (("organization_id",) if hasattr(entity, "organization_id") else ())
    return load_only(*(getattr(entity, name) for name in names))


def describe_objects(events: Iterable[AuditEvent], organization_id: int) -> dict[tuple[str, int], ObjectRef]:
    """(object_type, object_id) -> what it is, for every event that names an object. An object of
    another organization (never expected) is treated as gone: nothing of it is shown."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for e in events:
        if e.object_type and e.object_id is not None:
            wanted[e.object_type].add(e.object_id)
    out: dict[tuple[str, int], ObjectRef] = {}
    for kind, ids in wanted.items():
        found: dict[int, ObjectRef] = {}
        if kind in _KINDS:
            model, options, _scoped, describe = _KINDS[kind]
            query = select(model).where(column(model, "id").in_(ids)).options(*options, _only(model, kind))
            within = _within(kind, model, organization_id)
            if within is not None:
                query = query.where(within)
            rows: list[Any] = list(db.session.scalars(query))  # instances of ``model``: each has an id
            found = {row.id: describe(row) for row in rows}
        for object_id in ids:
            out[(kind, object_id)] = found.get(object_id) or ObjectRef(kind, False)
    return out


# Joined loads of the objects' own names, for ``latest_described`` (its second statement, beside the events).
_JOINED: dict[str, Callable[[Any], ExecutableOption]] = {
    "Case": lambda a: joinedload(a.transferee).options(_only(Transferee, "Transferee")),
    "Document": lambda a: joinedload(a.case).options(
        _only(Case, "Case"), joinedload(Case.transferee).options(_only(Transferee, "Transferee"))
    ),
    "Membership": lambda a: joinedload(a.user).options(_only(User, "User")),
    "CalendarFeed": lambda a: joinedload(a.user).options(_only(User, "User")),
}


@cache
def _described_joins() -> tuple[dict[str, Any], dict[str, tuple[Any, ColumnElement[bool], tuple[Any, ...]]]]:
    """Each kind's alias, its join condition to the event and its loader options: the same for every
    statement, so built once (building them was a tenth of the dashboard's time)."""
    aliases: dict[str, Any] = {kind: aliased(spec[0]) for kind, spec in _KINDS.items()}
    joins = {}
    for kind, alias in aliases.items():
        on = and_(AuditEvent.object_type == kind, AuditEvent.object_id == alias.id)
        within = _within(kind, alias, AuditEvent.organization_id)
        if within is not None:
            on = and_(on, within)
        options = (_only(alias, kind), *((_JOINED[kind](alias),) if kind in _JOINED else ()))
        joins[kind] = (alias, on, options)
    return aliases, joins


@cache
def _authors() -> tuple[Any, ColumnElement[bool], Any]:
    """The events' authors for ``latest_described``: an alias of users, its join and its names only
    (built once, like ``_described_joins``)."""
    author = aliased(User)
    return author, author.id == AuditEvent.actor_id, load_only(author.name)


def latest_events(condition: ColumnElement[bool], limit: int) -> Select[tuple[int, str | None]]:
    """The statement of the ``limit`` latest events' ids and kinds matching ``condition``: the first of
    ``described``'s two (a page that runs it on every request builds it once, its values bound as
    parameters)."""
    return (
        select(AuditEvent.id, AuditEvent.object_type)
        .where(condition)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )


@lru_cache(maxsize=128)
def _described_statement(kinds: tuple[str, ...], with_actors: bool) -> Select[Any]:
    """The events bound as ``event_ids``, with the objects of ``kinds`` joined beside them (and their
    authors): built once per set of kinds (building it and its cache key cost a fifth of the recent
    changes' time)."""
    aliases, joins = _described_joins()
    query = select(AuditEvent, *(aliases[kind] for kind in kinds)).where(
        AuditEvent.id.in_(bindparam("event_ids", expanding=True, type_=Integer))
    )
    for alias, on, options in (joins[kind] for kind in kinds):
        query = query.outerjoin(alias, on).options(*options)
    if with_actors:
        author, on_author, author_option = _authors()
        query = query.add_columns(author).outerjoin(author, on_author).options(author_option)
    return query.order_by(AuditEvent.id.desc())


def latest_described(
    condition: ColumnElement[bool], limit: int, *, actors: dict[int, User] | None = None
) -> tuple[list[AuditEvent], dict[tuple[str, int], ObjectRef]]:
    """``described`` of the ``limit`` latest events matching ``condition``."""
    return described(latest_events(condition, limit), actors=actors)


def described(
    latest: Select[tuple[int, str | None]],
    params: dict[str, Any] | None = None,
    *,
    actors: dict[int, User] | None = None,
) -> tuple[list[AuditEvent], dict[tuple[str, int], ObjectRef]]:
    """The events of ``latest`` (``latest_events``, run with ``params``) and what each is about, in two
    statements whatever the number of events or kinds, for a page that must not cost one more query per
    event or per kind of object (the dashboard): the latest events' ids and kinds first, then those
    events with the objects of the kinds they name joined beside them, each within the event's own
    organization.

    Joining only the kinds present (two to four, typically) rather than all twelve: PostgreSQL planned
    the twelve outer joins in ~7 ms on every statement it had not prepared yet, eight times what they
    take to run.

    ``actors``, when given, is filled with the events' authors by id (their names only), read in the
    second statement too."""
    found_latest = db.session.execute(latest, params or {}).all()
    if not found_latest:
        return [], {}
    present = {kind for _id, kind in found_latest if kind in _KINDS}
    kinds = tuple(kind for kind in _KINDS if kind in present)  # a stable order: one statement per set
    query = _described_statement(kinds, actors is not None)
    events: list[AuditEvent] = []
    out: dict[tuple[str, int], ObjectRef] = {}
    rows = db.session.execute(query, {"event_ids": [event_id for event_id, _kind in found_latest]})
    for row in rows.unique():
        event: AuditEvent = row[0]
        objects = dict(zip(kinds, row[1 : 1 + len(kinds)], strict=True))
        if actors is not None and row[-1] is not None:
            actors[row[-1].id] = row[-1]
        events.append(event)
        if event.object_type and event.object_id is not None:
            found = objects.get(event.object_type)
            key = (event.object_type, event.object_id)
            out[key] = (
                _KINDS[event.object_type][3](found)
                if found is not None
                else ObjectRef(event.object_type, False)
            )
    return events, out
