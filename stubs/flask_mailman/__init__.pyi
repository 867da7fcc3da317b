from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from flask import Flask
from flask_mailman.backends.base import BaseEmailBackend

class Mail:
    def __init__(self, app: Flask | None = None) -> None: ...
    def init_app(self, app: Flask) -> None: ...
    def get_connection(
        self, backend: str | None = None, fail_silently: bool = False, **kwds: Any
    ) -> BaseEmailBackend: ...

class EmailMessage:
    subject: str
    body: str
    from_email: str | None
    to: list[str]
    cc: list[str]
    bcc: list[str]
    reply_to: list[str]
    def __init__(
        self,
        subject: str = "",
        body: str = "",
        from_email: str | None = None,
        to: Sequence[str] | None = None,
        bcc: Sequence[str] | None = None,
        connection: BaseEmailBackend | None = None,
        attachments: list[Any] | None = None,
        headers: dict[str, str] | None = None,
        cc: Sequence[str] | None = None,
        reply_to: Sequence[str] | None = None,
    ) -> None: ...
    def send(self, fail_silently: bool = False) -> int: ...
    def recipients(self) -> list[str]: ...
    def message(self) -> MIMEBase: ...
