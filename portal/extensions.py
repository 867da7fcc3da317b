"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from celery import Celery, Task
from flask import Flask, has_app_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import ColumnElement, CursorResult, MetaData, UpdateBase, inspect, select
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# The base class of every model. Flask-SQLAlchemy builds ``db.Model`` at run time (a subclass of Base
# adding its query property and bind key), which a type checker cannot see: it sees Base instead.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
mail = Mail()


def rows_changed(statement: UpdateBase) -> int:
    """Run an INSERT, UPDATE or DELETE in the session; how many rows it matched. (Its result is a
    CursorResult, which ``Session.execute``'s type, written for any statement, does not say.)"""
    result = cast(CursorResult[Any], db.session.execute(statement))
    return result.rowcount or 0


M = TypeVar("M", bound=Model)


def rows_by_id(model: type[M], *where: ColumnElement[bool]) -> list[M]:
    """The rows of ``model`` that match every ``where``, in the order they were made (by id)."""
    return list(db.session.scalars(select(model).where(*where).order_by(*inspect(model).primary_key)))


def celery_init_app(app: Flask) -> Celery:
    """The Flask Celery recipe: tasks run inside an app context (reusing one if present)."""

    class FlaskTask(Task[Any, Any]):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            if has_app_context():
                return self.run(*args, **kwargs)
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app: Celery = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
