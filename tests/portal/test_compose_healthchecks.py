"""The health checks docker-compose.yml gives the web and worker services, run as Docker would run them
(the command of each, in a shell for CMD-SHELL) against a real portal and a real Celery worker, so a
check that can never pass (a wrong path, a wrong node name, a syntax error) fails here, not in a
deployment that waits for ever on an unhealthy service."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml
from werkzeug.serving import make_server

from tests.fixtures.queue import celery_command, process_env, stop

ROOT = Path(__file__).resolve().parents[2]
SERVICES = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def run_check(test: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """A compose ``healthcheck.test`` as Docker runs it: CMD execs its arguments, CMD-SHELL hands its
    string to ``sh -c``; ``$$`` is compose's escape of a ``$`` left to the container's shell."""
    kind, *args = test
    args = [arg.replace("$$", "$") for arg in args]
    argv = args if kind == "CMD" else ["sh", "-c", args[0]]
    assert kind in ("CMD", "CMD-SHELL"), test
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def with_venv(env: dict[str, str]) -> dict[str, str]:
    """The image's ``python`` and ``celery`` are this interpreter's."""
    return {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"}


def test_the_web_check_passes_while_the_portal_answers_and_fails_when_it_does_not(app):
    test = SERVICES["web"]["healthcheck"]["test"]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # the check asks the container's own port 8000; here the live server's port stands for it
    here = [arg.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for arg in test]
    assert here != test, "the web check must ask the portal on 127.0.0.1:8000 (gunicorn's bind)"
    assert "/healthz" in " ".join(test), "the web check must ask /healthz (which reaches the database)"
    try:
        ok = run_check(here, with_venv(dict(os.environ)))
        assert ok.returncode == 0, ok.stderr
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    down = run_check(here, with_venv(dict(os.environ)))
    assert down.returncode != 0, "the check must fail when nothing answers"


def test_the_worker_check_passes_while_its_worker_answers_and_fails_once_it_is_gone(
    pg_url, redis_url, tmp_path
):
    """The worker's command exactly as compose runs it (no ``--hostname``: its node is
    celery@<hostname>), and its check with HOSTNAME set as Docker sets it."""
    test = SERVICES["worker"]["healthcheck"]["test"]
    command = SERVICES["worker"]["command"]
    assert command[:3] == ["celery", "-A", "workers.celery_app"], command
    env = process_env(pg_url, redis_url, tmp_path / "documents")
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            celery_command(*command[3:], "--pool=solo"), env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while b"ready." not in log.read_bytes():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        check_env = with_venv({**env, "HOSTNAME": socket.gethostname()})
        ok = run_check(test, check_env)
        assert ok.returncode == 0, ok.stdout + ok.stderr
    finally:
        stop(worker)
    gone = run_check(test, check_env)
    assert gone.returncode != 0, "the check must fail once the worker is gone"
