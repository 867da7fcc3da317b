"""A packet's parts rendered in parallel by the worker processes, merged by the render that claimed it.

The render task that claimed a packet (``rendering.render_document``: claim, lease, heartbeat) makes
the HTML of each independent part and ``render_all`` sends one ``documents.render_part`` task per part
but the first; then it goes through the parts in order and renders each one it can claim in Redis
first (SET NX, with a lease). An idle worker process takes a part off the queue meanwhile and renders
it the same way, so the parts spread over the processes; the owner never waits for a part nobody has
started, so when every process is busy (each with a packet of its own, or a solo worker) it renders
all of its parts itself, as a plain sequential render would. A helper hands its PDF back through a
Redis list that the owner pops; a helper that dies mid-part leaves the owner waiting at most the part
lease, after which it renders the part itself. Helpers never touch the database: the owner alone
writes the document and marks it ready, as before, so the claim, the lease and the exactly-once
ready of ``rendering`` are unchanged. A part task that arrives after its packet is done finds the
job's key gone and does nothing.

Without a broker (Celery eager: the tests' default app, the CLI without Redis) or with
``DOCUMENT_PARALLEL_PARTS`` false, the parts are rendered one after the other in this process.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from collections.abc import Sequence
from typing import Any, Protocol

import redis
from celery import current_task
from flask import current_app

from portal.documents.partcache import PartCache, Rendered

log = logging.getLogger(__name__)

PART_LEASE = 30  # seconds: a helper that has not handed its part back by then is taken as dead
JOB_TTL = 300  # seconds: the job's keys outlive a packet render even when its owner dies


class _Renders(Protocol):
    fingerprint: str  # what its output depends on besides the HTML (pdf.Renderer.fingerprint)

    def render_anchored(self, html: str) -> tuple[bytes, int, dict[str, int]]: ...


def _render(renderer: _Renders, html: str) -> Rendered:
    return Rendered(*renderer.render_anchored(html))


def broker() -> redis.Redis | None:
    """A client of the Redis broker the worker processes share, or None without one (Celery eager: the
    tests' default app, the CLI without Redis)."""
    url = broker_url()
    return None if url is None else redis.Redis.from_url(url, socket_connect_timeout=3)


def broker_url() -> str | None:
    """The address of the Redis broker the worker processes share, or None without one."""
    celery: dict[str, Any] = current_app.config.get("CELERY") or {}
    url = celery.get("broker_url")
    if celery.get("task_always_eager") or not isinstance(url, str) or not url.startswith("redis"):
        return None
    return url


def _parallel() -> redis.Redis | None:
    return broker() if current_app.config.get("DOCUMENT_PARALLEL_PARTS", True) else None


def _keys(job: str, index: int) -> tuple[str, str]:
    return f"imp:parts:{job}:{index}:claim", f"imp:parts:{job}:{index}:pdf"


def _job_key(job: str) -> str:
    return f"imp:parts:{job}"


def render_all(
    htmls: Sequence[str], renderer: _Renders, local: Sequence[str] = (), cache: PartCache | None = None
) -> list[Rendered]:
    """Each HTML part rendered, in order; in parallel when a broker is there. ``local``: parts this
    process renders itself, never sent (an image evidence file's page holds the whole image: megabytes
    that would travel through Redis twice), after the ones it claims and before it waits; their renders
    come last in the result. ``cache``: parts kept from an earlier render of the same HTML are taken
    from it and only the others rendered (and kept)."""
    out: dict[int, Rendered] = {}
    if cache is not None:
        for index, html in enumerate(htmls):
            hit = cache.get(html)
            if hit is not None:
                out[index] = hit
    todo = [index for index in range(len(htmls)) if index not in out]
    made, foreign = _render_parts([htmls[index] for index in todo], renderer, local)
    for position, (index, done) in enumerate(zip(todo, made, strict=False)):  # then the local ones
        out[index] = done
        if cache is not None and position not in foreign:
            cache.put(htmls[index], done)
    if cache is not None and len(foreign) < len(todo):
        cache.trim()
    return [*[out[index] for index in range(len(htmls))], *made[len(todo) :]]


def _render_parts(
    htmls: Sequence[str], renderer: _Renders, local: Sequence[str]
) -> tuple[list[Rendered], set[int]]:
    """The parts, then the local ones, rendered; and the positions of the parts a helper with another
    renderer (another version of the code, mid-deploy) made: usable for this document, not to be kept."""
    client = _parallel() if len(htmls) > 1 else None
    if client is None:
        return [_render(renderer, html) for html in [*htmls, *local]], set()
    job = secrets.token_hex(8)
    try:
        client.set(_job_key(job), "open", ex=JOB_TTL)
        celery = current_app.extensions["celery"]
        queue = own_queue()
        for index in range(1, len(htmls)):  # workers.tasks.documents.render_part
            celery.send_task(
                "documents.render_part", (job, index, htmls[index]), expires=PART_LEASE, queue=queue
            )
    except Exception:  # noqa: BLE001 - the broker is away: render alone, as a sequential render
        log.warning("Could not send the parts of job %s; rendering them here", job, exc_info=True)
        return [_render(renderer, html) for html in [*htmls, *local]], set()
    out: dict[int, Rendered] = {}
    foreign: set[int] = set()
    try:
        for index, html in enumerate(htmls):
            claim, _result = _keys(job, index)
            if _claimed(client, claim):
                out[index] = _render(renderer, html)
        here = [_render(renderer, html) for html in local]
        for index, html in enumerate(htmls):
            if index not in out:
                back = _handed_back(client, job, index)
                if back is None:
                    out[index] = _render(renderer, html)
                else:
                    out[index], fingerprint = back
                    if fingerprint != renderer.fingerprint:
                        foreign.add(index)
    finally:
        _close(client, job, len(htmls))
    return [*[out[index] for index in range(len(htmls))], *here], foreign


def own_queue() -> str | None:
    """The queue the running render task came from (a worker may consume a queue other than its app's
    default, e.g. ``-Q``): the parts go where this worker's peers listen. None outside a task."""
    task = current_task
    info = getattr(getattr(task, "request", None), "delivery_info", None) or {}
    queue = info.get("routing_key")
    return queue if isinstance(queue, str) and queue else None


def _claimed(client: redis.Redis, claim: str) -> bool:
    try:
        return bool(client.set(claim, "1", nx=True, ex=PART_LEASE))
    except redis.RedisError:  # Redis went away mid-render: this process renders the part
        return True


def _handed_back(client: redis.Redis, job: str, index: int) -> tuple[Rendered, str] | None:
    """The part a helper rendered and the fingerprint of its renderer, or None (not handed back within
    the part lease)."""
    _claim, result = _keys(job, index)
    try:
        popped = client.blpop([result], timeout=PART_LEASE)
    except redis.RedisError:
        popped = None
    if popped is None:
        log.warning("Part %s of job %s was not handed back; rendering it here", index, job)
        return None
    value = popped[1]  # the client returns bytes (no decode_responses)
    header, _sep, data = (value if isinstance(value, bytes) else value.encode()).partition(b"\n")
    meta = json.loads(header)
    anchors = {str(k): int(v) for k, v in meta["anchors"].items()}
    return Rendered(data, int(meta["pages"]), anchors), str(meta.get("fingerprint") or "")


def _close(client: redis.Redis, job: str, count: int) -> None:
    with contextlib.suppress(redis.RedisError):  # otherwise they expire
        client.delete(_job_key(job), *[key for i in range(count) for key in _keys(job, i)])


def render_part(job: str, index: int, html: str, renderer: _Renders) -> str:
    """A helper's side: render part ``index`` of ``job`` if it is still wanted and nobody took it."""
    client = broker()
    if client is None:
        return "no broker"
    claim, result = _keys(job, index)
    if not client.exists(_job_key(job)) or not client.set(claim, "1", nx=True, ex=PART_LEASE):
        return "taken"
    data, pages, anchors = renderer.render_anchored(html)
    header = json.dumps(  # one line: no newline in it
        {"pages": pages, "anchors": anchors, "fingerprint": renderer.fingerprint}
    ).encode()
    with client.pipeline() as pipe:
        pipe.rpush(result, header + b"\n" + data)
        pipe.expire(result, JOB_TTL)
        pipe.execute()
    return "rendered"
