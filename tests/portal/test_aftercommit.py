"""The after-commit hook (portal.aftercommit) and the form runner (portal.formrun) on real PostgreSQL,
and the Celery send through a real Redis broker: a send registered in a transaction that rolls back
never reaches the queue; a committed one does, once."""

from __future__ import annotations

import json

import redis
from flask import session
from flask_wtf import FlaskForm
from sqlalchemy import event, func, select, text
from wtforms import StringField

from portal import formrun, readonly
from portal.aftercommit import after_commit, pending
from portal.documents import rendering
from portal.errors import ServiceError
from portal.extensions import db
from portal.models import AuditEvent, Document
from tests.fixtures.queue import celery_settings
from tests.portal.document_helpers import EMPLOYER_NAME, create_case, document_id_of
from workers.tasks.documents import send_render


def _events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_a_hook_runs_after_the_commit_and_never_after_a_rollback(app):
    calls: list[str] = []
    with app.app_context():
        after_commit(calls.append, "rolled back")
        db.session.add(AuditEvent(action="test.hook"))
        db.session.flush()
        db.session.rollback()
        assert calls == [] and pending() == 0

        db.session.add(AuditEvent(action="test.hook"))
        after_commit(calls.append, "committed")
        assert calls == []  # not before the commit
        db.session.commit()
        assert calls == ["committed"]
        db.session.commit()  # a later commit does not run it again
        assert calls == ["committed"]


def test_a_hook_may_use_the_session_and_sees_the_committed_row(app):
    seen: list[int] = []
    with app.app_context():
        event = AuditEvent(action="test.hook-sql")
        db.session.add(event)
        db.session.flush()
        event_id = event.id

        def count_it() -> None:
            seen.append(
                db.session.scalar(text("SELECT count(*) FROM audit_events WHERE id = :id"), {"id": event_id})
            )
            db.session.add(AuditEvent(action="test.hook-wrote"))
            db.session.commit()

        after_commit(count_it)
        db.session.commit()
        assert seen == [1]
        assert _events("test.hook-wrote") == 1


def test_a_savepoint_rollback_drops_only_the_hooks_registered_inside_it(app):
    calls: list[str] = []
    with app.app_context():
        after_commit(calls.append, "outer")
        with db.session.begin_nested():
            after_commit(calls.append, "kept savepoint")
        savepoint = db.session.begin_nested()
        after_commit(calls.append, "dropped savepoint")
        savepoint.rollback()
        assert calls == []  # releasing a savepoint is not the commit
        db.session.commit()
        assert calls == ["outer", "kept savepoint"]


def test_a_failing_hook_does_not_undo_the_commit_nor_stop_the_next(app):
    calls: list[str] = []
    with app.app_context():

        def boom() -> None:
            raise RuntimeError("broker gone")

        db.session.add(AuditEvent(action="test.hook-fails"))
        after_commit(boom)
        after_commit(calls.append, "next")
        db.session.commit()
        assert calls == ["next"] and _events("test.hook-fails") == 1


def _queued(client: redis.Redis) -> list[tuple[str, str]]:
    messages = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
    return [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages]


def test_a_render_send_reaches_the_redis_queue_only_when_committed(make_app, redis_url):
    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()
    real = make_app(CELERY=celery_settings(redis_url))
    with real.app_context():
        after_commit(send_render, [424242])
        db.session.add(AuditEvent(action="test.send"))
        db.session.flush()
        db.session.rollback()
        assert _queued(broker) == []

        after_commit(send_render, [434343])
        db.session.add(AuditEvent(action="test.send"))
        assert _queued(broker) == []  # nothing leaves before the commit
        db.session.commit()
        assert _queued(broker) == [("documents.render", "(434343,)")]
    broker.flushdb()


class _NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()


def test_submit_rolls_a_refused_change_back_and_shows_the_refusal_beside_the_field(app):
    sent: list[int] = []
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = _NameForm()

        def refused() -> None:
            db.session.add(AuditEvent(action="test.formrun"))
            db.session.flush()  # half-written ...
            after_commit(sent.append, 1)
            raise ServiceError("That name is taken.", field="name")

        assert formrun.submit(refused, redirect_to="/done", message="Saved.", form=form) is None
        assert form.name.errors == ["That name is taken."]
        assert _events("test.formrun") == 0 and sent == []  # ... and rolled back, nothing sent
        assert session.get("_flashes", []) == []

        def saved() -> int:
            event = AuditEvent(action="test.formrun")
            db.session.add(event)
            db.session.flush()
            after_commit(sent.append, event.id)
            return event.id

        response = formrun.submit(
            saved,
            redirect_to=lambda event_id: f"/done/{event_id}",
            message=lambda event_id: f"Saved {event_id}.",
        )
        assert response.status_code == 302
        event_id = response.location.rsplit("/", 1)[1]
        assert _events("test.formrun") == 1 and sent == [int(event_id)]
        assert session["_flashes"] == [("success", f"Saved {event_id}.")]


def test_submit_without_a_form_flashes_the_refusal_and_answers_what_the_view_says(app):
    with app.test_request_context("/", method="POST"):

        def refused() -> None:
            raise ServiceError("Only the owner may do this.")

        response = formrun.submit(
            refused,
            redirect_to="/done",
            error_category="danger",
            refused=lambda exc: ("conflict", 409),
        )
        assert response == ("conflict", 409)
        assert session["_flashes"] == [("danger", "Only the owner may do this.")]
        plain = formrun.submit(refused, redirect_to="/back", error_category="warning")
        assert plain.status_code == 302 and plain.location == "/back"


def test_a_document_request_commits_once_and_the_worker_reads_its_row_in_the_claim(
    make_app, redis_url, make_employer, login
):
    """The request path of a document (bench/render_bench.py part 3): the documents page's POST commits
    once, the row stamped as sent in that commit (``render_after_commit``; a second commit used to stamp
    it after the send, holding the row the worker's claim updates), and the task is on the queue; the
    worker's claim returns the row it renders (UPDATE ... RETURNING), so no SELECT of the document
    follows it."""
    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()
    real = make_app(CELERY=celery_settings(redis_url))
    client = real.test_client()
    login(client, make_employer(legal_name=EMPLOYER_NAME))
    case_id = create_case(real, client)
    client.get(f"/cases/{case_id}/documents")
    token = client.csrf_token()
    with real.app_context():
        engine = db.engine
    commits: list[object] = []
    statements: list[str] = []

    def committed(conn) -> None:  # a transaction that wrote (one that only read ends with COMMIT too)
        if conn.info.get(readonly.WROTE):
            commits.append(conn)

    def executed(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "commit", committed)
    try:
        response = client.post(
            f"/cases/{case_id}/documents",
            data={"csrf_token": token, "kind": "support_letter", "language": "en"},
        )
    finally:
        event.remove(engine, "commit", committed)
    document_id = document_id_of(response)
    assert len(commits) == 1
    assert _queued(broker) == [("documents.render", f"({document_id},)")]
    with real.app_context():
        document = db.session.get_one(Document, document_id)
        assert (document.status, document.attempts) == ("queued", 0) and document.enqueued_at is not None
        db.session.remove()

        event.listen(engine, "before_cursor_execute", executed)
        try:
            assert rendering.render_document(document_id) == "rendered"
        finally:
            event.remove(engine, "before_cursor_execute", executed)
        claims = [s for s in statements if s.startswith("UPDATE documents SET status=")]
        assert len(claims) == 2 and "RETURNING" in claims[0]  # the claim, then "ready"
        assert [s for s in statements if s.startswith("SELECT") and "FROM documents" in s] == []
        assert db.session.get_one(Document, document_id).status == "ready"
    broker.flushdb()
