"""The case lifecycle, derived from the real flows, each transition audited once (PostgreSQL)."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from portal import clock
from portal.cases import durations, lifecycle
from portal.cases.lifecycle import CaseStage, PacketState
from portal.extensions import db
from portal.models import AuditEvent, Case
from tests.portal.test_cases import PERSON, _create_case
from tests.portal.test_consult import T37_ANSWERS, accept, engage, packet


def _transitions(app, case_id) -> list[tuple[str | None, str]]:
    with app.app_context():
        events = (
            db.session.query(AuditEvent)
            .filter_by(action=lifecycle.STAGE_CHANGED, object_type="Case", object_id=case_id)
            .order_by(AuditEvent.id)
            .all()
        )
        return [(e.data["from"], e.data["to"]) for e in events]


def _stage_on_page(client, case_id) -> str:
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    marker = 'case-stage" data-stage="'
    assert marker in page
    return page.split(marker, 1)[1].split('"', 1)[0]


def _submit(client, case_id, **dates):
    days = {k: (clock.today() + timedelta(days=v)).isoformat() for k, v in dates.items()}
    response = client.post_form(f"/cases/{case_id}/compliance", {"offer_number": "A1234567", **days})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]


def test_lifecycle_follows_the_real_flows_and_audits_each_transition_once(
    app, client, make_employer, make_consultant, login, new_version_each_request
):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _create_case(client)
    assert _stage_on_page(client, case_id) == "needs_answers"
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    assert _stage_on_page(client, case_id) == "ready_for_documents"
    engage(client)
    consultant = make_consultant(email="rae@consult.example.com", licence="R512345")
    rc = app.test_client()
    login(rc, consultant)
    accept(app, rc)
    v1 = packet(client, case_id)
    assert _stage_on_page(client, case_id) == "in_review"
    assert (
        rc.post_form(
            f"/documents/{v1}/review", {"decision": "returned", "comment": "Add the duties."}
        ).status_code
        == 302
    )
    assert _stage_on_page(client, case_id) == "returned"
    assert _stage_on_page(rc, case_id) == "returned"  # the consultant sees the same stage
    v2 = packet(client, case_id)
    assert _stage_on_page(client, case_id) == "in_review"
    assert (
        rc.post_form(f"/documents/{v2}/review", {"decision": "approved", "as_it_is": "y"}).status_code == 302
    )
    assert _stage_on_page(client, case_id) == "approved"
    _submit(client, case_id)  # the offer number only
    assert _stage_on_page(client, case_id) == "submitted"
    _submit(client, case_id, submitted_on=-30, permit_issued_on=-10, first_day_on=20, permit_expiry_on=900)
    assert _stage_on_page(client, case_id) == "permit_issued"
    _submit(client, case_id, submitted_on=-30, permit_issued_on=-10, first_day_on=-5, permit_expiry_on=900)
    assert _stage_on_page(client, case_id) == "active"
    _submit(client, case_id, submitted_on=-300, permit_issued_on=-200, first_day_on=-100, permit_expiry_on=-1)
    assert _stage_on_page(client, case_id) == "ended"
    # Saving the same dates again changes nothing: no second record of the same stage.
    _submit(client, case_id, submitted_on=-300, permit_issued_on=-200, first_day_on=-100, permit_expiry_on=-1)
    assert _transitions(app, case_id) == [
        (None, "needs_answers"),
        ("needs_answers", "ready_for_documents"),
        ("ready_for_documents", "in_review"),
        ("in_review", "returned"),
        ("returned", "in_review"),
        ("in_review", "approved"),
        ("approved", "submitted"),
        ("submitted", "permit_issued"),
        ("permit_issued", "active"),
        ("active", "ended"),
    ]
    # The list filters by stage; the French page names the stage in French.
    assert "Avery Inventedname" in client.get("/cases/?stage=ended").get_data(as_text=True)
    assert "Avery Inventedname" not in client.get("/cases/?stage=draft").get_data(as_text=True)
    client.post_form("/language", {"lang": "fr"})
    assert "Terminé" in client.get(f"/cases/{case_id}").get_data(as_text=True)


def _case(**values) -> Case:
    case = Case(assessment={"en": {"complete": True}}, route="IMP", open_questions=0)
    for key, value in values.items():
        setattr(case, key, value)
    return case


def test_derive_reads_only_what_happened():
    on = date(2027, 6, 1)
    assert lifecycle.derive(Case(assessment=None), None, on=on) == CaseStage.DRAFT
    assert lifecycle.derive(_case(route="TFWP"), None, on=on) == CaseStage.LMIA_NEEDED
    # a packet made while a code fitted, even approved, leads nowhere once no exemption fits (an LMIA first)
    approved = PacketState(document_id=1, version=1, status="ready", decision="approved", reviewer=True)
    assert lifecycle.derive(_case(route="TFWP"), approved, on=on) == CaseStage.LMIA_NEEDED
    assert lifecycle.derive(_case(), approved, on=on) == CaseStage.APPROVED
    assert (
        lifecycle.derive(_case(route="TFWP", offer_number="A1234567"), approved, on=on) == CaseStage.SUBMITTED
    )
    assert lifecycle.derive(_case(route="pending"), None, on=on) == CaseStage.NEEDS_ANSWERS
    assert lifecycle.derive(_case(open_questions=2), None, on=on) == CaseStage.NEEDS_ANSWERS
    assert lifecycle.derive(_case(), None, on=on) == CaseStage.READY_FOR_DOCUMENTS
    failed = PacketState(document_id=1, version=1, status="failed")
    assert lifecycle.derive(_case(), failed, on=on) == CaseStage.READY_FOR_DOCUMENTS
    queued = PacketState(document_id=1, version=1, status="queued", reviewer=True)
    assert lifecycle.derive(_case(), queued, on=on) == CaseStage.IN_REVIEW
    # A packet no engaged consultant can review is not in review.
    nobody = PacketState(document_id=1, version=1, status="ready", reviewer=False)
    assert lifecycle.derive(_case(), nobody, on=on) == CaseStage.READY_FOR_DOCUMENTS
    issued = _case(offer_number="A1234567", permit_issued_on=date(2027, 5, 1), first_day_on=date(2027, 6, 2))
    assert lifecycle.derive(issued, None, on=on) == CaseStage.PERMIT_ISSUED
    assert lifecycle.derive(issued, None, on=date(2027, 6, 2)) == CaseStage.ACTIVE
    issued.permit_expiry_on = date(2029, 1, 1)
    assert lifecycle.derive(issued, None, on=date(2029, 1, 1)) == CaseStage.ACTIVE
    assert lifecycle.derive(issued, None, on=date(2029, 1, 2)) == CaseStage.ENDED


def test_durations_and_caps_are_written_in_words_in_both_languages(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    block = page[page.index('id="durations"') :][:1500]
    assert "36 months initially, then extensions of up to 24 months each" in block
    assert "7 years in all for the intra-company transfer codes together" in block
    # T37 names a new office's lengths too, apart, with their units (start-up not answered yet)
    assert "For a new office in Canada: 12 months initially, then extensions of up to 6 months each" in block
    assert "initial max" not in block and "True" not in block and "ict cap" not in block
    client.post_form("/language", {"lang": "fr"})
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    block = page[page.index('id="durations"') :][:1500]
    assert "36 mois au départ, puis des prolongations d'au plus 24 mois chacune" in block.replace(
        "&#39;", "'"
    )
    assert "7 ans en tout" in block


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_new_offices_durations_are_said_once_with_their_units(app, client, make_employer, login, lang):
    """Tour: a CUSMA executive (T37) opening a new office in Canada read "12 months initially, then up to 6
    more" beside "12 months initially for a new office in Canada": the start-up's lengths twice, the
    extension's without a unit. They are said once now, as the new office's, each with its unit."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    client.post_form("/language", {"lang": lang})
    case_id = _create_case(client)
    answers = {**T37_ANSWERS, "employer.start_up": "yes"}
    assert client.post_form(f"/cases/{case_id}/answers", answers).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="recommended-code">T37' in page
    block = page[page.index('id="durations"') :]
    lines = [
        re.sub(r"[ \n]+", " ", li).strip()
        for li in re.findall(r"<li>(.*?)</li>", block[: block.index("</section>")])
    ]
    expected = {
        "en": [
            "For a new office in Canada: 12 months initially, then extensions of up to 6 months each",
            "7 years in all for the intra-company transfer codes together",
        ],
        "fr": [
            "Pour un nouveau bureau au Canada\u00a0: 12 mois au départ, puis des prolongations d'au plus 6 mois"
            " chacune",
            "7 ans en tout pour l'ensemble des codes de mutation intra-société",
        ],
    }[lang]
    assert lines[:2] == expected, lines
    assert not any("initially" in line or "au départ" in line for line in lines[1:]), lines


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_established_offices_durations_say_nothing_of_a_new_office(
    app, client, make_employer, login, lang
):
    """A CUSMA executive (T37) transferred to a Canadian company that is not a new office still read
    "For a new office in Canada: 12 months initially, then extensions of up to 6 months each" under the
    general 36 months: the new office's lengths are said only of a new office, or while it is asked."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    client.post_form("/language", {"lang": lang})
    case_id = _create_case(client)
    answers = {**T37_ANSWERS, "employer.start_up": "no"}
    assert client.post_form(f"/cases/{case_id}/answers", answers).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="recommended-code">T37' in page
    block = page[page.index('id="durations"') :]
    block = block[: block.index("</section>")]
    general = {"en": "36 months initially", "fr": "36 mois au départ"}[lang]
    new_office = {"en": "new office", "fr": "nouveau bureau"}[lang]
    assert general in block and new_office not in block, block
    assert "12" not in re.sub(r"<[^>]+>", "", block), block


def test_duration_lines_cover_every_kind_of_limit(app):
    with app.test_request_context():
        assert durations.duration_lines(
            {"window_months": 24, "max_in_window": 12, "permit_max_months": 12, "note": "x"}
        ) == ["At most 12 months in any period of 24 months"]
        assert durations.duration_lines({"max_days": 90}) == ["At most 90 days"]
        assert durations.duration_lines({"initial_max": 12, "total_cap": 12}) == [
            "12 months initially",
            "12 months in all",
        ]
        assert durations.duration_lines(
            {
                "initial_max": 36,
                "extension_max": 18,
                "total_cap": 54,
                "ict_cap_pooled": True,
                "ict_cap_remaining": 30,
            }
        ) == [
            "36 months initially, then extensions of up to 18 months each",
            "54 months in all for the intra-company transfer codes together",
            "30 months left after the time already worked in Canada as an intra-company transferee",
        ]


def test_a_packet_is_in_review_only_while_an_engaged_consultant_can_review_it(
    app, client, make_employer, make_consultant, login
):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    packet(client, case_id)
    # No consultant: the packet is made, nobody reviews it.
    assert _stage_on_page(client, case_id) == "ready_for_documents"
    assert "no consultant engaged on this case" in client.get("/dashboard").get_data(as_text=True)
    engage(client)  # invited, not accepted yet: still nobody
    assert _stage_on_page(client, case_id) == "ready_for_documents"
    rc = app.test_client()
    login(rc, make_consultant(email="rae@consult.example.com", licence="R512345"))
    engagement_id = accept(app, rc)
    assert _stage_on_page(client, case_id) == "in_review"
    assert _stage_on_page(rc, case_id) == "in_review"
    # Limited to another case, then revoked: out of review again, each move recorded once.
    response = client.post_form("/transferees/new", {**PERSON, "given_names": "Robin"})
    other_person = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form("/cases/new", {"transferee_id": str(other_person), "position_id": "1"})
    other_case = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form(f"/org/consultants/{engagement_id}/scope", {"case_ids": [str(other_case)]})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert _stage_on_page(client, case_id) == "ready_for_documents"
    response = client.post_form(f"/org/consultants/{engagement_id}/scope", {"case_ids": []})
    assert _stage_on_page(client, case_id) == "in_review"  # every case again
    response = client.post_form(f"/org/consultants/{engagement_id}/revoke", {"confirmed": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert _stage_on_page(client, case_id) == "ready_for_documents"
    assert _transitions(app, case_id) == [
        (None, "needs_answers"),
        ("needs_answers", "ready_for_documents"),
        ("ready_for_documents", "in_review"),
        ("in_review", "ready_for_documents"),
        ("ready_for_documents", "in_review"),
        ("in_review", "ready_for_documents"),
    ]
