"""Document-rendering benchmark (prints figures as ratios measured in one run; not a timed test).

    .venv/bin/python bench/render_bench.py            # full run (6 to 10 minutes on 2 cores)
    .venv/bin/python bench/render_bench.py --quick    # smoke run (small numbers)
    .venv/bin/python bench/render_bench.py --parts 3  # one part alone

The parts and what they measure are described in bench/render/__init__.py; each is a module there.
"""

from __future__ import annotations

import sys

from render.main import main  # bench/render/ (this script's folder is first on sys.path)

if __name__ == "__main__":
    sys.exit(main())
