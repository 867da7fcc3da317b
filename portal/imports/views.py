from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from portal import tenancy

bp = Blueprint("imports", __name__, url_prefix="/import")


@bp.route("/")
@login_required
@tenancy.org_required
def index():
    return render_template("imports/index.html")
