"""Re-assessing the book when the rule set changes (PostgreSQL; a real Celery worker for the beat task)."""

from __future__ import annotations

import time
from datetime import date

from celery import Celery
from sqlalchemy import select

import rules
from portal.book import notify, services
from portal.cases.services import assess_case
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Engagement,
    ForeignEnterprise,
    Organization,
    Position,
    RulesetChange,
    RulesetRun,
    Transferee,
    User,
)
from tests.conftest import make_test_app
from tests.fixtures.queue import celery_settings
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE, errors

ON = date(2026, 11, 24)
OLD = "2025.1-old"


def _new_case(client, app, org_id: int) -> int:
    with app.app_context():  # a group company is recorded once (a second one of the same name is refused)
        recorded = db.session.scalars(
            select(ForeignEnterprise.id).where(ForeignEnterprise.organization_id == org_id)
        ).first()
    if recorded is None:
        assert client.post_form("/group/new", ENTERPRISE).status_code == 302
    assert client.post_form("/roles/new", ROLE).status_code == 302
    assert client.post_form("/transferees/new", PERSON).status_code == 302
    with app.app_context():

        def last(model):
            return db.session.scalars(
                select(model.id).where(model.organization_id == org_id).order_by(model.id.desc())
            ).first()

        fe, pos, tid = last(ForeignEnterprise), last(Position), last(Transferee)
    response = client.post_form(
        f"/transferees/{tid}/employment",
        {
            "foreign_enterprise_id": str(fe),
            "capacity": "executive",
            "job_title": "VP Operations",
            "start_date": "2022-01-10",
            "full_time": "y",
        },
    )
    assert response.status_code == 302, errors(response)
    response = client.post_form("/cases/new", {"transferee_id": str(tid), "position_id": str(pos)})
    assert response.status_code == 302
    return int(response.location.rstrip("/").split("/")[-1])


def _as_if_assessed_under_old_rules(app, case_id: int, *, route=None, code=None) -> tuple:
    """Store the case as assessed under an older rule set (with another outcome when route is given)."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        current = (case.route, case.recommended_code)
        case.ruleset_version = OLD
        if route is not None:
            case.route, case.recommended_code = route, code
        db.session.commit()
        return current


def _changed_cases(client, app, org_id: int, n: int) -> list[int]:
    """``n`` new cases of the organization, stored as assessed under the old rules as TFWP cases: each
    changes outcome with the current rules."""
    case_ids = [_new_case(client, app, org_id) for _ in range(n)]
    for case_id in case_ids:
        _as_if_assessed_under_old_rules(app, case_id, route="TFWP", code=None)
    return case_ids


def _run(app):
    with app.test_request_context():
        return services.reassess_book(on=ON, notify=notify.mail_owners, batch_size=1)


def test_a_rule_set_change_is_listed_once_audited_bannered_and_mailed_once(
    app, client, make_employer, add_member, login, outbox
):
    a = make_employer(legal_name="Alder Invented Ltd.")
    login(client, a)
    changed = _new_case(client, app, a.org_id)
    unchanged = _new_case(client, app, a.org_id)
    closed = _new_case(client, app, a.org_id)
    submitted = _new_case(client, app, a.org_id)
    current = _as_if_assessed_under_old_rules(app, changed, route="TFWP", code=None)
    assert current[0] != "TFWP"
    _as_if_assessed_under_old_rules(app, unchanged)
    _as_if_assessed_under_old_rules(app, closed, route="TFWP", code=None)
    _as_if_assessed_under_old_rules(app, submitted, route="TFWP", code=None)
    with app.app_context():
        db.session.get(Case, closed).status = CaseStatus.CLOSED
        filed = db.session.get(Case, submitted)
        filed.status, filed.chosen_code = (
            CaseStatus.SUBMITTED,
            "C10",
        )  # filed under a code that no longer fits
        db.session.commit()
    member = add_member(a.org_id, "member")

    b = make_employer(legal_name="Birch Invented Ltd.")
    client_b = app.test_client()
    login(client_b, b)
    other = _new_case(client_b, app, b.org_id)
    _as_if_assessed_under_old_rules(app, other, route="TFWP", code=None)

    outbox.clear()
    first = _run(app)
    second = _run(app)  # the beat fires again: nothing to do, nothing mailed
    assert (first.changed, len(first.mailed_runs)) == (3, 2)
    assert (second.organizations, second.reassessed, second.changed, second.mailed_runs) == (0, 0, 0, [])

    with app.app_context():
        rows = db.session.scalars(select(RulesetChange).order_by(RulesetChange.id)).all()
        assert sorted(r.case_id for r in rows) == sorted([changed, submitted, other])
        mine = next(r for r in rows if r.case_id == changed)
        assert (mine.old_version, mine.old_route, mine.old_code) == (OLD, "TFWP", None)
        assert (mine.new_version, mine.new_route, mine.new_code) == (rules.RULESET_VERSION, *current)
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.ruleset_changed").order_by(AuditEvent.id)
        ).all()
        assert sorted(e.object_id for e in events) == sorted([changed, submitted, other])
        event = next(e for e in events if e.object_id == changed)
        assert event.organization_id == a.org_id
        assert event.data["old_ruleset_version"] == OLD
        assert event.data["new_ruleset_version"] == rules.RULESET_VERSION
        assert (event.data["new_route"], event.data["new_code"]) == current
        assert db.session.get(Case, closed).ruleset_version == OLD  # a closed case keeps its assessment
        filed = db.session.get(
            Case, submitted
        )  # an open (submitted) case is re-assessed, its filed code kept
        assert (filed.ruleset_version, filed.status, filed.chosen_code) == (
            rules.RULESET_VERSION,
            CaseStatus.SUBMITTED,
            "C10",
        )
        assert db.session.get(Case, unchanged).ruleset_version == rules.RULESET_VERSION

    # One mail per owner and organization (not to members), even though the task ran twice.
    assert sorted(m.to[0] for m in outbox) == sorted([a.email, b.email])
    mail_a = next(m for m in outbox if m.to == [a.email])
    assert f"2 cases changed under rule set {rules.RULESET_VERSION}" in mail_a.subject
    # the outcomes in words (the route's label when there is no code), never the rules' keys
    assert "LMIA needed (TFWP) -> " in mail_a.body and "/rule-changes/" in mail_a.body
    assert member.email not in [m.to[0] for m in outbox]

    # The banner, then the page: the changed case only, with a link; B's case never shown to A.
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="ruleset-banner"' in page
    assert f"2 cases changed under rule set {rules.RULESET_VERSION}" in page
    page = client.get("/rule-changes/").get_data(as_text=True)
    assert f'href="/cases/{changed}"' in page
    assert f'href="/cases/{unchanged}"' not in page
    assert f'href="/cases/{other}"' not in page
    assert f'href="/cases/{submitted}"' in page
    assert page.count("<tr>") == 3  # header + two changes
    assert "<td>LMIA needed (TFWP)</td>" in page and "<td>TFWP </td>" not in page  # words, not keys
    # Seeing the page dismissed the banner for this user, not for the other one.
    assert 'id="ruleset-banner"' not in client.get("/dashboard").get_data(as_text=True)
    client_m = app.test_client()
    login(client_m, member)
    assert 'id="ruleset-banner"' in client_m.get("/dashboard").get_data(as_text=True)


def test_the_banner_is_dismissed_per_user_and_another_organization_cannot_dismiss_it(
    app, client, make_employer, login, outbox
):
    a = make_employer()
    login(client, a)
    case_id = _new_case(client, app, a.org_id)
    _as_if_assessed_under_old_rules(app, case_id, route="TFWP", code=None)
    _run(app)
    with app.app_context():
        run_id = db.session.scalars(select(RulesetChange.run_id)).one()

    b = make_employer()
    client_b = app.test_client()
    login(client_b, b)
    assert client_b.post_form(f"/rule-changes/{run_id}/dismiss").status_code == 404
    assert client_b.get("/rule-changes/").get_data(as_text=True).count("<tr>") == 0
    assert client.post(f"/rule-changes/{run_id}/dismiss").status_code == 400  # no CSRF token

    assert 'id="ruleset-banner"' in client.get("/cases/").get_data(as_text=True)
    response = client.post_form(f"/rule-changes/{run_id}/dismiss?next=/cases/")
    assert response.status_code == 302 and response.location.endswith("/cases/")
    assert 'id="ruleset-banner"' not in client.get("/cases/").get_data(as_text=True)


def test_french_banner(app, client, make_employer, login, outbox):
    a = make_employer()
    login(client, a)
    case_id = _new_case(client, app, a.org_id)
    _as_if_assessed_under_old_rules(app, case_id, route="TFWP", code=None)
    _run(app)
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert f"1 dossier a changé avec les règles {rules.RULESET_VERSION}" in page
    assert "Voir les changements" in page


def test_the_cli_command_reassesses_once(app, client, make_employer, login, outbox):
    a = make_employer()
    login(client, a)
    case_id = _new_case(client, app, a.org_id)
    _as_if_assessed_under_old_rules(app, case_id, route="TFWP", code=None)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reassess-book", "--on", ON.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 case(s) re-assessed, 1 outcome(s) changed, 1 organization(s) mailed" in result.output
    result = runner.invoke(args=["reassess-book", "--on", ON.isoformat()])
    assert "0 organization(s), 0 case(s) re-assessed" in result.output
    assert len(outbox) == 1
    assert runner.invoke(args=["reassess-book", "--on", "2026-13-01"]).exit_code == 2


def _wait_for(app, condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if condition():
                return
            db.session.remove()
        time.sleep(0.2)
    raise AssertionError("the workers did not finish in time")


def test_the_beat_task_on_a_real_worker_mails_once(
    app, client, make_employer, login, pg_url, redis_url, celery_worker, tmp_path
):
    a = make_employer()
    login(client, a)
    case_id = _new_case(client, app, a.org_id)
    second_id = _new_case(client, app, a.org_id)
    _as_if_assessed_under_old_rules(app, case_id, route="TFWP", code=None)
    _as_if_assessed_under_old_rules(app, second_id)
    sender = make_test_app(pg_url, tmp_path, CELERY=celery_settings(redis_url))
    celery: Celery = sender.extensions["celery"]
    first = celery.send_task("cases.reassess_book", args=[ON.isoformat()]).get(timeout=60)
    assert (first["organizations"], first["chunks"], first["cases"]) == (1, 1, 2)

    def mailed():
        run = db.session.scalars(select(RulesetRun)).one_or_none()
        return run is not None and run.mailed_at is not None

    _wait_for(app, mailed)  # the chunk task ran on the worker, then finished the run and mailed
    second = celery.send_task("cases.reassess_book", args=[ON.isoformat()]).get(timeout=60)
    assert (second["organizations"], second["chunks"], second["cases"]) == (0, 0, 0)
    with app.app_context():
        assert db.session.scalars(select(RulesetChange.case_id)).all() == [case_id]
        run = db.session.scalars(select(RulesetRun)).one()
        assert (run.changed_count, run.finished_at is not None) == (1, True)
        assert {c.ruleset_version for c in db.session.scalars(select(Case))} == {rules.RULESET_VERSION}
    # one mail: the worker's log shows the chunk and no second mail (the run was claimed once)
    log = celery_worker.log_path.read_text(errors="replace")
    assert log.count("cases.reassess_chunk") >= 1


def test_a_consultant_limited_to_one_case_sees_only_that_cases_change(
    app, client, make_employer, make_consultant, login, outbox
):
    a = make_employer()
    login(client, a)
    first, second = _changed_cases(client, app, a.org_id, 2)
    _run(app)
    consultant = make_consultant(email="limited@consult.example.com")
    response = client.post_form("/org/consultants", {"email": consultant.email, "case_ids": [str(second)]})
    assert response.status_code == 302
    rc = app.test_client()
    login(rc, consultant)
    with app.app_context():
        engagement_id = db.session.scalars(select(Engagement.id)).one()
    assert rc.post_form(f"/engagements/{engagement_id}/accept").status_code == 302

    page = rc.get("/cases/").get_data(as_text=True)
    assert f"1 case changed under rule set {rules.RULESET_VERSION}" in page  # not the organization's 2
    page = rc.get("/rule-changes/").get_data(as_text=True)
    assert f'href="/cases/{second}"' in page and f'href="/cases/{first}"' not in page
    # The owner still has the banner for both.
    assert f"2 cases changed under rule set {rules.RULESET_VERSION}" in client.get("/cases/").get_data(
        as_text=True
    )


def test_the_owners_mail_is_in_the_embedded_outbox(app, make_app, make_employer, login, tmp_path):
    outbox_app = make_app(MAIL_BACKEND="file", MAIL_FILE_PATH=str(tmp_path / "outbox"))
    a = make_employer()
    owner = outbox_app.test_client()
    login(owner, a)
    case_id = _new_case(owner, outbox_app, a.org_id)
    _as_if_assessed_under_old_rules(outbox_app, case_id, route="TFWP", code=None)
    _run(outbox_app)
    _run(outbox_app)
    owner.get("/rule-changes/")  # seen: the banner is gone, what is left on the page is the mail
    page = owner.get("/outbox").get_data(as_text=True)
    assert page.count(f"1 case changed under rule set {rules.RULESET_VERSION}") == 1
    assert "/rule-changes/" in page


def test_a_new_version_with_the_same_outcomes_reassesses_but_lists_and_mails_nothing(
    app, client, make_employer, login, outbox, monkeypatch
):
    a = make_employer()
    login(client, a)
    case_id = _new_case(client, app, a.org_id)
    new_version = f"{rules.RULESET_VERSION}-next"
    monkeypatch.setattr(rules, "RULESET_VERSION", new_version)  # a deploy that changes the version only
    monkeypatch.setattr(rules.engine, "RULESET_VERSION", new_version)
    outbox.clear()
    first, second = _run(app), _run(app)
    assert (first.version, first.reassessed, first.changed, first.mailed_runs) == (new_version, 1, 0, [])
    assert (second.organizations, second.reassessed) == (0, 0)
    with app.app_context():
        assert db.session.get(Case, case_id).ruleset_version == new_version
        assert db.session.scalars(select(RulesetChange)).all() == []
    assert outbox == []
    assert 'id="ruleset-banner"' not in client.get("/dashboard").get_data(as_text=True)


def test_each_owner_is_mailed_in_the_language_they_chose(
    app, client, make_employer, add_member, login, outbox
):
    a = make_employer()
    login(client, a)
    case_id = _new_case(client, app, a.org_id)
    client.post_form("/language", {"lang": "fr"})  # kept on the account
    english_owner = add_member(a.org_id, "owner")
    with app.app_context():
        assert db.session.scalars(select(User.locale).where(User.email == a.email)).one() == "fr"
    _as_if_assessed_under_old_rules(app, case_id, route="TFWP", code=None)
    outbox.clear()
    _run(app)
    _run(app)
    assert sorted(m.to[0] for m in outbox) == sorted([a.email, english_owner.email])
    french = next(m for m in outbox if m.to == [a.email])
    english = next(m for m in outbox if m.to == [english_owner.email])
    assert f"1 dossier a changé avec les règles {rules.RULESET_VERSION}" in french.subject
    assert "EIMT requise (PTET) -> " in french.body and "case changed" not in french.subject
    assert f"1 case changed under rule set {rules.RULESET_VERSION}" in english.subject


def test_chunks_lock_only_their_cases_and_skip_a_case_a_page_holds(app, client, make_employer, login, outbox):
    """A chunk takes its rows with SKIP LOCKED: a case another transaction holds is left for the next
    run (never waited for), the others are re-assessed and committed, and the run stays open."""
    a = make_employer()
    login(client, a)
    held, free = _changed_cases(client, app, a.org_id, 2)
    with app.app_context():
        other = db.engine.connect()
        tx = other.begin()
        other.exec_driver_sql(f"SELECT id FROM cases WHERE id = {held} FOR UPDATE")  # a page's transaction
        try:
            started = time.monotonic()
            report = _run(app)
            assert time.monotonic() - started < 10
        finally:
            tx.rollback()
            other.close()
    assert (report.reassessed, report.mailed_runs) == (1, [])
    with app.app_context():
        assert db.session.get(Case, held).ruleset_version == OLD
        assert db.session.get(Case, free).ruleset_version == rules.RULESET_VERSION
        assert db.session.scalars(select(RulesetRun.finished_at)).one() is None
    report = _run(app)  # the next beat: the case is free now
    assert (report.reassessed, len(report.mailed_runs)) == (1, 1)
    assert len(outbox) == 1 and "2 cases changed" in outbox[0].subject


def test_a_case_changed_while_its_chunk_was_computed_is_not_overwritten(app, client, make_employer, login):
    """The chunk works its assessments out without locks; a case a page changed meanwhile keeps the
    page's version (its computed assessment and audit events are dropped) and waits for the next run."""
    a = make_employer()
    login(client, a)
    changed, untouched = _changed_cases(client, app, a.org_id, 2)
    with app.app_context():
        cases = services._load_chunk([changed, untouched], rules.RULESET_VERSION)
        loaded_at = {c.id: c.updated_at for c in cases}
        org = db.session.get(Organization, a.org_id)
        with db.session.no_autoflush:  # as reassess_chunk: nothing written before the lock
            for case in cases:
                assess_case(case, org, on=ON, record_stage=False)
        with db.engine.begin() as page:  # a page's own transaction commits meanwhile
            page.exec_driver_sql(f"UPDATE cases SET updated_at = now() WHERE id = {changed}")
        kept = services._lock_unchanged(cases, loaded_at)
        assert [c.id for c in kept] == [untouched]
        pending = [o for o in db.session.new if isinstance(o, AuditEvent)]
        assert changed not in {o.object_id for o in pending}
        db.session.commit()
        assert db.session.get(Case, changed).ruleset_version == OLD
        assert db.session.get(Case, untouched).ruleset_version == rules.RULESET_VERSION
