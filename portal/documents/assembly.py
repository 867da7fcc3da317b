"""The PDF of a document, made from its snapshot only, in the document's language: the support
letter, or the packet (its own pages, the support letter — the PDF of a ready letter of the same
snapshot when there is one — and the evidence files)."""

from __future__ import annotations

import logging
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from portal.documents import content, lookups, parts, pdf, sections
from portal.documents.errors import DocumentError
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
    # The packet: its own pages (parts rendered apart, in parallel across the worker processes, the
    # obligations from the section cache), then the support letter (the PDF of a ready letter made from
    # the same snapshot when there is one), then the evidence files.
    return _build_packet(document, renderer, letter_html)


def _build_packet(document: Document, renderer: pdf.Renderer, letter_html: str) -> tuple[bytes, int]:
    snapshot, lang = document.snapshot, document.language
    code, assessment = snapshot["letter"]["code"], snapshot["packet"]["assessment"]
    reused = reusable_letter(document)
    evidence = content.evidence_pdfs(snapshot["packet"]["evidence_files"], renderer)
    context = content.packet_context(snapshot, letter_pages=0, evidence=evidence)
    names = content.packet_parts(context)
    htmls = [render_html("documents/packet.html", lang, {**context, "part": name}) for name in names]
    obligations_path = sections.obligations_path(lang, code, assessment)
    obligations = sections.cached(obligations_path)
    # The contents page (front) needs the letter's page count: with a ready letter it is known and the
    # front is rendered with the other parts; otherwise the letter is (first: the biggest part, which
    # the owner of the render starts on at once) and the front after them.
    last = [sections.obligations_html(lang, code, assessment)] if obligations is None else []
    if reused is not None:
        letter_pdf, letter_pages = reused
        context["letter_pages"] = letter_pages
        front_html = render_html("documents/packet.html", lang, {**context, "part": "front"})
        rendered = parts.render_all([*htmls, front_html, *last], renderer)
        front = rendered.pop(len(htmls))
    else:
        rendered = parts.render_all([letter_html, *htmls, *last], renderer)
        letter_pdf, letter_pages = rendered.pop(0)
        context["letter_pages"] = letter_pages
        front = renderer.render(render_html("documents/packet.html", lang, {**context, "part": "front"}))
    if obligations is None:
        obligations = rendered.pop()
        sections.keep(obligations_path, obligations[0])
    own = [front, *rendered, obligations]
    starts: dict[str, int] = {}  # each part's first page (0-based) in the merged file, by its anchor
    page = front[1]
    for (anchor, _title), (_data, pages) in zip(context["part_titles"], own[1:], strict=True):
        starts[anchor] = page
        page += pages
    annexes = {**starts, **content.annex_starts(page, letter_pages, evidence)}
    return pdf.merge(
        [data for data, _pages in own] + [letter_pdf, *[e["pdf"] for e in evidence]], annexes=annexes
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
    if letter is None or letter.page_count is None:
        return None
    try:
        data = lookups.read_verified(letter)
    except DocumentError:  # missing, or not matching its hash
        log.error("Stored letter %s is missing or does not match its hash; rendering it again", letter.id)
        return None
    db.session.execute(update(Document).where(Document.id == packet.id).values(reused_letter_id=letter.id))
    return data, letter.page_count


def render_html(template: str, lang: str, context: dict[str, Any]) -> str:
    with force_locale(lang):
        return render_template(template, lang=lang, **context)
