"""Packet sections cached as rendered PDF pages.

A packet's obligations section depends only on the code, the document's language, the rule set that
produced the obligations and the templates that draw it — not on the case. It is rendered once as a
PDF of its own and kept in the document store under ``section-cache/``, named by a key that holds all
of these: the code, the language, the rule-set version, the obligations themselves (so two rule sets
that share a version string but differ cannot collide), a hash of the section's template sources
and of documents.css, and a hash of the language's compiled catalogue (the headings' translations). A
new rule-set version, a template change or a corrected translation gives a new key, so a stale section
is never served (the old files stay behind, small and unused). Files are written atomically, so a
reader sees a whole PDF or none; an unreadable one is rendered again.

The packet's contents page gives the section's first page through the same mechanism as the annexes
(``pdf.merge`` writes the number into the link's box), since the section is not part of the WeasyPrint
document that holds the contents page.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any, Protocol

from flask import current_app, render_template
from flask_babel import force_locale
from pikepdf import Pdf

from portal.documents import pdf, store

log = logging.getLogger(__name__)

CACHE_FOLDER = "section-cache"
OBLIGATIONS_TEMPLATE = "documents/packet_obligations.html"
OBLIGATIONS_SOURCES = (OBLIGATIONS_TEMPLATE, "documents/_obligations.html")  # what the section is drawn from
OBLIGATIONS_ANCHOR = "part-obligations"  # the contents page's link to the cached section


class _Renders(Protocol):
    def render(self, html: str) -> tuple[bytes, int]: ...


def template_hash(names: tuple[str, ...] = OBLIGATIONS_SOURCES) -> str:
    """SHA-256 of the templates' sources (as the app's Jinja loader finds them) and of the stylesheet."""
    env = current_app.jinja_env
    parts = []
    for name in names:
        if env.loader is None:  # pragma: no cover - Flask always sets one
            raise RuntimeError("no Jinja loader")
        source, _filename, _uptodate = env.loader.get_source(env, name)
        parts.append(source)
    parts.append(pdf.STYLESHEET.read_text(encoding="utf-8"))
    return store.sha256_bytes("\0".join(parts).encode("utf-8"))


def catalogue_hash(lang: str) -> str:
    """SHA-256 of the compiled catalogue of ``lang`` the section's headings are translated from ("" for a
    language without one: English, the source): a corrected translation is a new section too."""
    folders = str(current_app.config.get("BABEL_TRANSLATION_DIRECTORIES") or "")
    for folder in folders.split(";"):
        path = Path(folder) / lang / "LC_MESSAGES" / "messages.mo"
        if path.is_file():
            return store.sha256_bytes(path.read_bytes())
    return ""


def obligations_key(lang: str, code: str, assessment: dict[str, Any]) -> str:
    payload = {
        "section": "obligations",
        "lang": lang,
        "code": code,
        "ruleset_version": assessment.get("ruleset_version"),
        "obligations": assessment.get("obligations") or [],
        "templates": template_hash(),
        "catalogue": catalogue_hash(lang),
    }
    return store.sha256_bytes(json.dumps(payload, sort_keys=True, default=str).encode("utf-8"))


def obligations_path(lang: str, code: str, assessment: dict[str, Any]) -> str:
    """Where the section's PDF is cached (relative to the document store)."""
    return f"{CACHE_FOLDER}/obligations-{obligations_key(lang, code, assessment)}.pdf"


# The page count of each cached section this process has read, by its path and its bytes' hash: counting
# pages parses the PDF (about 2 ms), on the packet's critical path; other bytes under the same path (a
# damaged file) are parsed again.
_page_counts: dict[tuple[str, int], int] = {}


def cached(relative: str) -> tuple[bytes, int] | None:
    """The cached section's PDF and page count, or None (not cached yet, or unreadable)."""
    path = store.absolute(relative)
    try:
        data = path.read_bytes()
        seen = (relative, hash(data))
        pages = _page_counts.get(seen)
        if pages is None:
            with Pdf.open(io.BytesIO(data)) as pdf:
                pages = len(pdf.pages)
            if len(_page_counts) >= 256:
                _page_counts.clear()
            _page_counts[seen] = pages
        return data, pages
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - unreadable: rendered again by the caller
        log.warning("Cached section %s unreadable; rendering it again", relative, exc_info=True)
        return None


def keep(relative: str, data: bytes) -> None:
    store.write_atomic(relative, data)


def obligations_html(lang: str, code: str, assessment: dict[str, Any]) -> str:
    with force_locale(lang):
        return render_template(
            OBLIGATIONS_TEMPLATE, lang=lang, code=code, a=assessment, anchor=OBLIGATIONS_ANCHOR
        )


def obligations_pdf(
    lang: str, code: str, assessment: dict[str, Any], renderer: _Renders
) -> tuple[bytes, int]:
    """The obligations section's PDF and page count: from the cache, or rendered and kept."""
    relative = obligations_path(lang, code, assessment)
    hit = cached(relative)
    if hit is not None:
        return hit
    data, pages = renderer.render(obligations_html(lang, code, assessment))
    keep(relative, data)
    return data, pages
