"""Category incoming addresses, for administrators (/admin/mail/addresses): mail to
<local part>@<incoming domain> from a member who may start topics in the category starts one there."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import Length, Optional

from forum.admin.views import requires
from forum.board.models import Category
from forum.core.errors import DomainError
from forum.core.forms import Form, show_domain_error
from forum.extensions import db
from forum.mail.inbound.models import CategoryAddress
from forum.mail.inbound.reply_keys import inbound_domain

bp = Blueprint("inbound_addresses", __name__, url_prefix="/admin/mail/addresses")

_LOCAL_PART = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")


class AddressForm(Form):
    local_part = StringField(_l("Address"), validators=[Optional(), Length(max=64)])


def set_category_address(category: Category, local_part: str) -> None:
    """Give the category its incoming address (lower case letters, digits, . _ -), or none when empty."""
    local_part = local_part.strip().lower()
    current = db.session.get(CategoryAddress, category.id)
    if not local_part:
        if current is not None:
            db.session.delete(current)
        db.session.flush()
        return
    if not _LOCAL_PART.match(local_part) or local_part.startswith("reply+") or local_part == "reply":
        raise DomainError(_l("Use lower case letters, digits, dots, dashes and underscores."), field="local_part")
    taken = db.session.execute(
        select(CategoryAddress.category_id).where(CategoryAddress.local_part == local_part)
    ).scalar_one_or_none()
    if taken is not None and taken != category.id:
        raise DomainError(_l("Another category has that address."), field="local_part")
    if current is None:
        db.session.add(CategoryAddress(category_id=category.id, local_part=local_part))
    else:
        current.local_part = local_part
    db.session.flush()


def _page(forms: dict[int, AddressForm] | None = None, status: int = 200):
    categories = db.session.execute(select(Category).order_by(Category.name)).scalars().all()
    addresses = dict(db.session.execute(select(CategoryAddress.category_id, CategoryAddress.local_part)).all())
    forms = forms or {}
    rows = [
        (category, forms.get(category.id) or AddressForm(formdata=None, local_part=addresses.get(category.id, "")))
        for category in categories
    ]
    return render_template("inbound_addresses/index.html", rows=rows, domain=inbound_domain()), status


@bp.route("/")
@requires("administer")
def index():
    return _page()


@bp.route("/<int:category_id>", methods=["POST"])
@requires("administer")
def save(category_id: int):
    category = db.session.get(Category, category_id)
    if category is None:
        abort(404)
    form = AddressForm()
    if form.validate_on_submit():
        try:
            set_category_address(category, form.local_part.data or "")
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _page({category_id: form}, 400)
        db.session.commit()
        flash(_("The address of %(category)s was saved.", category=category.name), "success")
        return redirect(url_for("inbound_addresses.index"))
    return _page({category_id: form}, 400)
