"""Static files (CSS, JavaScript, icons): served by WhiteNoise ahead of Flask, linked by their content.

Every ``url_for('static', filename=...)`` carries ``?v=``, the first 12 hex digits of the file's SHA-256.
A request whose ``v`` is the file's digest is answered ``Cache-Control: public, max-age=31536000,
immutable``: the browser keeps the file a year and does not ask again on the next page (before, each
page view revalidated its three stylesheets and five scripts, each a request to a web worker); a changed
file has a new address. Any other request for the file (no ``v``, an old one) gets ``max-age=0``: the
browser revalidates it (ETag, 304).

WhiteNoise answers before Flask (no session, no routing, no database), answers conditional and range
requests, and sends the ``.gz`` that ``python -m whitenoise.compress`` writes beside each file (the
Dockerfile does) to a browser that accepts gzip: Bootstrap's stylesheet is 232 kB, 31 kB compressed.
Files it did not find when the app was built fall through to Flask's own static view. In debug mode
Flask serves everything as before, so a file edited while the server runs is seen at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.string_utils import decode_path_info

from portal import security

YEAR = 365 * 24 * 3600
FOREVER = f"public, max-age={YEAR}, immutable"
DIGEST_LENGTH = 12  # hex digits: a collision between two versions of one file is not a concern


class Digests:
    """The digest of each file of ``root`` (``filename`` relative to it), read once, on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._known: dict[str, str | None] = {}

    def __call__(self, filename: str) -> str | None:
        if filename not in self._known:
            path = (self.root / filename).resolve()
            inside = path.is_relative_to(self.root) and path.is_file()
            self._known[filename] = (
                hashlib.sha256(path.read_bytes()).hexdigest()[:DIGEST_LENGTH] if inside else None
            )
        return self._known[filename]


class VersionedStatic(WhiteNoise):
    """WhiteNoise, with a year's cache for the addresses that name a file's current digest."""

    def __init__(self, application: Any, root: Path, prefix: str, digests: Digests, **options: Any) -> None:
        self.prefix = "/" + prefix.strip("/") + "/"
        self.digests = digests
        super().__init__(application, root=str(root), prefix=self.prefix, max_age=0, **options)

    def __call__(self, wsgi_env: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = decode_path_info(wsgi_env.get("PATH_INFO", ""))
        static_file = self.files.get(path)
        if static_file is None:
            return self.application(wsgi_env, start_response)
        asked = parse_qs(wsgi_env.get("QUERY_STRING", "")).get("v")
        if asked and asked[-1] == self.digests(path[len(self.prefix) :]):
            start_response = _kept_forever(start_response)
        return self.serve(static_file, wsgi_env, start_response)


def _kept_forever(start_response: Callable[..., Any]) -> Callable[..., Any]:
    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        kept = [(name, value) for name, value in headers if name.lower() != "cache-control"]
        return start_response(status, [*kept, ("Cache-Control", FOREVER)], exc_info)

    return start


def init_app(app: Flask) -> None:
    if app.debug or app.static_folder is None:
        return
    root = Path(app.static_folder)
    digests = Digests(root)

    @app.url_defaults
    def versioned(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            digest = digests(str(values.get("filename", "")))
            if digest is not None:
                values["v"] = digest

    own = security.headers(app)  # the pages' security headers (HSTS in production), built once

    def security_headers(headers: Any, _path: str, _url: str) -> None:
        if app.config["SECURITY_HEADERS"]:
            for name, value in own.items():
                headers[name] = value

    # mypy sees a method where Flask documents replacing the attribute with the wrapped WSGI app
    app.wsgi_app = VersionedStatic(  # type: ignore[method-assign, assignment]
        app.wsgi_app,
        root,
        app.static_url_path or "/static",
        digests,
        allow_all_origins=False,  # our own pages use them; no other site needs them
        add_headers_function=security_headers,
    )
