"""Queries per page: the main pages cost a fixed number of queries, whatever the number of cases
and of document versions (PostgreSQL; an SQLAlchemy event counts every statement sent)."""

from __future__ import annotations

from sqlalchemy import select, update

from portal import clock
from portal.documents import requests
from portal.extensions import db
from portal.models import Case, Document, EvidenceFile, ForeignEnterprise, Organization, Transferee, User
from tests.factories import document_row, returned_review
from tests.helpers import statements_sent
from tests.portal.document_helpers import JOB, create_case, errors, max_id
from tests.portal.test_dashboard import _add_cases, _count_queries, _open_case

# What each page costs today (signed-in user, session and organizations, the rule-set banner, then
# the page's own reads). A page may get cheaper; a change that needs more says why here.
# The dashboard's recent changes: 2 statements (the latest events, then those events with the objects of
# the kinds they name, and their authors), since one statement joining all twelve kinds cost PostgreSQL
# ~7 ms to plan.
# The latest packets: 2 statements (the packets with their latest review and its comments, then the
# engagements that say whether a consultant can review them).
# The signed-in user comes with its memberships and their organizations in one statement. The case list
# counts the matching cases in a statement of its own: a window count beside the page's lines would read
# every matching case before the LIMIT (its cost would grow with the organization, bench part 2).
# The case page reads the worker's jobs abroad with their group companies in one more statement (6, was
# 5): its "answers given" form shows the answers stored on the group company the case relies on, the
# case's own or that of the worker's latest job abroad (portal/cases/facts.py enterprise_for).
# The documents page reads the signatory of the person's latest request in the organization, with when the
# letterhead was saved last, in one more statement (7, was 6): its form offers the title they typed last
# (portal/documents/lookups.py remembered_signatory; LIMIT 1, whatever the number of documents).
CEILINGS = {"dashboard": 8, "cases": 7, "case page": 6, "documents": 7}


def _urls(case_id: int) -> dict[str, str]:
    return {
        "dashboard": "/dashboard",
        "cases": "/cases/",
        "case page": f"/cases/{case_id}",
        "documents": f"/cases/{case_id}/documents",
    }


def _case_of(app, given_names: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Case.id)
            .join(Transferee, Case.transferee_id == Transferee.id)
            .where(Transferee.given_names == given_names)
        )


def _more_versions(app, case_id: int, n: int) -> None:
    """``n`` more ready packet versions of the case, each returned by a consultant's review."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        last = db.session.scalars(
            select(Document).where(Document.case_id == case_id).order_by(Document.version.desc())
        ).first()
        for i in range(n):
            doc = document_row(
                case,
                version=last.version + 1 + i,
                snapshot=last.snapshot,
                pdf_sha256=f"{i + 2:064x}",
                page_count=12,
                size_bytes=1000,
            )
            db.session.add(doc)
            db.session.flush()
            db.session.add(returned_review(doc, f"Version {doc.version}: fix the wage"))
        db.session.commit()


def _complete_ready_rows(app) -> None:
    """A ready document shows its page count and size (the dashboard's helper leaves them empty)."""
    with app.app_context():
        db.session.execute(
            update(Document)
            .where(Document.status == "ready", Document.page_count.is_(None))
            .values(page_count=12, size_bytes=1000)
        )
        db.session.commit()


def _count_all(app, client, case_id: int) -> dict[str, int]:
    counts = {}
    for name, url in _urls(case_id).items():
        client.get(url)  # warm: the session and this page's first-use work
        counts[name] = _count_queries(app, client, url)
    return counts


def test_main_pages_cost_the_same_queries_at_10_and_200_cases(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    first = _open_case(app, client, "Countia", setup=True)
    _add_cases(app, first, 9)
    _complete_ready_rows(app)
    viewed = _case_of(app, "Clone3")  # a packet returned by the consultant, with its comment
    page = client.get(f"/cases/{viewed}/documents").get_data(as_text=True)
    assert "Fix 3" in page, "the viewed case shows its last review"
    with_10 = _count_all(app, client, viewed)

    _add_cases(app, first, 190)
    _complete_ready_rows(app)
    _more_versions(app, viewed, 5)
    page = client.get(f"/cases/{viewed}/documents").get_data(as_text=True)
    assert page.count("data-status-url") == 6, page.count("data-status-url")
    assert "Version 6: fix the wage" in page
    with_200 = _count_all(app, client, viewed)

    assert with_200 == with_10, (with_10, with_200)
    over = {name: n for name, n in with_200.items() if n > CEILINGS[name]}
    assert not over, f"queries above the ceiling: {over} (ceilings {CEILINGS})"


def test_the_trivial_endpoint_reads_nothing(app, client):
    statements = _count_queries(app, client, "/livez")
    assert statements == 0
    assert client.get("/livez").get_json() == {"status": "alive"}


def test_public_views_read_nothing_for_a_signed_in_user_either(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    assert _count_queries(app, client, "/dashboard") > 0  # signed in: the session and the user are read
    assert _count_queries(app, client, "/livez") == 0
    assert _count_queries(app, client, "/static/css/app.css") == 0


# A document request (the service, before its commit) reads the case's evidence files once, the position,
# the group company and the worker with every job abroad in one statement, the letter's edits and the next
# version number, then writes the document (its audit event goes with the commit), after locking the case's
# row (requests of one case wait for each other). Each of the four reads of the case's graph was a lazy load
# of its own (8 statements).
REQUEST_CEILING = 6


def _request_statements(app, case_id: int, kind: str) -> int:
    with app.app_context():
        case = db.session.get(Case, case_id)
        org = db.session.get(Organization, case.organization_id)
        user = db.session.scalars(select(User).order_by(User.id)).first()
        with statements_sent(app) as statements:
            requests.request_document(case, org, kind=kind, lang="en", actor=user, on=clock.today())
        db.session.rollback()
    return len(statements)


def test_a_document_request_costs_the_same_statements_whatever_the_worker_history(
    app, client, make_employer, login
):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = create_case(app, client)
    before = {kind: _request_statements(app, case_id, kind) for kind in ("support_letter", "packet")}

    with app.app_context():
        case = db.session.get(Case, case_id)
        transferee_id, org_id = case.transferee_id, case.organization_id
    for year in (2012, 2015, 2018):  # three more jobs abroad with the group company
        response = client.post_form(
            f"/transferees/{transferee_id}/employment",
            {
                **JOB,
                "start_date": f"{year}-01-10",
                "end_date": f"{year + 2}-12-31",
                "foreign_enterprise_id": str(max_id(app, ForeignEnterprise)),
            },
        )
        assert response.status_code == 302, errors(response)
    with app.app_context():
        for n in range(3):
            db.session.add(
                EvidenceFile(
                    organization_id=org_id,
                    case_id=case_id,
                    item="Proof of the qualifying relationship",
                    filename=f"invented-{n}.pdf",
                    content_type="application/pdf",
                    size_bytes=1000,
                    sha256=f"{n:064x}",
                    storage_path=f"org-{org_id}/case-{case_id}/evidence-{n}.pdf",
                )
            )
        db.session.commit()
        assert len(db.session.get(Transferee, transferee_id).employment) == 4
    after = {kind: _request_statements(app, case_id, kind) for kind in ("support_letter", "packet")}

    assert after == before, (before, after)
    assert max(after.values()) <= REQUEST_CEILING, after


# The compliance calendar: the signed-in user, then the cases that have a first day with their role and
# worker in one statement, and the page's private calendar links (each case's role and worker were read one
# by one: 16 statements at 10 cases, 64 at 50). The .ics download reads the user and the cases.
CALENDAR_CEILINGS = {"/calendar": 4, "/calendar.ics": 2}


def test_the_calendar_costs_the_same_queries_whatever_the_number_of_cases(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    first = _open_case(app, client, "Countia", setup=True)
    _add_cases(app, first, 9)  # every fifth with its permit issued and first day recorded

    def counts() -> dict[str, int]:
        for url in CALENDAR_CEILINGS:
            client.get(url).close()  # warm
        return {url: _count_queries(app, client, url) for url in CALENDAR_CEILINGS}

    with_10 = counts()
    page = client.get("/calendar").get_data(as_text=True)
    assert page.count("Clone1 ") + page.count("Clone6 ") >= 2, "the dated cases are listed, with their worker"
    _add_cases(app, first, 40)
    with_50 = counts()
    page = client.get("/calendar").get_data(as_text=True)
    assert "Clone36 " in page  # the second batch of clones is named from 0 again
    assert "Clone5 " not in page, "a case without a permit has no date in the calendar"

    assert with_50 == with_10, (with_10, with_50)
    over = {url: n for url, n in with_50.items() if n > CALENDAR_CEILINGS[url]}
    assert not over, f"queries above the ceiling: {over} (ceilings {CALENDAR_CEILINGS})"
