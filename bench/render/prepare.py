"""The setup every part starts from: the support letter and the packet of worked case 02 (requested, as
HTML), and the renderer warmed, then frozen as in a worker process (``warm_renderer``)."""

from __future__ import annotations

from flask_babel import force_locale

from portal.documents import assembly, content, pdf
from workers.tasks.documents import warm_renderer

from .common import Bench, clock
from .setup import new_document


def prepare(bench: Bench) -> None:
    letter_doc = new_document("support_letter", bench.on)
    snapshot = letter_doc.snapshot
    letter_html = assembly.render_html(
        "documents/support_letter.html", "en", content.letter_context(snapshot["letter"])
    )
    renderer = pdf.renderer()
    t0 = clock()
    renderer.warm_up()
    bench.add("renderer warm-up (once per process)", f"{(clock() - t0) * 1000:.0f} ms")
    _letter_pdf, letter_pages = renderer.render(letter_html)
    packet_doc = new_document("packet", bench.on)
    with force_locale("en"):
        packet_context = content.packet_context(packet_doc.snapshot, letter_pages=letter_pages, evidence=[])
    # the whole packet in one document (part=None): what a plain script would render
    packet_html = assembly.render_html("documents/packet.html", "en", {**packet_context, "part": None})
    for html in (letter_html, packet_html):  # untimed: imports and first-use caches of both paths
        pdf.naive_render(html)
        renderer.render(html)

    warm_renderer()  # as in a worker process: warmed, then its long-lived objects frozen (gc.freeze)
    bench.letter_doc, bench.letter_html, bench.packet_html, bench.renderer = (
        letter_doc,
        letter_html,
        packet_html,
        renderer,
    )
