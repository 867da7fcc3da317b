"""What the long-lived processes hold in memory: the web server (portal/wsgi.py) and the Celery workers
(workers/celery_app.py) build the app without its command line, and the libraries only one rare path
needs are imported on that path. Each is several megabytes of every process (bench/render_bench.py
part 5: a rendering process <= 160 MB), so a top-level import that brings one back fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The library, and the one path that needs it.
LOADED_WHERE_USED = {
    "alembic": "the command line (flask db), through portal.cli and Flask-Migrate",
    "flask_migrate": "the command line (flask db)",
    "mako": "Alembic's templates (the command line)",
    "pygments": "Mako (the command line)",
    "openpyxl": "an Excel import (portal/imports/table.py)",
    "icalendar": "the calendar feed (portal/compliance/services.py)",
    "pyhanko": "signing and checking an approved packet (portal/documents/signing.py)",
    "asn1crypto": "signing and checking an approved packet",
    "pypdf": "nothing: the portal reads and merges PDFs with pikepdf (pypdf is the tests')",
}

PROBE = """
import json, sys
import portal.wsgi, workers.celery_app
from portal.documents import assembly, pdf, rendering
print(json.dumps(sorted(sys.modules)))
"""


def test_the_web_server_and_the_workers_leave_the_rare_libraries_unloaded(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),  # the embedded default configuration: building the app opens nothing
        "PYTHONDONTWRITEBYTECODE": "1",  # no __pycache__ left in the source tree
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "weasyprint" in modules and "pikepdf" in modules and "celery" in modules  # the probe is real
    loaded = {name: why for name, why in LOADED_WHERE_USED.items() if name in modules}
    assert loaded == {}


def test_the_command_line_still_has_flask_db():
    env = {**os.environ, "FLASK_SKIP_DOTENV": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("flask")), "--app", "portal", "db", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "upgrade" in result.stdout and "Perform database migrations." in result.stdout


def test_the_web_server_process_settles_its_app_out_of_the_garbage_collectors_reach(tmp_path):
    """portal/wsgi.py, once the app is built, freezes what it keeps (portal/process.py): a full collection
    in a gunicorn worker no longer walks the app's objects (bench/portal_bench.py part 3)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    probe = "import gc, portal.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    frozen, tracked = map(int, result.stdout.split()[-2:])
    assert frozen > 50_000 and tracked < frozen // 10, (frozen, tracked)
