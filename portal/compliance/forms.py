from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, SubmitField
from wtforms.validators import Length, Optional

from portal.forms_common import strip
from portal.i18n import lazy_gettext as _l
from portal.validation import WorkDate


class SubmissionForm(FlaskForm):
    offer_number = StringField(
        _l("Offer of employment number"),
        filters=[strip],
        validators=[Optional(), Length(max=20)],
        description=_l("e.g. %(example)s", example="A1234567"),
    )
    submitted_on = DateField(_l("Submitted in the Employer Portal on"), validators=[Optional(), WorkDate()])
    fee_paid_on = DateField(_l("Compliance fee paid on"), validators=[Optional(), WorkDate()])
    fee_exempt = BooleanField(_l("The offer is fee-exempt"))
    permit_issued_on = DateField(_l("Work permit issued on"), validators=[Optional(), WorkDate()])
    first_day_on = DateField(_l("First day of work"), validators=[Optional(), WorkDate()])
    permit_expiry_on = DateField(_l("Work permit expires on"), validators=[Optional(), WorkDate()])
    submit = SubmitField(_l("Save"))
