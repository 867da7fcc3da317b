"""Documents prepared ahead of the click that asks for them: a packet's own pages, and a support letter.

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

The support letter itself is prepared the same way from the pages that lead to it: the case's documents
page and the letter's editing page, opened by someone of the employer, send ``documents.prepare_letter``
with what the page's request form would ask for (the page's language, the signatory it fills in,
today), and a worker renders that letter and keeps it with the case's parts (``prepare_letter``). The
letter asked for then is the kept render, numbered and stored (bench/render_bench.py, part 7); a letter
whose text changed in between (another signatory typed in the form, a section edited elsewhere) is
rendered at the click as before: a kept render is named by its whole HTML. A web process considers a
case's letter at most once per ``LETTER_AHEAD_SECONDS`` for the same page state (the case's assessment,
its files, the letter's text on the editing page), so a page opened again and again costs nothing (a
send is about 3 ms of the page's CPU), and the documents page sends none when a letter in its language
was asked for since the case's data last changed (``letter_made_since``); the worker renders a letter
it already keeps, or one already made from the same snapshot, no second time.
``DOCUMENT_PREPARE_LETTERS = False`` turns it off; without a broker nothing is prepared.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Hashable, Iterable
from datetime import date

import redis
from flask import current_app
from sqlalchemy import select

from portal.documents import assembly, editing, lookups, parts, requests
from portal.documents.editing import LETTER
from portal.extensions import db
from portal.models import Case, Document, DocumentStatus, EvidenceFile, Organization, User

log = logging.getLogger(__name__)

PREPARED_TTL = 600  # seconds: the same letter made again within this time is not prepared again
LETTER_AHEAD_SECONDS = 30  # a web process sends a case's letter for the same page state once in this time
_LETTERS_SENT = "imp.letters_ahead"  # the app's extensions key: {page state: when it was sent}


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


def letter_made_since(
    case: Case, lang: str, documents: Iterable[Document], evidence: Iterable[EvidenceFile]
) -> bool:
    """Has a support letter in ``lang`` been asked for since the case was last assessed and its last file
    uploaded (ready, or on its way)? The documents page then sends no preparation: the employer has that
    letter (one edited since is prepared from its editing page). Read from what the page loads anyway."""
    times = [t for t in (case.assessed_at, *(e.created_at for e in evidence)) if t is not None]
    since = max(times) if times else None
    return any(
        d.kind == LETTER
        and d.language == lang
        and d.status != DocumentStatus.FAILED
        and (since is None or d.created_at >= since)
        for d in documents
    )


def letter_wanted(case: Case, lang: str, actor: User, state: tuple[Hashable, ...]) -> bool:
    """On a page that leads to a support letter, opened by someone of the employer: should the letter
    the page's form would ask for be prepared now? Not without a broker or when turned off, not for a
    case with no letter to make (no exemption code yet, no work permit needed), and not again within
    ``LETTER_AHEAD_SECONDS`` for the same ``state`` of the page (what the letter is made from that the page
    read anyway: the worker finds out the rest, and renders nothing it keeps already)."""
    if not current_app.config.get("DOCUMENT_PREPARE_LETTERS", True) or parts.broker_url() is None:
        return False
    if case.route != "IMP" or not (case.chosen_code or case.recommended_code):
        return False
    sent: dict[Hashable, float] = current_app.extensions.setdefault(_LETTERS_SENT, {})
    key = (case.id, case.assessed_at, lang, actor.id, *state)
    now = time.monotonic()
    if now - sent.get(key, -LETTER_AHEAD_SECONDS) < LETTER_AHEAD_SECONDS:
        return False
    if len(sent) > 4096:  # a long-lived process: forget what is too old to matter
        for old in [k for k, at in sent.items() if now - at >= LETTER_AHEAD_SECONDS]:
            del sent[old]
    sent[key] = now
    return True


def prepare_letter(
    case_id: int,
    actor_id: int,
    *,
    lang: str,
    on: date,
    signatory_name: str | None,
    signatory_title: str | None,
) -> int:
    """The worker's job: the support letter that a request with these fields would freeze now, rendered
    and kept with the case's parts (``assembly.prepare_letter``). Returns how many renders were made (0:
    the case or its letter is gone, or the letter is kept already)."""
    case = db.session.get(Case, case_id)
    actor = db.session.get(User, actor_id)
    if case is None or actor is None:
        return 0
    org = db.session.get_one(Organization, case.organization_id)
    try:  # what a request with the same fields freezes
        letter = requests.frozen_letter(
            case,
            org,
            lang=lang,
            actor=actor,
            on=on,
            signatory_name=signatory_name,
            signatory_title=signatory_title,
            evidence=lookups.evidence_of(case),
        )
    except editing.EditError:  # no letter to make any more (the case changed meanwhile)
        db.session.rollback()
        return 0
    made_already = db.session.scalar(  # this very letter asked for and made: nothing to prepare
        select(Document.id)
        .where(
            Document.case_id == case_id,
            Document.kind == LETTER,
            Document.status == DocumentStatus.READY,
            Document.snapshot_sha256 == requests.letter_sha256(letter),
        )
        .limit(1)
    )
    if made_already is not None:
        db.session.rollback()
        return 0
    # as the document's snapshot holds it: through JSON, as the database stores it
    made = assembly.prepare_letter(case, json.loads(json.dumps(letter)))
    db.session.rollback()  # it only read: end the transaction
    if made:
        log.info("Support letter of case %s (%s) prepared ahead", case_id, lang)
    return made
