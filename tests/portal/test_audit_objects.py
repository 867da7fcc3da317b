"""The history pages name each event's object as people know it (the case's worker and code, the
company's name, "Support letter (EN) v1"), in English and French, linked where it still exists
(PostgreSQL)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from portal import audit
from portal.auditlog.services import describe_objects, latest_described
from portal.documents import uploads as documents
from portal.extensions import db
from portal.models import AuditEvent, Case, EvidenceFile, Organization, User
from tests.helpers import statements_sent
from tests.portal.document_helpers import png_bytes
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS

ROW = re.compile(r'<td class="small audit-object">(.*?)</td>', re.S)


def _objects(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return [unescape(re.sub(r"\s+", " ", cell)).strip() for cell in ROW.findall(page)]


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell)


@pytest.fixture
def history(app, client, owner):
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    response = client.post_form(
        f"/cases/{case_id}/documents",
        {"kind": "support_letter", "language": "en", "signatory_name": "Ada", "signatory_title": "HR"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    with app.test_request_context():
        case = db.session.get(Case, case_id)
        evidence = documents.add_evidence(
            case,
            db.session.get(Organization, owner.org_id),
            item="Passport (the one entered in the offer)",
            filename="proof.png",
            data=png_bytes(),
            actor=db.session.get(User, owner.user_id),
        )
        db.session.commit()
        evidence_id = evidence.id
    return case_id, evidence_id


def test_objects_are_named_and_linked_in_both_languages(app, client, owner, history):
    case_id, _evidence_id = history
    cells = _objects(client, "/audit/")
    texts = [_text(c) for c in cells]
    assert "Case of Avery Inventedname (T37)" in texts
    assert "Support letter (EN) v1 · Avery Inventedname" in texts
    assert "Group company Rocky Invented Inc." in texts
    assert "Transferee Avery Inventedname" in texts
    assert "Canadian role Vice-President, Operations Canada" in texts
    assert "Evidence: Passport (the one entered in the offer) (proof.png)" in texts
    assert not any(re.search(r"\b(Case|ForeignEnterprise|Document|EvidenceFile) \d+\b", t) for t in texts)
    case_cell = next(c for c in cells if "Case of Avery" in c)
    assert f'href="/cases/{case_id}"' in case_cell
    assert 'href="/group/1/edit"' in next(c for c in cells if "Rocky Invented" in c)
    assert f'href="/cases/{case_id}/documents#document-1"' in next(c for c in cells if "Support letter" in c)

    client.post_form("/language", {"lang": "fr"})
    texts = [_text(c) for c in _objects(client, f"/audit/cases/{case_id}")]
    assert "Dossier d'Avery Inventedname (T37)" in texts  # elided, as the letters write it
    assert "Lettre d'appui (EN) v1 · Avery Inventedname" in texts
    # the checklist item is kept in English: said in French, as the checklist says it (tour of 2026-12-06)
    assert "Pièce justificative : Passeport (celui inscrit dans l'offre) (proof.png)" in texts


def test_an_object_that_no_longer_exists_is_named_without_a_link(app, client, owner, history):
    _case_id, evidence_id = history
    assert client.post_form(f"/evidence/{evidence_id}/remove").status_code == 302
    with app.app_context():
        assert db.session.get(EvidenceFile, evidence_id) is None
    cells = [c for c in _objects(client, "/audit/") if "Evidence" in c]
    assert cells and all(c == "Evidence file (no longer exists)" for c in cells)


def test_objects_are_described_in_one_query_per_kind(app, client, owner, history):
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent)))
        kinds = {e.object_type for e in events if e.object_type}
        with statements_sent(app) as statements:
            refs = describe_objects(events, owner.org_id)
        # one query per kind, plus the eager loads of the case's worker (cases, documents)
        assert len(statements) <= 2 * len(kinds), (len(statements), kinds)
        assert refs and all(ref.exists for ref in refs.values())


def test_another_organizations_object_is_never_described(app, client, owner, history, make_employer):
    other = make_employer(legal_name="Bravo Ltd.")
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Case")))
        refs = describe_objects(events, other.org_id)
        assert refs and not any(ref.exists for ref in refs.values())
        assert all(ref.name == "" for ref in refs.values())


def test_the_recent_changes_name_an_object_only_within_the_events_organization(
    app, owner, history, make_employer
):
    """The dashboard's recent changes (``latest_described``, two statements): only the events the condition
    selects, the latest first, and an event naming another organization's object (never expected; forged
    here) describes it as gone, as ``describe_objects`` does."""
    case_id, _evidence_id = history
    other = make_employer(legal_name="Bravo Ltd.")
    with app.app_context():
        bravo = db.session.get(Organization, other.org_id)
        audit.record("case.updated", actor=None, organization=bravo, obj=db.session.get(Case, case_id))
        audit.record("organization.updated", actor=None, organization=bravo, obj=bravo)
        db.session.commit()
        events, refs = latest_described(AuditEvent.organization_id == other.org_id, 10)
        assert events and all(e.organization_id == other.org_id for e in events)
        assert [e.id for e in events] == sorted((e.id for e in events), reverse=True)
        assert refs[("Case", case_id)].exists is False and refs[("Case", case_id)].name == ""
        assert refs[("Organization", other.org_id)].exists is True
        alpha = list(
            db.session.scalars(select(AuditEvent.id).where(AuditEvent.organization_id == owner.org_id))
        )
        events, _refs = latest_described(AuditEvent.organization_id == owner.org_id, 2)
        assert [e.id for e in events] == sorted(alpha, reverse=True)[:2]
        _events, refs = latest_described(AuditEvent.organization_id == owner.org_id, 50)
        assert refs[("Case", case_id)].exists is True
