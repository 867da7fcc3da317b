"""Another organization gets 404 on every document URL of a case it does not own."""

from __future__ import annotations

from portal.models import (
    Document,
    EvidenceFile,
)
from tests.helpers import count
from tests.portal.document_helpers import (
    create_case,
    document_id_of,
    evidence_keys,
    max_id,
    pdf_bytes,
    request_document,
    upload,
)


def test_another_organization_gets_404_on_every_document_url(app, client, owner, make_employer, login):
    case_id = create_case(app, client)
    document_id = document_id_of(request_document(client, case_id, "support_letter"))
    item = evidence_keys(app, case_id)[0]
    assert upload(client, case_id, item, pdf_bytes(1), "proof.pdf").status_code == 302
    evidence_id = max_id(app, EvidenceFile)

    outsider = app.test_client()
    login(outsider, make_employer(legal_name="Someone Else Inc."))
    assert outsider.get(f"/cases/{case_id}/documents").status_code == 404
    assert request_document(outsider, case_id, "packet").status_code == 404
    assert outsider.get(f"/documents/{document_id}/status").status_code == 404
    assert outsider.get(f"/documents/{document_id}/download").status_code == 404
    assert outsider.get(f"/documents/{document_id}/pdf").status_code == 404
    assert outsider.post_form(f"/documents/{document_id}/retry").status_code == 404
    assert upload(outsider, case_id, item, pdf_bytes(1), "proof.pdf").status_code == 404
    assert outsider.post_form(f"/evidence/{evidence_id}/remove").status_code == 404
    # Nothing changed.
    assert count(app, Document) == 1 and count(app, EvidenceFile) == 1
    assert client.get(f"/documents/{document_id}/status").get_json()["status"] == "ready"
