"""English and French (Flask-Babel): the user's choice, else the browser's, else English.

Numbers, money and dates are formatted here and nowhere else, with Babel's Canadian locales
(``en_CA``, ``fr_CA``): ``$79.33`` / ``79,33 $``, ``March 1, 2026`` / ``1er mars 2026``. Documents,
pages and mails use these helpers (in templates as the ``money``, ``day``, ``moment`` and ``number`` filters);
without ``lang`` they format for the current locale (``force_locale`` in a document render).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Context, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Any, NamedTuple, cast

from babel.core import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString

from portal.extensions import babel
from rules import regulation_in

SESSION_KEY = "lang"
BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if (
        not has_request_context()
    ):  # a Celery task or a CLI command: English unless force_locale says otherwise
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get(SESSION_KEY)
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def _locale(lang: str | None) -> str:
    if lang is None:
        current = current_locale()
        lang = current.language if current is not None else "en"
    return BABEL_LOCALES.get(lang, BABEL_LOCALES["en"])


def _decimal(amount: object) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        return Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None


def money(amount: object, unit: str | None = None, lang: str | None = None) -> str:
    """Canadian dollars in the reader's format: ``$165,000.00 per year`` / ``165 000,00 $ par année``.
    ``unit`` is hour, week, month or year (or None); an empty amount gives ""."""
    value = _decimal(amount)
    if value is None:
        return ""
    with _wide_enough(value):
        text = format_currency(value, "CAD", locale=_locale(lang))
    per = _per(unit)
    return f"{text} {per}" if per else text


def _per(unit: str | None) -> str:
    return {"hour": _("per hour"), "week": _("per week"), "month": _("per month"), "year": _("per year")}.get(
        unit or "", ""
    )


def day(value: date | str | None, lang: str | None = None) -> str:
    """A date in the reader's long format (``March 1, 2026`` / ``1er mars 2026``, ``2 mars 2026``); ISO
    strings accepted."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            when = date.fromisoformat(value)
        except ValueError:
            return value
    else:
        when = value.date() if isinstance(value, datetime) else value
    return _long_date(when, _locale(lang))


@lru_cache(maxsize=4096)
def _long_date(when: date, locale: str) -> str:
    """``day``'s text of a date in a Babel locale, kept: Babel takes about 20 us a date, and a case list
    writes thirty, the same few hundred dates from page to page (4,096 kept: well under a megabyte)."""
    return first_of_month(format_date(when, "long", locale=locale), when.day, locale)


def _wide_enough(amount: Decimal) -> AbstractContextManager[Context]:
    """A decimal context whose precision holds every digit of ``amount`` and Babel's rounding: under the
    default 28 digits, Babel's ``quantize`` raised InvalidOperation for a figure of 26 nines (a 500 on
    the page that showed it)."""
    precision = 28  # the default
    if amount.is_finite():
        _sign, digits, exponent = amount.as_tuple()
        precision = max(precision, len(digits) + abs(int(exponent)) + 10)
    return localcontext(prec=precision)


def number(value: object, lang: str | None = None) -> str:
    """A number in the reader's format, without needless decimals: ``37.5`` / ``37,5``, ``40``."""
    amount = _decimal(value)
    if amount is None:
        return ""
    with _wide_enough(amount):
        return format_decimal(
            amount.normalize() if amount == amount.to_integral() else amount, locale=_locale(lang)
        )


def percent(value: object, lang: str | None = None) -> str:
    """A percent (60 for 60 %) in the reader's format, without needless decimals: ``60%``, ``37.5%`` /
    ``60 %``, ``37,5 %`` (the locale's sign and spacing, from Babel)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    locale = _locale(lang)
    pattern = Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.###")
    with _wide_enough(amount):
        return format_percent(amount / 100, format=pattern, locale=locale)


def file_size(size_bytes: int, lang: str | None = None) -> str:
    """A file's size in the reader's units, never "0 KB" for a file that holds something: bytes under
    1 kB, whole kB (rounded up) under 1 MB, then MB with one decimal (``820 bytes``, ``12 kB``,
    ``1.4 MB`` / ``820 octets``, ``12 ko``, ``1,4 Mo``)."""
    if size_bytes < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size_bytes)
    if size_bytes < 1024 * 1024:
        return gettext("%(size)s kB", size=number(-(-size_bytes // 1024), lang))
    megabytes = Decimal(size_bytes) / (1024 * 1024)
    return gettext("%(size)s MB", size=number(megabytes.quantize(Decimal("0.1")), lang))


def moment(value: datetime, lang: str | None = None) -> str:
    """A date and time with its time zone, in the reader's format (``value`` must be aware): ``December 1,
    2026, 7:05:00 a.m. EST`` / ``1er décembre 2026, 7 h 05 min 00 s HNE``."""
    locale = _locale(lang)
    return first_of_month(
        format_datetime(value, _long_pattern(locale), tzinfo=value.tzinfo, locale=locale), value.day, locale
    )


@lru_cache(maxsize=8)
def _long_pattern(locale: str) -> str:
    """The locale's long date and long time, joined as its long format joins them. French writes the hour
    without a leading zero ("7 h 05", as the pages' times do, timezones._pattern); Babel's fr_CA long time
    gives "07 h 05"."""
    parsed = Locale.parse(locale)
    time_part = parsed.time_formats["long"].pattern
    if parsed.language == "fr":
        time_part = time_part.replace("HH", "H")
    joined = str(parsed.datetime_formats["long"])
    return joined.replace("{1}", parsed.date_formats["long"].pattern).replace("{0}", time_part)


def first_of_month(text: str, day_of_month: int, locale: str) -> str:
    """French writes the first day of a month as an ordinal (``1er juin 1990``), the others as numbers
    (``2 juin 1990``); Babel's long format gives ``1 juin 1990``. Its French long formats start with
    the day, so the ``1`` that begins the text is the day."""
    if day_of_month == 1 and locale.startswith("fr") and text.startswith("1 "):
        return "1er" + text[1:]
    return text


def semicolons(items: Iterable[object], lang: str | None = None) -> str:
    """Items joined by semicolons: French typography puts a no-break space before each (the tours of
    2026-12-11 asked for it: "... logiciels; Développeur/développeuse" in the NOC search)."""
    if lang is None:
        locale = current_locale()
        lang = locale.language if locale is not None else "en"
    return ("\u00a0; " if lang == "fr" else "; ").join(str(item) for item in items)


def colon() -> str:
    """The colon between a label and what it labels: French typography puts a no-break space before it
    (the colon never starts a line)."""
    locale = current_locale()
    return "\u00a0: " if locale is not None and locale.language == "fr" else ": "


# Justice Laws publishes the Regulations and the Act in both languages at addresses of one pattern:
# .../eng/regulations/SOR-2002-227/section-205.html is .../fra/reglements/DORS-2002-227/section-205.html,
# .../eng/acts/I-2.5/ is .../fra/lois/I-2.5/. canada.ca's French pages have paths of their own, which the
# rules do not know (they cite the English page): a French reader is told that such a link opens in English.
_JUSTICE = {
    re.compile(r"^https?://laws(?:-lois)?\.justice\.gc\.ca/eng/regulations/SOR-([0-9]+-[0-9]+)/(.*)$"): (
        "https://laws-lois.justice.gc.ca/fra/reglements/DORS-{0}/{1}"
    ),
    re.compile(r"^https?://laws(?:-lois)?\.justice\.gc\.ca/eng/acts/([A-Z]-[0-9.]+)/(.*)$"): (
        "https://laws-lois.justice.gc.ca/fra/lois/{0}/{1}"
    ),
}
_ENGLISH = re.compile(r"^https?://[^/]+/(?:en|eng|english)/")


class SourceLink(NamedTuple):
    href: str
    lang: str | None  # the language of the page it opens, when the address tells
    note: str  # "(in English)" for a French reader of an English page, else ""


def regulation(text: str | None, lang: str | None = None) -> str:
    """A citation of the Regulations in the reader's language ("R205(c)(ii)", French "R205c)(ii)":
    ``rules.regulation_in``); "" for none."""
    if not text:
        return ""
    if lang is None:
        locale = current_locale()
        lang = locale.language if locale is not None else "en"
    return regulation_in(str(text), lang)


def source_link(url: str) -> SourceLink:
    """The address of an official source (IRCC's pages, the Regulations) for the reader's language."""
    locale = current_locale()
    if locale is None or locale.language != "fr":
        return SourceLink(url, "en" if _ENGLISH.match(url) else None, "")
    for pattern, french in _JUSTICE.items():
        if found := pattern.match(url):
            return SourceLink(french.format(*found.groups()), "fr", "")
    if _ENGLISH.match(url):
        return SourceLink(url, "en", gettext("(in English)"))
    return SourceLink(url, None, "")


def current_locale() -> Locale | None:
    """Flask-Babel's ``get_locale()``, read where Flask-Babel keeps it once chosen
    (``g._flask_babel.babel_locale``: the request's, or a ``force_locale`` block's) instead of through its
    context lookups on every call (a list page asks for it once per line)."""
    try:
        store = g._get_current_object()
    except RuntimeError:  # no application context
        return get_locale()
    return _chosen_locale(store)


def _chosen_locale(store: Any) -> Locale | None:
    """The locale Flask-Babel keeps on ``g`` (``store``: g resolved) once chosen, else ``get_locale()``."""
    locale: Locale | None = getattr(getattr(store, "_flask_babel", None), "babel_locale", None)
    return locale or get_locale()


def _page_translations() -> NullTranslations:
    """The catalogue of the current locale, looked up once per locale and request. Flask-Babel's own
    template callables look it up on every ``_()`` (context, domain, locale, its name as the cache key):
    a case page says ``_()`` a few hundred times. Keyed by the locale object, kept in the entry so its
    id is not reused, so a ``force_locale`` block inside the request gets its own language."""
    try:
        store = g._get_current_object()  # the proxy resolved once, not on every look-up below
    except RuntimeError:  # no application context
        return get_translations()
    locale = _chosen_locale(store)
    cache = store.setdefault("_page_translations", {})
    entry = cache.get(id(locale))
    if entry is None:
        entry = cache[id(locale)] = (locale, get_translations())
    translations: NullTranslations = entry[1]
    return translations


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext`` (the text in the current locale, ``variables`` put in), from the
    catalogue ``_page_translations`` looked up once per request: Flask-Babel's looks it up on every call
    (its context, domain and locale, the locale's name as the cache key), and a page's labels call it
    tens of times."""
    text = _page_translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ``ngettext`` (``num`` available as ``%(num)d``), from ``_page_translations``."""
    variables.setdefault("num", num)
    text = _page_translations().ungettext(singular, plural, num)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's ``lazy_gettext``: translated by ``gettext`` each time it is used as a string (typed
    as str, like the stub of Flask-Babel's: it stands in for one wherever WTForms and Jinja use it)."""
    return cast(str, LazyString(gettext, string, **variables))


_ = gettext


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # jinja2.ext.i18n (enabled by Flask-Babel) adds install_gettext_callables to the environment.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["get_locale"] = current_locale
    app.jinja_env.globals["colon"] = colon
    app.jinja_env.globals["source_link"] = source_link
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["semicolons"] = semicolons
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["regulation"] = regulation
