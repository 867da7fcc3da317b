"""A packet's own pages prepared ahead of the click that asks for it.

Most of an offer-submission packet does not depend on that click: its cover, contents, data sheet,
pre-checks, calendar and checklist are made from the case's data and the support letter, which is
usually asked for (read, edited, approved) before the packet. So when a worker has made a support
letter ready it sends ``documents.prepare_packet``, which renders the packet's own parts as the packet
of that letter would render them and keeps them with the case's parts (``assembly.prepare_packet``,
``partcache``). A packet asked for afterwards reuses the letter and every kept part: what is left after
the click is its snapshot, the merge and the write (bench/render_bench.py, part 7). If the case's data
changed in between, the parts that changed are rendered at the click as before: a kept part is named
by its whole HTML, so a stale one is never used.

The bet costs a worker about one packet's own render per distinct letter; the same letter asked for
again (a new version of an unchanged text, or a burst of letters of one case) is prepared once within
``PREPARED_TTL`` (a key in Redis). Without a broker (Celery eager: the embedded default, the tests'
default app, the CLI without Redis) nothing is prepared: there is no background to do it in, and the
request that made the letter should not wait for it. ``DOCUMENT_PREPARE_PACKETS = False`` turns it off.
"""

from __future__ import annotations

import logging

import redis
from flask import current_app
from sqlalchemy import select

from portal.documents import assembly, parts
from portal.documents.editing import LETTER
from portal.extensions import db
from portal.models import Document, DocumentStatus

log = logging.getLogger(__name__)

PREPARED_TTL = 600  # seconds: the same letter made again within this time is not prepared again


def wanted(document_id: int) -> bool:
    """After a render: is this document a ready support letter whose packet nobody prepared yet (and is
    there a broker to prepare it through)? Marks it as being prepared when so."""
    if not current_app.config.get("DOCUMENT_PREPARE_PACKETS", True):
        return False
    row = db.session.execute(
        select(Document.kind, Document.case_id, Document.language, Document.snapshot_sha256).where(
            Document.id == document_id, Document.status == DocumentStatus.READY
        )
    ).first()
    if row is None or row.kind != LETTER:
        return False
    client = parts.broker()
    if client is None:
        return False
    key = f"imp:prepared:{row.case_id}:{row.language}:{row.snapshot_sha256}"
    try:
        return bool(client.set(key, "1", nx=True, ex=PREPARED_TTL))
    except redis.RedisError:  # the packet will be rendered in full at the click, as without this
        log.warning("Could not mark the packet of letter %s as being prepared", document_id, exc_info=True)
        return False
    finally:
        client.close()


def prepare(letter_id: int) -> int:
    """The worker's job: the packet's own parts of a ready support letter rendered and kept. Returns how
    many renders were made (0: the letter is gone or not ready, or every part was kept already)."""
    letter = db.session.get(Document, letter_id)
    if letter is None or letter.kind != LETTER or letter.status != DocumentStatus.READY:
        return 0
    made = assembly.prepare_packet(letter)
    db.session.rollback()  # it only read: end the transaction
    log.info("Packet of letter %s prepared ahead: %d part(s) rendered", letter_id, made)
    return made
