"""Checks of the deployment files (docker-compose.yml, Dockerfile, .env.example, vendored assets).

No Docker engine is needed: the compose file is parsed with PyYAML and checked structurally.
When a compose binary is available (`docker-compose` v1 from Debian, or `docker compose` v2),
``config -q`` is run as well.
"""

from __future__ import annotations

import gc
import os
import re
import runpy
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from gunicorn.config import Config

from rules import noc

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"

REQUIRED_SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
# Settings the portal documents as its configuration (see portal/config.py).
REQUIRED_ENV_VARS = {
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DOCUMENT_STORE",
    "RATELIMIT_STORAGE_URI",
    "MAIL_BACKEND",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_DEFAULT_SENDER",
    "PORTAL_ENV",
}
# Variables read by the code that are not deployment settings.
ENV_SCAN_IGNORE = {"FLASK_APP", "FLASK_DEBUG", "PATH", "HOME"}
ENV_READ_PATTERNS = [
    re.compile(r"""\b(?:os\.)?(?:environ|env)\.get\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""\b(?:os\.)?(?:environ|env)\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""),
    re.compile(r"""\bos\.getenv\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
]


# --- helpers -----------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE_FILE.is_file(), "docker-compose.yml is missing"
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict) and isinstance(data.get("services"), dict), "no services in compose file"
    return data


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    assert ENV_EXAMPLE.is_file(), ".env.example is missing"
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f".env.example: not KEY=VALUE: {line!r}"
        values[key.strip()] = value.strip()
    return values


def command_text(service: dict) -> str:
    cmd = service.get("command", "")
    if isinstance(cmd, list):
        return " ".join(str(part) for part in cmd)
    return str(cmd)


def depends_on(service: dict) -> dict[str, dict]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return {name: (spec or {}) for name, spec in deps.items()}


def service_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def volume_mounts(service: dict) -> list[tuple[str, str, str]]:
    """(type, source, target) for each entry of a service's ``volumes``."""
    mounts = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            mounts.append((entry.get("type", "volume"), str(entry.get("source", "")), str(entry["target"])))
            continue
        parts = str(entry).split(":")
        if len(parts) == 1:  # anonymous volume
            mounts.append(("volume", "", parts[0]))
            continue
        source, target = parts[0], parts[1]
        kind = "bind" if source.startswith((".", "/", "~", "$")) else "volume"
        mounts.append((kind, source, target))
    return mounts


def env_vars_read_by_code() -> set[str]:
    names: set[str] = set()
    for package in ("portal", "workers"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for pattern in ENV_READ_PATTERNS:
                names.update(pattern.findall(text))
    return names - ENV_SCAN_IGNORE


# --- docker-compose.yml ------------------------------------------------------


def test_required_services_exist(services):
    missing = REQUIRED_SERVICES - set(services)
    assert not missing, f"docker-compose.yml lacks services: {sorted(missing)}"


def test_postgres_and_redis_images_and_healthchecks(services):
    assert str(services["postgres"].get("image", "")).startswith("postgres:16")
    assert str(services["redis"].get("image", "")).startswith("redis:7")
    for name in ("postgres", "redis"):
        health = services[name].get("healthcheck") or {}
        assert health.get("test"), f"{name} needs a healthcheck (app services wait for it)"
    assert any(kind == "volume" for kind, _, _ in volume_mounts(services["postgres"])), (
        "postgres data must live on a named volume"
    )


def test_app_services_build_the_image_and_read_env_file(services):
    for name in APP_SERVICES:
        svc = services[name]
        assert svc.get("build") or svc.get("image"), f"{name}: needs build: . (or the built image)"
        env_files = svc.get("env_file") or []
        env_files = [env_files] if isinstance(env_files, str) else env_files
        env_files = [e["path"] if isinstance(e, dict) else e for e in env_files]
        assert ".env" in [Path(e).name for e in env_files], f"{name}: must load env_file .env"


def test_web_runs_gunicorn_on_port_8000(services):
    web = services["web"]
    cmd = command_text(web)
    if not cmd:  # falls back to the Dockerfile CMD
        cmd = DOCKERFILE.read_text()
    assert "gunicorn" in cmd and "portal.wsgi:app" in cmd, (
        f"web must run gunicorn portal.wsgi:app, got {cmd!r}"
    )
    ports = [str(p.get("target")) if isinstance(p, dict) else str(p) for p in web.get("ports") or []]
    assert any(p == "8000" or p.endswith(":8000") for p in ports), f"web must publish port 8000: {ports}"


GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def _gunicorn_settings(monkeypatch, cpus: int, **env) -> dict:

    for key in ("WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(cpus)))
    return runpy.run_path(str(GUNICORN_CONF))


def test_web_reads_gunicorn_conf_with_workers_and_timeouts_from_the_cpu_count(services, monkeypatch):
    argv = shlex.split(command_text(services["web"]))
    assert argv[argv.index("-c") + 1] == "gunicorn.conf.py", argv
    assert "gunicorn.conf.py" in [line for line in DOCKERFILE.read_text().splitlines() if "CMD" in line][-1]
    assert "gunicorn.conf.py" not in DOCKERIGNORE.read_text().split()
    for cpus, workers in ((1, 3), (2, 5), (4, 9), (64, 17)):
        settings = _gunicorn_settings(monkeypatch, cpus)
        assert settings["workers"] == workers, (cpus, settings["workers"])
        assert settings["bind"] == "0.0.0.0:8000"
        assert 10 <= settings["timeout"] <= 120 and settings["graceful_timeout"] > 0
    settings = _gunicorn_settings(monkeypatch, 2, WEB_CONCURRENCY="7", GUNICORN_TIMEOUT="45")
    assert (settings["workers"], settings["timeout"]) == (7, 45)
    # gunicorn itself accepts the file (every name is one of its settings).

    config = Config()
    known = set(config.settings)
    for name, value in _gunicorn_settings(monkeypatch, 2).items():
        if name.startswith("_") or callable(value) or isinstance(value, type(shlex)):
            continue
        assert name in known, f"gunicorn.conf.py: {name} is not a gunicorn setting"
        config.set(name, value)
    assert config.workers == 5 and config.timeout == 30


def test_gunicorn_master_builds_the_job_title_index_the_workers_inherit(monkeypatch):
    """on_starting runs in the master before it forks the workers: each worker (and each one that
    replaces a recycled worker) starts with the index of the job-title lookup built."""
    settings = _gunicorn_settings(monkeypatch, 2)
    assert "on_starting" in Config().settings and callable(settings["on_starting"])
    monkeypatch.setattr(noc, "_INDEX", [])
    gc.unfreeze()
    try:
        settings["on_starting"](None)
        # and freezes it (portal/process.py): the workers' collections never walk it, nor copy its pages
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()
    assert noc._INDEX and [m.unit.code for m in noc.find("receptionist")][0] == "14101"


def test_the_web_server_says_no_version_of_itself(tmp_path):
    """Every response carries ``Server: gunicorn``. gunicorn has no setting that leaves the header out
    (benoitc/gunicorn#825: an option was proposed, PR #1384 and #1617, and declined; its maintainers
    removed the version instead, from 20.1.0), and the ways around it (gunicorn.SERVER, its Response class)
    patch its internals, so the header stays as gunicorn writes it. What this checks, in the production
    shape (gunicorn.conf.py, the app of portal.wsgi): the header names no version (an older gunicorn sent
    ``gunicorn/19.9.0``, a known-vulnerable version to look up), and is sent once (an app that set its own
    Server header would add a second one, not replace gunicorn's)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "FLASK_SKIP_DOTENV": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    argv = [str(gunicorn), "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    argv += ["--no-control-socket", "--access-logfile", "/dev/null", "portal.wsgi:app"]
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as errors:
        server = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=5) as response:
                        servers = response.headers.get_all("Server")
                    break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert servers == ["gunicorn"], servers
    assert not re.search(r"\d", servers[0])


@pytest.mark.parametrize("name, role", [("worker", "worker"), ("beat", "beat")])
def test_celery_services(services, name, role):
    argv = shlex.split(command_text(services[name]))
    assert argv[:3] == ["celery", "-A", "workers.celery_app"], f"{name}: {argv}"
    assert role in argv[3:], f"{name} must run `celery -A workers.celery_app {role}`: {argv}"


def test_migrations_run_before_web(services):
    web = services["web"]
    if "db upgrade" in command_text(web):
        return
    web_deps = depends_on(web)
    migrators = [
        name
        for name, svc in services.items()
        if "flask" in command_text(svc) and "db upgrade" in command_text(svc)
    ]
    assert migrators, "nothing runs `flask --app portal db upgrade`"
    assert any(web_deps.get(m, {}).get("condition") == "service_completed_successfully" for m in migrators), (
        f"web must wait for a migration service to complete: depends_on={web_deps}"
    )


def test_web_waits_for_healthy_postgres_and_redis(services):
    deps = depends_on(services["web"])
    for name in ("postgres", "redis"):
        assert deps.get(name, {}).get("condition") == "service_healthy", f"web must wait for healthy {name}"


def test_depends_on_points_to_defined_services(services):
    for name, svc in services.items():
        for dep in depends_on(svc):
            assert dep in services, f"service {name!r} depends on undefined service {dep!r}"
            assert dep != name, f"service {name!r} depends on itself"


def test_named_volumes_are_declared(compose, services):
    declared = set((compose.get("volumes") or {}).keys())
    for name, svc in services.items():
        for kind, source, _target in volume_mounts(svc):
            if kind == "volume" and source:
                assert source in declared, f"service {name!r} uses undeclared volume {source!r}"


def test_documents_volume_is_shared_at_document_store(services, env_example):
    for name in ("web", "worker"):
        svc = services[name]
        store = service_env(svc).get("DOCUMENT_STORE") or env_example.get("DOCUMENT_STORE")
        assert store, f"{name}: DOCUMENT_STORE is not set"
        mounts = {(src, target) for kind, src, target in volume_mounts(svc) if kind == "volume"}
        assert ("documents", store) in mounts, (
            f"{name}: the `documents` volume must be mounted at DOCUMENT_STORE={store}; mounts: {mounts}"
        )


def test_the_signing_key_lives_on_a_volume_every_app_service_mounts(compose, services):
    """An approval is checked against the configured certificate only, so a new key refuses every packet
    approved before it (409). The default path, under /app/instance, is in the container's own layer: each
    container made anew (an upgrade's `docker compose up --build`) made a new key, and every packet approved
    before answered 409 on download."""
    text = DOCKERFILE.read_text()
    for name in APP_SERVICES:
        env = service_env(services[name])
        mounts = [target for kind, src, target in volume_mounts(services[name]) if kind == "volume" and src]
        for setting in ("SIGNING_KEY", "SIGNING_CERT"):
            path = env.get(setting)
            assert path, f"{name}: {setting} is not set (the default is in the container's own layer)"
            directory = str(Path(path).parent)
            assert directory in mounts, f"{name}: {setting}={path} is on no named volume; mounts: {mounts}"
            assert directory != service_env(services[name]).get("DOCUMENT_STORE"), "the key is no document"
            # the image creates the directory for its unprivileged user: the volume takes its owner
            assert re.search(rf"mkdir -p [^\n]*{re.escape(directory)}\b", text), directory
            assert re.search(rf"chown -R imp:imp [^\n]*{re.escape(directory)}\b", text), directory


# --- .env.example --------------------------------------------------------------


def test_env_example_lists_every_setting(env_example):
    missing = REQUIRED_ENV_VARS - set(env_example)
    assert not missing, f".env.example lacks: {sorted(missing)}"


def test_env_example_lists_every_variable_the_code_reads():
    text = ENV_EXAMPLE.read_text()
    mentioned = set(re.findall(r"^\s*#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    missing = env_vars_read_by_code() - mentioned
    assert not missing, (
        f"portal/ or workers/ read environment variables not documented in .env.example: {sorted(missing)}"
    )


def test_env_example_is_production_shaped(env_example, services):
    assert env_example["PORTAL_ENV"] == "production"
    assert env_example["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env_example["CELERY_BROKER_URL"].startswith("redis://")
    assert env_example["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert env_example["MAIL_BACKEND"] == "smtp"
    # URLs point at compose services.
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "RATELIMIT_STORAGE_URI"):
        host = re.sub(r"^[a-z0-9+]+://([^@/]*@)?", "", env_example[key]).split(":")[0].split("/")[0]
        assert host in services, f"{key} host {host!r} is not a compose service"
    # The placeholder secret must never be accepted by the production check (>= 32 chars).
    assert len(env_example["SECRET_KEY"]) < 32


# --- Dockerfile / .dockerignore ---------------------------------------------------


def test_dockerfile():
    assert DOCKERFILE.is_file(), "Dockerfile is missing"
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM\s+python:3\.11-slim", text, re.MULTILINE), "base image must be python:3.11-slim"
    cmd = [line for line in text.splitlines() if line.strip().upper().startswith("CMD")]
    assert cmd, "Dockerfile has no CMD"
    assert "gunicorn" in cmd[-1] and "portal.wsgi:app" in cmd[-1], cmd[-1]
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}, "the image must run as a non-root user"
    for lib in ("libpango-1.0-0", "libpangoft2-1.0-0"):
        assert lib in text, f"WeasyPrint runtime library {lib} not installed"
    assert "pybabel compile" in text, "translations must be compiled in the image"
    # the gzip copies WhiteNoise sends (portal/static_files.py), made after the sources are copied in
    assert "python -m whitenoise.compress --no-brotli portal/static" in text
    assert text.index("COPY . .") < text.index("whitenoise.compress")


def test_the_image_has_the_postgresql_client_of_the_database_service(services):
    """``flask backup`` runs pg_dump: the image installs the client of the compose database's major
    version (an older pg_dump refuses a newer server) and checks the version it got."""
    text = DOCKERFILE.read_text()
    image = services["postgres"]["image"]
    server_major = re.fullmatch(r"postgres:(\d+)(?:[.\-].*)?", image)
    assert server_major, f"pin the database image's major version: {image}"
    arg = re.search(r"^ARG\s+PG_MAJOR=(\d+)\s*$", text, re.MULTILINE)
    assert arg, "the Dockerfile names the PostgreSQL client's major version (ARG PG_MAJOR=...)"
    assert arg.group(1) == server_major.group(1), (arg.group(1), image)
    install = re.search(r"RUN apt-get update(?:.*\\\n)*.*", text)
    assert install and '"postgresql-client-${PG_MAJOR}"' in install.group(0)
    assert "pg_dump --version" in install.group(0), "the build fails if another version was installed"
    assert "apt.postgresql.org.sh" in install.group(0)  # the PGDG repository, key from postgresql-common
    assert re.search(r"^USER\s+imp", text, re.MULTILINE)  # installed as root, before the user switch
    assert text.index("postgresql-client") < text.index("USER imp")


def test_dockerignore_keeps_secrets_and_local_state_out():
    assert DOCKERIGNORE.is_file(), ".dockerignore is missing"
    entries = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    for required in (".env", ".venv", ".git", "instance"):
        assert required in entries, f".dockerignore must exclude {required}"


# --- front-end assets: vendored, no CDN --------------------------------------------


def test_bootstrap_is_vendored():
    vendor = ROOT / "portal" / "static" / "vendor" / "bootstrap"
    for name in ("bootstrap.min.css", "bootstrap.bundle.min.js", "LICENSE", "README.md"):
        assert (vendor / name).is_file(), f"missing vendored file {vendor / name}"
    assert "Bootstrap  v5.3." in (vendor / "bootstrap.min.css").read_text(encoding="utf-8")[:200]


def test_no_cdn_assets_in_templates():
    remote_asset = re.compile(
        r"""<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE
    )
    offenders = []
    for folder in (ROOT / "templates", ROOT / "portal"):
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.html"):
            if remote_asset.search(path.read_text(encoding="utf-8", errors="replace")):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, (
        f"templates load scripts/styles from a remote host (use vendored files): {offenders}"
    )


# --- real compose validation when a compose binary is present -----------------------


def _compose_commands() -> list[list[str]]:
    commands = []
    if shutil.which("docker-compose"):
        commands.append(["docker-compose"])
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], check=False, capture_output=True, text=True)
        if probe.returncode == 0:
            commands.append(["docker", "compose"])
    return commands


def test_compose_config_with_compose_binary(tmp_path):
    commands = _compose_commands()
    if not commands:
        # scripts/ensure-tools.sh installs Debian's docker-compose; `make test` runs it first.
        pytest.fail(
            "no docker-compose binary: run `bash scripts/ensure-tools.sh` (apt-get install docker-compose)"
        )
    # Validate a copy with .env taken from .env.example (env_file: .env must exist).
    shutil.copy(COMPOSE_FILE, tmp_path / "docker-compose.yml")
    shutil.copy(DOCKERFILE, tmp_path / "Dockerfile")
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    for base in commands:
        result = subprocess.run(
            [*base, "-f", str(tmp_path / "docker-compose.yml"), "config", "-q"],
            check=False,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, (
            f"`{' '.join(base)} config -q` failed:\n{result.stdout}\n{result.stderr}"
        )


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (["PORT=5097"], "http://127.0.0.1:5097"),
        (["HOST=0.0.0.0", "PORT=8080"], "http://127.0.0.1:8080"),  # every address: mail links to this host
    ],
)
def test_make_run_points_the_links_in_mails_where_it_serves(variables, expected):
    """A portal run on another port mailed links to :5000 (invitations, resets): ``make run`` gives PUBLIC_URL
    its HOST and PORT unless PUBLIC_URL is set."""
    printed = subprocess.run(
        ["make", "-n", "run", *variables], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = next(line for line in printed.splitlines() if " run --host " in line)
    default = re.search(r'PUBLIC_URL="\$\{PUBLIC_URL:-([^}]+)\}"', serve)
    assert default is not None and default.group(1) == expected, serve


def test_gunicorn_opens_no_control_socket(tmp_path):
    """gunicorn.conf.py turns off gunicorn's control socket: a real gunicorn started with it (and a
    one-line WSGI app: the file is under test, not the portal) answers, and leaves no socket at the
    default path ($HOME/.gunicorn/gunicorn.ctl) that every instance of one user would share."""
    (tmp_path / "hello.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'ok']\n"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env.update(HOME=str(tmp_path), WEB_CONCURRENCY="1", PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(GUNICORN_CONF),
            "--chdir",
            str(tmp_path),
            "-b",
            f"127.0.0.1:{port}",
            "hello:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.read() == b"ok"
                break
            except OSError:
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer in 60 s"
                time.sleep(0.2)
        time.sleep(0.5)  # the master starts its control server in a thread, after it forks the workers
        assert not (tmp_path / ".gunicorn").exists(), list((tmp_path / ".gunicorn").iterdir())
    finally:
        server.terminate()
        server.wait(timeout=30)
