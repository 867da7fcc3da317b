"""Reads: a case's documents and evidence files, a stored PDF checked against its hash, the logo.

The snapshot builder (content) reads here too, so nothing here imports content.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from functools import cache

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import defer, joinedload, load_only

import rules
from portal.documents import store
from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.messages import N_
from portal.models import (
    AuditEvent,
    Case,
    Document,
    EmploymentRecord,
    EvidenceFile,
    Organization,
    Transferee,
    User,
)


def folder(document: Document) -> str:
    """The document's case's folder in the document store."""
    return case_folder(document.organization_id, document.case_id)


def case_folder(organization_id: int, case_id: int) -> str:
    """A case's folder in the document store: its documents, approved copies and kept packet parts."""
    return f"org-{organization_id}/case-{case_id}"


LETTERHEAD_SAVED = "organization.letterhead"


def remembered_signatory(org: Organization, user: User) -> tuple[str | None, str | None]:
    """The signatory (name, title) the documents form offers ``user`` in ``org``: as they signed their last
    request here, so a title typed once is not asked again; the letterhead's defaults where that request
    left one blank, and when the letterhead was saved since (the owner named another signatory)."""
    # one statement (the documents page's query budget, tests/portal/test_page_queries.py): the person's
    # latest request here, and when the letterhead was saved last
    letterhead_saved = (
        select(func.max(AuditEvent.created_at))
        .where(
            AuditEvent.action == LETTERHEAD_SAVED,
            AuditEvent.object_type == "Organization",
            AuditEvent.object_id == org.id,
        )
        .scalar_subquery()
    )
    # the latest request's id first (ix_documents_organization_requester, read backwards), then the
    # signatory of that one row: sorting the person's documents by id after picking the signatory out of
    # each one's snapshot unpacked every snapshot (11 ms at 48 documents)
    latest = (
        select(func.max(Document.id))
        .where(Document.organization_id == org.id, Document.requested_by_id == user.id)
        .scalar_subquery()
    )
    last = db.session.execute(
        select(
            Document.snapshot[("letter", "signatory")].label("signatory"),
            Document.created_at,
            letterhead_saved.label("letterhead_saved"),
        ).where(Document.id == latest)
    ).first()
    if last is None or not isinstance(last.signatory, dict):
        return org.signatory_name, org.signatory_title
    if last.letterhead_saved is not None and last.letterhead_saved >= last.created_at:
        return org.signatory_name, org.signatory_title
    return (
        last.signatory.get("name") or org.signatory_name,
        last.signatory.get("title") or org.signatory_title,
    )


def logo_data_uri(org: Organization) -> str | None:
    if not org.logo_path:
        return None
    data = store.absolute(org.logo_path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode()


def load_for_letter(case: Case) -> None:
    """What a letter reads of its case — the position, the group company chosen on the case, the worker
    and the worker's jobs abroad with their companies — in one statement, where each was a lazy load of
    its own (four round trips in every document request). What the session holds already stays as it is."""
    db.session.execute(
        select(Case)
        .where(Case.id == case.id)
        .options(
            load_only(Case.id),  # the case itself is loaded: not its assessment's kB of JSON again
            joinedload(Case.position),
            joinedload(Case.foreign_enterprise),
            joinedload(Case.transferee)
            .joinedload(Transferee.employment)
            .joinedload(EmploymentRecord.foreign_enterprise),
        )
    ).unique().all()


@cache
def _evidence_of_case() -> Select[tuple[EvidenceFile]]:
    return (
        select(EvidenceFile)
        .where(EvidenceFile.case_id == bindparam("case_id", type_=Integer))
        .order_by(EvidenceFile.id)
    )


def evidence_of(case: Case) -> list[EvidenceFile]:
    """The case's evidence files in the checklist's order (its items as the assessment lists them), then in
    the order they were added: the annexes B, C, ... of the letter and the packet follow the checklist,
    not the day each file was uploaded (the documents page's statement, built once)."""
    files = list(db.session.scalars(_evidence_of_case(), {"case_id": case.id}))
    if len(files) > 1:
        order = {item: i for i, item in enumerate(case.assessment_in("en").get("evidence") or [])}
        files.sort(key=lambda f: (order.get(rules.evidence_item_of(f.item, order) or "", len(order)), f.id))
    return files


@cache
def _documents_of_case() -> Select[tuple[Document]]:
    return (
        select(Document)
        .where(Document.case_id == bindparam("case_id", type_=Integer))
        .options(defer(Document.snapshot))  # the list never reads the frozen input
        .order_by(Document.kind, Document.version.desc())
    )


def documents_of(case: Case) -> list[Document]:
    """Every version of the case's documents, by kind, newest first (its statement built once)."""
    return list(db.session.scalars(_documents_of_case(), {"case_id": case.id}))


def read_verified(document: Document, sha256: str | None = None) -> bytes:
    """The stored PDF, after checking it still matches its recorded hash (or ``sha256``, the hash a
    reviewer saw); DocumentError when it is missing or does not match."""
    expected = document.pdf_sha256 if sha256 is None else sha256
    try:
        if document.storage_path is None or expected is None:  # not rendered: nothing to check against
            raise FileNotFoundError(f"document {document.id} has no stored file")
        return store.read_verified(document.storage_path, expected)
    except (OSError, store.StoredFileMismatch) as exc:
        raise DocumentError(N_("The stored file does not match its recorded fingerprint.")) from exc


# The words of a document's file name in the document's language: what it is, and the mark of the copy a
# consultant approved ("lettre-d-appui", "approuvee": a French letter is not named "support-letter")
KIND_WORDS = {
    "en": {"support_letter": "support-letter", "packet": "offer-packet"},
    "fr": {"support_letter": "lettre-d-appui", "packet": "dossier-de-l-offre"},
}
APPROVED_WORDS = {
    "en": {"support_letter": "approved", "packet": "approved"},
    "fr": {"support_letter": "approuvee", "packet": "approuve"},  # une lettre, un dossier
}


def download_name(document: Document, *, approved: bool = False) -> str:
    """The PDF's file name: the worker, the code, what the document is, its version and language, in
    the words of the document's language (``approved``: the copy a consultant approved)."""
    letter = document.snapshot["letter"]
    person = letter["worker"]["family_name"] or "worker"
    lang = document.language if document.language in KIND_WORDS else "en"
    kind = KIND_WORDS[lang][document.kind]
    mark = f"-{APPROVED_WORDS[lang][document.kind]}" if approved else ""
    safe = "".join(
        ch if ch.isalnum() else "-"
        for ch in f"{person}-{letter['code']}-{kind}-v{document.version}-{document.language}{mark}"
    )
    # one hyphen between words: "St. John" or "O' Neil" is "st-john", "o-neil", not "st--john"
    return re.sub(r"-{2,}", "-", safe).strip("-").lower() + ".pdf"


# The endings an evidence file may keep, by what its content was found to be (uploads.sniff); the first
# is given to a name without one of them.
EVIDENCE_EXTENSIONS = {"pdf": ("pdf",), "png": ("png",), "jpeg": ("jpg", "jpeg")}


# What an evidence file's name may hold, extension included (EvidenceFile.filename).
EVIDENCE_NAME_MAX = 200


def evidence_download_name(evidence: EvidenceFile) -> str:
    """The name an evidence file is saved under: ``clean_evidence_name`` of the name it was uploaded
    with (a file uploaded before names were cleaned at upload still comes out clean)."""
    return clean_evidence_name(evidence.filename, evidence.content_type)


def clean_evidence_name(filename: str | None, content_type: str) -> str:
    """An uploaded file's name as the portal keeps, shows and saves it: the last part of the path, without
    control or direction characters (C0 and C1 controls, bidi overrides and isolates, every Unicode "C"
    category), in NFC, ending as what the file is, at most ``EVIDENCE_NAME_MAX`` characters with its
    ending kept. The name is the uploader's: a PDF uploaded as ``proof.html`` (a PDF may carry HTML in its
    comments) was saved as ``proof.html`` by the reader (the owner, a consultant), which the computer then
    opened as a web page; ``..\\..`` and a right-to-left override (``cod.exe`` shown backwards) went into
    the name as well, and into the database and the pages."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = unicodedata.normalize("NFC", name).strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    allowed = EVIDENCE_EXTENSIONS.get(content_type, ("bin",))
    stem = stem.strip(" .") or "evidence"
    if extension.lower() not in allowed:
        extension = allowed[0]
    return f"{stem[: EVIDENCE_NAME_MAX - len(extension) - 1].rstrip(' .') or 'evidence'}.{extension}"
