"""Forms of the bulk import: the upload (one file) and the confirmation (a button with the CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField

from portal.i18n import lazy_gettext as _l

ALLOWED_EXTENSIONS = ("csv", "xlsx")
# what the browser's file picker offers: both kinds (".csv" alone hid the workbooks the form takes)
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(FlaskForm):
    file = FileField(
        _l("File (CSV or Excel .xlsx)"),
        validators=[
            FileRequired(message=_l("Choose a CSV or Excel .xlsx file to upload.")),
            FileAllowed(
                ALLOWED_EXTENSIONS,
                message=_l("Upload a .csv file (saved as “CSV UTF-8”) or an Excel .xlsx file."),
            ),
        ],
        render_kw={"accept": ACCEPT},
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    update_existing = BooleanField(_l("Update the people already in the portal with the file's values"))
    submit = SubmitField(_l("Import"))
