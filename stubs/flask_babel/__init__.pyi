from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from babel.core import Locale
from babel.support import NullTranslations
from flask import Flask

class Babel:
    def __init__(
        self,
        app: Flask | None = None,
        date_formats: dict[str, str | None] | None = None,
        configure_jinja: bool = True,
        *args: Any,
        **kwargs: Any,
    ) -> None: ...
    def init_app(
        self,
        app: Flask,
        default_locale: str = "en",
        default_domain: str = "messages",
        default_translation_directories: str = "translations",
        default_timezone: str = "UTC",
        locale_selector: Callable[[], str | Locale | None] | None = None,
        timezone_selector: Callable[[], str | None] | None = None,
    ) -> None: ...

def gettext(string: str, **variables: Any) -> str: ...
def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str: ...

# The real return value is a speaklater.LazyString, which proxies every str method and renders as
# the translated text wherever WTForms and Jinja use it; typed as str so labels and messages check.
def lazy_gettext(string: str, **variables: Any) -> str: ...
def lazy_ngettext(singular: str, plural: str, num: int, **variables: Any) -> str: ...
def get_locale() -> Locale | None: ...
def get_translations() -> NullTranslations: ...
def force_locale(locale: str | Locale) -> AbstractContextManager[None]: ...
def refresh() -> None: ...
