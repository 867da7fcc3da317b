"""A request that only read ends its transaction with COMMIT, which keeps the statements psycopg prepared on
the connection (a ROLLBACK drops them all, and PostgreSQL planned every statement of every page again);
anything that wrote, raised or left a change pending is rolled back as before (portal/readonly.py)."""

from __future__ import annotations

from sqlalchemy import func, select, text, update

from portal import readonly
from portal.aftercommit import after_commit
from portal.extensions import db
from portal.models import Organization


def _prepared(app) -> int:
    """Statements prepared on the pool's connection (requests one after another use one connection)."""
    with app.app_context():
        return db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))


def test_pages_that_only_read_keep_their_prepared_statements(app, client, make_employer, login):
    login(client, make_employer())
    for _ in range(8):  # psycopg prepares a statement at its fifth run on a connection
        assert client.get("/dashboard").status_code == 200
    assert _prepared(app) > 0  # 0 when every request ended with ROLLBACK


def _org_name(app, org_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(Organization.legal_name).where(Organization.id == org_id))


def test_what_a_request_wrote_without_committing_is_still_rolled_back(app, client, make_employer, login):
    account = make_employer(legal_name="Untouched Ltd.")
    org_id = account.org_id

    def writes_without_commit():  # an UPDATE sent, never committed
        db.session.execute(update(Organization).where(Organization.id == org_id).values(legal_name="Sent"))
        return "ok"

    def leaves_a_change_pending():  # read, then a change left unflushed in the session
        db.session.get(Organization, org_id).legal_name = "Pending"
        return "ok"

    def reads_then_fails():
        db.session.execute(update(Organization).where(Organization.id == org_id).values(legal_name="Failed"))
        raise RuntimeError("boom")

    def only_reads():
        return str(db.session.scalar(select(func.count(Organization.id))))

    for name, view in {
        "writes": writes_without_commit,
        "pending": leaves_a_change_pending,
        "fails": reads_then_fails,
        "reads": only_reads,
    }.items():
        app.add_url_rule(f"/_test/{name}", name, view)
    login(client, account)

    assert client.get("/_test/writes").status_code == 200
    assert _org_name(app, org_id) == "Untouched Ltd."
    assert client.get("/_test/pending").status_code == 200
    assert _org_name(app, org_id) == "Untouched Ltd."
    assert client.get("/_test/fails").status_code == 500
    assert _org_name(app, org_id) == "Untouched Ltd."
    assert client.get("/_test/reads").status_code == 200


def test_read_only_tells_a_transaction_that_wrote(app, make_employer):
    org_id = make_employer().org_id
    with app.app_context():
        session = db.session()
        assert not readonly.read_only(session)  # no transaction yet
        session.execute(select(Organization.id))
        assert readonly.read_only(session)
        session.execute(update(Organization).where(Organization.id == org_id).values(city="Ottawa"))
        assert not readonly.read_only(session)
        session.rollback()
        session.execute(select(Organization.id))
        assert readonly.read_only(session)  # a new transaction starts clean
        after_commit(print, "never")  # work waiting for a commit: left to the rollback, which drops it
        assert not readonly.read_only(session)
        session.rollback()
        session.execute(select(Organization.id))
        session.execute(text("SET LOCAL lock_timeout = '1s'"))  # not a SELECT: counted as a write
        assert not readonly.read_only(session)
        session.rollback()


def test_what_a_read_only_request_loaded_stays_loaded_after_it(app, make_employer):
    """An object loaded in an app context that only read is still readable after it, as after the rollback
    (the COMMIT does not expire it: nothing was written)."""
    org_id = make_employer(legal_name="Kept Loaded Ltd.").org_id
    with app.app_context():
        org = db.session.get(Organization, org_id)
    assert org.legal_name == "Kept Loaded Ltd."
