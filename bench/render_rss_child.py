"""The subprocess of bench/render_bench.py part 5 (run by it, not on its own): a process that renders
letters with the warm renderer and reports its RSS. A script of its own so that it imports what a worker
process imports (the app without its command line) and nothing of the bench's other parts."""

from __future__ import annotations

import sys

from render.rss import child_main  # bench/render/ (this script's folder is first on sys.path)

if __name__ == "__main__":
    sys.exit(child_main())
