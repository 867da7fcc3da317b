"""Part 4: N letters requested at once (rows committed first, then all tasks sent), from the first send
until all are ready, with a worker of two processes against one; the bursts in the order 1, 2, 2, 1."""

from __future__ import annotations

import statistics

from benchlib import log

from portal.documents import requests
from portal.extensions import db
from workers.tasks.documents import render_document

from .common import Bench, clock
from .queue import Poller, Worker
from .setup import new_document


def run(bench: Bench, poller: Poller, w1: Worker) -> None:
    queue = bench.queue
    # -------------------------------------------------------------- 4. N letters, 1 vs 2 processes
    # Both workers stay up, each on its own queue (an idle worker uses no CPU), and the bursts run
    # in the order 1, 2, 2, 1, ... so that a slow drift of the shared machine's load hits both alike.

    def burst(worker_queue: str) -> float:
        ids = [new_document("support_letter", bench.on).id for _ in range(bench.args.letters)]
        t = clock()
        for document_id in ids:
            render_document.apply_async((document_id,), queue=worker_queue)
        requests.mark_enqueued(ids)
        db.session.commit()
        done = poller.wait(ids, timeout=1800)
        return done - t

    log("part 4: starting a second worker (prefork, concurrency 2) on its own queue")
    w2 = Worker("c2", 2, bench.db_url, bench.workdir, queue + "-c2")
    bench.workers.append(w2)
    w2.wait_ready()
    warm_ids = [new_document("support_letter", bench.on).id for _ in range(4)]
    for document_id in warm_ids:
        render_document.apply_async((document_id,), queue=queue + "-c2")
    poller.wait(warm_ids, timeout=120)
    times: dict[int, list[float]] = {1: [], 2: []}
    order = [1, 2, 2, 1] * (bench.args.rounds // 2) + [1, 2] * (bench.args.rounds % 2)
    for processes in order:
        log(f"part 4: {bench.args.letters} letters at once, {processes} worker process(es)")
        times[processes].append(burst(queue if processes == 1 else queue + "-c2"))
    one, two = statistics.mean(times[1]), statistics.mean(times[2])
    for processes, value in ((1, one), (2, two)):
        runs = " + ".join(f"{v:.1f}" for v in times[processes])
        bench.add(
            f"4. {bench.args.letters} letters, {processes} process{'es' if processes > 1 else ''} (mean of {len(times[processes])})",
            f"{value:.1f} s ({value / bench.args.letters * 1000:.0f} ms/letter; runs {runs} s)",
        )
    bench.add("4. 2 processes / 1 process", f"{two / one:.2f}x", "<= 0.6x", two / one <= 0.6)
    bench.add(
        "4. worker RSS after the bursts, concurrency 1 (MB)",
        ", ".join(f"{k} {v:.0f}" for k, v in w1.rss().items()),
    )
    bench.add(
        "4. worker RSS after the bursts, concurrency 2 (MB)",
        ", ".join(f"{k} {v:.0f}" for k, v in w2.rss().items()),
    )
    w2.stop()
