"""Part 1: the warm renderer against the naive baseline (new WeasyPrint objects every time), same HTML,
renders interleaved; what object reuse alone gives; and the render time from 0 to 60 frames deep."""

from __future__ import annotations

import contextlib
import resource
import statistics
import time
from unittest import mock

from benchlib import log

from portal.documents import pdf

from .common import Bench, clock


def run(bench: Bench) -> None:
    log(f"part 1: {bench.args.repeat} interleaved naive/warm renders of the letter and of the packet")
    compare(bench, "letter", bench.letter_html, 0.85)
    compare(bench, "packet", bench.packet_html, 0.9)
    depth_spread(bench, bench.renderer, bench.letter_html)
    # Last: garbage left to the automatic collector changes the heap that the figures above saw.
    reuse_alone(bench, "letter", bench.letter_html)
    reuse_alone(bench, "packet", bench.packet_html)


def warm_auto_gc(renderer, html):
    # The warm renderer without its one collection per render: what object reuse alone gives.
    with mock.patch.object(pdf, "_one_collection_per_render", contextlib.nullcontext):
        return renderer.render(html)


def interleaved(repeat: int, fa, fb, html) -> tuple[float, float]:
    """Medians of fa and fb run alternately (each first half the time). Only two variants at a time:
    a variant that leaves its garbage to the automatic collector would make the others free it."""
    a, b = [], []
    for i in range(repeat):
        order = ((a, fa), (b, fb))
        for samples, fn in order if i % 2 == 0 else order[::-1]:
            t = clock()
            fn(html)
            samples.append(clock() - t)
    return statistics.median(a), statistics.median(b)


def compare(bench: Bench, name, html, target):
    naive, warm = interleaved(bench.args.repeat, pdf.naive_render, bench.renderer.render, html)
    bench.add(f"1. {name}: naive render median", f"{naive * 1000:.1f} ms")
    bench.add(f"1. {name}: warm render median", f"{warm * 1000:.1f} ms")
    bench.add(f"1. {name}: warm / naive", f"{warm / naive:.2f}x", f"<= {target}x", warm / naive <= target)


def reuse_alone(bench: Bench, name, html):
    naive, auto = interleaved(
        bench.args.repeat, pdf.naive_render, lambda h: warm_auto_gc(bench.renderer, h), html
    )
    bench.add(
        f"1. {name}, object reuse alone (warm objects, automatic collection) / naive",
        f"{auto / naive:.2f}x",
    )


def depth_spread(bench: Bench, renderer, html: str) -> None:
    """Median render time (CPU) and page faults of the letter over five renders at each depth from 0 to 60 frames."""

    def at_depth(k: int, fn):
        return fn() if k == 0 else at_depth(k - 1, fn)

    def measure():
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t = time.process_time()
        renderer.render(html)
        return time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults

    # Five rounds over the depths, in turn up and down, so that the machine's drift spreads over all.
    depths = list(range(0, 61, 6))
    runs = {k: [] for k in depths}
    for r in range(5):
        for k in depths if r % 2 == 0 else depths[::-1]:
            runs[k].append(at_depth(k, measure))
    figures = [
        (k, statistics.median(t for t, _f in runs[k]), statistics.median(f for _t, f in runs[k]))
        for k in depths
    ]
    times = [t for _k, t, _f in figures]
    bench.add(
        "1. letter warm render at 0..60 extra frames deep: fastest / slowest (CPU)",
        f"{min(times) * 1000:.1f} / {max(times) * 1000:.1f} ms ({max(times) / min(times):.2f}x)",
    )
    bench.add(
        "1.   page faults per render, fewest / most",
        f"{min(f for *_x, f in figures):.0f} / {max(f for *_x, f in figures):.0f}",
    )
