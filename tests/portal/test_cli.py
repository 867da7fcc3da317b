"""The demo data that `make run` seeds, and `flask assess-case`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from portal.cases import services as cases
from portal.cli import DEMO_CONSULTANT, DEMO_PASSWORD
from portal.extensions import db
from portal.models import (
    Case,
    Document,
    DocumentStatus,
    Engagement,
    EngagementStatus,
    EvidenceFile,
    Organization,
    User,
)
from portal.models.case import stored_codes_fit
from tests.conftest import Account
from tests.helpers import count
from tests.portal.test_cases import _create_case


def test_seed_demo_is_idempotent_and_makes_a_t37_case(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "owner@maplewood-demo.example.com" in first.output and "password:" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert count(app, Organization) == 1 and count(app, User) == 3 and count(app, Case) == 1
    assert count(app, Engagement) == 1 and count(app, Document) == 1

    with app.app_context():
        assert db.session.query(Case).one().recommended_code == "T37"


def _panel(page: str, panel_id: str) -> str:
    return page.split(f'id="{panel_id}"', 1)[1].split('<div class="col-lg-6">', 1)[0]


def test_seed_demo_engages_a_consultant_who_finds_the_packet_to_review(app, client, login):
    """The demo consultant is printed, signs in with the demo password and finds the demo case's packet
    waiting for a review: the review side of the portal is there to try without inviting anyone."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    name, email, licence = DEMO_CONSULTANT
    assert f"consultant {email}  password: {DEMO_PASSWORD}" in result.output
    with app.app_context():
        consultant = db.session.query(User).filter_by(email=email).one()
        engagement = db.session.query(Engagement).one()
        case_id = db.session.query(Case).one().id
        packet = db.session.query(Document).one()
        assert consultant.is_consultant and consultant.email_verified and consultant.cicc_licence == licence
        assert engagement.status == EngagementStatus.ACTIVE and engagement.consultant_id == consultant.id
        assert engagement.case_ids is None and engagement.cicc_licence == licence
        assert (packet.kind, packet.language, packet.status) == ("packet", "en", DocumentStatus.READY)
        # complete: every missing evidence item has its sample file, so the letter leaves nothing to do
        assert packet.letter_gaps in (None, []) and count(app, EvidenceFile) == 6
        assert db.session.query(Organization).one().signatory_title == "President"
        consultant_id, packet_id = consultant.id, packet.id
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert count(app, Document) == 1 and count(app, Engagement) == 1  # seeded once
    assert count(app, EvidenceFile) == 6

    login(client, Account(consultant_id, email, DEMO_PASSWORD))
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Employers you work for" in dashboard and "Maplewood Robotics" in dashboard
    review = _panel(dashboard, "panel-review")
    assert "Packets waiting for your review" in review and "Jordan Sampleton" in review
    assert f'href="/documents/{packet_id}/review"' in review
    assert "Packets sent back to the employer" in dashboard and "returned by the consultant" not in dashboard
    review_page = client.get(f"/documents/{packet_id}/review")
    assert review_page.status_code == 200 and "to complete" not in review_page.get_data(as_text=True)
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200 and "T37" in page.get_data(as_text=True)

    owner = app.test_client()
    with app.app_context():
        owner_id = db.session.query(User).filter_by(email="owner@maplewood-demo.example.com").one().id
    login(owner, Account(owner_id, "owner@maplewood-demo.example.com", DEMO_PASSWORD))
    owner_page = owner.get("/dashboard").get_data(as_text=True)
    assert "Jordan Sampleton" in _panel(owner_page, "panel-review")
    assert "Packets returned by the consultant" in owner_page

    # Without a packet, requesting one is the employer's to do: on the owner's dashboard only (the
    # consultant's shows what is theirs to review).
    with app.app_context():
        db.session.query(Document).delete()
        db.session.commit()
    consultant_page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="panel-documents"' not in consultant_page and "Request the packet" not in consultant_page
    assert "Jordan Sampleton" not in _panel(consultant_page, "panel-review")
    owner_documents = _panel(owner.get("/dashboard").get_data(as_text=True), "panel-documents")
    assert "Request the packet" in owner_documents


# ---- flask assess-case: the stored assessment of one case, in words or as the JSON contract ----

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "rules" / "schema" / "assessment.v1.json").read_text()
)


def _stored(app, case_id: int, lang: str = "en") -> dict:
    with app.app_context():
        return db.session.get(Case, case_id).assessment_in(lang)


def test_assess_case_prints_a_pending_case_with_its_needed_questions(app, client, owner):
    case_id = _create_case(client)
    a = _stored(app, case_id)
    assert a["route"] == "pending" and not a["complete"]
    needed = [q for q in a["questions"] if q["needed"]]
    result = app.test_cli_runner().invoke(args=["assess-case", str(case_id)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Route: pending" in out
    assert f"Likely {a['pending'][0]['code']} — {len(needed)} answers needed" in out
    for pending in a["pending"]:
        assert f"  {pending['code']} {pending['label']}" in out
        for fact in pending["waits_for"]:
            assert f"({fact})" in out
    assert "Needed questions:" in out
    for q in needed:
        assert q["question"] in out.split("Needed questions:")[1].split("Optional questions")[0]
    for q in a["questions"]:
        if not q["needed"]:
            assert q["question"] in out.split("Optional questions (other codes that might also fit):")[1]
    assert "LMIA needed" not in out and "Small business (fewer than 100 employees" in out  # 40 employees
    assert out.rstrip().endswith("Complete: No")

    fr = app.test_cli_runner().invoke(args=["assess-case", str(case_id), "--lang", "fr"])
    assert fr.exit_code == 0, fr.output
    code = _stored(app, case_id, "fr")["pending"][0]["code"]
    assert f"Probablement {code} — {len(needed)} réponses requises" in fr.output
    assert "Questions requises\u00a0:" in fr.output and fr.output.rstrip().endswith("Complet\u00a0: Non")


def test_assess_case_prints_a_complete_case(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        case_id = db.session.query(Case).one().id
    a = _stored(app, case_id)
    assert a["route"] == "IMP" and a["complete"]
    result = runner.invoke(args=["assess-case", str(case_id)])
    assert result.exit_code == 0, result.output
    label = next(c["label"] for c in a["candidates"] if c["code"] == a["recommended"])
    assert "Route: IMP" in result.output and f"{a['recommended']} — {label}" in result.output
    assert "Needed questions:" not in result.output and "Likely" not in result.output
    assert result.output.rstrip().endswith("Complete: Yes")


def test_assess_case_names_the_code_the_employer_chose_as_the_case_page_does(app, client):
    """The CLI built its own headline from the rules' first choice: a case filed under another code that
    fits (the employer's choice, shown on its page and in the list) printed the recommendation."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        case = db.session.query(Case).one()
        other = next(code for code in stored_codes_fit(case.assessment) if code != case.recommended_code)
        org = db.session.get(Organization, case.organization_id)
        owner = db.session.query(User).filter(User.email.like("owner@%")).one()
        cases.choose_code(case, org, other, actor=owner)
        db.session.commit()
        case_id, recommended = case.id, case.recommended_code
    label = next(c["label"] for c in _stored(app, case_id)["candidates"] if c["code"] == other)
    for lang in ("en", "fr"):
        out = runner.invoke(args=["assess-case", str(case_id), "--lang", lang]).output
        headline = out.splitlines()[2]
        assert headline.startswith(f"{other} — ") and recommended not in headline, out
    assert f"{other} — {label}" in runner.invoke(args=["assess-case", str(case_id)]).output


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_assess_case_json_is_the_contract_and_validates_against_the_schema(app, client, owner, lang):
    case_id = _create_case(client)
    result = app.test_cli_runner().invoke(args=["assess-case", str(case_id), "--json", "--lang", lang])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    jsonschema.Draft202012Validator(SCHEMA).validate(printed)
    assert printed == _stored(app, case_id, lang) and printed["lang"] == lang
    assert printed["route"] == "pending" and printed["complete"] is False


def test_assess_case_with_an_unknown_id_exits_2_with_a_message(app):
    for args in (["assess-case", "999999"], ["assess-case", "999999", "--json"]):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 2
        assert "no assessed case with id 999999" in result.output
    assert app.test_cli_runner().invoke(args=["assess-case", "abc"]).exit_code == 2
