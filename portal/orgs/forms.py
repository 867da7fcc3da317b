from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from portal.forms_common import SelectChoice, lower_strip
from portal.i18n import lazy_gettext as _l
from portal.models import Role

ROLE_CHOICES = [SelectChoice(Role.MEMBER.value, _l("Member")), SelectChoice(Role.OWNER.value, _l("Owner"))]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Colleague's email"),
        filters=[lower_strip],
        validators=[DataRequired(), Email(message=_l("Enter a valid email address.")), Length(max=254)],
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired()])
    submit = SubmitField(_l("Send the invitation"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired()])
    submit = SubmitField(_l("Change"))


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (remove, revoke, switch, join)."""

    submit = SubmitField(_l("Confirm"))
