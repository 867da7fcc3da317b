from typing import Any
from urllib.request import OpenerDirector

class URLFetcherResponse:
    url: str
    status: int | None
    headers: Any

class URLFetcher(OpenerDirector):
    def __init__(
        self,
        timeout: float = 10,
        ssl_context: Any = None,
        http_headers: dict[str, str] | None = None,
        allowed_protocols: set[str] | None = None,
        allow_redirects: bool = True,
        fail_on_errors: bool = False,
        **kwargs: Any,
    ) -> None: ...
    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse: ...
