"""gunicorn settings of the web service (docker-compose.yml runs ``gunicorn -c gunicorn.conf.py``).

Workers follow the CPUs the container may use (2 x CPUs + 1, gunicorn's own advice), so one slow
request never stalls the site; requests are short by design (imports are bounded before parsing,
PDFs render in the Celery worker), so a worker silent for ``timeout`` seconds is killed and replaced.
Override with WEB_CONCURRENCY and GUNICORN_TIMEOUT in .env.
"""

import gc
import os


def cpu_count() -> int:
    """CPUs this process may run on (a container's cpuset), not those of the host."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(cpus: int) -> int:
    return min(2 * cpus + 1, 17)


bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or workers_for(cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)  # seconds a worker may be silent
graceful_timeout = 30  # seconds a worker has to finish its requests on restart
keepalive = 5
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
# No control socket (gunicorn >= 25.1 opens one by default at $XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl,
# for its `gunicornc` tool): the portal is run and resized by its container (WEB_CONCURRENCY, a restart),
# never by hand; and every gunicorn of one user shares that default path, so a second instance (the bench,
# a second site) took it over and the first one's shutdown deleted the second's socket.
control_socket_disable = True


def on_starting(server):  # noqa: ARG001 - gunicorn's hook signature
    """Build the job-title lookup's index (rules/noc.py, about 1.7 s of CPU) once, in the master: the
    workers forked from it, and those that replace them, inherit it, so no user's first lookup waits."""
    from rules import noc  # noqa: PLC0415 - in the hook: reading the settings imports nothing of the app

    noc.warm()
    # then out of the garbage collector's reach (portal/process.py): a worker's full collections never walk
    # the index's ~120,000 objects, and do not copy the pages the workers share with the master by writing to them
    gc.collect()
    gc.freeze()
