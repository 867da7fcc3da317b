"""The dashboard as a work queue: what each person may see, and a fixed number of queries (PostgreSQL)."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from portal import clock
from portal.compliance.services import case_calendar
from portal.extensions import db
from portal.main import views as main_views
from portal.models import Case, Document, ForeignEnterprise, Position
from tests.conftest import ORG_DATA
from tests.factories import document_row, returned_review
from tests.helpers import stamp_zones, statements_sent
from tests.portal.document_helpers import JOB
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE
from tests.portal.test_compliance import GOOD as COMPLIANCE
from tests.portal.test_consult import T37_ANSWERS, packet


def _latest_id(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(model.id)))


def _open_case(app, client, given: str, *, setup: bool = False, answers: bool = True) -> int:
    """A case for a new person in the organization's latest role, through the real forms."""
    if setup:
        assert client.post_form("/group/new", ENTERPRISE).status_code == 302
        assert client.post_form("/roles/new", ROLE).status_code == 302
    response = client.post_form(
        "/transferees/new", {**PERSON, "given_names": given, "passport_number": f"P{given[:6].upper()}"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    tid = int(response.location.rstrip("/").split("/")[-1])
    employment = {**JOB, "foreign_enterprise_id": str(_latest_id(app, ForeignEnterprise))}
    assert client.post_form(f"/transferees/{tid}/employment", employment).status_code == 302
    response = client.post_form(
        "/cases/new", {"transferee_id": str(tid), "position_id": str(_latest_id(app, Position))}
    )
    assert response.status_code == 302
    case_id = int(response.location.rstrip("/").split("/")[-1])
    if answers:
        assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    return case_id


def _engage_and_accept(app, employer_client, consultant_client, case_ids=()):
    response = employer_client.post_form(
        "/org/consultants", {"email": "rae@consult.example.com", "case_ids": [str(i) for i in case_ids]}
    )
    assert response.status_code == 302
    page = consultant_client.get("/dashboard").get_data(as_text=True)
    engagement_id = re.findall(r"/engagements/(\d+)/accept", page)[-1]
    assert consultant_client.post_form(f"/engagements/{engagement_id}/accept").status_code == 302


def _panel(page: str, panel_id: str) -> str:
    start = page.index(f'id="{panel_id}"')
    return page[start : page.index("</div></div>", start)]


def test_panels_show_each_person_only_what_they_may_see(app, make_employer, make_consultant, login):
    a, b = app.test_client(), app.test_client()
    login(a, make_employer(legal_name="Maple Invented Analytics Ltd."))
    login(b, make_employer(legal_name="Birch Invented Robotics Inc."))
    consultant = app.test_client()
    login(consultant, make_consultant(email="rae@consult.example.com", licence="R512345"))

    # Organization A: one packet returned with a comment, one case with open questions, one approved.
    returned = _open_case(app, a, "Returna", setup=True)
    asking = _open_case(app, a, "Askara", answers=False)
    approved = _open_case(app, a, "Approva")
    _engage_and_accept(app, a, consultant)
    # Organization B: two packets waiting for review; the consultant is engaged on one case only.
    in_scope = _open_case(app, b, "Scopey", setup=True)
    hidden = _open_case(app, b, "Hiddena")
    _engage_and_accept(app, b, consultant, case_ids=[in_scope])
    v_returned, v_approved = packet(a, returned), packet(a, approved)
    packet(b, in_scope)
    packet(b, hidden)
    # The consultant works in B now (the last engagement accepted); its reviews in A go through a switch.
    with app.app_context():
        org_a = db.session.get(Case, returned).organization_id
    consultant.post_form(f"/orgs/{org_a}/switch")
    assert (
        consultant.post_form(
            f"/documents/{v_returned}/review", {"decision": "returned", "comment": "Add the reporting line."}
        ).status_code
        == 302
    )
    assert (
        consultant.post_form(
            f"/documents/{v_approved}/review", {"decision": "approved", "as_it_is": "y"}
        ).status_code
        == 302
    )

    page = consultant.get("/dashboard").get_data(as_text=True)
    assert "Hiddena" not in page  # a case outside the engagement's scope
    review = _panel(page, "panel-review")
    assert "Scopey" in review and "Birch Invented Robotics" in review
    assert 'name="next" value="/documents/' in review  # B's item switches organization, then opens the review
    assert "Add the reporting line." in _panel(page, "panel-returned")
    # What only the employer acts on is not the consultant's to-do: no open questions, requests, offers to
    # file or compliance dates; the packets approved wait for the employer's filing (they showed "Offers to
    # submit", "Cases that need answers" and "Documents to request" to the consultant, tour).
    for employer_only in ("panel-needs-answers", "panel-documents", "panel-offers", "panel-deadlines"):
        assert f'id="{employer_only}"' not in page
    assert "Askara" not in page.split('id="work-queue"', 1)[1].split('id="panel-recent"', 1)[0]
    approved_panel = _panel(page, "panel-approved")
    assert "Approva" in approved_panel and "The employer files the offer" in approved_panel
    # Its engagements first: each employer, what it opened (every case, or some), and what waits there.
    assert page.index('id="engagements"') < page.index('id="work-queue"')
    assert page.index('id="panel-review"') < page.index('id="panel-returned"')
    engagements = _panel(page, "engagements")
    lines = {name: li for li in engagements.split("<li")[1:] for name in ("Maple", "Birch") if name in li}
    assert "every case" in lines["Maple"] and "packet to review" not in lines["Maple"]
    assert "1 case" in lines["Birch"] and "1 packet to review" in lines["Birch"]

    page_a = a.get("/dashboard").get_data(as_text=True)
    assert "Scopey" not in page_a and "Hiddena" not in page_a and "Birch" not in page_a
    returned_panel = _panel(page_a, "panel-returned")
    assert "Returna" in returned_panel and "Add the reporting line." in returned_panel
    assert f'href="/cases/{returned}/documents"' in returned_panel
    assert f'href="/cases/{asking}#questions"' in _panel(page_a, "panel-needs-answers")
    assert f'href="/cases/{approved}/compliance"' in _panel(page_a, "panel-offers")
    assert "Packet returned" in _panel(page_a, "panel-recent")
    # Recent changes name their objects as the history does, linked to their page.
    recent_a = _panel(page_a, "panel-recent")
    assert f'href="/cases/{returned}">Case of Returna Inventedname (T37)</a>' in recent_a
    assert (
        f'href="/cases/{returned}/documents#document-{v_returned}">Offer-submission packet (EN) v1 · Returna'
        in recent_a
    )
    assert ">case</a>" not in recent_a
    # The consultant's: the cases of both organizations it may see (B's in scope only), linked in the
    # organization it works in, named only for the other.
    recent_c = _panel(page, "panel-recent")
    assert f'href="/cases/{approved}">Case of Approva Inventedname (T37)</a>' in recent_c
    assert '<span class="recent-object">Case of Scopey Inventedname (T37)</span>' in recent_c
    assert "Hiddena" not in recent_c and f'href="/cases/{in_scope}"' not in recent_c

    page_b = b.get("/dashboard").get_data(as_text=True)
    waiting = _panel(page_b, "panel-review")
    assert "Scopey" in waiting and "Returna" not in page_b and "Maple Invented" not in page_b
    # No consultant may review Hiddena's packet (outside the engagement's scope): it waits for nobody.
    assert "Hiddena" not in waiting
    documents = _panel(page_b, "panel-documents")
    assert "Hiddena" in documents and "no consultant engaged on this case" in documents
    assert f'href="/cases/{hidden}/documents"' in documents

    # A deadline within 30 days: the permit expires in 20 days.
    soon = {
        "offer_number": "A7654321",
        "submitted_on": (clock.today() - timedelta(days=400)).isoformat(),
        "permit_issued_on": (clock.today() - timedelta(days=380)).isoformat(),
        "first_day_on": (clock.today() - timedelta(days=370)).isoformat(),
        "permit_expiry_on": (clock.today() + timedelta(days=20)).isoformat(),
    }
    assert a.post_form(f"/cases/{approved}/compliance", soon).status_code == 302
    deadlines = _panel(a.get("/dashboard").get_data(as_text=True), "panel-deadlines")
    assert 'data-window="30"' in deadlines and "Work permit expires" in deadlines and "Approva" in deadlines
    assert "Approva" not in _panel(a.get("/dashboard").get_data(as_text=True), "panel-offers")
    # In French.
    a.post_form("/language", {"lang": "fr"})
    french = a.get("/dashboard").get_data(as_text=True)
    assert "Dossiers à compléter" in french and "Échéances des 90 prochains jours" in french
    consultant.post_form("/language", {"lang": "fr"})
    french_c = html.unescape(consultant.get("/dashboard").get_data(as_text=True))
    assert "Dossiers de présentation approuvés, offre pas encore présentée" in french_c
    assert "1 dossier de présentation à réviser" in _panel(french_c, "engagements")
    assert "Dossiers à compléter" not in french_c
    # the deadline's date written out in French ("1er mars 2027"), the ISO one for machines
    expiry = clock.today() + timedelta(days=20)
    month = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    written = f"{'1er' if expiry.day == 1 else expiry.day} {month[expiry.month - 1]} {expiry.year}"
    assert f'datetime="{expiry.isoformat()}">{written}</time>' in _panel(french, "panel-deadlines")


def test_dashboard_empty_states_say_what_to_do_first(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="queue-empty"' in page and 'href="/roles/new"' in page and 'href="/transferees/new"' in page
    assert 'href="/group/new"' in page  # a transfer within the group starts with the company abroad


def _count_queries(app, client, url) -> int:
    with statements_sent(app) as statements:
        response = client.get(url)
        response.close()  # a file's response: closed, or its file is left open
    assert response.status_code == 200
    return len(statements)


def _clone(row):
    columns = {c.key: getattr(row, c.key) for c in type(row).__table__.columns if c.key != "id"}
    return type(row)(**columns)


def _add_cases(app, template_id: int, n: int) -> None:
    """``n`` more cases in every stage, written directly (the flows are tested above)."""
    today = clock.today()
    with app.app_context():
        source = db.session.get(Case, template_id)
        for i in range(n):
            person, role = _clone(source.transferee), _clone(source.position)  # each case its own rows
            person.given_names = f"Clone{i}"
            case = Case(
                organization_id=source.organization_id,
                transferee=person,
                position=role,
                answers={},
                assessment=source.assessment,
                route=source.route,
                recommended_code=source.recommended_code,
                open_questions=i % 5 == 0,
                assessed_as_of=source.assessed_as_of,
            )
            if i % 5 == 1:
                case.offer_number = "A1234567"
                case.permit_issued_on = today - timedelta(days=700)
                case.first_day_on = today - timedelta(days=690)
                case.permit_expiry_on = today + timedelta(days=i % 90)
            db.session.add(case)
            db.session.flush()
            if i % 5 in (2, 3, 4):
                status = "failed" if i % 5 == 4 else "ready"
                doc = document_row(case, status=status, pdf_sha256="1" * 64 if status == "ready" else None)
                db.session.add(doc)
                db.session.flush()
                if i % 5 == 3:
                    db.session.add(returned_review(doc, f"Fix {i}"))
        db.session.commit()


def test_dashboard_queries_do_not_grow_with_the_number_of_cases(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    first = _open_case(app, client, "Countia", setup=True)
    _add_cases(app, first, 9)
    client.get("/dashboard")  # warm up (the session, translations)
    with_10 = {url: _count_queries(app, client, url) for url in ("/dashboard", "/cases/")}
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Fix 3" in page and "failed" in page and 'data-window="30"' in page
    _add_cases(app, first, 190)
    with_200 = {url: _count_queries(app, client, url) for url in ("/dashboard", "/cases/")}
    assert with_200 == with_10, (with_10, with_200)
    # tour of 2026-12-06: the panel listed every case needing answers; ten, then the case list's filter
    panel = client.get("/dashboard").get_data(as_text=True).split('id="panel-needs-answers"', 1)[1]
    panel = panel.split('id="panel-documents"', 1)[0]
    shown = int(re.search(r'badge text-bg-primary">(\d+)<', panel).group(1))
    assert shown > 10 and panel.count('<li class="py-1">') == 10, panel[:500]
    assert f">See all {shown}</a>" in panel and 'href="/cases/?stage=needs_answers"' in panel


def test_times_are_shown_in_the_organization_time_zone_with_the_zone_named(app, client, make_employer, login):
    owner = make_employer(legal_name="Maple Invented Analytics Ltd.", business_number="555666778")
    login(client, owner)
    # By default the province's zone (Ontario: Toronto), in the history and on the dashboard.
    history = client.get("/audit/").get_data(as_text=True)
    assert "America/Toronto" in history and set(stamp_zones(history)) <= {"EST", "EDT"}
    assert "Organization registered" in history  # the action's label, its code in the title
    assert stamp_zones(history)
    assert set(stamp_zones(_panel(client.get("/dashboard").get_data(as_text=True), "panel-recent"))) <= {
        "EST",
        "EDT",
    }
    # The owner chooses another zone; a zone not on the list is refused beside the field.
    data = {**ORG_DATA, "legal_name": "Maple Invented Analytics Ltd.", "business_number": "555666778"}
    refused = client.post_form("/org/edit", {**data, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 400
    assert client.post_form("/org/edit", {**data, "time_zone": "America/Vancouver"}).status_code == 302
    history = client.get("/audit/").get_data(as_text=True)
    assert set(stamp_zones(history)) <= {"PST", "PDT"} and stamp_zones(history)
    client.post_form("/language", {"lang": "fr"})
    history = client.get("/audit/").get_data(as_text=True)
    assert set(stamp_zones(history)) <= {"HNP", "HAP"} and stamp_zones(history)


def test_deadlines_of_every_kind_fall_in_the_30_60_and_90_day_windows(
    app, client, make_employer, login, monkeypatch
):
    """Permit expiry, renewal offer, ICT cap and the end of records retention each appear in the
    window they fall in, as seen on the day the dashboard is opened; not beyond 90 days, nor once past."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _open_case(app, client, "Deadlina", setup=True)
    assert client.post_form(f"/cases/{case_id}/compliance", COMPLIANCE).status_code == 302
    with app.app_context():
        dates = {i["kind"]: i["date"] for i in case_calendar(db.session.get(Case, case_id))}
    labels = {
        "permit_expiry": "Work permit expires",
        "renewal_offer_due": "New offer (and fee) due for a renewal",
        "ict_cap_end": "Intra-company transfer cap ends",
        "records_keep_until": "End of record keeping",
    }
    assert set(labels) <= set(dates), dates  # the rules give each of them for this T37 case
    # the date as the reader writes it ("March 1, 2027"), the ISO one in <time datetime>
    deadline = re.compile(
        r'data-window="(\d+)"><time class="text-nowrap" datetime="([\d-]+)">([^<]+)</time> · ([^—<]+?) —'
    )

    def shown_on(day: date) -> set[tuple[str, str, str]]:
        monkeypatch.setattr(main_views, "today", lambda: day)
        panel = _panel(client.get("/dashboard").get_data(as_text=True), "panel-deadlines")
        found = deadline.findall(panel)
        for _window, due, text, _label in found:  # written out, in the page's language
            when = date.fromisoformat(due)
            assert text == f"{when:%B} {when.day}, {when.year}", (due, text)
        return {(label, window, due) for window, due, _text, label in found}

    for kind, label in labels.items():
        due = dates[kind]
        for days_before, window in ((0, "30"), (30, "30"), (31, "60"), (60, "60"), (61, "90"), (90, "90")):
            assert (label, window, due.isoformat()) in shown_on(due - timedelta(days=days_before)), (
                kind,
                days_before,
            )
        for day in (due - timedelta(days=91), due + timedelta(days=1)):
            assert not {s for s in shown_on(day) if s[0] == label and s[2] == due.isoformat()}, (kind, day)


def test_with_a_permit_recorded_and_no_date_within_90_days_the_deadlines_panel_does_not_ask_for_a_permit(
    app, client, make_employer, login, monkeypatch
):
    """Tour of 2026-12-11 (FR): a permit recorded, its dates years away, the panel still said "Dates appear
    once a permit is recorded"; it says the later dates are on the compliance calendar."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _open_case(app, client, "Farawaya", setup=True)
    monkeypatch.setattr(main_views, "today", lambda: date(2027, 1, 10))
    before = _panel(client.get("/dashboard").get_data(as_text=True), "panel-deadlines")
    assert "Dates appear once a permit is recorded" in before
    assert client.post_form(f"/cases/{case_id}/compliance", COMPLIANCE).status_code == 302
    for lang, said in (
        ("en", "the later dates are on the compliance calendar"),
        ("fr", "les dates suivantes figurent au calendrier de conformité"),
    ):
        client.post_form("/language", {"lang": lang})
        panel = _panel(client.get("/dashboard").get_data(as_text=True), "panel-deadlines")
        assert said in panel and 'data-window="' not in panel and "permit is recorded" not in panel, lang


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dashboard_says_which_letters_have_gaps_and_links_to_where_to_complete_them(
    app, client, make_employer, login, lang
):
    """Tour: a packet whose support letter still reads "[to complete: ...]" can be approved only "as it is",
    and the HR user must fill its gaps first, but the dashboard's to-do list said nothing of them: only the
    documents page did. Each case's line now says how many gaps its letter has, linking to the letter's page,
    and how many documents it asks to enclose, linking to the evidence checklist; read in the statement
    that reads the packets (the dashboard's queries stay flat: test_page_queries)."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    client.post_form("/language", {"lang": lang})
    gapped = _open_case(app, client, "Gappa", setup=True)
    complete = _open_case(app, client, "Fulla")
    gapped_doc, complete_doc = packet(client, gapped, lang=lang), packet(client, complete, lang=lang)
    with app.app_context():
        db.session.execute(
            update(Document)
            .where(Document.id == gapped_doc)
            .values(letter_gaps=["the duties abroad", "the reporting line", "enclose the organization chart"])
        )
        db.session.execute(update(Document).where(Document.id == complete_doc).values(letter_gaps=[]))
        db.session.commit()
    page = html.unescape(client.get("/dashboard").get_data(as_text=True))
    panel = page.split('id="panel-documents"', 1)[1].split('id="panel-returned"', 1)[0]
    lines = {name: li for li in panel.split("<li")[1:] for name in ("Gappa", "Fulla") if name in li}
    words = {
        "en": ("Its letter has 2 gaps to complete", "1 document to enclose"),
        "fr": ("Sa lettre a 2 passages à compléter", "1 document à joindre"),
    }[lang]
    assert f'<a href="/cases/{gapped}/letter/{lang}">{words[0]}</a>' in lines["Gappa"], lines["Gappa"]
    assert f'<a href="/cases/{gapped}/documents#evidence">{words[1]}</a>' in lines["Gappa"]
    assert "letter-gaps" not in lines["Fulla"]
