from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Flask
from flask.typing import ResponseReturnValue

_F = TypeVar("_F", bound=Callable[..., Any])
_L = TypeVar("_L", bound=Callable[[str], Any])

class UserMixin:
    __hash__: Any
    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str: ...

class AnonymousUserMixin:
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> None: ...

class LoginManager:
    login_view: str | None
    login_message: str
    login_message_category: str
    session_protection: str | None
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: _L) -> _L: ...
    def unauthorized(self) -> ResponseReturnValue: ...

# A proxy to the user the app's user_loader returned, or an AnonymousUserMixin: its type depends on
# the app, so it is Any here (the portal's loader returns portal.models.User).
current_user: Any

def login_user(
    user: Any,
    remember: bool = False,
    duration: timedelta | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...
def login_required(func: _F) -> _F: ...
