from collections.abc import Sequence
from typing import IO, Any

from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

__version__: str

class CSS:
    def __init__(
        self,
        guess: Any = None,
        filename: str | None = None,
        url: str | None = None,
        file_obj: IO[bytes] | None = None,
        string: str | None = None,
        encoding: str | None = None,
        base_url: str | None = None,
        url_fetcher: URLFetcher | None = None,
        _check_mime_type: bool = False,
        media_type: str = "print",
        font_config: FontConfiguration | None = None,
        counter_style: Any = None,
        color_profiles: Any = None,
        matcher: Any = None,
        page_rules: Any = None,
        layers: Any = None,
        layer: Any = None,
    ) -> None: ...

class HTML:
    def __init__(
        self,
        guess: Any = None,
        filename: str | None = None,
        url: str | None = None,
        file_obj: IO[bytes] | None = None,
        string: str | None = None,
        encoding: str | None = None,
        base_url: str | None = None,
        url_fetcher: URLFetcher | None = None,
        media_type: str = "print",
    ) -> None: ...
    def render(
        self,
        font_config: FontConfiguration | None = None,
        counter_style: Any = None,
        color_profiles: Any = None,
        *,
        stylesheets: Sequence[CSS | str] | None = None,
        **options: Any,
    ) -> Document: ...
    def write_pdf(
        self,
        target: Any = None,
        zoom: float = 1,
        finisher: Any = None,
        font_config: FontConfiguration | None = None,
        counter_style: Any = None,
        color_profiles: Any = None,
        *,
        stylesheets: Sequence[CSS | str] | None = None,
        **options: Any,
    ) -> bytes | None: ...
