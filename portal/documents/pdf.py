"""HTML -> PDF with WeasyPrint: the one module that holds its settings.

One ``Renderer`` per process, warmed once: one font configuration, the documents stylesheet
parsed once, and a URL fetcher that serves only the project's bundled assets (and ``data:``
URIs, which is how the re-encoded letterhead logo is embedded). Any other URL — http(s),
file:// outside the assets folder, anything in user text — is refused, so user input can
never make WeasyPrint fetch a URL or read a file.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from fontTools.subset import Options, Subsetter  # type: ignore[import-untyped]  # no hints, no stubs
from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]  # no hints, no stubs
from pikepdf import (
    Array,
    Dictionary,
    Name,
    NameTree,
    Object,
    ObjectStreamMode,
    OutlineItem,
    OutlineStructureError,
    Page,
    Pdf,
    PdfError,
    Rectangle,
    Stream,
    String,
)
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.documents import pdfwrite

log = logging.getLogger(__name__)

ASSETS = (Path(__file__).resolve().parents[1] / "static" / "documents").resolve()
STYLESHEET = Path(__file__).resolve().parents[2] / "templates" / "documents" / "documents.css"
BASE_URL = ASSETS.as_uri() + "/"


# CPython keeps a thread's Python frames in 16 KB chunks and, before 3.13, frees a chunk as soon as
# the frame that opened it returns (https://github.com/python/cpython/issues/142183). A render that
# keeps calling across such a boundary maps and unmaps a chunk thousands of times: measured here, the
# same letter took 110 to 140 ms depending only on how deep the caller's stack was (a Celery task
# sits deeper than a script), with up to 1,800 page faults per render. So a render runs inside one
# frame that declares a large value stack: the interpreter gives that frame a chunk of its own with
# room to spare, and every frame of the render fits in it (the declared stack is only reserved
# address space; pages that are never touched cost nothing). Harmless where CPython caches chunks.
ROOMY_STACK_SLOTS = 64 * 1024  # 512 KB of slots: a 1 MB chunk, half of it free for the render's frames

R = TypeVar("R")


def _in_roomy_stack(fn: Callable[..., R], *args: Any) -> R:
    return fn(*args)


_in_roomy_stack.__code__ = _in_roomy_stack.__code__.replace(co_stacksize=ROOMY_STACK_SLOTS)


# A render builds a box tree of ~20,000 objects held in reference cycles (styles, boxes, Pango layouts),
# and all of it is garbage once the PDF is written. Left to the automatic collector, a packet triggers
# about 45 young-generation passes that walk the half-built tree, promote it, and every third document
# or so a full pass of 75 to 150 ms frees it. So the warm renderer pauses automatic collection during
# a render and collects the young generation once at the end, where all of that garbage still sits:
# the same objects freed, in one short pass (20 to 40 ms for a packet), at a predictable moment.
@contextmanager
def _one_collection_per_render() -> Iterator[None]:
    if not gc.isenabled():  # someone up the stack manages collection: leave it to them
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


# What a render depends on besides its HTML and the stylesheet, read when this module is imported (the
# code that runs, not the files on disk later): this module's and pdfwrite's sources and the versions of
# the libraries that lay out and write the PDF. ``Renderer.fingerprint`` adds the stylesheet it parsed
# and the fonts' files; portal/documents/partcache.py keys the packet parts it keeps by it.
FONTS = Path("/usr/share/fonts/truetype/dejavu")  # the documents' typefaces (documents.css)
_RENDER_CODE = hashlib.sha256(
    b"\0".join(
        [
            Path(__file__).read_bytes(),
            Path(pdfwrite.__file__).read_bytes(),
            *(f"{name}={version(name)}".encode() for name in ("weasyprint", "pydyf", "fonttools")),
        ]
    )
).hexdigest()


def _fingerprint(stylesheet: str) -> str:
    digest = hashlib.sha256(f"{_RENDER_CODE}\0{stylesheet}\0".encode())
    if FONTS.is_dir():
        for font in sorted(FONTS.iterdir()):
            stat = font.stat()
            digest.update(f"{font.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


class FetchRefused(ValueError):
    pass


class SafeURLFetcher(URLFetcher):
    """Serve ``data:`` URIs and files inside the bundled assets folder; refuse everything else."""

    def __init__(self) -> None:
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path == ASSETS or ASSETS in path.parents:
                return super().fetch(path.as_uri(), headers)
        log.warning("WeasyPrint fetch refused: %s", url[:200])
        raise FetchRefused(f"refused to fetch {url[:100]!r}")


class Renderer:
    """Reusable WeasyPrint objects; thread-safe enough for one render at a time per process."""

    def __init__(self, url_fetcher: URLFetcher | None = None):
        self.url_fetcher = url_fetcher or SafeURLFetcher()
        self.font_config = FontConfiguration()
        css = STYLESHEET.read_text(encoding="utf-8")
        # what this renderer's output depends on besides the HTML (the key of the packet parts kept)
        self.fingerprint = _fingerprint(css)
        self.stylesheet = CSS(
            string=css,
            base_url=BASE_URL,
            font_config=self.font_config,
            url_fetcher=self.url_fetcher,
        )
        self.fonts = pdfwrite.FontCache()  # embedded font programs, subset and compressed once
        self._lock = threading.Lock()

    def render(self, html: str) -> tuple[bytes, int]:
        """PDF bytes and page count."""
        data, pages, _anchors = self.render_anchored(html)
        return data, pages

    def render_anchored(self, html: str) -> tuple[bytes, int, dict[str, int]]:
        """PDF bytes, page count, and the page (0-based) each element id of the HTML is on (its first)."""
        with self._lock, _one_collection_per_render():
            return _in_roomy_stack(self._render, html)

    def _render(self, html: str) -> tuple[bytes, int, dict[str, int]]:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=self.url_fetcher).render(
            stylesheets=[self.stylesheet], font_config=self.font_config
        )
        anchors: dict[str, int] = {}
        for number, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, number)
        out = io.BytesIO()
        with pdfwrite.active(self.fonts):
            document.write_pdf(out, finisher=pdfwrite.compress_streams)
        return out.getvalue(), len(document.pages), anchors

    def warm_up(self) -> None:
        """Render a page that uses every face and size the documents use (headings, text, bold, the
        running header, tables, citations): the first real document then finds its fonts loaded and
        their subsets made (pdfwrite.FontCache)."""
        self.render(WARM_UP_HTML)


WARM_UP_HTML = """<html><body class="continued" data-running-header="IMP Portal · warm-up">
<div class="cover"><div class="title">IMP Portal</div><div class="code">T37</div><div class="meta">Meta</div></div>
<h1>Warm-up é à ç</h1><h2>Heading</h2><h3>Heading</h3><p class="sans"><strong>Sans</strong> text</p>
<p>Text <b>bold</b> <i>italic</i> — “quotes” 12 € œ.</p>
<table><tr><th>Label</th><td>Value</td></tr></table>
<ul class="items"><li>•&nbsp;Item<span class="cite"> —&nbsp;R204(b)</span></li></ul>
<div class="letterhead"><div class="org"><strong>Org</strong><br>Address</div></div>
<div class="check error">Check</div><p class="small">Small</p>
</body></html>"""


_renderer: Renderer | None = None
_renderer_lock = threading.Lock()


def renderer() -> Renderer:
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = Renderer()
        return _renderer


def naive_render(html: str) -> bytes:
    """New WeasyPrint objects for every render: the baseline of bench/render_bench.py (in the same
    roomy stack as ``Renderer.render``, so that the bench compares object reuse and nothing else)."""
    return _in_roomy_stack(_naive_render, html)


def _naive_render(html: str) -> bytes:
    fetcher = SafeURLFetcher()
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), base_url=BASE_URL, url_fetcher=fetcher)
    data = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
    if data is None:  # not reached: without a target, write_pdf returns the bytes
        raise RuntimeError("WeasyPrint wrote no PDF")
    return data


def merge(
    parts: Sequence[bytes],
    annexes: dict[str, int] | None = None,
    pages: Sequence[tuple[int, int, int | None]] | None = None,
) -> tuple[bytes, int]:
    """Concatenate PDFs (the packet appends the support letter and the evidence files) and number
    every page "X / N" over the whole file, annexes included. A page number stamped earlier by this
    module (the stored support letter a packet reuses) is removed first, so each page has one.

    ``pages``, when given, is the merged file's pages in order as runs (index of the part, first page,
    end page or None for the part's last): a packet's renders hold its sections in another order.

    ``annexes`` maps a link target of the first part (the contents page's ``#annex-b``) to the page
    (0-based) where that annex starts in the merged file: the link's box gets that page's number and
    the link now opens that page. A link to a named destination of its own part (``/Dest``, or a GoTo
    action) is pointed at that page in the merged file, and the parts' bookmarks (WeasyPrint makes one
    per heading) come along in the merged order, whether they name their page, point at it or give its
    number; what has no page in the merged file (a bookmark to nothing, a part whose bookmarks cannot
    be read: an uploaded evidence file may hold anything) is left out rather than failing the packet.
    The title and language of the first part are the file's.

    qpdf (pikepdf) does the merge: about 5 ms for a 12-page packet where pypdf, in Python, took 25 to
    45 ms, on the packet's critical path after its last part is rendered."""
    if len(parts) == 1 and pages is None and not annexes:
        merged = Pdf.open(io.BytesIO(parts[0]))  # one PDF (a letter): numbered where it is, nothing to carry
        total = len(merged.pages)
    else:
        merged, total = _assemble(parts, pages, annexes or {})
    with merged:
        font = _helvetica(merged)
        for number, page in enumerate(merged.pages, start=1):
            _stamp_folio(merged, page, f"{number} / {total}", font)
        return _saved(merged), total


def underlaid(data: bytes, under: bytes) -> bytes:
    """The pages of ``data``, each drawn over the page of ``under`` with the same number (a page of
    ``under`` beyond ``data``'s pages is left out; a page of ``data`` without one is left as it is): the
    packet's running header (documents/packet_header.html) laid under the cached obligations section,
    which is shared between cases and so carries none. Under, not over: a reader that extracts the text
    meets the header first, as on the pages WeasyPrint drew with theirs."""
    with Pdf.open(io.BytesIO(data)) as pages, Pdf.open(io.BytesIO(under)) as headers:
        for page, header in zip(pages.pages, headers.pages, strict=False):
            page.add_underlay(pages.copy_foreign(header.as_form_xobject()), Rectangle(page.mediabox))
        return _saved(pages)


def concatenate(parts: list[bytes]) -> bytes:
    """The PDFs one after the other, pages untouched (an approval page after the approved version)."""
    merged, _total = _assemble(parts, None, {})
    with merged:
        return _saved(merged)


def _saved(merged: Pdf) -> bytes:
    """The file's bytes, its objects packed in object streams (PDF 1.5, which every reader of the last
    twenty years opens): measured on a 12-page packet, saving takes 2.0 ms instead of 3.3 and the file is
    8 % smaller (245 kB instead of 268)."""
    out = io.BytesIO()
    merged.save(out, object_stream_mode=ObjectStreamMode.generate)
    return out.getvalue()


def _assemble(
    parts: Sequence[bytes], runs: Sequence[tuple[int, int, int | None]] | None, annexes: dict[str, int]
) -> tuple[Pdf, int]:
    """The parts' pages in the order of ``runs`` in a new PDF, with the annexes' links numbered, the
    other links between them and their bookmarks; the first part's title and language."""
    sources = [Pdf.open(io.BytesIO(data)) for data in parts]
    try:
        merged = Pdf.new()
        placed: dict[tuple[int, int], int] = {}  # (part, its page) -> page of the merged file
        order = runs if runs is not None else [(i, 0, None) for i in range(len(sources))]
        for index, first, end in order:
            source = sources[index]
            for number in range(first, len(source.pages) if end is None else end):
                placed[index, number] = len(merged.pages)
                merged.pages.append(source.pages[number])
        _disarm(merged)
        places = _Places(sources, placed, merged)
        owners = [index for (index, _number), _page in sorted(placed.items(), key=lambda item: item[1])]
        if annexes:
            _link_annexes(merged, annexes)
        _carry_links(merged, places, owners, skip=set(annexes))
        _carry_outlines(merged, places, order)
        if sources:
            _carry_document_facts(merged, sources[0])
        return merged, len(merged.pages)
    finally:
        for source in sources:
            source.close()


class _Places:
    """Where the parts' pages went in the merged file, and each part's named destinations: turns a part's
    destination into one of the merged file. A destination is an array whose first entry is a page (an
    indirect reference, or a page number as some writers put it) or a name of the part; anything else,
    or a page left out of the merged file, has no place (None)."""

    def __init__(self, sources: list[Pdf], placed: dict[tuple[int, int], int], merged: Pdf) -> None:
        self.sources, self.placed, self.merged = sources, placed, merged
        self.numbers = [{page.obj.objgen: n for n, page in enumerate(source.pages)} for source in sources]
        self.names = [_names_of(source) for source in sources]

    def destination(self, index: int, dest: Any) -> tuple[int, Array] | None:
        """(the page of part ``index`` it opens, the destination in the merged file), or None."""
        if isinstance(dest, String | Name):
            found = self.names[index].get(
                str(dest).removeprefix("/") if isinstance(dest, Name) else str(dest)
            )
            dest = found.get("/D") if isinstance(found, Dictionary) else found
        if not isinstance(dest, Array) or len(dest) == 0:
            return None
        first = dest[0]
        if isinstance(first, int):
            number: int | None = first
        elif isinstance(first, Object) and first.is_indirect:
            number = self.numbers[index].get(first.objgen)
        else:
            number = None
        page = self.placed.get((index, number)) if number is not None else None
        if number is None or page is None:
            return None
        return number, Array([self.merged.pages[page].obj, *list(dest)[1:]])


def _names_of(source: Pdf) -> dict[str, Any]:
    """The named destinations of a PDF: its name tree's and the older /Dests dictionary's (empty when it
    has none or they cannot be read)."""
    out: dict[str, Any] = {}
    try:
        legacy = source.Root.get("/Dests")
        if isinstance(legacy, Dictionary):
            out.update({str(key).removeprefix("/"): value for key, value in legacy.items()})
        names = source.Root.get("/Names")
        dests = names.get("/Dests") if isinstance(names, Dictionary) else None
        if isinstance(dests, Dictionary):
            out.update(NameTree(dests).items())
    except (PdfError, ValueError, KeyError, TypeError):
        log.warning("The named destinations of a part cannot be read; its links to them stay as they are")
    return out


def _goto(action: Any) -> Any:
    """The destination of a GoTo action (``/A``), else None."""
    if isinstance(action, Dictionary) and action.get("/S") == Name.GoTo:
        return action.get("/D")
    return None


def _carry_links(merged: Pdf, places: _Places, owners: list[int], skip: set[str]) -> None:
    """Links to a named destination of their part (``/Dest``, or a GoTo action's ``/D``) point at its
    page in the merged file (the names stay behind with their parts); ``skip``: names handled apart (the
    annexes). Explicit destinations were carried by qpdf with the pages; a link whose target is not in
    the file is left as it was."""
    for number, page in enumerate(merged.pages):
        for link in page.obj.get("/Annots") or ():
            if not isinstance(link, Dictionary) or link.get("/Subtype") != Name.Link:
                continue
            via_action = "/Dest" not in link
            dest = _goto(link.get("/A")) if via_action else link.get("/Dest")
            if not isinstance(dest, String | Name) or str(dest) in skip:
                continue
            found = places.destination(owners[number], dest)
            if found is not None:
                link.Dest = found[1]
                if via_action:
                    del link.A


def _carry_outlines(merged: Pdf, places: _Places, order: Sequence[tuple[int, int, int | None]]) -> None:
    """The parts' bookmarks, in the order their pages take in the merged file: each run of pages brings
    the bookmarks that open one of its pages (a bookmark whose page is elsewhere, or that cannot be read,
    lifts its children). A part whose bookmarks cannot be read brings none."""
    by_part: dict[int, list[Any]] = {}
    for index in {run[0] for run in order}:
        try:  # read only: not as a context manager, which writes the outline back into the part on exit
            by_part[index] = list(places.sources[index].open_outline().root)
        except (OutlineStructureError, PdfError, ValueError, KeyError, TypeError):
            log.warning("The bookmarks of part %s cannot be read; merged without them", index)
            by_part[index] = []

    def carried(index: int, items: list[Any], run: tuple[int, int, int | None]) -> list[OutlineItem]:
        out = []
        _index, first, end = run
        last = len(places.sources[index].pages) if end is None else end
        for item in items:
            children = carried(index, list(item.children), run)
            found = places.destination(index, item.destination or _goto(item.action))
            if found is not None and first <= found[0] < last:
                copy = OutlineItem(str(item.title or ""), found[1])
                copy.children.extend(children)
                out.append(copy)
            else:
                out.extend(children)
        return out

    with merged.open_outline() as outline:
        for run in order:
            outline.root.extend(carried(run[0], by_part.get(run[0], []), run))


# What the pages of an uploaded evidence file may not bring into a packet, which the consultant opens in
# the review page and the portal signs once approved: actions that run when a page or a field is opened or
# clicked (JavaScript, launching a program, submitting a form, opening another file...), and annotations
# that carry a file or media. Links to a page or to a web address stay.
SAFE_ACTIONS = frozenset({"/GoTo", "/URI"})
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})


def _disarm(merged: Pdf) -> None:
    """Remove the pages' actions (``/AA``), the annotations that carry files or media, the annotations'
    own actions (``/AA``) and every link action other than a GoTo or a URI (with no ``/Next`` after it)."""
    for page in merged.pages:
        obj = page.obj
        if "/AA" in obj:
            del obj["/AA"]
        annotations = obj.get("/Annots")
        if not isinstance(annotations, Array):
            continue
        kept = Array()
        for annotation in annotations:
            if (
                not isinstance(annotation, Dictionary)
                or str(annotation.get("/Subtype")) in ACTIVE_ANNOTATIONS
            ):
                continue
            if "/AA" in annotation:
                del annotation["/AA"]
            action = annotation.get("/A")
            if action is not None:
                if isinstance(action, Dictionary) and str(action.get("/S")) in SAFE_ACTIONS:
                    if "/Next" in action:
                        del action["/Next"]
                else:
                    del annotation["/A"]
            kept.append(annotation)
        if len(kept) != len(annotations):
            obj.Annots = kept


def _carry_document_facts(merged: Pdf, first: Pdf) -> None:
    """The title (the document information) and the language (/Lang: screen readers) of the first part."""
    title = first.docinfo.get("/Title")
    if title is not None:
        merged.docinfo[Name.Title] = String(str(title))
    lang = first.Root.get("/Lang")
    if lang is not None:
        merged.Root.Lang = String(str(lang))


# The annex page numbers of the contents page: the contents' 10.5 pt in its ink (documents.css .toc),
# right-aligned in the link's box.
ANNEX_MARK = Name("/IMPPortalAnnexPage")
ANNEX_FONT = Name("/FIMPAnnex")
ANNEX_SIZE = 10.5


# The contents page's own typeface (documents.css: html is DejaVu Serif), its digits embedded once per
# packet; Helvetica only where the font file is missing.
ANNEX_FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
_DIGITS = "0123456789"


@lru_cache(maxsize=1)
def _digits_font() -> tuple[bytes, dict[str, float], dict[str, Any]] | None:
    """(DejaVu Serif cut down to its digits, each digit's advance per 1000 em, the descriptor's metrics)."""
    try:
        font = TTFont(str(ANNEX_FONT_FILE))
    except (OSError, TTLibError):
        log.warning("%s missing: the contents page's annex numbers use Helvetica", ANNEX_FONT_FILE)
        return None
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    widths = {d: font["hmtx"][cmap[ord(d)]][0] * scale for d in _DIGITS}
    head, hhea = font["head"], font["hhea"]
    metrics = {
        "ascent": hhea.ascent * scale,
        "descent": hhea.descent * scale,
        "bbox": [head.xMin * scale, head.yMin * scale, head.xMax * scale, head.yMax * scale],
        "cap": getattr(font["OS/2"], "sCapHeight", 0) * scale or 729,
    }
    subsetter = Subsetter(Options(notdef_outline=True, name_IDs=["*"], layout_features=[]))
    subsetter.populate(text=_DIGITS)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), widths, metrics


def _annex_font(merged: Pdf) -> tuple[Dictionary, dict[str, float]]:
    """The font the annex numbers are drawn in, and its digits' widths."""
    found = _digits_font()
    if found is None:
        return _helvetica(merged), {d: _HELVETICA[d] for d in _DIGITS}
    data, widths, m = found
    file = Stream(merged, data)
    file.Length1 = len(data)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/IMPAAA+DejaVuSerif"),
        Flags=34,  # serif, non-symbolic
        FontBBox=Array(m["bbox"]),
        ItalicAngle=0,
        Ascent=m["ascent"],
        Descent=m["descent"],
        CapHeight=m["cap"],
        StemV=80,
        FontFile2=merged.make_indirect(file),
    )
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.TrueType,
        BaseFont=Name("/IMPAAA+DejaVuSerif"),
        FirstChar=ord("0"),
        LastChar=ord("9"),
        Widths=Array([widths[d] for d in _DIGITS]),
        Encoding=Name.WinAnsiEncoding,
        FontDescriptor=merged.make_indirect(descriptor),
    )
    return merged.make_indirect(font), widths


def _helvetica(merged: Pdf) -> Dictionary:
    return merged.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )


def _link_annexes(merged: Pdf, annexes: dict[str, int]) -> None:
    font: Dictionary | None = None
    widths: dict[str, float] = {}
    for page in merged.pages:
        for link in page.obj.get("/Annots") or ():
            target = link.get("/Dest")
            if link.get("/Subtype") != Name.Link or not isinstance(target, String):
                continue
            start = annexes.get(str(target))
            if start is None or not 0 <= start < len(merged.pages):
                continue
            if font is None:
                font, widths = _annex_font(merged)
            # the named destination stays behind with the first part: point straight at the page
            link.Dest = Array([merged.pages[start].obj, Name.Fit])
            _stamp_text(merged, page, str(start + 1), [float(v) for v in link.Rect], font, widths)


def _stamp_text(
    merged: Pdf,
    page: Page,
    text: str,
    rect: list[float],
    font: Dictionary,
    widths: dict[str, float],
) -> None:
    """``text`` (digits) right-aligned in ``rect`` (a link's box), on the baseline of its line."""
    left, right = min(rect[0], rect[2]), max(rect[0], rect[2])
    bottom = min(rect[1], rect[3])
    width = sum(widths[ch] for ch in text) * ANNEX_SIZE / 1000
    x = max(left, right - width)
    y = bottom  # the box is an inline block standing on the line's baseline (documents.css .annex-ref)
    drawing = (
        f"q BT /FIMPAnnex {ANNEX_SIZE} Tf 0.067 0.094 0.153 rg 1 0 0 1 {x:.2f} {y:.2f} Tm ({text}) Tj ET Q\n"
    )
    _draw_over(merged, page, drawing, mark=ANNEX_MARK, font_name=ANNEX_FONT, font=font)


# The page number: 8 pt Helvetica (a standard font, nothing embedded) in the documents' grey, right-aligned
# in the bottom margin where documents.css leaves room for it, marked as a pagination artifact.
FOLIO_MARK = Name("/IMPPortalFolio")  # on the content streams this module adds, to find them again
FOLIO_FONT = Name("/FIMPFolio")
FOLIO_SIZE = 8
FOLIO_RIGHT = 20 / 25.4 * 72  # the page's right margin (20 mm)
FOLIO_BASELINE = 9 / 25.4 * 72  # 9 mm above the bottom edge, inside the 22 mm margin
# Helvetica advance widths (per 1000 em) of the characters a folio uses.
_HELVETICA = {**dict.fromkeys("0123456789", 556), " ": 278, "/": 278}


def _stamp_folio(merged: Pdf, page: Page, text: str, font: Dictionary) -> None:
    box = page.mediabox
    width = sum(_HELVETICA[ch] for ch in text) * FOLIO_SIZE / 1000
    x = float(max(box[0], box[2])) - FOLIO_RIGHT - width
    y = float(min(box[1], box[3])) + FOLIO_BASELINE
    drawing = (
        f"q /Artifact <</Type /Pagination /Subtype /Footer>> BDC BT /FIMPFolio {FOLIO_SIZE} Tf "
        f"0.42 0.447 0.502 rg 1 0 0 1 {x:.2f} {y:.2f} Tm ({text}) Tj ET EMC Q\n"
    )
    # drop_marked: a page numbered again (a merge of merged PDFs) loses its earlier number
    _draw_over(merged, page, drawing, mark=FOLIO_MARK, font_name=FOLIO_FONT, font=font, drop_marked=True)


def _draw_over(
    merged: Pdf,
    page: Page,
    drawing: str,
    *,
    mark: Name,
    font_name: Name,
    font: Dictionary,
    drop_marked: bool = False,
) -> None:
    """Draw ``drawing`` (PDF operators) over the page: the page's own content streams are enclosed in
    q/Q, so their graphics state cannot move it; the two streams added carry ``mark`` (with
    ``drop_marked``, streams so marked by an earlier call are removed first); ``font`` goes into the
    page's resources under ``font_name``."""
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, Array) else [] if contents is None else [contents]
    if drop_marked:
        streams = [stream for stream in streams if mark not in stream.stream_dict]
    opening = Stream(merged, b"q\n")  # the page's own drawing is enclosed, so its state cannot move ours
    closing = Stream(merged, f"Q\n{drawing}".encode("ascii"))
    for stream in (opening, closing):
        stream[mark] = Name("/true")
    page.obj.Contents = Array([merged.make_indirect(opening), *streams, merged.make_indirect(closing)])
    if "/Resources" not in page.obj:
        page.obj.Resources = Dictionary()
    resources = page.obj.Resources
    if "/Font" not in resources:
        resources.Font = Dictionary()
    resources.Font[font_name] = font
