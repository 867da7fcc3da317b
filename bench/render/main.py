"""The bench's entry: the arguments, the run (its own database, store and queue, removed at the end),
the parts in order, and the table of figures. A new part is a module with ``run(bench)``, a line in
PARTS and one in ``run_parts``."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import redis
from benchlib import create_database, drop_database, log
from flask_migrate import upgrade

from portal.extensions import db

from . import __doc__ as overview
from . import approval, latency, packet, processes, queue, reuse, rss, warm
from .common import PG_SERVER, REDIS_URL, Bench, clock
from .prepare import prepare
from .setup import compile_translations, enter_case02, make_app

PARTS = {
    1: "warm vs naive render",
    2: "packet reuses a ready letter",
    3: "request-to-ready",
    4: "N letters, 1 vs 2 processes",
    5: "RSS of a rendering process",
    6: "approval and signature",
    7: "packet request-to-ready (parallel parts, section cache) and letter vs naive",
}


def main() -> int:
    args = parse_args()
    started = clock()
    db_url = f"{PG_SERVER}/imp_portal_bench_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="imp-render-bench-"))
    queue_name = f"bench-render-{os.getpid()}"
    bench = None
    workers: list[queue.Worker] = []
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        compile_translations()
        log(f"database {db_url.rsplit('/', 1)[1]}, store {workdir}, queue {queue_name}")
        create_database(db_url)
        app = make_app(db_url, workdir, queue_name)

        with app.app_context():
            upgrade()
        on = enter_case02(app)
        bench = Bench(args=args, on=on, db_url=db_url, workdir=workdir, queue=queue_name, workers=workers)
        with app.app_context():
            run_parts(bench)
    finally:
        for w in workers:
            w.stop()
        try:
            client = redis.Redis.from_url(REDIS_URL)
            for name in (queue_name, queue_name + "-c2"):  # the queues and kombu's bindings of them
                client.delete(name, *client.keys(f"_kombu.binding*.{name}"))
        except Exception as exc:  # noqa: BLE001 - best effort
            print(f"could not remove the bench queue: {exc}", file=sys.stderr)
        if not args.keep:
            try:
                if "app" in locals():
                    with app.app_context():
                        db.session.remove()
                        db.engine.dispose()
                drop_database(db_url)
            except Exception as exc:  # noqa: BLE001
                print(f"could not drop the bench database: {exc}", file=sys.stderr)
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {db_url} and {workdir}")

    print_table(args, clock() - started, bench.results if bench else [])
    return 0


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=overview.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: small numbers")
    ap.add_argument("--repeat", type=int, default=21, help="renders per variant in parts 1-2 (default 21)")
    ap.add_argument(
        "--requests", type=int, default=20, help="sequential letter requests in part 3 (default 20)"
    )
    ap.add_argument(
        "--letters", type=int, default=200, help="letters requested at once in part 4 (default 200)"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="bursts per worker size in part 4, in the order 1,2,2,1 (default 2)",
    )
    ap.add_argument("--rss-docs", type=int, default=1000, help="documents rendered in part 5 (default 1000)")
    ap.add_argument(
        "--rss-warmup", type=int, default=50, help="untimed documents before RSS sampling (default 50)"
    )
    ap.add_argument(
        "--naive-rss-docs", type=int, default=100, help="naive renders for the growth contrast (0: skip)"
    )
    ap.add_argument(
        "--parts",
        default="1,2,3,4,5,6,7",
        help="which parts to run, comma-separated (default 1,2,3,4,5,6,7; e.g. --parts 3)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the database and the temp dir")
    args = ap.parse_args()
    try:
        args.parts = {int(p) for p in args.parts.split(",") if p.strip()}
    except ValueError:
        ap.error("--parts takes numbers from 1 to 7, e.g. --parts 1,3")
    if not args.parts or not args.parts <= set(PARTS):
        ap.error("--parts takes numbers from 1 to 7, e.g. --parts 1,3")
    if args.quick:
        args.repeat, args.requests, args.letters, args.rounds = 3, 3, 10, 1
        args.rss_docs, args.rss_warmup, args.naive_rss_docs = 30, 5, 10
    return args


def print_table(args, seconds: float, results: list[tuple[str, str, str, bool | None]]) -> None:
    print()
    print(
        f"IMP Portal render benchmark — WeasyPrint {__import__('weasyprint').__version__}, "
        f"{os.cpu_count()} CPUs, {'quick' if args.quick else 'full'} run, {seconds:.0f} s"
    )
    w1 = max(len(r[0]) for r in results)
    w2 = max(len(r[1]) for r in results)
    w3 = max(len(r[2]) for r in results)
    line = f"{'measure':<{w1}}  {'value':<{w2}}  {'target':<{w3}}  result"
    print(line)
    print("-" * len(line))
    for measure, value, target, ok in results:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{measure:<{w1}}  {value:<{w2}}  {target:<{w3}}  {verdict}")


def run_parts(bench: Bench) -> None:
    parts = bench.args.parts
    prepare(bench)
    if 1 in parts:
        warm.run(bench)
    if 2 in parts:
        reuse.run(bench)
    if parts & {3, 4}:
        with queue.running(bench) as (poller, worker):
            if 3 in parts:
                latency.run(bench, poller, worker)
            if 4 in parts:
                processes.run(bench, poller, worker)
    if 5 in parts:
        rss.run(bench)
    if 6 in parts:
        approval.run(bench)
    if 7 in parts:
        packet.run(bench)
