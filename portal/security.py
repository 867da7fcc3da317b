"""Security headers outside debug, and ``Cache-Control: no-store`` on every response but static
assets. Everything is served from our own origin (no CDN)."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


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
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "same-origin")
            if app.config["PORTAL_ENV"] == "production":
                response.headers.setdefault(
                    "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
                )
        return response
