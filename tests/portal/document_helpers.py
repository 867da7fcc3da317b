"""Helpers of the document tests (tests/portal/test_documents_*.py and the tests of letters, packets,
workers, faults, abuse and fuzz that make documents): worked case 02 typed in through the pages, a
document requested and downloaded as the page does, small real PNG and PDF files, PDF text.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pdfplumber
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select
from weasyprint import HTML
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from portal.documents import assembly, lookups, store
from portal.extensions import db
from portal.models import (
    Case,
    Document,
    ForeignEnterprise,
    Membership,
    Position,
)
from rules.params import load_text
from tests.conftest import Account
from tests.portal.test_cases import ENTERPRISE, PERSON, ROLE
from tests.portal.test_worked_cases import enter

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


def laid_out_text(data: bytes) -> str:
    """The PDF's text as pdfplumber lays its words out, every run of white space one space: a letter's
    prose as it reads (pdf_text reads with pypdf)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in pdf.pages))


def squash(text: str) -> str:
    """Text without any whitespace: a phrase wrapped over two lines is still found."""
    return re.sub(r"\s+", "", text)


def unnumbered(text: str) -> str:
    """A page's squashed text without its page number ("3 / 11", stamped last on every page)."""
    return re.sub(r"\d+/\d+$", "", squash(text))


def max_id(app, model, org_id=None) -> int:
    with app.app_context():
        query = select(func.max(model.id))
        if org_id is not None:
            query = query.where(model.organization_id == org_id)
        return db.session.scalar(query)


def errors(response) -> list[str]:
    return re.findall(r'invalid-feedback d-block">([^<]*)', response.get_data(as_text=True))


def _recorded(app, client, name: str) -> int:
    """The id of the group company ``name`` of the employer signed in on ``client``."""
    with app.app_context():
        ids = db.session.scalars(select(ForeignEnterprise.id).where(ForeignEnterprise.name == name)).all()
    return next(i for i in ids if client.get(f"/group/{i}/edit").status_code == 200)


def create_case(
    app, client, *, enterprise=None, role=None, person=None, job=None, answers=CASE02_ANSWERS
) -> int:
    """Worked case 02 typed in through the pages (group company, role, transferee, job, case,
    answers); ``enterprise``/``role``/``person``/``job`` change some of its fields. Returns the case id."""
    data = {**ENTERPRISE, **(enterprise or {})}
    response = client.post_form("/group/new", data)
    if response.status_code == 302:
        enterprise_id = max_id(app, ForeignEnterprise)
    else:  # recorded by an earlier case of the same employer (a second one of the same name is refused)
        assert "already one of your group companies" in " ".join(errors(response)), errors(response)
        enterprise_id = _recorded(app, client, data["name"])
    response = client.post_form("/roles/new", {**ROLE, **(role or {})})
    assert response.status_code == 302, errors(response)
    position_id = max_id(app, Position)
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
        open_facts = {q["fact"] for q in db.session.get(Case, case_id).assessment_in("en")["questions"]}
    to_answer = {fact: value for fact, value in (answers or {}).items() if fact in open_facts}
    if to_answer:
        response = client.post_form(f"/cases/{case_id}/answers", to_answer)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return case_id


def request_document(client, case_id: int, kind: str = "support_letter", lang: str = "en", **fields):
    """Ask for a document through the page, as the form does; returns the response (302 on success)."""
    return client.post_form(f"/cases/{case_id}/documents", {"kind": kind, "language": lang, **fields})


def refused_requests(client, case_id: int) -> list[str]:
    """Ask for a support letter and a packet of a case that gets none (each refused, 400): the two pages' text."""
    answers = []
    for kind in ("support_letter", "packet"):
        refused = request_document(
            client, case_id, kind, signatory_name="Ada Inventedname", signatory_title="CEO"
        )
        assert refused.status_code == 400, (kind, refused.status_code)
        answers.append(html.unescape(refused.get_data(as_text=True)))
    return answers


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


def requested(
    app, client, case_id: int, kind: str = "support_letter", lang: str = "en", **fields
) -> Document:
    """Ask for a document through the page (``request_document``) and read back the row it made."""
    return get_document(app, document_id_of(request_document(client, case_id, kind, lang, **fields)))


def download(client, document_id: int) -> bytes:
    response = client.get(f"/documents/{document_id}/download")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert "attachment" in disposition and re.search(r'filename=[^;]*\.pdf"?$', disposition), disposition
    return response.get_data()


def stored_bytes(app, document: Document) -> bytes:
    return (Path(app.config["DOCUMENT_STORE"]) / document.storage_path).read_bytes()


WORKED_CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"
WORKED_PASSWORD = "long-enough-password"  # what test_worked_cases.enter() registers with


def enter_worked_case(
    app, name: str, countries: dict[str, str] | None = None, facts: dict[str, dict] | None = None
):
    """A worked case of tests/rules/cases typed in through the services (test_worked_cases.enter):
    returns (case id, the employer's Account, the recommended code). ``countries`` moves the case to
    other countries (``{"US": "PE"}``: every US of the case becomes Peru), for the codes of another agreement;
    ``facts`` changes some of its facts (``{"worker": {"provincial_business_candidate": True}}``)."""

    source = (WORKED_CASES / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in (countries or {}).items():
        source = re.sub(rf"(?<=[-:] ){old}$", new, source, flags=re.M)
    data = load_text(source)
    for section, values in (facts or {}).items():
        data["facts"].setdefault(section, {}).update(values)
    outcome, _snapshot, _on = enter(app, data)

    with app.app_context():
        case = db.session.get(Case, max_id(app, Case))
        membership = db.session.scalars(
            select(Membership).where(Membership.organization_id == case.organization_id)
        ).first()
        account = Account(membership.user_id, f"{name}@example.com", WORKED_PASSWORD, case.organization_id)
        return case.id, account, outcome["recommended"]


def evidence_keys(app, case_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.get(Case, case_id).assessment_in("en")["evidence"])


def evidence_names(app, case_id: int, lang: str) -> list[str]:
    """The evidence items as the checklist names them in ``lang`` (in the order of ``evidence_keys``)."""
    with app.app_context():
        return list(db.session.get(Case, case_id).assessment_in(lang)["evidence"])


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


def plumbed_pages(data: bytes) -> list[str]:
    """Each page's text as pdfplumber reads it (to compare two renders page by page)."""
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        return [page.extract_text() or "" for page in plumber.pages]


def kept_parts(app, document: Document) -> list[str]:
    """The names of the packet parts the document's case keeps (portal/documents/partcache.py), sorted."""
    with app.app_context():
        folder = store.absolute(f"{lookups.folder(document)}/parts")
        return sorted(p.name for p in folder.glob("*.part")) if folder.is_dir() else []


def built_afresh(app, document: Document) -> tuple[bytes, int]:
    """The document's PDF and page count built again in this process from its snapshot, the case's kept
    packet parts removed first: what a render with nothing kept makes (nothing is written)."""
    with app.app_context():
        row = db.session.get_one(Document, document.id)
        for name in kept_parts(app, row):
            store.absolute(f"{lookups.folder(row)}/parts/{name}").unlink()
        with app.test_request_context():
            data, pages = assembly.build_pdf(row)
        db.session.rollback()
        return data, pages
