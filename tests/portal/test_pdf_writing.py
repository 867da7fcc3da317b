"""How the warm renderer writes its PDFs (portal/documents/pdfwrite.py): each font subset to a fixed
repertoire once per process and reused by later renders whatever their text, any glyph outside it still
embedded, the text reading back as from the naive render; the naive render subsets as WeasyPrint does."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from portal.documents import pdf
from tests.portal.document_helpers import pdf_text, squash

ENGLISH = "<html><body><h1>Support letter</h1><p>The worker will manage the <b>Toronto</b> office.</p></body></html>"
FRENCH = (
    "<html><body><h1>Lettre d’appui</h1><p>L’employé « dirigera » le bureau de <b>Montréal</b> — "
    "œuvre financière, 12 €.</p></body></html>"
)
POLISH = "<html><body><h1>Łódź</h1><p>Zażółć gęślą jaźń.</p></body></html>"


def font_programs(data: bytes) -> dict[str, bytes]:
    """Each embedded font's name and its program (/FontFile2, decoded)."""
    out = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                name = str(descriptor["/FontName"]).split("+", 1)[1]
                out[name] = descriptor["/FontFile2"].get_object().get_data()
    return out


def test_the_warm_renderer_subsets_a_font_once_for_texts_of_the_repertoire():
    renderer = pdf.Renderer()
    english, _pages = renderer.render(ENGLISH)
    first_misses = renderer.fonts.misses
    assert first_misses >= 2 and renderer.fonts.hits == 0  # serif, sans bold, serif bold: subset once each
    french, _pages = renderer.render(FRENCH)
    assert renderer.fonts.misses == first_misses and renderer.fonts.hits >= 2  # French, € and œ included
    # The same font programs in both, though the texts share few glyphs; the naive render subsets each
    # document to the glyphs it draws.
    warm_english, warm_french = font_programs(english), font_programs(french)
    shared = set(warm_english) & set(warm_french)
    assert {"DejaVu-Serif", "DejaVu-Sans-Bold"} <= shared
    assert all(warm_english[name] == warm_french[name] for name in shared)
    naive_english, naive_french = (
        font_programs(pdf.naive_render(ENGLISH)),
        font_programs(pdf.naive_render(FRENCH)),
    )
    assert naive_english["DejaVu-Serif"] != naive_french["DejaVu-Serif"]
    # The text reads back as from the naive render.
    for html, warm in ((ENGLISH, english), (FRENCH, french)):
        assert squash(pdf_text(warm)) == squash(pdf_text(pdf.naive_render(html)))
    assert "Montréal" in pdf_text(french) and "œuvre" in pdf_text(french) and "12 €" in pdf_text(french)


def test_a_glyph_outside_the_repertoire_is_embedded_with_its_outline():
    renderer = pdf.Renderer()
    renderer.render(ENGLISH)
    data, _pages = renderer.render(POLISH)
    assert squash(pdf_text(data)) == squash(pdf_text(pdf.naive_render(POLISH)))
    for name, letter in (("DejaVu-Sans-Bold", "Ł"), ("DejaVu-Serif", "ż")):
        font = TTFont(io.BytesIO(font_programs(data)[name]))
        glyph = font.getGlyphOrder()[_glyph_id(name, letter)]
        assert font["glyf"][glyph].numberOfContours != 0, (name, letter)  # drawn (or composite), not empty


def _glyph_id(name: str, letter: str) -> int:
    """The glyph id of ``letter`` in the system's full font (the subsets keep the glyph ids)."""
    path = {"DejaVu-Sans-Bold": "DejaVuSans-Bold.ttf", "DejaVu-Serif": "DejaVuSerif.ttf"}[name]
    full = TTFont(f"/usr/share/fonts/truetype/dejavu/{path}")
    return full.getGlyphID(full.getBestCmap()[ord(letter)])


def test_the_warm_up_makes_the_subsets_a_document_needs():
    renderer = pdf.Renderer()
    renderer.warm_up()
    made = renderer.fonts.misses
    assert made >= 4
    renderer.render(
        '<html><body data-running-header="Acme · Packet"><h1>Packet</h1><p class="sans">Sans</p>'
        "<p>Text <b>bold</b>.</p><table><tr><th>Label</th><td>Value</td></tr></table></body></html>"
    )
    assert renderer.fonts.misses == made  # every face it draws was subset by the warm-up
