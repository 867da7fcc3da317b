"""Security headers outside debug, and ``Cache-Control: no-store`` on every response but static
assets. Everything is served from our own origin (no CDN)."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def headers(app: Flask) -> dict[str, str]:
    """The security headers of every response outside debug: pages and downloads (``set_headers``), and the
    static files, which are served before Flask (portal/static_files.py): an SVG opened on its own runs under
    the same policy, and no response of the site may be framed or tell another site where it came from."""
    out = {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }
    if app.config["PORTAL_ENV"] == "production":
        out["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return out


def init_app(app: Flask) -> None:
    @app.after_request
    def set_headers(response: Response) -> Response:
        # Pages, downloads and feeds hold people's data: no browser or proxy may keep a copy.
        # Only the static assets (the same for everyone) may be cached; not the error page of a file that is
        # not there (/static/none.css): it sets the visitor's session cookie, and a 404 may be cached without
        # being told (RFC 9111 4.2.2), so a proxy could hand one visitor's cookie to the next.
        if request.endpoint != "static" or response.status_code >= 400:
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
            response.headers.pop("Pragma", None)
        if app.config["SECURITY_HEADERS"] and not app.debug:
            for name, value in headers(app).items():  # a view's own (the inline PDF's CSP) is kept
                response.headers.setdefault(name, value)
        return response
