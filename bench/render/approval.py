"""Part 6: the approval of a packet (approval page, merge, PAdES signature, atomic write) and the
signature alone."""

from __future__ import annotations

from datetime import UTC, datetime

from benchlib import log

from portal.documents import approval, rendering, signing, store
from portal.extensions import db
from portal.models import Document, User

from .common import Bench, clock, median_ms
from .setup import new_document


def run(bench: Bench) -> None:
    log("part 6: the approval page and the PAdES signature of an approved packet")
    document = new_document("packet", bench.on)
    if rendering.render_document(document.id) != "rendered":
        raise SystemExit("setup: the packet did not render")
    db.session.expire_all()
    document = db.session.get(Document, document.id)
    reviewed = store.read_verified(document.storage_path, document.pdf_sha256)
    user = db.session.get(User, document.requested_by_id)
    # The approval states the consultant's CICC licence number and is refused without one: the bench's
    # reviewer is given an invented number (kept: the rollbacks below undo only the approved copies).
    if not user.cicc_licence:
        user.cicc_licence = "R900017"
        db.session.commit()
    signing.sign(reviewed, name="warm-up", reason="warm-up")  # the key pair is generated once
    copies, signs = [], []
    for _ in range(bench.args.repeat):
        t = clock()
        approval.approved_copy(
            document, consultant=user, approved_at=datetime.now(UTC), reviewed_sha256=document.pdf_sha256
        )
        copies.append(clock() - t)
        t = clock()
        signing.sign(reviewed, name=user.name, reason="Approved")
        signs.append(clock() - t)
        db.session.rollback()  # the approved copies written here are removed with the transaction
    bench.add("6. approved copy: page, merge, signature, store (median)", f"{median_ms(copies):.1f} ms")
    bench.add("6. signature alone (median)", f"{median_ms(signs):.1f} ms", "<= 50 ms", median_ms(signs) <= 50)
