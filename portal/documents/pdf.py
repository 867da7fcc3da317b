"""HTML -> PDF with WeasyPrint: the one module that holds its settings.

One ``Renderer`` per process, warmed once: one font configuration, the documents stylesheet
parsed once, and a URL fetcher that serves only the project's bundled assets (and ``data:``
URIs, which is how the re-encoded letterhead logo is embedded). Any other URL — http(s),
file:// outside the assets folder, anything in user text — is refused, so user input can
never make WeasyPrint fetch a URL or read a file.
"""

from __future__ import annotations

import gc
import io
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from fontTools.subset import Options, Subsetter  # type: ignore[import-untyped]  # no hints, no stubs
from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]  # no hints, no stubs
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
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
        self.stylesheet = CSS(
            string=STYLESHEET.read_text(encoding="utf-8"),
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


def prepared(data: bytes) -> PdfReader:
    """A PDF to merge, parsed ahead: its pages and everything they reference, its named destinations and
    outline — about 60 % of what ``merge`` does with it, done while the caller would otherwise wait."""
    reader = PdfReader(io.BytesIO(data))
    seen: set[int] = set()
    for page in reader.pages:
        _resolve(page, seen)
    _ = reader.named_destinations, reader.outline
    return reader


def _resolve(obj: Any, seen: set[int]) -> None:
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key != "/Parent":  # up to the page tree: the pages are walked one by one
                _resolve(value, seen)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _resolve(value, seen)


def merge(
    parts: Sequence[bytes | PdfReader],
    annexes: dict[str, int] | None = None,
    pages: Sequence[tuple[int, int, int | None]] | None = None,
) -> tuple[bytes, int]:
    """Concatenate PDFs (the packet appends the support letter and the evidence files) and number
    every page "X / N" over the whole file, annexes included. A page number stamped earlier by this
    module (the stored support letter a packet reuses) is removed first, so each page has one.

    A part may be given already read (``prepared``). ``pages``, when given, is the merged file's pages in order as runs (index of the part, first page,
    end page or None for the part's last): a packet's renders hold its sections in another order.

    ``annexes`` maps a link target of the first part (the contents page's ``#annex-b``) to the page
    (0-based) where that annex starts in the merged file: the link's box gets that page's number and
    the link now opens that page."""

    readers = [part if isinstance(part, PdfReader) else PdfReader(io.BytesIO(part)) for part in parts]
    writer = PdfWriter()
    for index, first, end in pages if pages is not None else [(i, 0, None) for i in range(len(parts))]:
        reader = readers[index]
        writer.append(reader, pages=(first, len(reader.pages) if end is None else end))
    total = len(writer.pages)
    if annexes:
        _link_annexes(writer, annexes)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    for number, page in enumerate(writer.pages, start=1):
        _stamp_folio(writer, page, f"{number} / {total}", font)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total


# The annex page numbers of the contents page: the contents' 10.5 pt in its ink (documents.css .toc),
# right-aligned in the link's box.
ANNEX_MARK = NameObject("/IMPPortalAnnexPage")
ANNEX_FONT = NameObject("/FIMPAnnex")
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


def _annex_font(writer: PdfWriter) -> tuple[IndirectObject, dict[str, float]]:
    """The font the annex numbers are drawn in, and its digits' widths."""
    found = _digits_font()
    if found is None:
        return _helvetica(writer), {d: _HELVETICA[d] for d in _DIGITS}
    data, widths, m = found
    file = DecodedStreamObject()
    file.set_data(data)
    file[NameObject("/Length1")] = NumberObject(len(data))
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/IMPAAA+DejaVuSerif"),
            NameObject("/Flags"): NumberObject(34),  # serif, non-symbolic
            NameObject("/FontBBox"): ArrayObject([FloatObject(v) for v in m["bbox"]]),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): FloatObject(m["ascent"]),
            NameObject("/Descent"): FloatObject(m["descent"]),
            NameObject("/CapHeight"): FloatObject(m["cap"]),
            NameObject("/StemV"): NumberObject(80),
            NameObject("/FontFile2"): writer._add_object(file),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/TrueType"),
            NameObject("/BaseFont"): NameObject("/IMPAAA+DejaVuSerif"),
            NameObject("/FirstChar"): NumberObject(ord("0")),
            NameObject("/LastChar"): NumberObject(ord("9")),
            NameObject("/Widths"): ArrayObject([FloatObject(widths[d]) for d in _DIGITS]),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),
        }
    )
    return writer._add_object(font), widths


def _helvetica(writer: PdfWriter) -> IndirectObject:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )


def _link_annexes(writer: PdfWriter, annexes: dict[str, int]) -> None:
    font: IndirectObject | None = None
    widths: dict[str, float] = {}
    for page in writer.pages:
        for ref in page.get("/Annots") or ():
            link = ref.get_object()
            target = link.get("/Dest")
            if link.get("/Subtype") != "/Link" or not isinstance(target, str) or target not in annexes:
                continue
            start = annexes[target]
            if not 0 <= start < len(writer.pages):
                continue
            if font is None:
                font, widths = _annex_font(writer)
            # the named destination stays behind with the first part: point straight at the page
            link[NameObject("/Dest")] = ArrayObject(
                [writer.pages[start].indirect_reference, NameObject("/Fit")]
            )
            _stamp_text(writer, page, str(start + 1), [float(v) for v in link["/Rect"]], font, widths)


def _stamp_text(
    writer: PdfWriter,
    page: PageObject,
    text: str,
    rect: list[float],
    font: IndirectObject,
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
    _draw_over(writer, page, drawing, mark=ANNEX_MARK, font_name=ANNEX_FONT, font=font)


def concatenate(parts: list[bytes]) -> bytes:
    """The PDFs one after the other, pages untouched (an approval page after the approved version)."""
    writer = PdfWriter()
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# The page number: 8 pt Helvetica (a standard font, nothing embedded) in the documents' grey, right-aligned
# in the bottom margin where documents.css leaves room for it, marked as a pagination artifact.
FOLIO_MARK = NameObject("/IMPPortalFolio")  # on the content streams this module adds, to find them again
FOLIO_FONT = NameObject("/FIMPFolio")
FOLIO_SIZE = 8
FOLIO_RIGHT = 20 / 25.4 * 72  # the page's right margin (20 mm)
FOLIO_BASELINE = 9 / 25.4 * 72  # 9 mm above the bottom edge, inside the 22 mm margin
# Helvetica advance widths (per 1000 em) of the characters a folio uses.
_HELVETICA = {**dict.fromkeys("0123456789", 556), " ": 278, "/": 278}


def _stamp_folio(writer: PdfWriter, page: PageObject, text: str, font: IndirectObject) -> None:
    box = page.mediabox
    width = sum(_HELVETICA[ch] for ch in text) * FOLIO_SIZE / 1000
    x = float(box.right) - FOLIO_RIGHT - width
    y = float(box.bottom) + FOLIO_BASELINE
    drawing = (
        f"q /Artifact <</Type /Pagination /Subtype /Footer>> BDC BT /FIMPFolio {FOLIO_SIZE} Tf "
        f"0.42 0.447 0.502 rg 1 0 0 1 {x:.2f} {y:.2f} Tm ({text}) Tj ET EMC Q\n"
    )
    # drop_marked: a page numbered again (a merge of merged PDFs) loses its earlier number
    _draw_over(writer, page, drawing, mark=FOLIO_MARK, font_name=FOLIO_FONT, font=font, drop_marked=True)


def _draw_over(
    writer: PdfWriter,
    page: PageObject,
    drawing: str,
    *,
    mark: NameObject,
    font_name: NameObject,
    font: IndirectObject,
    drop_marked: bool = False,
) -> None:
    """Draw ``drawing`` (PDF operators) over the page: the page's own content streams are enclosed in
    q/Q, so their graphics state cannot move it; the two streams added carry ``mark`` (with
    ``drop_marked``, streams so marked by an earlier call are removed first); ``font`` goes into the
    page's resources under ``font_name``."""
    contents = page.get("/Contents")
    streams = contents.get_object() if contents is not None else ArrayObject()
    streams = list(streams) if isinstance(streams, ArrayObject) else [contents]
    if drop_marked:
        streams = [ref for ref in streams if mark not in ref.get_object()]
    opening = DecodedStreamObject()
    opening.set_data(b"q\n")  # the page's own drawing is enclosed, so its state cannot move ours
    closing = DecodedStreamObject()
    closing.set_data(f"Q\n{drawing}".encode("ascii"))
    for stream in (opening, closing):
        stream[mark] = NameObject("/true")
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(opening), *streams, writer._add_object(closing)]
    )
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    page[NameObject("/Resources")] = resources
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    fonts[font_name] = font
    resources[NameObject("/Font")] = fonts
