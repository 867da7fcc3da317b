"""The portal as the production shape serves it: gunicorn with gunicorn.conf.py (its ``gthread`` worker,
several requests at once in the threads of one process), on PostgreSQL. Two employers' users sign in
and ask their pages at the same time through one process; each gets its own pages, whole, and never a
word of the other's (a request's database session, user, organization and language must stay its
own while other threads of the process serve other people)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.fixtures.queue import SECRET_KEY
from tests.portal.test_cases import _create_case

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One user's cookies, over plain HTTP (urllib: thread-safe cookie jar, no redirects followed)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ARG002
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None, lang: str = "en") -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"Accept-Language": lang})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self, email: str, password: str) -> None:
        status, page = self.request("/login")
        assert status == 200, status
        token = CSRF.search(page).group(1)
        status, _ = self.request("/login", {"csrf_token": token, "email": email, "password": password})
        assert status == 302, f"sign-in of {email} answered {status}"


def test_two_employers_served_at_once_by_the_threads_of_one_process_each_see_only_their_own(
    app, make_employer, client, login, pg_url, tmp_path
):
    alpha = make_employer(legal_name="Alphaline Threads Ltd.")
    login(client, alpha)
    case_id = _create_case(client)  # Alphaline's, with its transferee and role
    bravo = make_employer(legal_name="Bravoline Threads Ltd.")

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": pg_url,
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_BACKEND": "locmem",
        "DOCUMENT_STORE": str(tmp_path / "documents"),
        "WEB_CONCURRENCY": "1",  # one process: every request below shares it
        "GUNICORN_THREADS": "4",
    }
    env.pop("PORTAL_ENV", None)  # plain HTTP: the session cookie is not Secure
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "-b",
                f"127.0.0.1:{port}",
                "portal.wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            try:
                with urllib.request.urlopen(base + "/livez", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        assert "Using worker: gthread" in log.read_text(), log.read_text(errors="replace")[-2000:]

        users = {"Alphaline": Browser(base), "Bravoline": Browser(base)}
        users["Alphaline"].sign_in(alpha.email, alpha.password)
        users["Bravoline"].sign_in(bravo.email, bravo.password)
        pages = ["/dashboard", "/cases/", "/org/", "/transferees/", f"/cases/{case_id}"]

        def visit(n: int) -> tuple[str, str, str, int, str]:
            name = ("Alphaline", "Bravoline")[n % 2]
            lang = ("en", "fr")[(n // 2) % 2]
            path = pages[(n // 4) % len(pages)]
            status, page = users[name].request(path, lang=lang)
            return name, lang, path, status, page

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(visit, range(160)))
    finally:
        server.terminate()
        server.wait(timeout=30)

    for name, lang, path, status, page in results:
        other = "Bravoline" if name == "Alphaline" else "Alphaline"
        if path == f"/cases/{case_id}" and name == "Bravoline":
            assert status == 404, (name, path, status)  # another employer's case
            continue
        assert status == 200, (name, lang, path, status, page[:300])
        assert page.rstrip().endswith("</html>"), (name, path)  # whole
        assert f"{other} Threads" not in page, (name, path, "shows the other employer's name")
        assert f'<html lang="{lang}"' in page, (name, lang, path)  # its own language, not a neighbour's
        if path in ("/org/", "/dashboard"):
            assert f"{name} Threads" in page, (name, path)
        if path in ("/transferees/", f"/cases/{case_id}"):  # Alphaline's transferee, on its pages only
            assert ("Inventedname" in page) == (name == "Alphaline"), (name, path)
