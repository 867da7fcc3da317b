"""Locust users of bench/portal_bench.py (run by it; not on its own).

Each user records (name, milliseconds, ok) of the requests it *starts* in the measured window: from
BENCH_WARMUP seconds after every user is ready (signed in) for BENCH_DURATION seconds (so sign-in and
the ramp-up are not measured); the bench reads them from BENCH_SAMPLES.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task

WARMUP = float(os.environ.get("BENCH_WARMUP", "5"))
DURATION = float(os.environ.get("BENCH_DURATION", "30"))
SAMPLES: list[tuple[str, float, bool]] = []
ERRORS: list[str] = []
CASE_LINK = re.compile(r'href="/cases/(\d+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The measured window opens WARMUP seconds after the last user is ready (signed in: 50 password checks
# at once take seconds on a loaded machine, and must not be measured as page time) and lasts DURATION;
# then the run stops itself (the bench's --run-time is only a cap).
WINDOW: list[float] = []  # [opens, closes] (monotonic), once every user is ready
READY = [0]


def ready(environment) -> None:
    READY[0] += 1
    if READY[0] == environment.parsed_options.num_users and not WINDOW:
        opens = time.monotonic() + WARMUP
        WINDOW.extend([opens, opens + DURATION])
        gevent.spawn_later(WARMUP + DURATION, environment.runner.quit)


def record(name: str, started: float, ok: bool, error: str = "") -> None:
    if WINDOW and started >= WINDOW[0] and time.monotonic() <= WINDOW[1]:
        SAMPLES.append((name, (time.monotonic() - started) * 1000, ok))
        if not ok and len(ERRORS) < 20:
            ERRORS.append(f"{name}: {error}")


@events.quitting.add_listener
def _write(environment, **_kwargs):
    seconds = DURATION if WINDOW else 0.0
    with open(os.environ["BENCH_SAMPLES"], "w") as f:
        json.dump({"seconds": seconds, "samples": SAMPLES, "errors": ERRORS}, f)


class Timed(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def get(self, url: str, name: str) -> str:
        started = time.monotonic()
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            ok = response.status_code == 200
            record(name, started, ok, f"{response.status_code} {url}")
            if not ok:
                response.failure(f"{response.status_code}")
            return response.text or ""


class TrivialUser(Timed):
    """Anonymous: the framework's own limit (no database, no template, no session)."""

    def on_start(self):
        ready(self.environment)

    @task
    def livez(self):
        self.get("/livez", "livez")


_EMAILS = json.loads(Path(os.environ["BENCH_EMAILS"]).read_text()) if os.environ.get("BENCH_EMAILS") else []
_NEXT = iter(range(10**9))


def sign_in(user: FastHttpUser, email: str) -> None:
    page = user.client.get("/login", name="sign-in").text
    token = CSRF.search(page).group(1)
    response = user.client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": os.environ["BENCH_PASSWORD"]},
        name="sign-in",
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {email} answered {response.status_code}")


class PortalUser(Timed):
    """The owner of one employer (its own: user n signs in as employer n) browsing its cases."""

    def on_start(self):
        n = next(_NEXT)
        sign_in(self, _EMAILS[n % len(_EMAILS)])
        self.case_ids: list[str] = []
        ready(self.environment)

    @task
    def browse(self):
        self.get("/dashboard", "dashboard")
        page = self.get("/cases/", "cases")
        self.case_ids = CASE_LINK.findall(page) or self.case_ids
        if not self.case_ids:
            return
        case_id = random.choice(self.case_ids)
        self.get(f"/cases/{case_id}", "case page")
        self.get(f"/cases/{case_id}/documents", "documents")


class ListUser(Timed):
    """The owner of BENCH_EMAIL's employer opening the case list, unfiltered and filtered."""

    def on_start(self):
        sign_in(self, os.environ["BENCH_EMAIL"])
        ready(self.environment)

    @task
    def cases(self):
        self.get("/cases/", "cases")
        self.get("/cases/?questions=no&code=T37", "cases filtered")
