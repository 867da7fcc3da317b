"""Part 3: request-to-ready of one letter (request_document + commit + enqueue -> ready in PostgreSQL)
through Redis and a warm ``celery worker``, against the bare render of the same letter, with the
time of each phase; and that a packet through the real worker reuses the ready letter."""

from __future__ import annotations

import time

from portal.extensions import db
from portal.models import Document

from .common import Bench, clock, median_ms
from .queue import Poller, Worker, request_and_enqueue
from .setup import new_document


def run(bench: Bench, poller: Poller, _worker: Worker) -> None:
    renderer, letter_html = bench.renderer, bench.letter_html
    packet_id = new_document(
        "packet", bench.on, send=True
    ).id  # a packet through the real worker: reuses the letter?
    poller.wait_one(packet_id)
    db.session.expire_all()
    via_worker = db.session.get(Document, packet_id)
    reused = db.session.get(Document, via_worker.reused_letter_id) if via_worker.reused_letter_id else None
    bench.add(
        "2. packet via Redis + worker: reused_letter_id",
        f"{via_worker.reused_letter_id} (a ready letter)",
        "a ready letter, same snapshot",
        reused is not None
        and reused.kind == "support_letter"
        and reused.status == "ready"
        and reused.snapshot_sha256 == via_worker.snapshot["letter_sha256"],
    )
    db.session.commit()
    bare = []
    for _ in range(3):
        t = clock()
        renderer.render(letter_html)
        bare.append(clock() - t)
    latencies, ids = [], []
    phases: dict[str, list[float]] = {
        "request_document + commit (the task sent after it)": [],
        "sent -> claimed (Redis, worker hand-off)": [],
        "claimed -> ready (render + store, in the worker)": [],
        "ready -> seen (NOTIFY)": [],
    }
    for _ in range(bench.args.requests):
        marks = {"start": time.time()}
        t = clock()
        document_id = request_and_enqueue(bench.on, marks)
        latencies.append(poller.wait_one(document_id) - t)
        seen = time.time()
        claimed, ready = poller.stamps(document_id)
        for name, value in zip(
            phases,
            (
                marks["requested"] - marks["start"],
                claimed - marks["requested"],
                ready - claimed,
                seen - ready,
            ),
            strict=True,
        ):
            phases[name].append(value)
        ids.append(document_id)
        time.sleep(0.02)  # let the worker finish its post-commit bookkeeping before the bare render
        t = clock()
        renderer.render(letter_html)  # bare render interleaved with the requests: same machine conditions
        bare.append(clock() - t)
    bare_ms = median_ms(bare)
    lat_ms = median_ms(latencies)
    bench.add("3. letter bare render (warm, in-process, median)", f"{bare_ms:.1f} ms")
    bench.add("3. letter request-to-ready via Redis + worker (median)", f"{lat_ms:.1f} ms")
    for name, values in phases.items():
        bench.add(f"3.   {name} (median)", f"{median_ms(values):.1f} ms")
    bench.add(
        "3. request-to-ready / bare render",
        f"{lat_ms / bare_ms:.2f}x",
        "<= 1.3x",
        lat_ms / bare_ms <= 1.3,
    )
