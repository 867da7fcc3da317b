"""Once a long-lived process has built what it keeps for its whole life (the app and its blueprints, the
job-title index, the translations, the PDF renderer), it settles: one collection of what building left as
garbage, then ``gc.freeze()`` moves every object alive out of the garbage collector's generations.

Those are some 250,000 to 370,000 objects (the job-title index alone about 120,000). A full collection walks
every tracked object: about 180 ms on the 2-core development machine, and it comes whenever a quarter as many
objects as the old generation holds have survived since the last one, so an import of 1,000 rows paid one or
more per file (bench/portal_bench.py part 3: the import's CPU fell from about 6.1 to 4.0-5.1 s for 10,000
rows). Frozen objects are never walked again; and after a fork, a collection no longer writes to the pages
of the parent's objects, so the children keep sharing them (copy-on-write).

Called by the web server's processes (portal/wsgi.py, after gunicorn.conf.py froze the index in the master
before it forked them) and the Celery workers (workers/tasks/documents.py, once the renderer is warm)."""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect once, then freeze everything alive; how many objects are now frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
