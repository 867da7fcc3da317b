"""How the warm renderer writes its PDFs: fonts subset and compressed once per process, and the other
streams compressed at zlib's default level rather than pydyf's level 9.

Fonts. WeasyPrint embeds every font a document uses cut down to the glyphs it draws: HarfBuzz subsets the
whole font file (DejaVu Serif is 380 KB, Sans 700 KB) and pydyf compresses the subset at zlib level 9,
on every render — 4 to 8 ms of a letter's 90, for font programs that are nearly the same every time.
Inside ``Renderer.render`` (``active``) a font is instead cut down to a fixed, broad repertoire — the
glyphs of ASCII, Latin-1, œ Œ Ÿ, the usual punctuation, € and the f-ligatures: any English or French
text — plus whatever else the document draws, and that subset and its compressed stream are
kept for the next render. The PDF's /Widths and /ToUnicode still list only the glyphs drawn (built by
WeasyPrint as before); the embedded program merely holds a few hundred more glyphs than it needs (about
8 KB per face once compressed: a support letter of 26 KB weighs 58). The naive render (``pdf.naive_render``) never sets ``active``, so it
subsets and compresses as WeasyPrint always does.

Fonts WeasyPrint treats specially (bitmap, variable, colour, form fields) are left to it.

Streams. pydyf compresses every stream (the pages' drawing, the ToUnicode maps) at zlib level 9: for
the text-drawing operators of a page that is about three times the CPU of level 6 for 1.5 % fewer
bytes (a letter: 2.8 ms against 1.0 ms, 9,673 against 9,813 bytes). ``compress_streams`` (a WeasyPrint
finisher) compresses them at level 6 before pydyf writes the file.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer: no hints, no stubs
import weasyprint.pdf as weasyprint_pdf
import weasyprint.pdf.fonts as weasyprint_pdf_fonts
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # no hints, no stubs

from portal.lru import LRU

# What every subset holds, whatever the text: Basic Latin, Latin-1, French's œ Œ Ÿ, the usual punctuation
# (quotes, dashes, bullet, ellipsis, the narrow no-break space), the euro and the f-ligatures Pango uses.
REPERTOIRE = (
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    0x152,  # Œ œ Ÿ: French
    0x153,
    0x178,
    0x2013,  # – — ‘ ’ “ ” • …
    0x2014,
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2022,
    0x2026,
    0x202F,  # narrow no-break space (French punctuation)
    0x20AC,  # €
    *range(0xFB00, 0xFB05),  # ff fi fl ffi ffl
)
STREAM_LEVEL = 6  # zlib's default
CACHED_SUBSETS = 64  # per process; a key is a font face and a glyph set (nearly always the repertoire's)


@dataclass(frozen=True)
class Subset:
    program: bytes  # the font file cut down to the glyphs (WeasyPrint's /FontFile2 before compression)
    compressed: bytes  # the same at zlib level 9, as pydyf would write it


class FontCache:
    """One process's subsets, by font face and glyph set (a bounded LRU)."""

    def __init__(self, size: int = CACHED_SUBSETS) -> None:
        self._repertoires: dict[tuple[Any, ...], frozenset[int]] = {}
        self._subsets: LRU[tuple[Any, ...], Subset] = LRU(size)

    @property
    def hits(self) -> int:
        return self._subsets.hits

    @property
    def misses(self) -> int:
        return self._subsets.misses

    def subset(self, font: Any, used: set[int], hinting: bool) -> Subset:
        face = _face_key(font)
        base = self._repertoire(face, font)
        glyphs = base if used <= base else frozenset(used | base)
        key = (face, glyphs, bool(hinting), bool(font.missing))

        def make() -> Subset:
            font._harfbuzz_subset(dict.fromkeys(glyphs), hinting)  # WeasyPrint's own subsetting, our glyphs
            program = bytes(font.file_content)
            return Subset(program, _compress(program))

        return self._subsets.get_or_make(key, make)

    def _repertoire(self, face: tuple[Any, ...], font: Any) -> frozenset[int]:
        found = self._repertoires.get(face)
        if found is None:
            ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
            cmap = ttfont.getBestCmap() or {}
            found = frozenset(ttfont.getGlyphID(cmap[cp]) for cp in REPERTOIRE if cp in cmap)
            self._repertoires[face] = found
        return found


def _face_key(font: Any) -> tuple[Any, ...]:
    """A font file as WeasyPrint's Font sees it (its pango description without the size)."""
    return (font.family, font.weight, font.style, font.index, font.glyph_count, len(font.file_content))


def _compress(data: bytes) -> bytes:
    compressor = zlib.compressobj(level=9)  # pydyf's level: the same bytes as WeasyPrint would write
    return compressor.compress(data) + compressor.flush()


_active: ContextVar[FontCache | None] = ContextVar("imp_portal_font_cache", default=None)


@contextmanager
def active(cache: FontCache) -> Iterator[None]:
    """Renders inside this block embed their fonts from ``cache``."""
    token = _active.set(cache)
    try:
        yield
    finally:
        _active.reset(token)


def _special(font: Any) -> bool:
    """A font left to WeasyPrint: bitmap, form field, variable, colour — or one whose attributes are not
    those of the WeasyPrint this was written for."""
    try:
        return bool(
            font.bitmap or font.used_in_forms or "fvar" in font.tables or font.png or font.svg or font.colr
        ) or not callable(getattr(font, "_harfbuzz_subset", None))
    except AttributeError:
        return True


def _already_clean(*_args: Any) -> None:
    """Font.clean of a font whose file content is already the cached subset."""


_weasyprint_fonts_dictionary = weasyprint_pdf.build_fonts_dictionary


def fonts_dictionary(pdf: Any, fonts: dict[Any, Any], compress: bool, subset: bool, options: Any) -> Any:
    """weasyprint.pdf.build_fonts_dictionary, the font programs from the active cache."""
    cache = _active.get()
    if cache is None or not subset:
        return _weasyprint_fonts_dictionary(pdf, fonts, compress, subset, options)
    by_file: dict[str, list[Any]] = {}
    for font in fonts.values():
        by_file.setdefault(font.hash, []).append(font)
    ready: dict[int, Subset] = {}
    for same_file in by_file.values():
        font = same_file[0]  # WeasyPrint embeds the first font of a file for all of them
        used = {glyph for each in same_file for glyph in each.to_unicode}
        if not used or _special(font):
            continue
        found = cache.subset(font, used, options["hinting"])
        font.file_content = found.program
        font.clean = _already_clean  # this instance only: WeasyPrint would subset it again
        ready[id(found.program)] = found
    first = len(pdf.objects)
    result = _weasyprint_fonts_dictionary(pdf, fonts, compress, subset, options)
    if compress:
        for obj in pdf.objects[first:]:  # the font file streams: already compressed once, in the cache
            if isinstance(obj, pydyf.Stream) and len(obj.stream) == 1 and id(obj.stream[0]) in ready:
                obj.stream = [ready[id(obj.stream[0])].compressed]
                obj.compress = False
                obj.extra["Filter"] = "/FlateDecode"
    return result


def compress_streams(_document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: compress the streams pydyf would compress, at ``STREAM_LEVEL``."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)  # what pydyf would compress
            obj.stream = [zlib.compress(raw, STREAM_LEVEL)]
            obj.compress = False
            obj.extra["Filter"] = "/FlateDecode"


# generate_pdf looks it up in its module; without HarfBuzz's subsetter, WeasyPrint's own path (fontTools).
if getattr(weasyprint_pdf_fonts, "harfbuzz_subset", None):
    weasyprint_pdf.build_fonts_dictionary = fonts_dictionary
