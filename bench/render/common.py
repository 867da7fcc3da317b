"""What every part of the render bench shares: where the services are, the clock, the figures
(``Bench``: the run's settings, the documents and HTML the parts measure, and ``add`` for a result row)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from benchlib import log

ROOT = Path(__file__).resolve().parents[2]
# The RSS subprocess of part 5: a script of its own, so that it imports what a worker process imports
# and nothing of the bench's other parts (the bench's migrations, its Celery and signing parts).
CHILD = ROOT / "bench" / "render_rss_child.py"
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"
CASE = ROOT / "tests" / "rules" / "cases" / "case02-us-executive.yaml"

clock = time.perf_counter


def rss_mb(pid: int | str = "self") -> float:
    """VmRSS of a process in MB (from /proc; psutil is not a dependency)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@dataclass
class Bench:
    """One run: its arguments and setup, what the shared setup made for the parts (``prepare``), and
    the result rows (measure, value, target, verdict) printed at the end."""

    args: Any
    on: date
    db_url: str
    workdir: Path
    queue: str
    workers: list = field(default_factory=list)  # every Worker started, stopped at the end whatever happens
    results: list[tuple[str, str, str, bool | None]] = field(default_factory=list)
    letter_doc: Any = None  # the support letter of worked case 02 (a Document)
    letter_html: str = ""
    packet_html: str = ""
    renderer: Any = None  # pdf.renderer(), warmed

    def add(self, measure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        self.results.append((measure, value, target, ok))
        log(f"{measure}: {value} {target} {'' if ok is None else ('PASS' if ok else 'FAIL')}")
