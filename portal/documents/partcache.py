"""Rendered packet parts kept beside their case's documents, so that a packet asked for again after a
change renders only the parts that changed.

A packet is rendered as a few parts (``assembly.render_groups``); most requests after the first change
one of them: the consultant sends the packet back, the employer edits a sentence of the letter or fixes
the wage, and asks again — the data sheet, the calendar, the checklist come out the same. Each part's
PDF (with its page count and the page each element id starts on) is kept under the case's folder of the
document store, named by a key of everything the render depends on: the part's whole HTML (texts,
translations, dates and data all in it), the stylesheet, the versions of WeasyPrint and pydyf, this
project's rendering code (``pdf.py``, ``pdfwrite.py``) and the fonts' files. The same key means the same
input to the same renderer, so a kept part is the PDF a new render would make; anything that changes a
render changes the key, and nothing has to be invalidated by hand.

The parts hold one employer's data: they live in the case's own folder (``org-N/case-M/parts``), like
its documents, never shared between cases. A case keeps its ``KEPT`` most recently used parts (a few
versions of a packet); older ones are removed when a new one is kept. A file is written whole under a
temporary name and renamed, and carries the SHA-256 of its PDF: one that does not match (a crash while
it was written) is ignored and rendered again. Losing the cache loses nothing but time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import time
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from portal.documents import pdf, store

log = logging.getLogger(__name__)

FOLDER = "parts"  # in the case's folder
KEPT = 12  # parts kept per case: three or four packet versions (three renders each), in both languages
FONTS = Path("/usr/share/fonts/truetype/dejavu")  # the documents' typefaces (documents.css)


class Rendered(NamedTuple):
    """A part's PDF, its page count and the page (0-based) each element id of its HTML starts on."""

    data: bytes
    pages: int
    anchors: dict[str, int]


@cache
def renderer_fingerprint() -> str:
    """What a render depends on besides its HTML, once per process: the stylesheet and the rendering
    code's sources, WeasyPrint's and pydyf's versions, and each font file's name, size and time."""
    digest = hashlib.sha256()
    for name in ("weasyprint", "pydyf"):
        digest.update(f"{name}={version(name)}\0".encode())
    for source in (Path(pdf.__file__), Path(pdf.__file__).with_name("pdfwrite.py"), pdf.STYLESHEET):
        digest.update(source.read_bytes() + b"\0")
    if FONTS.is_dir():
        for font in sorted(FONTS.iterdir()):
            stat = font.stat()
            digest.update(f"{font.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


class PartCache:
    """The kept parts of one case (``folder``: the case's folder in the document store)."""

    def __init__(self, folder: str) -> None:
        self.folder = f"{folder}/{FOLDER}"

    def _relative(self, html: str) -> str:
        key = hashlib.sha256(f"{renderer_fingerprint()}\0{html}".encode()).hexdigest()
        return f"{self.folder}/{key}.part"

    def get(self, html: str) -> Rendered | None:
        path = store.absolute(self._relative(html))
        try:
            header, _sep, data = path.read_bytes().partition(b"\n")
            meta = json.loads(header)
            if store.sha256_bytes(data) != meta["sha256"]:
                log.warning("Kept part %s does not match its hash; rendering it again", path.name)
                return None
            os.utime(path)  # recently used: kept longer
            return Rendered(data, int(meta["pages"]), {str(k): int(v) for k, v in meta["anchors"].items()})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("Kept part %s unreadable; rendering it again", path.name, exc_info=True)
            return None

    def put(self, html: str, rendered: Rendered) -> None:
        """Keep a rendered part (a failure to write is logged: the packet does not need it)."""
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
            self._trim()
        except OSError:
            log.warning("Could not keep a rendered part in %s", self.folder, exc_info=True)

    def _trim(self) -> None:
        """The ``KEPT`` most recently used parts stay; so do temporary files younger than a minute (being
        written); older ones were left by a process killed while writing."""
        directory = store.absolute(self.folder)
        stale = time.time_ns() - 60 * 10**9
        with os.scandir(directory) as entries:
            found = [(e.stat().st_mtime_ns, e.name) for e in entries]
        kept = sorted(((m, n) for m, n in found if n.endswith(".part")), reverse=True)
        dropped = [n for _m, n in kept[KEPT:]] + [n for m, n in found if n.startswith(".tmp-") and m < stale]
        for name in dropped:
            (directory / name).unlink(missing_ok=True)
