"""gunicorn settings of the web service (docker-compose.yml runs ``gunicorn -c gunicorn.conf.py``).

One worker process per CPU the container may use, each serving requests in ``threads`` threads
(gunicorn's ``gthread`` worker), so one slow request never stalls the site. Threads rather than
gunicorn's advice of 2 x CPUs + 1 single-request processes: a page spends part of its time waiting
for PostgreSQL, which a thread of the same process fills, and fewer processes sharing the CPUs spend
less of them on switching between processes and refilling caches. Measured with
``bench/portal_bench.py`` on the 2-core development machine, same load, runs alternated: the four
main pages went from about 11 ms of the web server's CPU a request (5 sync processes) to about 7 ms
(2 processes x 4 threads), and their throughput from ~65 to ~110 requests/s, p99 from 1.4 s to 0.8 s;
connections are also kept alive between a browser's requests (``keepalive``), which the sync worker
cannot do. The application keeps nothing of a request outside its own context (the database session,
the user, the locale and the page's catalogue live in Flask's request and application contexts; the
process-wide caches are locked or idempotent), and tests/portal/test_gunicorn_threads.py runs it so.

Requests are short by design (imports are bounded before parsing, PDFs render in the Celery worker).
A worker process that stops answering its master for ``timeout`` seconds (a request holding the whole
process) is killed and replaced; a thread waiting on the database is not interrupted.
Override with WEB_CONCURRENCY (processes), GUNICORN_THREADS and GUNICORN_TIMEOUT in .env.
"""

import os


def cpu_count() -> int:
    """CPUs this process may run on (a container's cpuset), not those of the host."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(cpus: int) -> int:
    return max(2, min(cpus, 16))  # two at least: one recycled or stuck never leaves the site alone


bind = "0.0.0.0:8000"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or workers_for(cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)  # requests served at once by each process
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)  # seconds a worker process may be silent
graceful_timeout = 30  # seconds a worker has to finish its requests on restart
keepalive = 5  # seconds an idle connection is kept for the next request
# Recycle workers now and then so that no slow leak grows for ever. Not too often: a new worker imports
# and builds the app again (about 2.4 s of CPU on the 2-core development machine), so every 1,000
# requests cost 2.4 ms a request, more than a page's template; every 10,000 cost a tenth of that.
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = "-"
errorlog = "-"
# Requests larger than the largest upload (10 MB of evidence) plus the form are refused by Flask;
# these bound what gunicorn itself reads of a request line and its headers.
limit_request_line = 8190
limit_request_fields = 100


def on_starting(server):  # noqa: ARG001 - gunicorn's hook signature
    """Build the job-title lookup's index (rules/noc.py, about 1.7 s of CPU) once, in the master: the
    workers forked from it, and those that replace them, inherit it, so no user's first lookup waits."""
    from rules import noc  # noqa: PLC0415 - in the hook: reading the settings imports nothing of the app

    noc.warm()
