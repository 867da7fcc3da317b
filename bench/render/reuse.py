"""Part 2: the packet built without and with a ready support letter of the same snapshot, and that the
real render of the packet records the letter it reused."""

from __future__ import annotations

import statistics

from benchlib import log

from portal.documents import assembly, rendering
from portal.extensions import db
from portal.models import Document
from workers.tasks.documents import render_document as render_task

from .common import Bench, clock, median_ms
from .setup import forget_kept_parts, new_document


def run(bench: Bench) -> None:
    letter_doc = bench.letter_doc
    log("part 2: packet build with and without a ready letter of the same snapshot")
    # A packet whose letter snapshot has no ready letter (another signatory), and one that has.
    lonely = new_document("packet", bench.on, signatory_name="Another Signatory")
    if rendering.render_document(letter_doc.id) != "rendered":
        raise SystemExit("setup: the support letter did not render")
    paired = new_document("packet", bench.on)
    without, with_letter = [], []
    for i in range(bench.args.repeat):
        order = ((without, lonely), (with_letter, paired))
        for samples, doc in order if i % 2 == 0 else order[::-1]:
            doc = db.session.get(Document, doc.id)
            forget_kept_parts()
            t = clock()
            assembly.build_pdf(doc)
            samples.append(clock() - t)
            db.session.rollback()  # build_pdf's UPDATE of reused_letter_id: the real run below records it
    bench.add("2. packet build, no ready letter (median)", f"{median_ms(without):.1f} ms")
    bench.add("2. packet build, ready letter reused (median)", f"{median_ms(with_letter):.1f} ms")
    ratio = statistics.median(with_letter) / statistics.median(without)
    bench.add("2. with / without ready letter", f"{ratio:.2f}x", "< 1x", ratio < 1)
    lonely_id, paired_id = lonely.id, paired.id

    for document_id in (lonely_id, paired_id):  # the task's code, in-process (app context, no request)
        if render_task(document_id) != "rendered":
            raise SystemExit(f"setup: packet {document_id} did not render")
    db.session.expire_all()
    lonely, paired = db.session.get(Document, lonely_id), db.session.get(Document, paired_id)
    bench.add(
        "2. packet render: reused_letter_id",
        f"{paired.reused_letter_id} (letter {letter_doc.id})",
        "= the ready letter",
        paired.status == "ready" and paired.reused_letter_id == letter_doc.id,
    )
    bench.add(
        "2. packet without ready letter: reused_letter_id",
        str(lonely.reused_letter_id),
        "None",
        lonely.status == "ready" and lonely.reused_letter_id is None,
    )
    db.session.commit()
