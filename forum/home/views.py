"""The public landing page and the health check."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from forum.board import queries
from forum.extensions import db

bp = Blueprint("home", __name__)


@bp.route("/")
def home():
    """Visitors see what the group is; members go straight to the latest topics."""
    if current_user.is_authenticated:
        return redirect(url_for("board.latest"))
    public = queries.visible_categories(current_user)
    return render_template("home/landing.html", public_categories=public)


@bp.route("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
