"""Locust users of bench/portal_bench.py (run by it; not on its own).

Each user records (name, milliseconds, ok) of the requests it *starts* after BENCH_WARMUP seconds
(so sign-in and the ramp-up are not measured) and the bench reads them from BENCH_SAMPLES.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

from locust import FastHttpUser, constant, events, task

WARMUP = float(os.environ.get("BENCH_WARMUP", "5"))
STARTED = time.monotonic()
SAMPLES: list[tuple[str, float, bool]] = []
ERRORS: list[str] = []
CASE_LINK = re.compile(r'href="/cases/(\d+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def measuring() -> bool:
    return time.monotonic() - STARTED >= WARMUP


def record(name: str, started: float, ok: bool, error: str = "") -> None:
    if started - STARTED >= WARMUP and time.monotonic() - STARTED <= WARMUP + DURATION:
        SAMPLES.append((name, (time.monotonic() - started) * 1000, ok))
        if not ok and len(ERRORS) < 20:
            ERRORS.append(f"{name}: {error}")


DURATION = float(os.environ.get("BENCH_DURATION", "1e9"))


@events.test_start.add_listener
def _start(environment, **_kwargs):
    global STARTED, DURATION
    STARTED = time.monotonic()
    DURATION = environment.parsed_options.run_time - WARMUP if environment.parsed_options.run_time else 1e9


@events.quitting.add_listener
def _write(environment, **_kwargs):
    with open(os.environ["BENCH_SAMPLES"], "w") as f:
        json.dump({"seconds": DURATION, "samples": SAMPLES, "errors": ERRORS}, f)


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

    @task
    def cases(self):
        self.get("/cases/", "cases")
        self.get("/cases/?questions=no&code=T37", "cases filtered")
