"""The member's side of mail: email preferences (/my/email) and the unsubscribe link every email carries."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.auth.models import User
from forum.board.models import Category
from forum.extensions import csrf, db
from forum.mail import preferences as mail_preferences
from forum.mail.forms import EmailPreferencesForm, RetryAddressForm, UnsubscribeForm
from forum.mail.models import DigestFrequency
from forum.mail.unsubscribe import read_token
from forum.policy import Policy

bp = Blueprint("mail", __name__)

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _readable_categories(user) -> list[Category]:
    visible = Policy(user).visible_category_ids
    if not visible:
        return []
    query = select(Category).where(Category.id.in_(visible)).order_by(Category.position, Category.name)
    return list(db.session.execute(query).scalars())


@bp.route("/my/email", methods=["GET", "POST"])
@login_required
def preferences():
    stored = mail_preferences.preferences_of([current_user.id])[current_user.id]
    categories = _readable_categories(current_user)
    offered = {category.id for category in categories}
    following = mail_preferences.mailing_list_ids(current_user.id) & offered
    action = request.form.get("action")
    retry_form = RetryAddressForm(prefix="retry", formdata=request.form if action == "retry" else None)
    if action == "retry" and retry_form.validate_on_submit():
        mail_preferences.clear_delivery_failure(current_user.id)
        db.session.commit()
        flash(_("Thank you. We will send email to %(email)s again.", email=current_user.email), "success")
        return redirect(url_for("mail.preferences"))
    form = EmailPreferencesForm(
        formdata=request.form if action == "save" else None, obj=stored, away_minutes=stored.away_minutes,
        categories=categories, data={"lists": sorted(following), "digest": DigestFrequency(stored.digest).value},
    )
    if action == "save" and form.validate_on_submit():
        values = {name: form[name].data for name in mail_preferences.EDITABLE}
        values["digest"] = DigestFrequency(values["digest"])
        mail_preferences.save_preferences(current_user.id, **values)
        mail_preferences.set_mailing_lists(current_user.id, set(form.lists.data or ()), offered)
        db.session.commit()
        flash(_("Your email preferences are saved."), "success")
        return redirect(url_for("mail.preferences"))
    return render_template(
        "mail/preferences.html", form=form, retry_form=retry_form, failure=stored if stored.failed_at else None,
    )


def _kind_label(user: User, kind: str) -> str:
    if kind.startswith("list:"):
        category = db.session.get(Category, int(kind[5:]))
        if category is None or category.id not in Policy(user).visible_category_ids:
            return _("every new post in a category you followed by email")
        return _("every new post in %(category)s", category=category.name)
    return {
        "mentions": _("emails when someone mentions you"),
        "replies": _("emails when someone replies to your post"),
        "quotes": _("emails when someone quotes your post"),
        "watching": _("emails about new topics and posts in what you watch"),
        "messages": _("emails about your private messages"),
        "reminders": _("your bookmark reminders"),
        "digest": _("the digest of what is new"),
    }[kind]


def _may_apply(form: UnsubscribeForm) -> bool:
    """A mail client's RFC 8058 one-click POST (it has no CSRF token, and no cookies), or our own form."""
    if request.form.to_dict(flat=False) == {key: [value] for key, value in ONE_CLICK.items()}:
        return True
    return form.validate_on_submit()


@bp.route("/email/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # _may_apply checks the form's token itself, letting only the one-click body through without it
def unsubscribe(token: str):
    named = read_token(token)
    user = db.session.get(User, named[0]) if named else None
    if user is None:
        abort(404)
    kind = named[1]
    form = UnsubscribeForm()
    if request.method == "POST":
        if not _may_apply(form):
            abort(400)
        mail_preferences.unsubscribe(user.id, kind)
        db.session.commit()
        return render_template("mail/unsubscribed.html", member=user, what=_kind_label(user, kind))
    return render_template("mail/unsubscribe.html", member=user, what=_kind_label(user, kind), form=form)
