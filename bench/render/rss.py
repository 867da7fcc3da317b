"""Part 5: the RSS of a rendering process (a fresh subprocess: app + warm Renderer, letters whose text
varies) over --rss-docs documents after a warm-up, and for contrast the naive renderer's growth."""

from __future__ import annotations

import argparse
import copy
import gc
import json
import statistics
import subprocess
import sys
from pathlib import Path

from benchlib import log

from portal.documents import assembly, content, pdf
from portal.extensions import db
from portal.models import Document

from .common import CHILD, ROOT, Bench, clock, rss_mb
from .setup import make_app


def run(bench: Bench) -> None:
    db_url, workdir, letter_id = bench.db_url, bench.workdir, bench.letter_doc.id
    db.session.remove()
    log(
        f"part 5: RSS of a rendering process over {bench.args.rss_docs} letters (after {bench.args.rss_warmup} warm-up)"
    )
    warm = run_rss_child("warm", bench.args.rss_docs, bench.args.rss_warmup, db_url, workdir, letter_id)
    g = growth(warm["samples"])
    bench.add("5. rendering process RSS after warm-up", f"{warm['after_warmup']:.1f} MB")
    bench.add(
        f"5. rendering process RSS peak over {bench.args.rss_docs} docs",
        f"{warm['peak']:.1f} MB",
        "<= 160 MB",
        warm["peak"] <= 160,
    )
    quarter = [warm["samples"][round(q * (len(warm["samples"]) - 1))] for q in (0, 0.25, 0.5, 0.75, 1)]
    bench.add(
        "5.   RSS at 0/25/50/75/100 % of the documents", " / ".join(f"{v:.1f}" for v in quarter) + " MB"
    )
    bench.add(
        f"5. RSS growth over {bench.args.rss_docs} docs",
        f"{g:+.1f} MB ({warm['seconds']:.0f} s)",
        "< 10 MB",
        g < 10,
    )
    if bench.args.naive_rss_docs:
        log(f"part 5: naive contrast over {bench.args.naive_rss_docs} renders")
        naive = run_rss_child(
            "naive", bench.args.naive_rss_docs, min(bench.args.rss_warmup, 20), db_url, workdir, letter_id
        )
        gn = growth(naive["samples"])
        bench.add(
            f"5. (contrast) naive RSS growth over {bench.args.naive_rss_docs} renders",
            f"{gn:+.1f} MB ({gn / bench.args.naive_rss_docs:+.3f} MB/render)",
        )


def child_main() -> int:
    """The RSS subprocess's entry (bench/render_rss_child.py)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("child_mode", choices=["warm", "naive"])
    ap.add_argument("--db-url", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--document-id", type=int, required=True)
    ap.add_argument("--rss-docs", type=int, required=True)
    ap.add_argument("--rss-warmup", type=int, required=True)
    rss_child(ap.parse_args())
    return 0


def rss_child(args) -> None:
    """Runs in a fresh process: the RSS of a process that renders letters with the warm Renderer."""

    app = make_app(args.db_url, Path(args.workdir), commands=False)  # as workers/celery_app.py builds it
    result: dict = {}
    with app.app_context():
        template = db.session.get(Document, args.document_id)
        snapshot, language, kind = template.snapshot, template.language, template.kind
        db.session.remove()
        db.engine.dispose()

        def letter(i: int):
            s = copy.deepcopy(snapshot)
            s["letter"]["worker"]["family_name"] = f"Bench{i:05d}"
            s["letter"]["position"]["title"] = f"Vice-President, Operations Canada #{i}"
            return Document(kind=kind, language=language, snapshot=s)

        if args.child_mode == "warm":
            result["rss_start"] = rss_mb()
            pdf.renderer().warm_up()  # what worker_process_init does

            def render(i: int) -> None:
                assembly.build_pdf(letter(i))

        else:  # naive: same letters, new WeasyPrint objects each time

            def render(i: int) -> None:
                context = content.letter_context(letter(i).snapshot["letter"])
                pdf.naive_render(assembly.render_html("documents/support_letter.html", language, context))

        for i in range(args.rss_warmup):
            render(i)
        gc.collect()
        samples = [rss_mb()]
        t0 = clock()
        for i in range(args.rss_docs):
            render(args.rss_warmup + i)
            if (i + 1) % 10 == 0:
                samples.append(rss_mb())
        result["seconds"] = clock() - t0
    result.update(samples=samples, after_warmup=samples[0], peak=max(samples), end=samples[-1])
    print("RSS-RESULT " + json.dumps(result), flush=True)


def run_rss_child(mode: str, docs: int, warmup: int, db_url: str, workdir: Path, document_id: int) -> dict:
    cmd = [
        sys.executable,
        str(CHILD),
        mode,
        "--db-url",
        db_url,
        "--workdir",
        str(workdir),
        "--document-id",
        str(document_id),
        "--rss-docs",
        str(docs),
        "--rss-warmup",
        str(warmup),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RSS-RESULT "):
            return json.loads(line[len("RSS-RESULT ") :])
    raise SystemExit(
        f"RSS subprocess failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    )


def growth(samples: list[float]) -> float:
    """End minus start, each the median of a few samples (RSS moves by a few pages either way)."""
    k = max(1, min(5, len(samples) // 10))
    return statistics.median(samples[-k:]) - statistics.median(samples[:k])
