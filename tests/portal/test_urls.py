"""The templates' url_for is memoized (portal/urls.py): the same addresses as Flask builds them, built once
per process, and still right where the application is mounted under a prefix or the endpoint is relative."""

from __future__ import annotations

from flask import render_template_string, url_for


def _render(app, source: str, path: str = "/", script_name: str = "") -> str:
    with app.test_request_context(path, base_url=f"http://localhost{script_name}"):
        return render_template_string(source)


def test_the_templates_addresses_are_flasks_built_once(app):
    source = "{{ url_for('cases.show', case_id=7) }} {{ url_for('static', filename='css/app.css') }}"
    with app.test_request_context("/"):
        expected = f"{url_for('cases.show', case_id=7)} {url_for('static', filename='css/app.css')}"
    cache = app.jinja_env.globals["url_for"].cache
    cache.cache_clear()
    assert _render(app, source) == expected
    assert "?v=" in expected  # the static file's digest is in the address kept
    assert _render(app, source) == expected
    assert (cache.cache_info().misses, cache.cache_info().hits) == (2, 2)


def test_a_prefix_and_a_relative_endpoint_are_part_of_the_key(app):
    source = "{{ url_for('cases.index') }}"
    assert _render(app, source) == "/cases/"
    assert _render(app, source, script_name="/portal") == "/portal/cases/"
    assert _render(app, source) == "/cases/"
    relative = "{{ url_for('.index') }}"
    assert _render(app, relative, path="/cases/") == "/cases/"
    assert _render(app, relative, path="/roles/") == "/roles/"


def test_what_the_key_cannot_hold_is_built_each_time(app):
    assert _render(app, "{{ url_for('cases.show', case_id=7, _anchor='documents') }}") == "/cases/7#documents"
    external = _render(app, "{{ url_for('cases.index', _external=True) }}")
    assert external.startswith("http") and external.endswith("/cases/")
    assert _render(app, "{{ url_for('cases.index', q=['a', 'b']) }}") == "/cases/?q=a&amp;q=b"  # a list
