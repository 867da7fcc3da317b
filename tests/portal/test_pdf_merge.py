"""pdf.merge on PDFs the portal did not make: an uploaded evidence file may point its bookmarks and links
at pages by number, by a name of its own, through a GoTo action, or at nothing. The merge carries what
it can place and drops what it cannot; it never fails the packet."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from pypdf import PdfReader

from portal.documents import pdf


def odd_evidence() -> bytes:
    """Two pages; bookmarks to page 1 by number, to page 2 through a GoTo action on a name, and to
    nothing (null); a link on page 1 to the name of page 2 through a GoTo action; a name to nothing."""
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(612, 792))
    doc.add_blank_page(page_size=(612, 792))
    second = doc.pages[1].obj
    doc.Root.Names = Dictionary(
        Dests=Dictionary(
            Names=Array(
                [String("broken"), Array([None, Name.Fit]), String("second"), Array([second, Name.Fit])]
            )
        )
    )
    items = [
        Dictionary(Title=String("By number"), Dest=Array([0, Name.Fit])),
        Dictionary(Title=String("By action"), A=Dictionary(S=Name.GoTo, D=String("second"))),
        Dictionary(Title=String("To nothing"), Dest=Array([None, Name.Fit])),
    ]
    outlines = doc.make_indirect(Dictionary(Type=Name.Outlines, Count=len(items)))
    refs = [doc.make_indirect(item) for item in items]
    for n, ref in enumerate(refs):
        ref.Parent = outlines
        if n:
            ref.Prev = refs[n - 1]
        if n + 1 < len(refs):
            ref.Next = refs[n + 1]
    outlines.First, outlines.Last = refs[0], refs[-1]
    doc.Root.Outlines = outlines
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([100, 100, 200, 120]),
        A=Dictionary(S=Name.GoTo, D=String("second")),
    )
    doc.pages[0].obj.Annots = Array([doc.make_indirect(link)])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_evidence_with_odd_bookmarks_and_links_merges_and_keeps_what_it_can_place():
    first, _pages = pdf.renderer().render("<html><body><h1>Contents</h1><p>Text.</p></body></html>")
    data, total = pdf.merge([first, odd_evidence()])
    assert total == 3
    reader = PdfReader(io.BytesIO(data))
    marks = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert marks == {"Contents": 0, "By number": 1, "By action": 2}  # "To nothing" left out
    (link,) = [ref.get_object() for ref in reader.pages[1]["/Annots"]]
    assert "/A" not in link and reader.get_page_number(link["/Dest"][0].get_object()) == 2
    assert [page.extract_text().strip().splitlines()[-1] for page in reader.pages] == [
        "1 / 3",
        "2 / 3",
        "3 / 3",
    ]


def test_a_part_whose_bookmarks_cannot_be_read_is_merged_without_them():
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(612, 792))
    item = doc.make_indirect(Dictionary(Title=String("Broken"), Dest=Dictionary(Not="a destination")))
    doc.Root.Outlines = doc.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
    item.Parent = doc.Root.Outlines
    out = io.BytesIO()
    doc.save(out)
    first, _pages = pdf.renderer().render("<html><body><h1>Contents</h1></body></html>")
    data, total = pdf.merge([first, out.getvalue()])
    assert total == 2
    assert [item.title for item in PdfReader(io.BytesIO(data)).outline] == ["Contents"]
