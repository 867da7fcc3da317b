from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from portal.forms_common import SelectChoice
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.models import ForeignEnterprise, Position, Transferee


class CaseForm(FlaskForm):
    transferee_id = SelectField(_l("Transferee"), validators=[DataRequired()])
    position_id = SelectField(_l("Role in Canada"), validators=[DataRequired()])
    foreign_enterprise_id = SelectField(
        _l("Group company the transfer relies on"),
        validators=[Optional()],
        description=_l("Empty: the group company of the transferee's latest job."),
    )
    # shown once the person is found to have a case for the role already (services.create_case)
    again = BooleanField(_l("Open a second case for this person in this role (a new assignment, a renewal)"))
    # with the box: the person, the role and the newest case of theirs the page knew (services.beside_value),
    # so that the box's form sent twice (a double click) opens one case, not two
    beside = HiddenField()
    submit = SubmitField(_l("Open the case"))

    def __init__(
        self,
        transferees: Iterable[Transferee] = (),
        positions: Iterable[Position] = (),
        enterprises: Iterable[ForeignEnterprise] = (),
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.transferee_id.choices = [SelectChoice(str(t.id), t.full_name) for t in transferees]
        self.position_id.choices = [
            SelectChoice(str(p.id), _("%(title)s — NOC %(code)s", title=p.title, code=p.noc_code))
            for p in positions
        ]
        self.foreign_enterprise_id.choices = [SelectChoice("", "—")] + [
            SelectChoice(str(e.id), e.name) for e in enterprises
        ]
