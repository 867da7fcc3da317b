"""Messages made where there is no request: a service says *what* to tell the user, in English (the
catalogue's msgid) with the values of its ``%(name)s`` fields; whoever shows it (a view, a task, the
CLI) translates it into the reader's language with ``portal.errors.translate`` (``str()`` of a
``ServiceError`` does it).

    raise PeopleError(N_("%(name)s is already in the portal.", name=person.full_name), "family_name")

``N_`` is a translation marker for ``pybabel extract`` (``-k N_``, see the Makefile): the English text
stays in the French catalogue where ``_()`` put it before. This module imports no Flask and no Babel,
so services, tasks and the CLI can make messages without a request or a locale.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """The English text of a message (already formatted, for logs and tests), with its ``msgid`` and
    ``params`` kept for translation."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Message:
        text = super().__new__(cls, msgid % params if params else msgid)
        text.msgid = msgid
        text.params = params
        return text


class Count(int):
    """A count given to a message (``N_("more than %(max)s rows", max=Count(1000))``), written as the reader
    writes numbers when the message is translated: 1,000 / 1 000 (a plain int is left as it is: a year or
    a row number is not grouped)."""


def N_(msgid: str, **params: Any) -> Message:  # noqa: N802 (the gettext convention for a marker)
    """Mark ``msgid`` for translation by the caller; ``params`` fill its ``%(name)s`` fields."""
    return Message(msgid, **params)


def sentence_end(name: str) -> str:
    """A name that ends a sentence ("You now have access to Maplewood Inc."): the full stop of its own
    abbreviation ends the sentence too, so the sentence's own is not written twice ("Inc..")."""
    return name[:-1] if name.endswith(".") else name
