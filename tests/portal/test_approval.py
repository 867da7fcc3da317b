"""An approval anyone can check: the approved packet is the reviewed PDF, an approval page (who, CICC
licence, when with the time zone, the SHA-256 of the reviewed version) and the portal's PAdES signature;
pyHanko validates it, one changed byte breaks it, and "download approved" checks both (PostgreSQL)."""

from __future__ import annotations

import asyncio
import io
import multiprocessing
import re
import threading
import time
from pathlib import Path

import pdfplumber
import pytest
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from portal.documents import signing, store
from portal.documents.store import sha256_bytes
from portal.extensions import db
from portal.models import AuditEvent, Document, Review
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS, accept, engage, packet

LICENCE = "R512345"


@pytest.fixture
def approved(app, client, make_employer, make_consultant, login):
    """Worked case 02's packet, approved through the review page by an engaged consultant."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    consultant = make_consultant(email="rae@consult.example.com", licence=LICENCE)
    rc = app.test_client()
    login(rc, consultant)
    engage(client)
    accept(app, rc)
    doc_id = packet(client, case_id)
    started = time.perf_counter()
    response = rc.post_form(
        f"/documents/{doc_id}/review", {"decision": "approved", "as_it_is": "y", "comment": "Ready to file."}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    print(f"approval request: {(time.perf_counter() - started) * 1000:.0f} ms")
    with app.app_context():
        document = db.session.get(Document, doc_id)
        review = db.session.query(Review).filter_by(document_id=doc_id).one()
        db.session.expunge_all()
    return document, review


def pyhanko_status(app, data: bytes):
    cert = asn1_x509.Certificate.load(asn1_pem.unarmor(Path(app.config["SIGNING_CERT"]).read_bytes())[2])
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return signing.outside_event_loop(
        validate_pdf_signature, signature, ValidationContext(trust_roots=[cert])
    )


def validates(app, data: bytes) -> bool:
    try:
        status = pyhanko_status(app, data)
    except Exception:  # pyHanko may refuse to read a damaged file at all: it does not validate either
        return False
    return bool(status.intact and status.valid and status.trusted and status.coverage.name == "ENTIRE_FILE")


def test_the_approved_packet_carries_an_approval_page_and_a_signature_pyhanko_validates(
    app, client, approved
):
    document, review = approved
    response = client.get(f"/documents/{document.id}/approved")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.get_data()
    assert sha256_bytes(data) == review.approved_sha256 != review.pdf_sha256 == document.pdf_sha256

    status = pyhanko_status(app, data)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage.name == "ENTIRE_FILE"

    with app.app_context():
        reviewed = store.read_verified(document.storage_path, document.pdf_sha256)
    with pdfplumber.open(io.BytesIO(reviewed)) as pdf:
        reviewed_pages = [p.extract_text() for p in pdf.pages]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    assert pages[:-1] == reviewed_pages  # the reviewed version, untouched, then the approval page
    last = " ".join(pages[-1].split())
    for expected in ("The pages before this one", "Approved by Consultant", LICENCE, "UTC", "Ready to file."):
        assert expected in last, expected
    assert review.pdf_sha256 in last.replace(" ", "")
    # When: in the organization's zone (Ontario: Toronto), named, then the same instant in UTC.
    assert re.search(r"\d{1,2}:\d\d:\d\d [ap]\.m\. E[SD]T \(.*\d{1,2}:\d\d:\d\d [ap]\.m\. UTC\)", last), last


def test_one_changed_byte_breaks_the_signature_and_the_download_refuses_it(app, client, approved):
    document, review = approved
    with app.app_context():
        path = store.absolute(review.approved_path)
    data = path.read_bytes()
    altered = bytearray(data)
    index = data.index(b"/Contents", len(data) // 4) - 20  # inside the signed byte range
    altered[index] = ord("A") if altered[index] != ord("A") else ord("B")
    altered = bytes(altered)

    assert validates(app, data) and not validates(app, altered)

    path.write_bytes(altered)
    response = client.get(f"/documents/{document.id}/approved")
    assert response.status_code == 409 and not response.data.startswith(b"%PDF")
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="document.hash_mismatch").count() == 1
    # Even with the altered file's hash recorded, it is refused: the signature is checked too.
    with app.app_context():
        row = db.session.get(Review, review.id)
        row.approved_sha256 = sha256_bytes(altered)
        db.session.commit()
    assert client.get(f"/documents/{document.id}/approved").status_code == 409


def test_signing_and_checking_work_inside_a_running_event_loop(app, approved):
    """pyHanko's synchronous API calls asyncio.run(); a thread that already runs an event loop (an
    async server worker, or Playwright's sync API earlier in the same test process) made approving
    answer 500. Signing and checking must work there too. The loop runs on a thread of its own, so
    this test does not depend on whether a loop already runs in the test's thread."""
    document, _review = approved
    results: list[tuple[bool, bool]] = []

    async def inside_a_loop() -> tuple[bool, bool]:
        with app.app_context():
            reviewed = store.read_verified(document.storage_path, document.pdf_sha256)
            signed = signing.sign(reviewed, name="Test Consultant", reason="Approved")
            return signing.verify(signed), signing.verify(reviewed)

    thread = threading.Thread(target=lambda: results.append(asyncio.run(inside_a_loop())))
    thread.start()
    thread.join(timeout=60)
    assert results == [(True, False)]


def _make_pair(directory: str, barrier, results) -> None:
    barrier.wait()  # every process asks at the same moment, as a new deployment's first approvals may
    try:
        signing.ensure_keypair(Path(directory) / "key.pem", Path(directory) / "cert.pem")
        results.put("made or found")
    except Exception as error:  # the failure is the finding: report it to the test's process
        results.put(f"{type(error).__name__}: {error}")


def test_processes_asking_for_the_first_key_at_once_all_get_the_same_whole_pair(tmp_path):
    """The web's and the workers' processes share the key's directory; when none exists yet, several may
    ask for it at once. Each used to make its own: all but one failed (the key's exclusive create refused,
    or the key found without its certificate), and their approvals answered 500."""
    context = multiprocessing.get_context("fork")
    for round_ in range(5):
        directory = tmp_path / f"round-{round_}"
        barrier, results = context.Barrier(6), context.Queue()
        processes = [
            context.Process(target=_make_pair, args=(str(directory), barrier, results)) for _ in range(6)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [results.get(timeout=5) for _ in processes] == ["made or found"] * 6
        key = serialization.load_pem_private_key((directory / "key.pem").read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate((directory / "cert.pem").read_bytes())
        assert key.public_key() == cert.public_key()  # the certificate is the key's
        assert (directory / "key.pem").stat().st_mode & 0o077 == 0  # the key is its owner's only
        assert sorted(p.name for p in directory.iterdir()) == ["cert.pem", "key.pem", "key.pem.lock"]
