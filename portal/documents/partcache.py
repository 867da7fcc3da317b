"""Rendered packet parts kept beside their case's documents, so that a packet asked for again after a
change renders only the parts that changed.

A packet is rendered as a few parts (``assembly.render_groups``); most requests after the first change
one of them: the consultant sends the packet back, the employer edits a sentence of the letter or fixes
the wage, and asks again — the data sheet, the calendar, the checklist come out the same. Each part's
PDF (with its page count and the page each element id starts on) is kept under the case's folder of the
document store, named by a key of everything the render depends on: the part's whole HTML (texts,
translations, dates and data all in it) and the renderer's fingerprint (``pdf.Renderer.fingerprint``:
the stylesheet it parsed, this project's rendering code as imported, the versions of WeasyPrint, pydyf
and fontTools, the fonts' files). The same key means the same input to the same renderer, so a kept
part is the PDF a new render would make; anything that changes a render changes the key, and nothing
has to be invalidated by hand. A part another worker process rendered is kept only if that process's
renderer has the same fingerprint (mid-deploy, old and new workers share the queue).

The parts hold one employer's data: they live in the case's own folder (``org-N/case-M/parts``), like
its documents, never shared between cases. A case keeps its ``KEPT`` most recently used parts (a few
versions of a packet); older ones are removed when a new one is kept, and the beat removes the parts
no packet has used for ``DOCUMENT_PARTS_MAX_AGE_DAYS`` days (``prune``: a case nobody reopens does not
keep them for ever). A file is written whole under a
temporary name and renamed, and carries the SHA-256 of its PDF: one that does not match (a crash while
it was written) is ignored and rendered again. Losing the cache loses nothing but time, so backups
leave the parts out (portal/backup.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import time
from typing import NamedTuple

from portal.documents import store

log = logging.getLogger(__name__)

FOLDER = "parts"  # in the case's folder
SUFFIX = ".part"
KEPT = 12  # parts kept per case: three or four packet versions (three renders each), in both languages


class Rendered(NamedTuple):
    """A part's PDF, its page count and the page (0-based) each element id of its HTML starts on."""

    data: bytes
    pages: int
    anchors: dict[str, int]


class PartCache:
    """The kept parts of one case (``folder``: the case's folder in the document store) for a renderer
    (``fingerprint``: ``pdf.Renderer.fingerprint``, what its output depends on besides the HTML)."""

    def __init__(self, folder: str, fingerprint: str) -> None:
        self.folder, self.fingerprint = f"{folder}/{FOLDER}", fingerprint

    def _relative(self, html: str) -> str:
        key = hashlib.sha256(f"{self.fingerprint}\0{html}".encode()).hexdigest()
        return f"{self.folder}/{key}{SUFFIX}"

    def get(self, html: str) -> Rendered | None:
        path = store.absolute(self._relative(html))
        try:
            header, _sep, data = path.read_bytes().partition(b"\n")
            meta = json.loads(header)
            if store.sha256_bytes(data) != meta["sha256"]:
                log.warning("Kept part %s does not match its hash; rendering it again", path.name)
                return None
            with contextlib.suppress(OSError):  # a store written by another user: still a hit
                os.utime(path)  # recently used: kept longer
            return Rendered(data, int(meta["pages"]), {str(k): int(v) for k, v in meta["anchors"].items()})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("Kept part %s unreadable; rendering it again", path.name, exc_info=True)
            return None

    def put(self, html: str, rendered: Rendered) -> None:
        """Keep a rendered part (a failure to write is logged: the packet does not need it); ``trim``
        after the parts of a render are kept."""
        try:
            meta = {
                "pages": rendered.pages,
                "anchors": rendered.anchors,
                "sha256": store.sha256_bytes(rendered.data),
            }
            final = store.absolute(self._relative(html))
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(f".tmp-{final.name}-{secrets.token_hex(4)}")
            try:
                # no fsync: a part lost in a crash is rendered again, and a torn one fails its hash
                tmp.write_bytes(json.dumps(meta).encode() + b"\n" + rendered.data)
                os.replace(tmp, final)
            finally:
                tmp.unlink(missing_ok=True)
        except OSError:
            log.warning("Could not keep a rendered part in %s", self.folder, exc_info=True)

    def trim(self) -> None:
        """The ``KEPT`` most recently used parts stay; so do temporary files younger than a minute (being
        written); older ones were left by a process killed while writing."""
        directory = store.absolute(self.folder)
        stale = time.time_ns() - 60 * 10**9
        try:
            with os.scandir(directory) as entries:
                found = [(e.stat().st_mtime_ns, e.name) for e in entries]
        except OSError:  # nothing kept yet, or the folder went away: nothing to trim
            return
        kept = sorted(((m, n) for m, n in found if n.endswith(SUFFIX)), reverse=True)
        dropped = [n for _m, n in kept[KEPT:]] + [n for m, n in found if n.startswith(".tmp-") and m < stale]
        for name in dropped:
            (directory / name).unlink(missing_ok=True)


def prune(max_age_days: float, now: float | None = None) -> int:
    """Remove, in every case's folder, the kept parts no packet has used for ``max_age_days`` days (using
    a part refreshes its time) and the temporary files of writers killed that long ago; the documents
    beside them are not touched. Returns how many files went. The beat runs it daily
    (workers.tasks.documents.prune_parts)."""
    cutoff = round(((time.time() if now is None else now) - max_age_days * 86400) * 10**9)
    removed = 0
    for folder in store.root().glob(f"org-*/case-*/{FOLDER}"):
        try:
            with os.scandir(folder) as entries:
                names = [e.name for e in entries if e.name.endswith(SUFFIX) or e.name.startswith(".tmp-")]
        except OSError:  # removed meanwhile
            continue
        for name in names:
            path = folder / name
            try:
                if path.stat().st_mtime_ns < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # trimmed by a render meanwhile
                continue
    return removed
