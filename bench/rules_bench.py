"""Rules-engine benchmark (prints figures; not a timed test).

    .venv/bin/python bench/rules_bench.py [--n 100000]

Targets (issue 14): one assessment <= 0.1 ms median on one core; re-assessing 100,000 generated
cases <= 10 s on one core. YAML is loaded once at import; cases are built before timing.

"On one core" is measured as the CPU time of this process (``time.process_time``, per call
``time.thread_time_ns``): this machine is shared, and the wall clock also counts the time the
scheduler gives other processes. Both are printed, with the load average; the targets are judged on
CPU time. Results are never cached per input: every call evaluates every code in force.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from rules import noc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchlib import verdict  # noqa: E402 - bench/ is first on sys.path when run as a script

import rules  # noqa: E402 - after the sys.path line above
from rules.params import load_text  # noqa: E402

AS_OF = date(2026, 11, 24)
CITIZENSHIPS = [
    "US",
    "MX",
    "FR",
    "DE",
    "IT",
    "GB",
    "IN",
    "BR",
    "JP",
    "CL",
    "KR",
    "PH",
    "MA",
    "IE",
    "SE",
    "CN",
    "NG",
]
NOCS = sorted(rules.noc.UNITS) if hasattr(rules, "noc") else ["21300"]


def worked_cases() -> list[dict]:
    return [load_text(p.read_text()) for p in sorted((ROOT / "tests" / "rules" / "cases").glob("*.yaml"))]


def generate(n: int, seed: int = 20261124) -> list[rules.CaseFacts]:
    """n case variants: a worked case with its citizenship, NOC, wage and a dropped fact varied."""
    rnd = random.Random(seed)
    base = [c["facts"] for c in worked_cases()]

    nocs = sorted(noc.UNITS)
    out = []
    for _ in range(n):
        d = copy.deepcopy(rnd.choice(base))
        w = d.setdefault("worker", {})
        p = d.setdefault("position", {})
        if rnd.random() < 0.5:
            w["citizenships"] = rnd.sample(CITIZENSHIPS, rnd.choice([1, 1, 2]))
        if rnd.random() < 0.3:
            p["noc_code"] = rnd.choice(nocs)
        if rnd.random() < 0.3:
            p["wage_hourly_cad"] = round(rnd.uniform(15, 120), 2)
        if rnd.random() < 0.3:
            sec = rnd.choice([s for s in d if d[s]])
            d[sec].pop(rnd.choice(sorted(d[sec])), None)
        out.append(rules.facts_from_dict(d))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load:.1f} (wall-clock figures include other processes)"
    )
    cases = [rules.facts_from_dict(c["facts"]) for c in worked_cases()]
    assess = rules.assess
    for f in cases * 50:  # warm-up (per-date code and parameter tables are built once)
        assess(f, AS_OF)
    cpu_samples, wall_samples = [], []
    cpu, wall = time.thread_time_ns, time.perf_counter_ns
    for _ in range(200):
        for f in cases:
            c0, w0 = cpu(), wall()
            assess(f, AS_OF)
            cpu_samples.append(cpu() - c0)
            wall_samples.append(wall() - w0)
    med = statistics.median(cpu_samples) / 1e6
    p90 = statistics.quantiles(cpu_samples, n=10)[-1] / 1e6
    print(
        f"single assessment (assess), 30 reference cases x 200: CPU median {med:.4f} ms, p90 {p90:.4f} ms; "
        f"wall median {statistics.median(wall_samples) / 1e6:.4f} ms -- target <= 0.1 ms: {verdict(med <= 0.1)}"
    )
    samples_d = []
    for _ in range(20):
        for f in cases:
            c0 = cpu()
            assess(f, AS_OF).to_dict()
            samples_d.append(cpu() - c0)
    print(f"assess + to_dict (JSON contract): CPU median {statistics.median(samples_d) / 1e6:.4f} ms")
    t0 = time.perf_counter()
    gen = generate(args.n)
    t_gen = time.perf_counter() - t0
    c0, w0 = time.process_time(), time.perf_counter()
    routes: dict[str, int] = {}
    for f in gen:
        r = assess(f, AS_OF).route
        routes[r] = routes.get(r, 0) + 1
    t_cpu, t_wall = time.process_time() - c0, time.perf_counter() - w0
    print(
        f"re-assessing {args.n:,} generated cases: CPU {t_cpu:.2f} s, wall {t_wall:.2f} s "
        f"-- target <= 10 s per 100,000: {verdict(t_cpu * 100_000 / args.n <= 10)}; "
        f"generation {t_gen:.1f} s; routes {routes}"
    )
    c0, w0 = time.process_time(), time.perf_counter()
    for f in gen[:20_000]:
        assess(f, date(2022, 6, 1))
    print(
        f"20,000 of them as of 2022-06-01 (legacy code table): CPU {time.process_time() - c0:.2f} s, "
        f"wall {time.perf_counter() - w0:.2f} s"
    )


if __name__ == "__main__":
    main()
