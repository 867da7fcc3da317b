"""The templates' ``url_for``, memoized per process.

A page builds the same addresses on every request: the navigation's, the static files' (with their
digest, ``static_files``), each case's. Werkzeug builds each one through the routing map, 10 µs for a
case's address and 40–60 µs for one with a query string or a static file's; a page builds 25 to 60 of
them (0.35–0.75 ms of a page's 8–10 ms of CPU). Once built, the same endpoint with the same values
gives the same address, as long as the application is mounted at the same place (``script_root``) and,
for a relative endpoint (``.show``), the request is in the same blueprint: those are the key. What
depends on more than that (``_external``, ``_scheme``, ``_anchor``, ``_method``) or cannot be a key (an
unhashable value) is built by Flask each time, as before. The cache is bounded (least recently used out).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Flask, has_request_context, request

SIZE = 4096  # addresses kept per process: a page's few dozen, for every case and page of a busy day


def init_app(app: Flask) -> None:
    build = app.url_for

    @lru_cache(maxsize=SIZE)
    def built(
        script_root: str, blueprint: str | None, endpoint: str, values: tuple[tuple[str, Any], ...]
    ) -> str:
        return build(endpoint, **dict(values))

    def url_for(endpoint: str, **values: Any) -> str:
        if not has_request_context() or any(name.startswith("_") for name in values):
            return build(endpoint, **values)
        blueprint = request.blueprint if endpoint.startswith(".") else None
        try:
            return built(request.script_root, blueprint, endpoint, tuple(sorted(values.items())))
        except TypeError:  # a value that cannot be a key (a list)
            return build(endpoint, **values)

    url_for.cache = built  # type: ignore[attr-defined]  # tests read its statistics
    app.jinja_env.globals["url_for"] = url_for
