from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.forms_common import SelectChoice, cicc_licence, lower_strip, strip
from portal.i18n import day, gettext
from portal.i18n import lazy_gettext as _l
from portal.models import Case, ReviewDecision


def _case_choices(cases: Iterable[Case], zone: tzinfo) -> list[SelectChoice]:
    """The cases a consultant's access may be limited to: the worker and the role of each, then the case's
    number and the day it was opened in the organization's ``zone`` (its UTC day was a day late for a case
    opened in the evening), which tell apart the cases of one worker in one role."""
    return [
        SelectChoice(
            c.id,
            f"{c.transferee.full_name} — {c.position.title} · "
            + gettext("case %(id)d, opened %(day)s", id=c.id, day=day(_local(c.created_at, zone))),
        )
        for c in cases
    ]


def _local(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` in ``zone`` (SQLite hands back naive values of aware columns: they are UTC)."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(zone)


class EngagementForm(FlaskForm):
    email = EmailField(
        _l("Consultant's email"),
        filters=[lower_strip],
        validators=[DataRequired(), Email(message=_l("Enter a valid email address.")), Length(max=254)],
    )
    cicc_licence = StringField(
        _l("Their CICC licence number (recommended)"),
        filters=[strip],
        validators=[Optional(), cicc_licence],
        description=_l("R123456 — only the consultant holding this licence can accept."),
    )
    case_ids = SelectMultipleField(
        _l("Limit to these cases (none chosen: every case)"),
        coerce=int,
        validators=[Optional()],
    )
    submit = SubmitField(_l("Engage the consultant"))

    def __init__(self, cases: Iterable[Case] = (), *args: Any, zone: tzinfo = UTC, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_ids.choices = _case_choices(cases, zone)


class ScopeForm(FlaskForm):
    # What an empty choice means, said where it is made: the label "Cases" alone let an owner who took a
    # limited consultant's last case off its scope give them every case instead.
    case_ids = SelectMultipleField(
        _l("Limit to these cases (none chosen: every case)"), coerce=int, validators=[Optional()]
    )
    submit = SubmitField(_l("Save the scope"))

    def __init__(self, cases: Iterable[Case] = (), *args: Any, zone: tzinfo = UTC, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_ids.choices = _case_choices(cases, zone)


DECISIONS = [
    SelectChoice("", _l("Choose: approve or return")),
    SelectChoice(ReviewDecision.APPROVED, _l("Approve")),
    SelectChoice(ReviewDecision.RETURNED, _l("Return with comments")),
]


class ReviewForm(FlaskForm):
    # No decision is preselected: a consultant who types a comment and records it without choosing
    # would otherwise approve by mistake. The empty first choice is refused with a message.
    decision = SelectField(
        _l("Decision"),
        choices=DECISIONS,
        default="",
        validators=[
            DataRequired(message=_l("Choose a decision: approve the document or return it with comments."))
        ],
    )
    comment = TextAreaField(_l("Comment"), filters=[strip], validators=[Optional(), Length(max=4000)])
    # shown when the letter still has "[to complete: ...]" places (services.review)
    as_it_is = BooleanField(_l("Approve it as it is, with what the letter still leaves to complete"))
    submit = SubmitField(_l("Record the decision"))

    def only_return(self) -> None:
        """A consultant without a CICC licence number approves nothing (``services.NO_LICENCE``): the one
        decision offered is to return the document."""
        self.decision.choices = [
            SelectChoice("", _l("Choose: return it")),
            *(c for c in DECISIONS if c.value == ReviewDecision.RETURNED),
        ]

    def only_withdrawal(self) -> None:
        """An approved version: the one decision left is to return it (which withdraws the approval)."""
        self.decision.choices = [
            SelectChoice("", _l("Choose: return it to withdraw the approval")),
            *(c for c in DECISIONS if c.value == ReviewDecision.RETURNED),
        ]
