"""The renderer itself (no database): the same PDF from any stack depth, its garbage collected in one
pass, and a worker process warming it and freezing its long-lived objects."""

from __future__ import annotations

import gc

import pytest

from portal.documents import pdf
from tests.portal.document_helpers import (
    pdf_text,
    squash,
)
from workers.tasks.documents import warm_renderer


def test_a_render_is_the_same_from_any_stack_depth_and_errors_still_propagate():
    renderer = pdf.renderer()
    html = (
        "<html><body><h1>Depth</h1>"
        + "<p>Text é à ç, long enough to wrap across the line.</p>" * 40
        + "</body></html>"
    )

    def at_depth(k, fn):
        return fn() if k == 0 else at_depth(k - 1, fn)

    shallow, deep = renderer.render(html), at_depth(300, lambda: renderer.render(html))
    assert shallow[1] == deep[1] >= 1
    assert squash(pdf_text(shallow[0])) == squash(pdf_text(deep[0]))
    assert pdf._in_roomy_stack.__code__.co_stacksize == pdf.ROOMY_STACK_SLOTS

    def boom():
        raise LookupError("raised inside the roomy frame")

    with pytest.raises(LookupError, match="roomy frame"):
        at_depth(50, lambda: pdf._in_roomy_stack(boom))


def test_a_render_collects_its_garbage_in_one_pass_and_leaves_the_collector_as_it_found_it():
    renderer = pdf.renderer()
    html = (
        "<html><body>" + "<table><tr><th>Field</th><td>Value é à ç</td></tr></table>" * 30 + "</body></html>"
    )
    renderer.render(html)  # first-use caches
    passes = []

    def count(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        pdf_bytes, pages = renderer.render(html)
        assert pages >= 1 and pdf_bytes.startswith(b"%PDF")
        assert passes == [0]  # no automatic pass during the render, one young-generation pass at its end
        assert gc.isenabled()
        assert gc.get_count()[0] < 50  # the render's objects are not left for a later pass

        passes.clear()
        with pytest.raises(LookupError), pdf._one_collection_per_render():
            raise LookupError("raised during a render")
        assert gc.isenabled() and passes == [0]

        gc.disable()  # a caller that manages collection itself keeps it off
        passes.clear()
        renderer.render(html)
        assert not gc.isenabled() and passes == []
    finally:
        gc.enable()
        gc.callbacks.remove(count)


def test_a_worker_process_warms_the_renderer_and_freezes_its_long_lived_objects():
    gc.unfreeze()
    try:
        warm_renderer()
        assert (
            gc.get_freeze_count() > 10_000
        )  # the app, WeasyPrint and the renderer, out of the collector's reach
        assert pdf.renderer().render("<p>ok</p>")[1] == 1
    finally:
        gc.unfreeze()
