from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms_common import SelectChoice, strip
from portal.i18n import lazy_gettext as _l


class RequestDocumentForm(FlaskForm):
    kind = SelectField(
        _l("Document"),
        choices=[
            SelectChoice("support_letter", _l("Support letter")),
            SelectChoice("packet", _l("Offer-submission packet")),
        ],
    )
    language = SelectField(
        _l("Language"), choices=[SelectChoice("en", "English"), SelectChoice("fr", "Français")]
    )
    signatory_name = StringField(_l("Signed by"), filters=[strip], validators=[Optional(), Length(max=200)])
    signatory_title = StringField(
        _l("Signatory's title"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField(_l("Make the document"))


class EvidenceForm(FlaskForm):
    item = SelectField(_l("Checklist item"), validators=[DataRequired()])
    file = FileField(
        _l("File (PDF, PNG or JPEG, up to 10 MB)"), validators=[FileRequired(_l("Choose a file."))]
    )
    submit = SubmitField(_l("Upload"))

    def __init__(self, items: Iterable[tuple[str, str]] = (), *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item.choices = [SelectChoice(key, text) for key, text in items]


class LetterheadForm(FlaskForm):
    logo = FileField(_l("Logo (PNG or JPEG, up to 1 MB)"))
    signatory_name = StringField(
        _l("Default signatory"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    signatory_title = StringField(
        _l("Signatory's title"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField(_l("Save the letterhead"))
