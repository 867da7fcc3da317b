"""Document-rendering benchmark (prints figures as ratios measured in one run; not a timed test).

    .venv/bin/python bench/render_bench.py            # full run (6 to 10 minutes on 2 cores)
    .venv/bin/python bench/render_bench.py --quick    # smoke run (small numbers)

Needs PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis (127.0.0.1:6379). The script
creates its own database (imp_portal_bench_<pid>, dropped at the end), its own DOCUMENT_STORE
temp dir and its own Celery queue on Redis database 14 (removed at the end), enters worked case 02
(T37) through the portal's services, then measures:

1. warm render median of the support letter and of the packet body (``pdf.renderer().render``
   in a process set up like a worker's: ``warm_renderer``, i.e. warm-up then ``gc.freeze``) against
   the naive baseline (``pdf.naive_render``: new WeasyPrint objects every time, automatic garbage
   collection), same HTML, renders interleaved.          Targets: letter <= 0.85x, packet <= 0.9x.
   The warm renderer also collects a render's garbage in one pass at its end (see
   ``pdf._one_collection_per_render``); a second interleaved run prints what object reuse alone
   gives (the warm objects, automatic collection).
   Also the warm letter's render time called from 0 to 60 extra Python frames deep: before 3.13,
   CPython frees a frame-stack chunk as soon as the call that opened it returns, so a render that
   keeps crossing a chunk boundary was up to 25 % slower depending only on the caller's depth (see
   ``pdf.ROOMY_STACK_SLOTS``); the spread printed should stay within the machine's noise.
2. packet build time (``assembly.build_pdf``) without and with a ready support letter of the same
   snapshot, and that the real render of the packet sets ``reused_letter_id``.
3. request-to-ready time of one letter (request_document + commit + enqueue -> status ready in
   PostgreSQL) through Redis and a warm ``celery worker``, against the bare render time of the same
   letter (in-process warm Renderer).                   Target: <= 1.3x.
4. N letters (--letters, 200) requested at once (rows committed first, then all tasks sent): time
   from the first send until all are ready, with a worker of two processes (--pool=prefork
   --concurrency=2) against one process (--concurrency=1); --rounds bursts each, in the order
   1, 2, 2, 1 (both workers stay up on their own queues, so load drift hits both alike).
                                                         Target: <= 0.6x.
5. RSS of a rendering process (a fresh subprocess, bench/render_rss_child.py: the app built as a worker
   builds it, without its command line, + warm Renderer, letters built with
   ``assembly.build_pdf`` from snapshots whose text varies) over --rss-docs documents after a
   warm-up of --rss-warmup.                             Targets: <= 160 MB, growth < 10 MB.
   For contrast it also measures the naive renderer's growth over --naive-rss-docs renders, and
   prints the RSS of the real worker processes after part 4.
6. the approval of a packet (``approval.approved_copy``: approval page, merge, PAdES signature,
   atomic write) and the signature alone (``signing.sign``), medians.  Target: signature <= 50 ms.
7. (issue 17) request-to-ready of a packet (request, commit, send -> ready, with a ready letter to
   reuse) through Redis and a worker of two processes, whose parts render in parallel
   (portal/documents/parts.py) with the obligations from the section cache, against one naive render
   of the whole packet HTML (packet.html with part=None), interleaved; and the support letter's
   request-to-ready after its page (the letter's editing page, shown after an edit, has the worker
   prepare the letter its form would ask for: portal/documents/ahead.py) against the letter's naive
   render, interleaved; also, without a target, the letter's warm render against its naive one.
                                                       Targets: packet <= 0.5x, letter <= 0.7x.
   For a shared machine, also the CPU the worker's processes spent per packet (/proc, main process and
   pool) against the naive render's CPU, the CPU of the busiest of them (a lower bound of the critical
   path whatever the load: with the kernel's autogroup scheduling, the worker's session gets one share
   of a saturated machine however many processes it runs, so the wall time then shows no parallel
   gain), and the claim-to-ready time inside the worker. The case's kept parts
   (portal/documents/partcache.py) are removed before each of these requests: every part is rendered
   after the click, as for a packet of new case data asked for before its letter (no target). The
   target is taken on the packet as the documents page leads to it: new case data (kept parts removed,
   the letter edited), the letter asked for and ready, after which the worker prepares the packet's own
   parts (portal/documents/ahead.py), then the packet asked for; the bench prints how many parts were
   still rendered after the click (0 expected). Then, without a target, the packet asked again after a
   letter edit (the letter rendered, the packet's own parts kept).

Exits 0 whatever the figures (it is a report); non-zero only when the setup itself fails.

The modules, in the order a run goes: ``main`` (arguments, the run, the table; PARTS lists the parts),
``setup`` (database, app, worked case 02, new documents), ``prepare`` (the letter and packet HTML, the
warm renderer), one module a part — ``warm`` (1), ``reuse`` (2), ``latency`` (3), ``processes`` (4),
``rss`` (5), ``approval`` (6) —, ``queue`` (the Celery workers and the poller of parts 3 and 4) and
``common`` (settings, clock, ``Bench``: what the parts share and ``add`` for a result row); the log line,
the bench database and stopping a process group are ../benchlib.py, shared with bench/portal_bench.py.
"""
