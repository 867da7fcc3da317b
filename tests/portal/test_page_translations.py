"""Templates look the catalogue up once per request and locale (portal.i18n._page_translations),
and a ``force_locale`` block inside a request still gets its own language."""

from __future__ import annotations

from unittest import mock

from flask import render_template_string
from flask_babel import force_locale

from portal import i18n

TEMPLATE = "{{ _('Cases') }}|{{ ngettext('%(num)d case changed under rule set %(version)s', " + (
    "'%(num)d cases changed under rule set %(version)s', 2, version='X') }}"
)


def test_a_page_looks_the_catalogue_up_once_and_follows_a_forced_locale(app):
    with app.test_request_context(headers={"Accept-Language": "fr-CA,fr;q=0.9"}):
        with mock.patch.object(i18n, "get_translations", wraps=i18n.get_translations) as lookup:
            page = render_template_string("".join([TEMPLATE] * 50))
            assert lookup.call_count == 1
            with force_locale("en"):
                english = render_template_string(TEMPLATE)
            again = render_template_string(TEMPLATE)
            assert lookup.call_count == 2  # English once; French from the request's cache again
        assert page.split("|")[0] == "Dossiers"
        assert english.startswith("Cases|2 cases changed under rule set X")
        assert again == page[: len(again)]


def test_each_request_has_its_own_language(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert render_template_string("{{ _('Cases') }}") == "Dossiers"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('Cases') }}") == "Cases"
