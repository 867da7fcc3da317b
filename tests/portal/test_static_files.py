"""Static files: linked by their content's digest, kept a year by the browser, served before Flask
(portal/static_files.py). Before, every page view revalidated its three stylesheets and five scripts
(``Cache-Control: no-cache``), each a request through the whole app to a web worker."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from flask import Flask, url_for
from werkzeug.test import Client

from portal import static_files
from portal.static_files import FOREVER, Digests, VersionedStatic

STATIC = Path(__file__).resolve().parents[2] / "portal" / "static"
LINK = re.compile(r'(?:src|href)="(/static/([^"?]+)\?v=([0-9a-f]+))"')


def _digest(relative: str) -> str:
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


def test_pages_link_each_static_file_by_its_content_and_the_browser_keeps_it(app, client, owner):
    pages = [(app.test_client(), "/login"), (client, "/transferees/new"), (client, "/dashboard")]
    for browser, url in pages:
        page = browser.get(url).get_data(as_text=True)
        links = LINK.findall(page)
        assert len(links) >= 9, url
        assert not re.search(r'(?:src|href)="/static/[^"?]+"', page), "a static file linked without ?v="
        for address, relative, digest in links:
            assert digest == _digest(relative), address
            response = browser.get(address)
            assert response.status_code == 200, address
            assert response.data == (STATIC / relative).read_bytes()
            assert response.headers["Cache-Control"] == FOREVER == "public, max-age=31536000, immutable"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "Access-Control-Allow-Origin" not in response.headers
            assert "Set-Cookie" not in response.headers  # not through Flask: no session touched
            response.close()


def test_an_address_without_the_files_current_digest_is_revalidated(client):
    for address in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab", "/static/css/app.css?v="):
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "max-age=0, public", address
        etag = response.headers["ETag"]
        response.close()
        again = client.get(address, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
    assert client.post("/static/css/app.css").status_code == 405


def test_a_file_that_is_not_there_is_a_404_from_the_app(client):
    assert client.get("/static/css/none.css").status_code == 404
    assert client.get("/static/../portal/config.py").status_code == 404


def test_gzip_copies_are_sent_to_browsers_that_accept_them_and_unknown_paths_reach_the_app(tmp_path):
    (tmp_path / "css").mkdir()
    text = b"body { color: #123456; }\n" * 200
    (tmp_path / "css" / "site.css").write_bytes(text)
    (tmp_path / "css" / "site.css.gz").write_bytes(gzip.compress(text))
    app = Flask(__name__)
    app.add_url_rule("/other", "other", lambda: "from the app")
    digests = Digests(tmp_path)
    static = VersionedStatic(app.wsgi_app, tmp_path, "/static", digests)
    browser = Client(static)
    zipped = browser.get(
        f"/static/css/site.css?v={digests('css/site.css')}", headers={"Accept-Encoding": "gzip"}
    )
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == text and zipped.headers["Cache-Control"] == FOREVER
    zipped.close()  # a file is streamed: close it
    plain = browser.get("/static/css/site.css")
    assert plain.data == text and "Content-Encoding" not in plain.headers
    plain.close()
    assert browser.get("/other").data == b"from the app"
    assert digests("../outside.css") is None and digests("css/missing.css") is None


def test_in_debug_mode_flask_serves_the_files_as_they_are_now():
    debug_app = Flask(__name__, static_folder=str(STATIC))
    debug_app.debug = True
    wsgi = debug_app.wsgi_app
    static_files.init_app(debug_app)
    assert debug_app.wsgi_app == wsgi  # not wrapped: a file edited while the server runs is served at once
    with debug_app.test_request_context():
        assert url_for("static", filename="css/app.css") == "/static/css/app.css"
