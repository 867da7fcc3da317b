"""The PDF of a document, made from its snapshot only, in the document's language: the support
letter, or the packet (its own pages, the support letter — the PDF of a ready letter of the same
snapshot when there is one — and the evidence files)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, NamedTuple

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import defer

from portal.documents import content, lookups, partcache, parts, pdf, sections
from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.models import Case, Document, DocumentStatus, Organization

log = logging.getLogger(__name__)


def build_pdf(document: Document) -> tuple[bytes, int]:
    """Render from the snapshot only, in the document's language (texts built in Python included)."""
    with force_locale(document.language):
        return _build_pdf(document)


def _build_pdf(document: Document) -> tuple[bytes, int]:
    renderer = pdf.renderer()
    if document.kind == "support_letter":
        # prepared ahead from the page that led to the click (ahead.prepare_letter) when its HTML is the same
        html = _letter_html(document)
        kept = partcache.PartCache(lookups.folder(document), renderer.fingerprint).get(html)
        if kept is None:
            return pdf.merge([renderer.render(html)[0]])  # merge numbers the pages
        log.info("Support letter %s: the render prepared ahead", document.id)
        return pdf.merge([kept.data])
    # The packet: its own pages (parts rendered apart, in parallel across the worker processes, the
    # obligations from the section cache), then the support letter (the PDF of a ready letter made from
    # the same snapshot when there is one), then the evidence files.
    return _build_packet(document, renderer)


def _letter_html(document: Document) -> str:
    return render_html(
        "documents/support_letter.html",
        document.language,
        content.letter_context(document.snapshot["letter"]),
    )


class _Plan(NamedTuple):
    """What a packet's own pages are made from: the context of packet.html, its sections after the front,
    and the obligations (their PDF and page count from the section cache, or None: then ``last`` holds
    their HTML, rendered with the parts). With the obligations cached, ``last`` holds the HTML of the
    packet's running header on as many pages (``header_html``), rendered with the parts and laid under
    them: the cached pages, shared between cases, carry no header of their own."""

    context: dict[str, Any]
    names: list[str]
    obligations_path: str
    obligations: tuple[bytes, int] | None
    last: list[str]


def _plan(snapshot: dict[str, Any], lang: str, evidence: list[dict[str, Any]]) -> _Plan:
    code, assessment = snapshot["letter"]["code"], snapshot["packet"]["assessment"]
    context = content.packet_context(snapshot, letter_pages=0, evidence=evidence)
    path = sections.obligations_path(lang, code, assessment)
    obligations = sections.cached(path)
    if obligations is None:
        last = [sections.obligations_html(lang, code, assessment)]
    else:
        last = [header_html(lang, context, obligations[1])]
    return _Plan(context, content.packet_parts(context), path, obligations, last)


def _part_html(lang: str, context: dict[str, Any], group: list[str]) -> str:
    return render_html("documents/packet.html", lang, {**context, "part": group})


HEADER_TEMPLATE = "documents/packet_header.html"


def header_html(lang: str, context: dict[str, Any], pages: int) -> str:
    """The packet's running header alone on ``pages`` blank pages: what is laid under the obligations
    section's pages (``pdf.underlaid``), so that they carry the header of the packet's other pages."""
    return render_html(HEADER_TEMPLATE, lang, {**context, "pages": pages})


def _build_packet(document: Document, renderer: pdf.Renderer) -> tuple[bytes, int]:
    snapshot, lang = document.snapshot, document.language
    reused = reusable_letter(document)
    # The evidence files: a PDF as it is; an image's page is rendered by this process after the parts it
    # claims, while the other process renders its own (parts.render_all's ``local``: not sent through
    # Redis, the page holds the whole image).
    evidence = content.evidence_files(snapshot["packet"]["evidence_files"])
    images = [entry for entry in evidence if entry["pdf"] is None]
    plan = _plan(snapshot, lang, evidence)
    context, names, obligations, last = plan.context, plan.names, plan.obligations, plan.last

    def html(group: list[str]) -> str:
        return _part_html(lang, context, group)

    pictures = [entry["html"] for entry in images]
    # parts of an earlier request that came out the same (or rendered ahead, ``prepare_packet``), made by
    # a renderer like this one
    kept = partcache.PartCache(lookups.folder(document), renderer.fingerprint)
    # The contents page (front) needs the letter's page count: with a ready letter it is known and the
    # front is rendered with the other parts; otherwise the letter is (first: the biggest part, which
    # the owner of the render starts on at once) and the front after them.
    if reused is not None:
        letter_pdf, letter_pages = reused
        context["letter_pages"] = letter_pages
        groups = render_groups(names, front=True)
        rendered = parts.render_all([*[html(g) for g in groups], *last], renderer, local=pictures, cache=kept)
    else:
        groups = render_groups(names, front=False)
        rendered = parts.render_all(
            [_letter_html(document), *[html(g) for g in groups], *last], renderer, local=pictures, cache=kept
        )
        letter = rendered.pop(0)
        letter_pdf, letter_pages = letter.data, letter.pages
        context["letter_pages"] = letter_pages
        groups.insert(0, ["front"])
        rendered.insert(0, parts.render_all([html(["front"])], renderer, cache=kept)[0])
    for entry, done in zip(images, rendered[len(rendered) - len(images) :], strict=True):  # last: local
        content.placed_image(entry, done.data, done.pages)
    del rendered[len(rendered) - len(images) :]
    if obligations is None:
        made = rendered.pop()
        obligations = made.data, made.pages
        sections.keep(plan.obligations_path, made.data)
        header = parts.render_all([header_html(lang, context, made.pages)], renderer, cache=kept)[0]
    else:
        header = rendered.pop()
    obligations = pdf.underlaid(obligations[0], header.data), obligations[1]
    spans = section_spans(groups, rendered)
    own = [data for data, _pages, _anchors in rendered]
    order = [spans[name] for name in ["front", *names]] + [(len(own), 0, obligations[1])]
    starts: dict[str, int] = {}  # each section's first page (0-based) in the merged file, by its anchor
    page = order[0][2] - order[0][1]
    for (anchor, _title), (_part, first, end) in zip(context["part_titles"], order[1:], strict=True):
        starts[anchor] = page
        page += end - first
    annexes = {**starts, **content.annex_starts(page, letter_pages, evidence)}
    whole = [*order, *[(len(own) + 1 + i, 0, None) for i in range(1 + len(evidence))]]
    sources = [*own, obligations[0], letter_pdf, *[e["pdf"] for e in evidence]]
    return pdf.merge(sources, annexes=annexes, pages=whole)


def prepare_packet(letter: Document) -> int:
    """The own pages of the packet that a ready support letter's case would get now, rendered ahead of
    the click that asks for it and kept with the case's parts (``partcache``), with the obligations in
    the section cache: a packet then asked for from the same letter and the same case data reuses the
    letter and finds every part of its own kept, so only the merge is left after the click. The parts
    are made as ``_build_packet`` makes them with a ready letter (same snapshot, same groups, same
    HTML); none depends on the click (the date on the cover is the letter's). They are rendered one
    after the other in this process, never sent to another: this work is a bet, not a wait. A packet
    asked for meanwhile renders what is not kept yet itself. Returns how many renders were made (0:
    everything was kept already)."""
    case = db.session.get_one(Case, letter.case_id)
    org = db.session.get_one(Organization, letter.organization_id)
    lang, renderer = letter.language, pdf.renderer()
    with force_locale(lang):
        snapshot = {
            "letter": letter.snapshot["letter"],
            "packet": content.packet_snapshot(
                case,
                org,
                lang=lang,
                on=date.fromisoformat(letter.snapshot["letter"]["date"]),
            ),
        }
        evidence = content.evidence_files(snapshot["packet"]["evidence_files"])
        plan = _plan(snapshot, lang, evidence)
        plan.context["letter_pages"] = letter.page_count
        htmls = [_part_html(lang, plan.context, g) for g in render_groups(plan.names, front=True)]
        kept = partcache.PartCache(lookups.folder(letter), renderer.fingerprint)
        made = 0

        def render(html: str) -> partcache.Rendered:
            nonlocal made
            done = kept.get(html)
            if done is None:
                done = partcache.Rendered(*renderer.render_anchored(html))
                kept.put(html, done)
                made += 1
            return done

        for html in htmls:
            render(html)
        done = render(plan.last[0])
        if plan.obligations is None:  # rendered here: kept for every case, and its header rendered now
            sections.keep(plan.obligations_path, done.data)
            render(header_html(lang, plan.context, done.pages))
        if made:
            kept.trim()
    return made


def prepare_letter(case: Case, letter: dict[str, Any]) -> int:
    """A support letter (``letter``: as a document's snapshot would hold it) rendered ahead of the click
    that asks for it and kept with the case's parts: the letter then asked for with the same text is
    that render, numbered (``_build_pdf``). Returns how many renders were made (0: kept already)."""
    renderer = pdf.renderer()
    lang = str(letter["lang"])
    with force_locale(lang):
        html = render_html("documents/support_letter.html", lang, content.letter_context(letter))
    kept = partcache.PartCache(lookups.case_folder(case.organization_id, case.id), renderer.fingerprint)
    if kept.get(html) is not None:
        return 0
    kept.put(html, partcache.Rendered(*renderer.render_anchored(html)))
    kept.trim()
    return 1


def render_groups(names: list[str], *, front: bool) -> list[list[str]]:
    """The packet's own sections (and its front: cover and contents) as the renders that make them:
    the front with the pre-checks, the data sheet alone — the biggest section, 40 to 45 % of the
    packet's own render —, and the others (calendar, evidence checklist) together. With two worker
    processes, the owner of the render takes the first and, while the other process renders the
    sheet, the third (``parts.render_all`` claims parts in order): the two sides then weigh about the
    same (measured, warm renderer: front and pre-checks 55 ms + calendar and checklist 34 against the
    sheet's 84, where the sheet with the calendar and checklist took 125 against 55). Without a ready
    letter, the letter is a render of its own and the front comes after. Fewer renders than sections:
    each has fixed costs (parsing, styles, pages, fonts, the PDF, a Redis round trip). The merge puts
    the pages back in the packet's order."""
    rest = [name for name in names if name != "sheet"]
    if not front:
        return [["sheet"], rest]
    return [["front", *rest[:1]], ["sheet"], rest[1:]] if rest[1:] else [["front", *rest[:1]], ["sheet"]]


def section_spans(
    groups: list[list[str]], rendered: list[partcache.Rendered]
) -> dict[str, tuple[int, int, int]]:
    """Where each section's pages are: (index of the render, first page, end page). A section starts at
    its element id (packet.html: ``<section id="sheet">``), the front at its render's first page."""
    spans: dict[str, tuple[int, int, int]] = {}
    for index, (group, done) in enumerate(zip(groups, rendered, strict=True)):
        firsts = [0 if name == "front" else done.anchors[name] for name in group]
        for name, first, end in zip(group, firsts, [*firsts[1:], done.pages], strict=True):
            spans[name] = (index, first, end)
    return spans


def reusable_letter(packet: Document) -> tuple[bytes, int] | None:
    """The newest ready letter made from the packet's snapshot (its PDF and page count), or None. One
    row, without its snapshot: a case may hold hundreds of versions of the same letter, and each row's
    snapshot is kB of JSON that the driver decodes. Measured in the render bench's full run, whose case
    holds ~850 letters by part 7: the busiest worker process's CPU per packet 190 ms -> 140 ms, when the
    query fetched every matching letter to keep the first."""
    letter = db.session.scalars(
        select(Document)
        .where(
            Document.case_id == packet.case_id,
            Document.kind == "support_letter",
            Document.status == DocumentStatus.READY,
            Document.snapshot_sha256 == packet.snapshot["letter_sha256"],
        )
        .options(defer(Document.snapshot))
        .order_by(Document.id.desc())
        .limit(1)
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
