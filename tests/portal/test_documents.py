"""Documents (support letters and offer-submission packets): rendering, safety of user text in
WeasyPrint, isolation, uploads, versions, failures and reuse of a ready letter (PostgreSQL).

These tests use the default apps, whose Celery runs tasks in-process (eager): the request that
asks for a document renders it. tests/portal/test_documents_worker.py does the same with a real
worker process on Redis, killed workers and a broker that is down.
"""

from __future__ import annotations

import gc
import io
import re
import threading
from datetime import date
from hashlib import sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader
from sqlalchemy import func, select, update
from weasyprint import HTML
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from portal.documents import pdf, requests
from portal.documents.pdf import ASSETS, FetchRefused, SafeURLFetcher
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    Document,
    EvidenceFile,
    ForeignEnterprise,
    Membership,
    Organization,
    Position,
    Transferee,
    User,
)
from tests.conftest import Account
from tests.helpers import count
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE
from tests.portal.test_worked_cases import enter
from workers.tasks.documents import render_document, warm_renderer

# Worked case 02 (tests/portal/test_cases.py, tests/browser/test_case_flow.py): an intra-company
# transfer of an executive from the US parent, which gives T37 once these questions are answered
# (its group company, role and person are test_cases.py's ENTERPRISE, ROLE and PERSON).
JOB = {"capacity": "executive", "job_title": "VP Operations", "start_date": "2022-01-10", "full_time": "y"}
CASE02_ANSWERS = {
    "employer.actively_engaged": "yes",
    "employer.physical_premises": "yes",
    "employer.start_up": "no",
    "worker.retains_position_abroad": "yes",
    "worker.position_abroad_letter": "yes",
}
EMPLOYER_NAME = "Maple Invented Analytics Ltd."


# ------------------------------------------------------------------------------------ helpers
def png_bytes(size=(120, 60), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 2, text: str = "Evidence page") -> bytes:
    """A small real PDF (WeasyPrint), ``pages`` pages long."""

    body = "".join(f'<p style="page-break-after: always">{text} {i + 1}</p>' for i in range(pages - 1))
    return HTML(string=f"<html><body>{body}<p>{text} {pages}</p></body></html>").write_pdf()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    """Text without any whitespace: a phrase wrapped over two lines is still found."""
    return re.sub(r"\s+", "", text)


def unnumbered(text: str) -> str:
    """A page's squashed text without its page number ("3 / 11", stamped last on every page)."""
    return re.sub(r"\d+/\d+$", "", squash(text))


def _max_id(app, model, org_id=None) -> int:
    with app.app_context():
        query = select(func.max(model.id))
        if org_id is not None:
            query = query.where(model.organization_id == org_id)
        return db.session.scalar(query)


def errors(response) -> list[str]:
    return re.findall(r'invalid-feedback d-block">([^<]*)', response.get_data(as_text=True))


def create_case(
    app, client, *, enterprise=None, role=None, person=None, job=None, answers=CASE02_ANSWERS
) -> int:
    """Worked case 02 typed in through the pages (group company, role, transferee, job, case,
    answers); ``enterprise``/``role``/``person``/``job`` change some of its fields. Returns the case id."""
    response = client.post_form("/group/new", {**ENTERPRISE, **(enterprise or {})})
    assert response.status_code == 302, errors(response)
    enterprise_id = _max_id(app, ForeignEnterprise)
    response = client.post_form("/roles/new", {**ROLE, **(role or {})})
    assert response.status_code == 302, errors(response)
    position_id = _max_id(app, Position)
    response = client.post_form("/transferees/new", {**PERSON, **(person or {})})
    assert response.status_code == 302, errors(response)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {**JOB, "foreign_enterprise_id": str(enterprise_id), **(job or {})},
    )
    assert response.status_code == 302, errors(response)
    response = client.post_form(
        "/cases/new", {"transferee_id": str(transferee_id), "position_id": str(position_id)}
    )
    assert response.status_code == 302, errors(response)
    case_id = int(response.location.rstrip("/").split("/")[-1].split("#")[0])

    with app.app_context():
        open_facts = {q["fact"] for q in db.session.get(Case, case_id).assessment["en"]["questions"]}
    to_answer = {fact: value for fact, value in (answers or {}).items() if fact in open_facts}
    if to_answer:
        response = client.post_form(f"/cases/{case_id}/answers", to_answer)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return case_id


def request_document(client, case_id: int, kind: str = "support_letter", lang: str = "en", **fields):
    """Ask for a document through the page, as the form does; returns the response (302 on success)."""
    return client.post_form(f"/cases/{case_id}/documents", {"kind": kind, "language": lang, **fields})


def document_id_of(response) -> int:
    assert response.status_code == 302, errors(response) or response.get_data(as_text=True)[:1000]
    match = re.search(r"#document-(\d+)$", response.location)
    assert match, response.location
    return int(match.group(1))


def get_document(app, document_id: int) -> Document:
    with app.app_context():
        document = db.session.get(Document, document_id)
        db.session.expunge(document)
        return document


def download(client, document_id: int) -> bytes:
    response = client.get(f"/documents/{document_id}/download")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert "attachment" in disposition and re.search(r'filename=[^;]*\.pdf"?$', disposition), disposition
    return response.get_data()


def stored_bytes(app, document: Document) -> bytes:
    return (Path(app.config["DOCUMENT_STORE"]) / document.storage_path).read_bytes()


@pytest.fixture
def owner(make_employer, client, login):
    account = make_employer(legal_name=EMPLOYER_NAME)
    login(client, account)
    return account


WORKED_CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"
WORKED_PASSWORD = "long-enough-password"  # what test_worked_cases.enter() registers with


def enter_worked_case(app, name: str):
    """A worked case of tests/rules/cases typed in through the services (test_worked_cases.enter):
    returns (case id, the employer's Account, the recommended code)."""

    data = yaml.safe_load((WORKED_CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    outcome, _snapshot, _on = enter(app, data)

    with app.app_context():
        case = db.session.get(Case, _max_id(app, Case))
        membership = db.session.scalars(
            select(Membership).where(Membership.organization_id == case.organization_id)
        ).first()
        account = Account(membership.user_id, f"{name}@example.com", WORKED_PASSWORD, case.organization_id)
        return case.id, account, outcome["recommended"]


def evidence_keys(app, case_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.get(Case, case_id).assessment["en"]["evidence"])


def post_files(client, url: str, fields: dict, files: dict):
    """A multipart POST built in memory (werkzeug's test client spools big bodies to a temp file it
    never closes, which filterwarnings=error turns into a failure)."""

    values = {
        "csrf_token": client.csrf_token(),
        **fields,
        **{
            name: FileStorage(io.BytesIO(data), filename=filename) for name, (data, filename) in files.items()
        },
    }
    stream, _length, boundary = stream_encode_multipart(values, use_tempfile=False)
    with stream:
        return client.post(url, data=stream.read(), content_type=f"multipart/form-data; boundary={boundary}")


def upload(client, case_id: int, item: str, data: bytes, filename: str):
    return post_files(client, f"/cases/{case_id}/evidence", {"item": item}, {"file": (data, filename)})


def image_xobjects(data: bytes, page: int = 0) -> list:
    """The image XObjects drawn on a page of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    resources = reader.pages[page].get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    found = []
    for ref in xobjects.values():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            found.append(obj)
        elif obj.get("/Subtype") == "/Form":  # WeasyPrint may wrap images in a form XObject
            inner = (obj.get("/Resources") or {}).get("/XObject") or {}
            found += [r.get_object() for r in inner.values() if r.get_object().get("/Subtype") == "/Image"]
    return found


# ------------------------------------------------------------------------------------ content
def test_letter_and_packet_carry_the_case_and_the_packet_appends_the_letter(app, client, owner):
    case_id = create_case(app, client)
    letter_id = document_id_of(request_document(client, case_id, "support_letter"))
    packet_id = document_id_of(request_document(client, case_id, "packet"))
    letter, packet = get_document(app, letter_id), get_document(app, packet_id)
    assert (letter.status, packet.status) == ("ready", "ready"), (letter.error, packet.error)

    letter_pdf = download(client, letter_id)
    assert letter_pdf.startswith(b"%PDF") and letter_pdf == stored_bytes(app, letter)

    assert sha256(letter_pdf).hexdigest() == letter.pdf_sha256 and len(letter_pdf) == letter.size_bytes
    letter_text = pdf_text(letter_pdf)
    for expected in (
        EMPLOYER_NAME,
        "Avery Inventedname",
        "T37",
        "$95.00 per hour",
        "Dear Officer",
        ENTERPRISE["name"],
        "Vice-President, Operations Canada",
    ):
        assert expected in letter_text, expected
    assert len(PdfReader(io.BytesIO(letter_pdf)).pages) == letter.page_count

    packet_pdf = download(client, packet_id)
    assert packet_pdf == stored_bytes(app, packet) and sha256(packet_pdf).hexdigest() == packet.pdf_sha256
    reader = PdfReader(io.BytesIO(packet_pdf))
    assert len(reader.pages) == packet.page_count
    pages = [p.extract_text() or "" for p in reader.pages]
    body = "\n".join(pages[: packet.page_count - letter.page_count])
    for expected in (
        "Offer-submission packet",
        "Contents",
        "Employer Portal data sheet",
        "Pre-checks before filing",
        "Evidence checklist",
        f"Annex A — Support letter ({letter.page_count} pages)",
        EMPLOYER_NAME,
        "Avery Inventedname",
        "T37",
        "Wage (hourly) $95.00 per hour",
        "X1234567",
    ):
        assert expected in body, expected
    # The support letter is appended: the packet's last pages are the letter's pages.
    appended = pages[packet.page_count - letter.page_count :]
    assert [unnumbered(t) for t in appended] == [
        unnumbered(p.extract_text() or "") for p in PdfReader(io.BytesIO(letter_pdf)).pages
    ]
    assert "Dear Officer" in appended[0] and "Dear Officer" not in body
    # Cited items (obligations, criteria) wrap normally: WeasyPrint 70 broke "Do not charge ..." after
    # "Do" when the space before the citation was outside its span.
    lonely = [
        line for line in (body + "\n" + letter_text).splitlines() if re.fullmatch(r"\s*•?\s*\S{1,3}\s*", line)
    ]
    assert not [line for line in lonely if line.strip() not in ("•", "T37", "Job", "Fee")], lonely


def test_a_render_is_the_same_from_any_stack_depth_and_errors_still_propagate():
    renderer = pdf.renderer()
    html = (
        "<html><body><h1>Depth</h1>"
        + "<p>Text é à ç, long enough to wrap across the line.</p>" * 40
        + "</body></html>"
    )

    def at_depth(k, fn):
        return fn() if k == 0 else at_depth(k - 1, fn)

    shallow, deep = renderer.render(html), at_depth(300, lambda: renderer.render(html))
    assert shallow[1] == deep[1] >= 1
    assert squash(pdf_text(shallow[0])) == squash(pdf_text(deep[0]))
    assert pdf._in_roomy_stack.__code__.co_stacksize == pdf.ROOMY_STACK_SLOTS

    def boom():
        raise LookupError("raised inside the roomy frame")

    with pytest.raises(LookupError, match="roomy frame"):
        at_depth(50, lambda: pdf._in_roomy_stack(boom))


def test_a_render_collects_its_garbage_in_one_pass_and_leaves_the_collector_as_it_found_it():
    renderer = pdf.renderer()
    html = (
        "<html><body>" + "<table><tr><th>Field</th><td>Value é à ç</td></tr></table>" * 30 + "</body></html>"
    )
    renderer.render(html)  # first-use caches
    passes = []

    def count(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        pdf_bytes, pages = renderer.render(html)
        assert pages >= 1 and pdf_bytes.startswith(b"%PDF")
        assert passes == [0]  # no automatic pass during the render, one young-generation pass at its end
        assert gc.isenabled()
        assert gc.get_count()[0] < 50  # the render's objects are not left for a later pass

        passes.clear()
        with pytest.raises(LookupError), pdf._one_collection_per_render():
            raise LookupError("raised during a render")
        assert gc.isenabled() and passes == [0]

        gc.disable()  # a caller that manages collection itself keeps it off
        passes.clear()
        renderer.render(html)
        assert not gc.isenabled() and passes == []
    finally:
        gc.enable()
        gc.callbacks.remove(count)


def test_a_professional_and_a_francophone_letter_make_their_own_argument(app):
    for name, code, expected, noc_en, noc_fr in [
        (
            "case01-us-civil-engineer",
            "T36",
            "The profession and the credentials",
            "Civil engineers",
            "Ingénieurs civils/ingénieures civiles",
        ),
        ("case22-francophone-cook", "C16", "French ability", "Cooks", "Cuisiniers/cuisinières"),
    ]:
        case_id, account, recommended = enter_worked_case(app, name)
        assert recommended == code
        client = app.test_client()
        client.post_form("/login", {"email": account.email, "password": account.password})
        document = get_document(app, document_id_of(request_document(client, case_id, "support_letter")))
        assert document.status == "ready", document.error
        text = pdf_text(download(client, document.id))
        assert code in text and expected in text and squash(f"Invented {name}") in squash(text)
        assert "(citizenship:" in squash(text) and "citizen of United" not in text
        assert noc_en in text
        # The same letter in French uses the French names of the classification (CNP, FEER).
        french = get_document(
            app, document_id_of(request_document(client, case_id, "support_letter", lang="fr"))
        )
        text = pdf_text(download(client, french.id))
        assert "Madame, Monsieur," in text and "(citoyenneté:" in squash(text)
        assert "CNP2021" in squash(text) and "FEER" in text and "TEER" not in text
        # ... and the CNP 2021 title of the unit group (Statistics Canada), not the English one
        assert squash(noc_fr) in squash(text) and noc_en not in text


# ------------------------------------------------------------------------------------ SSRF / file read
class _Recorder(BaseHTTPRequestHandler):
    hits: list[str]  # each server gets its own list (the recorder fixture)

    def do_GET(self):
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    """A tiny HTTP server on 127.0.0.1 that records every request it gets."""
    handler = type("Recorder", (_Recorder,), {"hits": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.hits = handler.hits
    yield server
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def payload(port: int, tag: str, index: int) -> str:
    """A different attack in each field, tagged so each is found in the PDF text."""
    attacks = [
        f'<img src="http://127.0.0.1:{port}/{tag}">',
        '<link rel=stylesheet href="file:///etc/passwd">',
        "<style>body{background:url(file:///etc/passwd)}</style>",
        "<iframe src=file:///etc/passwd>",
        f'<object data="http://127.0.0.1:{port}/{tag}-object">',
        f'<svg><image href="http://127.0.0.1:{port}/{tag}-svg"/></svg>',
    ]
    return f"{tag.upper()} " + attacks[index % len(attacks)]


def test_user_text_in_documents_never_fetches_a_url_or_reads_a_file(
    app, client, make_employer, login, recorder
):
    port = recorder.server_port
    p = {
        name: payload(port, name, i)
        for i, name in enumerate(
            (
                "org",
                "company",
                "title",
                "duties",
                "street",
                "city",
                "given",
                "family",
                "profession",
                "field",
                "proof",
                "jobabroad",
                "signer",
                "signertitle",
            )
        )
    }
    # Every attack is used at least once.
    for marker in (
        "<img src=",
        "<link rel=stylesheet",
        "url(file:///etc/passwd)",
        "<iframe src=file:///etc/passwd>",
    ):
        assert any(marker in v for v in p.values()), marker
    account = make_employer(legal_name=p["org"])
    login(client, account)
    case_id = create_case(
        app,
        client,
        enterprise={"name": p["company"]},
        role={
            "title": p["title"],
            "duties": p["duties"] + " url(file:///etc/passwd) <iframe src=file:///etc/passwd>",
            "street_address": p["street"],
            "city": p["city"][:100],
        },
        person={
            "given_names": p["given"],
            "family_name": p["family"],
            "profession": p["profession"],
            "education_field": p["field"],
            "language_proof": p["proof"],
        },
        job={"job_title": p["jobabroad"]},
    )
    signatory = {"signatory_name": p["signer"], "signatory_title": p["signertitle"]}
    letter = get_document(
        app, document_id_of(request_document(client, case_id, "support_letter", **signatory))
    )
    packet = get_document(app, document_id_of(request_document(client, case_id, "packet", **signatory)))
    assert (letter.status, packet.status) == ("ready", "ready"), (letter.error, packet.error)
    letter_text, packet_text = pdf_text(download(client, letter.id)), pdf_text(download(client, packet.id))

    # The T36 and C16 letters print the profession, the field of study and the language proof.

    others = []
    for name in ("case01-us-civil-engineer", "case22-francophone-cook"):
        other_case, other_account, _code = enter_worked_case(app, name)
        with app.app_context():
            person = db.session.get(Transferee, db.session.get(Case, other_case).transferee_id)
            person.profession, person.education_field, person.language_proof = (
                p["profession"],
                p["field"],
                p["proof"],
            )
            db.session.commit()
        other = app.test_client()
        other.post_form("/login", {"email": other_account.email, "password": other_account.password})
        document = get_document(
            app, document_id_of(request_document(other, other_case, "support_letter", **signatory))
        )
        assert document.status == "ready", document.error
        others.append(pdf_text(download(other, document.id)))

    assert recorder.hits == [], "WeasyPrint fetched a URL from user text"
    everything = squash(letter_text + packet_text + "".join(others))
    for text in (letter_text, packet_text, *others):
        assert "root:x:0:0" not in text and "/bin/bash" not in text and "nologin" not in text
    # The payloads are printed as text, literally.
    in_letter = (
        "org",
        "company",
        "title",
        "duties",
        "street",
        "city",
        "given",
        "family",
        "jobabroad",
        "signer",
        "signertitle",
    )
    for name in in_letter:
        assert squash(p[name][:100] if name == "city" else p[name]) in squash(letter_text), name
    for name in ("org", "title", "duties", "street", "given", "family"):
        assert squash(p[name]) in squash(packet_text), name
    assert squash(p["profession"]) in squash(others[0]) and squash(p["field"]) in squash(others[0])
    assert squash(p["proof"]) in squash(others[1])
    assert (
        "<imgsrc=" in everything
        and "<linkrel=stylesheet" in everything
        and "url(file:///etc/passwd)" in everything
    )


def test_the_url_fetcher_serves_only_data_uris_and_the_bundled_assets(recorder):
    fetcher = SafeURLFetcher()
    port = recorder.server_port
    for url in (
        f"http://127.0.0.1:{port}/x",
        f"https://127.0.0.1:{port}/x",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        ASSETS.as_uri() + "/../../../../../../etc/passwd",
        ASSETS.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:70/x",
        "/etc/passwd",
    ):
        with pytest.raises((FetchRefused, ValueError)):
            fetcher.fetch(url)
    assert recorder.hits == []
    response = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"
    response.close()
    bundled = next(p for p in ASSETS.iterdir() if p.is_file())
    response = fetcher.fetch(bundled.as_uri())
    assert response.read() == bundled.read_bytes()
    response.close()


# ------------------------------------------------------------------------------------ isolation
def test_another_organization_gets_404_on_every_document_url(app, client, owner, make_employer, login):
    case_id = create_case(app, client)
    document_id = document_id_of(request_document(client, case_id, "support_letter"))
    item = evidence_keys(app, case_id)[0]
    assert upload(client, case_id, item, pdf_bytes(1), "proof.pdf").status_code == 302
    evidence_id = _max_id(app, EvidenceFile)

    outsider = app.test_client()
    login(outsider, make_employer(legal_name="Someone Else Inc."))
    assert outsider.get(f"/cases/{case_id}/documents").status_code == 404
    assert request_document(outsider, case_id, "packet").status_code == 404
    assert outsider.get(f"/documents/{document_id}/status").status_code == 404
    assert outsider.get(f"/documents/{document_id}/download").status_code == 404
    assert outsider.post_form(f"/documents/{document_id}/retry").status_code == 404
    assert upload(outsider, case_id, item, pdf_bytes(1), "proof.pdf").status_code == 404
    assert outsider.post_form(f"/evidence/{evidence_id}/remove").status_code == 404
    # Nothing changed.
    assert count(app, Document) == 1 and count(app, EvidenceFile) == 1
    assert client.get(f"/documents/{document_id}/status").get_json()["status"] == "ready"


# ------------------------------------------------------------------------------------ uploads
def evidence_files(app) -> list[Path]:
    return [p for p in Path(app.config["DOCUMENT_STORE"]).rglob("*") if p.is_file() and "evidence" in p.parts]


def test_bad_evidence_is_refused_with_a_message_and_writes_nothing(app, client, owner):
    case_id = create_case(app, client)
    item = evidence_keys(app, case_id)[0]
    bad = [
        (b"just some text, not a PDF\n" * 10, "letter.pdf", "Only PDF, PNG and JPEG files are accepted"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 100, "photo.png", "The image could not be read."),
        (b"\xff\xd8\xff\xe0" + b"garbage" * 100, "photo.jpg", "The image could not be read."),
        (b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "big.pdf", "The file is larger than 10 MB."),
        (b"", "empty.pdf", "The file is empty."),
    ]
    for data, filename, message in bad:
        response = upload(client, case_id, item, data, filename)
        assert response.status_code == 400, filename
        assert message in " ".join(errors(response)), (filename, errors(response))
    response = upload(client, case_id, "not an item of the checklist", pdf_bytes(1), "ok.pdf")
    assert response.status_code == 400
    assert count(app, EvidenceFile) == 0 and evidence_files(app) == []
    assert "attached</span>" not in client.get(f"/cases/{case_id}/documents").get_data(as_text=True)


def test_good_evidence_is_attached_and_the_packet_appends_it(app, client, owner):
    case_id = create_case(app, client)
    before = get_document(app, document_id_of(request_document(client, case_id, "packet")))
    assert before.status == "ready", before.error
    keys = evidence_keys(app, case_id)
    assert len(keys) >= 2
    assert (
        upload(client, case_id, keys[0], pdf_bytes(2, "Evidence document"), "contract.pdf").status_code == 302
    )
    assert upload(client, case_id, keys[1], png_bytes((400, 300)), "org-chart.png").status_code == 302
    assert count(app, EvidenceFile) == 2 and len(evidence_files(app)) == 2
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert page.count('badge text-bg-success">attached</span>') == 2
    assert "contract.pdf" in page and "org-chart.png" in page

    after = get_document(app, document_id_of(request_document(client, case_id, "packet")))
    assert after.status == "ready", after.error
    assert after.page_count == before.page_count + 3  # two PDF pages and the image on its own page
    data = download(client, after.id)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == after.page_count
    text = squash(pdf_text(data))
    assert squash(f"{keys[0]} attached") in text and squash(f"{keys[1]} attached") in text
    assert "contract.pdf" in text and "org-chart.png" in text
    assert (reader.pages[-3].extract_text() or "").strip().startswith("Evidence document 1")
    assert image_xobjects(data, len(reader.pages) - 1), "the PNG is drawn on the last page"
    old = squash(pdf_text(download(client, before.id)))
    assert squash(f"{keys[1]} missing") in old  # the first version is unchanged

    # Removing a file takes it off the checklist; the next packet no longer appends it.
    assert client.post_form(f"/evidence/{_max_id(app, EvidenceFile)}/remove").status_code == 302
    assert count(app, EvidenceFile) == 1
    third = get_document(app, document_id_of(request_document(client, case_id, "packet")))
    assert third.page_count == before.page_count + 2


def test_letterhead_logo_must_be_an_image_and_is_reencoded_into_the_letter(app, client, owner):
    case_id = create_case(app, client)
    plain = download(client, document_id_of(request_document(client, case_id, "support_letter")))
    assert image_xobjects(plain) == []

    for data, filename, message in [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "must be a PNG or JPEG"),
        (b"%PDF-1.7 not an image", "logo.png", "must be a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"x" * 200, "logo.png", "could not be read"),
    ]:
        response = post_files(client, "/org/letterhead", {"signatory_name": "A"}, {"logo": (data, filename)})
        assert response.status_code == 400 and message in " ".join(errors(response)), errors(response)
    with app.app_context():
        assert db.session.get(Organization, owner.org_id).logo_path is None

    info = PngInfo()
    info.add_text("Comment", "hidden-metadata-marker")
    out = io.BytesIO()
    Image.new("RGB", (1600, 400), (11, 61, 145)).save(out, format="PNG", pnginfo=info)
    response = post_files(
        client,
        "/org/letterhead",
        {"signatory_name": "Dana Signer", "signatory_title": "CEO"},
        {"logo": (out.getvalue(), "logo.png")},
    )
    assert response.status_code == 302, errors(response)
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        stored = (Path(app.config["DOCUMENT_STORE"]) / org.logo_path).read_bytes()
    assert stored != out.getvalue() and b"hidden-metadata-marker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size == (800, 200)

    letter = download(client, document_id_of(request_document(client, case_id, "support_letter")))
    images = image_xobjects(letter)
    assert images and (images[0]["/Width"], images[0]["/Height"]) == (800, 200)
    text = pdf_text(letter)  # the letterhead's signatory signs when the request leaves the name blank
    assert "Dana Signer\nCEO\n" in text


# ------------------------------------------------------------------------------------ versions, status, failure
def test_each_request_is_a_new_version_and_old_ones_stay_downloadable(app, client, owner):
    case_id = create_case(app, client)
    first = get_document(app, document_id_of(request_document(client, case_id, "support_letter")))
    client.post_form("/roles/1/edit", {**ROLE, "wage_amount": "97"})  # the case changes between versions
    second = get_document(app, document_id_of(request_document(client, case_id, "support_letter")))
    assert (first.version, second.version) == (1, 2) and first.id != second.id
    one, two = download(client, first.id), download(client, second.id)
    assert one != two and "$95.00 per hour" in pdf_text(one) and "$97.00 per hour" in pdf_text(two)
    names = [
        client.get(f"/documents/{d.id}/download").headers["Content-Disposition"] for d in (first, second)
    ]
    assert "inventedname-t37-support-letter-v1-en.pdf" in names[0] and "-v2-en.pdf" in names[1]
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert (
        page.count('class="btn btn-sm btn-primary doc-download"') == 2 and ">v1<" in page and ">v2<" in page
    )
    # A packet has its own numbering.
    packet = get_document(app, document_id_of(request_document(client, case_id, "packet", lang="fr")))
    assert packet.version == 1 and packet.language == "fr"


def _queued_document(app, case_id: int, user_id: int, kind="support_letter") -> int:
    """A document requested the way the view does it, before the render task is sent."""

    with app.test_request_context():
        case = db.session.get(Case, case_id)
        document = requests.request_document(
            case,
            db.session.get(Organization, case.organization_id),
            kind=kind,
            lang="en",
            actor=db.session.get(User, user_id),
            on=date.today(),
        )
        db.session.commit()
        return document.id


def test_status_moves_from_queued_to_ready(app, client, owner):
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id)
    status = client.get(f"/documents/{document_id}/status").get_json()
    assert status["status"] == "queued" and status["download"] is None and status["pages"] is None
    assert client.get(f"/documents/{document_id}/download").status_code == 409
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert f'data-status-url="/documents/{document_id}/status" data-status="queued"' in page
    with app.app_context():
        assert render_document.delay(document_id).get() == "rendered"
        assert render_document.delay(document_id).get() == "skipped"  # a second run is a no-op
    status = client.get(f"/documents/{document_id}/status").get_json()
    document = get_document(app, document_id)
    assert status["status"] == "ready" and status["download"] == f"/documents/{document_id}/download"
    assert status["pages"] == document.page_count and status["sha256"] == document.pdf_sha256
    assert document.attempts == 1 and download(client, document_id).startswith(b"%PDF")


def test_a_failed_document_shows_its_error_and_retry_renders_it_again(app, client, owner):
    case_id = create_case(app, client)
    document_id = _queued_document(app, case_id, owner.user_id, kind="packet")
    with app.app_context():
        good = db.session.get(Document, document_id).snapshot
        db.session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(snapshot={"kind": "packet", "letter": {"lang": "en"}})
        )
        db.session.commit()
        assert render_document.delay(document_id).get() == "failed"
    status = client.get(f"/documents/{document_id}/status").get_json()
    assert status["status"] == "failed" and "KeyError" in status["error"]
    assert status["retry"] == f"/documents/{document_id}/retry" and status["download"] is None
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert 'text-bg-danger">failed</span>' in page and f'action="/documents/{document_id}/retry"' in page
    assert client.get(f"/documents/{document_id}/download").status_code == 409
    assert list(Path(app.config["DOCUMENT_STORE"]).rglob(f"doc-{document_id}-*")) == []

    with app.app_context():  # whatever broke is fixed; the user retries
        db.session.execute(update(Document).where(Document.id == document_id).values(snapshot=good))
        db.session.commit()
    response = client.post_form(f"/documents/{document_id}/retry")
    assert response.status_code == 302 and response.location.endswith(f"#document-{document_id}")
    document = get_document(app, document_id)
    assert document.status == "ready" and document.error is None and document.attempts == 1
    assert download(client, document_id).startswith(b"%PDF")
    # Only a failed document can be retried.
    response = client.post_form(f"/documents/{document_id}/retry", follow_redirects=True)
    assert "Only a failed document can be retried." in response.get_data(as_text=True)
    assert get_document(app, document_id).status == "ready"
    # Failure, retry and success are in the organization's audit log.

    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_id == document_id, AuditEvent.object_type == "Document"
            )
        ).all()
        org_id = db.session.get(Document, document_id).organization_id
    by_action = {e.action: e.organization_id for e in events}
    assert {k: by_action.get(k) for k in ("document.failed", "document.retried", "document.ready")} == {
        "document.failed": org_id,
        "document.retried": org_id,
        "document.ready": org_id,
    }


# ------------------------------------------------------------------------------------ reuse
def test_a_packet_reuses_the_ready_letter_of_the_same_snapshot(app, client, owner):
    case_id = create_case(app, client)
    letter = get_document(app, document_id_of(request_document(client, case_id, "support_letter")))
    packet = get_document(app, document_id_of(request_document(client, case_id, "packet")))
    assert packet.status == "ready" and packet.reused_letter_id == letter.id
    letter_pdf = download(client, letter.id)
    reader = PdfReader(io.BytesIO(download(client, packet.id)))
    appended = reader.pages[packet.page_count - letter.page_count :]
    assert [unnumbered(p.extract_text()) for p in appended] == [
        unnumbered(p.extract_text()) for p in PdfReader(io.BytesIO(letter_pdf)).pages
    ]
    # Another signatory or language is another letter: nothing to reuse.
    other = get_document(
        app, document_id_of(request_document(client, case_id, "packet", signatory_name="Someone Else"))
    )
    french = get_document(app, document_id_of(request_document(client, case_id, "packet", lang="fr")))
    assert other.status == french.status == "ready"
    assert other.reused_letter_id is None and french.reused_letter_id is None
    assert "Someone Else" in pdf_text(download(client, other.id))
    french_text = pdf_text(download(client, french.id))
    assert "Fiche de données pour le Portail des employeurs" in french_text
    assert "FEER" in french_text and "TEER" not in french_text


def test_a_worker_process_warms_the_renderer_and_freezes_its_long_lived_objects():
    gc.unfreeze()
    try:
        warm_renderer()
        assert (
            gc.get_freeze_count() > 10_000
        )  # the app, WeasyPrint and the renderer, out of the collector's reach
        assert pdf.renderer().render("<p>ok</p>")[1] == 1
    finally:
        gc.unfreeze()
