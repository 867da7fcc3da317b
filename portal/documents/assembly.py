"""The PDF of a document, made from its snapshot only, in the document's language: the support
letter, or the packet (its own pages, the support letter — the PDF of a ready letter of the same
snapshot when there is one — and the evidence files)."""

from __future__ import annotations

import logging
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from portal.documents import content, pdf, store
from portal.extensions import db
from portal.models import Document, DocumentStatus

log = logging.getLogger(__name__)


def build_pdf(document: Document) -> tuple[bytes, int]:
    """Render from the snapshot only, in the document's language (texts built in Python included)."""
    with force_locale(document.language):
        return _build_pdf(document)


def _build_pdf(document: Document) -> tuple[bytes, int]:
    snapshot = document.snapshot
    renderer = pdf.renderer()
    lang = document.language
    letter_html = render_html(
        "documents/support_letter.html", lang, content.letter_context(snapshot["letter"])
    )
    if document.kind == "support_letter":
        return pdf.merge([renderer.render(letter_html)[0]])  # merge numbers the pages
    # The packet: its own pages, then the support letter (the PDF of a ready letter made from the
    # same snapshot when there is one), then the evidence files.
    reused = reusable_letter(document)
    letter_pdf, letter_pages = reused if reused is not None else renderer.render(letter_html)
    evidence = content.evidence_pdfs(snapshot["packet"]["evidence_files"], renderer)
    context = content.packet_context(snapshot, letter_pages=letter_pages, evidence=evidence)
    body, body_pages = renderer.render(render_html("documents/packet.html", lang, context))
    return pdf.merge(
        [body, letter_pdf, *[e["pdf"] for e in evidence]],
        annexes=content.annex_starts(body_pages, letter_pages, evidence),
    )


def reusable_letter(packet: Document) -> tuple[bytes, int] | None:
    letter = db.session.scalars(
        select(Document)
        .where(
            Document.case_id == packet.case_id,
            Document.kind == "support_letter",
            Document.status == DocumentStatus.READY,
            Document.snapshot_sha256 == packet.snapshot["letter_sha256"],
        )
        .order_by(Document.id.desc())
    ).first()
    if (
        letter is None
        or letter.storage_path is None
        or letter.pdf_sha256 is None
        or letter.page_count is None
    ):
        return None
    try:
        data = store.read_verified(letter.storage_path, letter.pdf_sha256)
    except store.StoredFileMismatch:
        log.error("Stored letter %s does not match its hash; rendering the letter again", letter.id)
        return None
    db.session.execute(update(Document).where(Document.id == packet.id).values(reused_letter_id=letter.id))
    return data, letter.page_count


def render_html(template: str, lang: str, context: dict[str, Any]) -> str:
    with force_locale(lang):
        return render_template(template, lang=lang, **context)
