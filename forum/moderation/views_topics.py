"""A topic's Moderate page (/t/<id>/moderate) for those who moderate it: close or open, pin, archive, unlist,
move, split selected posts off, merge into another topic, set a timer, change the owner. Each action is a small
form posted to an address of its own; the services check the rules and write the audit row."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException

from forum.auth.models import User
from forum.board import queries as board_queries
from forum.board.models import Category, Post
from forum.core import links
from forum.core.forms import commit_or_flash, commit_or_show_error
from forum.core.i18n import local_to_utc
from forum.core.text import plain_excerpt
from forum.extensions import db
from forum.moderation import timers, topic_moves, topics
from forum.moderation.blueprint import bp
from forum.moderation.models import TimerAction, TopicTimer
from forum.moderation.topic_forms import (
    ConfirmForm,
    MergeForm,
    MoveForm,
    OwnerForm,
    SplitForm,
    StateForm,
    TimerForm,
)
from forum.moderation.topics import TopicChange
from forum.policy import can, policy_for

FORMS = {"state": StateForm, "move": MoveForm, "split": SplitForm, "merge": MergeForm, "timer": TimerForm,
         "owner": OwnerForm}

DONE = {
    TopicChange.CLOSE: _l("The topic is closed: only facilitators can reply."),
    TopicChange.OPEN: _l("The topic is open for replies again."),
    TopicChange.PIN: _l("The topic is pinned at the top of its category."),
    TopicChange.PIN_GLOBALLY: _l("The topic is pinned at the top of every topic list."),
    TopicChange.UNPIN: _l("The topic is no longer pinned."),
    TopicChange.ARCHIVE: _l("The topic is archived: nobody can reply."),
    TopicChange.UNARCHIVE: _l("The topic is no longer archived."),
    TopicChange.UNLIST: _l("The topic is unlisted: it is read by its link only."),
    TopicChange.LIST: _l("The topic is listed again."),
}
EXCERPT_CHARS = 120


def _moderated_topic(topic_id: int):
    topic = topics.topic_for_moderation(topic_id)
    if topic is None or not can(current_user, "view_topic", topic):
        abort(404)
    if not can(current_user, "moderate_topic", topic):
        abort(403)
    return topic


def _categories() -> list[Category]:
    """The categories the member moderates (where they may move topics and start split-off ones)."""
    policy = policy_for(current_user)
    return [c for c in board_queries.visible_categories(current_user) if policy.can("moderate_category", c)]


def _posts(topic) -> list[Post]:
    return list(db.session.execute(
        select(Post).where(Post.topic_id == topic.id, Post.post_number > 1)
        .options(joinedload(Post.author)).order_by(Post.post_number)
    ).scalars())


def _forms(topic, submitted: str | None = None, categories=None, posts=None) -> dict:
    """Every form of the page; only the one posted (`submitted`) reads the request."""
    forms = {}
    for name, form_class in FORMS.items():
        forms[name] = form_class(prefix=name) if name == submitted else form_class(prefix=name, formdata=None)
    choices = [(c.id, c.name) for c in categories]
    forms["move"].category_id.choices = [choice for choice in choices if choice[0] != topic.category_id]
    forms["split"].category_id.choices = choices
    if submitted != "split":
        forms["split"].category_id.data = topic.category_id
    forms["split"].post_numbers.choices = [
        (post.post_number, f"#{post.post_number} {post.author.username}: {plain_excerpt(post.raw, EXCERPT_CHARS)}")
        for post in posts
    ]
    return forms


def _page(topic, submitted: str | None = None, status: int = 200, forms: dict | None = None):
    categories, posts = _categories(), _posts(topic)
    forms = forms or _forms(topic, submitted, categories, posts)
    return render_template(
        "moderation/topic.html", topic=topic, forms=forms, timer=timers.pending_timer(topic.id), changes=TopicChange,
        cancel_form=ConfirmForm(prefix="cancel", formdata=None),
    ), status


@bp.get("/t/<int:topic_id>/moderate")
@login_required
def moderate_topic(topic_id: int):
    topic = _moderated_topic(topic_id)
    return _page(topic)


def _back(topic, message) -> object:
    flash(str(message), "success")
    return redirect(url_for("moderation.moderate_topic", topic_id=topic.id))


def _submitted(topic, name: str):
    """(the forms, with the posted one validated, or None if it is invalid)."""
    forms = _forms(topic, name, _categories(), _posts(topic))
    return forms, forms[name].validate_on_submit()


@bp.post("/t/<int:topic_id>/moderate/state")
@login_required
def change_state(topic_id: int):
    topic = _moderated_topic(topic_id)
    try:
        change = TopicChange(request.form.get("change", ""))
    except ValueError:
        abort(400)
    forms, valid = _submitted(topic, "state")
    if valid:
        done, _result = commit_or_show_error(
            forms["state"], lambda: topics.change_topic(current_user, topic, change, forms["state"].reason.data)
        )
        if done:
            return _back(topic, DONE[change])
    return _page(topics.topic_for_moderation(topic_id), status=400, forms=forms)


@bp.post("/t/<int:topic_id>/moderate/move")
@login_required
def move(topic_id: int):
    topic = _moderated_topic(topic_id)
    forms, valid = _submitted(topic, "move")
    if valid:
        form = forms["move"]
        category = db.session.get(Category, form.category_id.data)
        done, _result = commit_or_show_error(
            form, lambda: topics.move_topic(current_user, topic, category, form.reason.data)
        )
        if done:
            return _back(topic, _("The topic is moved to %(name)s.", name=category.name))
    return _page(topics.topic_for_moderation(topic_id), status=400, forms=forms)


@bp.post("/t/<int:topic_id>/moderate/split")
@login_required
def split(topic_id: int):
    topic = _moderated_topic(topic_id)
    forms, valid = _submitted(topic, "split")
    if valid:
        form = forms["split"]
        category = db.session.get(Category, form.category_id.data)
        done, new_topic = commit_or_show_error(
            form, lambda: topic_moves.split_topic(
                current_user, topic, form.post_numbers.data, form.title.data, category, form.reason.data
            ),
        )
        if done:
            flash(_("The posts are moved to this new topic."), "success")
            return redirect(links.topic_url(new_topic))
    return _page(topics.topic_for_moderation(topic_id), status=400, forms=forms)


@bp.post("/t/<int:topic_id>/moderate/merge")
@login_required
def merge(topic_id: int):
    topic = _moderated_topic(topic_id)
    forms, valid = _submitted(topic, "merge")
    if valid:
        form = forms["merge"]
        target_id = _topic_id_in(form.target.data)
        target = topics.topic_for_moderation(target_id) if target_id else None
        if target is None or not can(current_user, "view_topic", target):
            form.target.errors = [_("There is no such topic.")]
        else:
            done, _result = commit_or_show_error(
                form, lambda: topic_moves.merge_topic(current_user, topic, target, form.reason.data)
            )
            if done:
                flash(_("The topic is merged into this one."), "success")
                return redirect(links.topic_url(target))
    return _page(topics.topic_for_moderation(topic_id), status=400, forms=forms)


def _topic_id_in(text: str) -> int | None:
    """The topic a number or a topic's (or post's) address names."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    path = urlsplit(text).path
    base = urlsplit(current_app.config["FORUM_BASE_URL"]).path.rstrip("/")
    if base and path.startswith(base + "/"):
        path = path[len(base):]
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return None
    if endpoint == links.POST_PERMALINK:
        post = db.session.get(Post, values["post_id"])
        return post.topic_id if post else None
    return values.get("topic_id") if endpoint.startswith("board.") else None


@bp.post("/t/<int:topic_id>/moderate/timer")
@login_required
def set_timer(topic_id: int):
    topic = _moderated_topic(topic_id)
    forms, valid = _submitted(topic, "timer")
    if valid:
        form = forms["timer"]
        run_at = local_to_utc(form.run_at.data, ZoneInfo(str(get_timezone())))
        if run_at is None:
            form.run_at.errors = [_("Choose a time between the years 1900 and 2999.")]
        else:
            done, _result = commit_or_show_error(
                form, lambda: timers.set_timer(current_user, topic, TimerAction(form.action.data), run_at)
            )
            if done:
                return _back(topic, _("The timer is set."))
    return _page(topics.topic_for_moderation(topic_id), status=400, forms=forms)


@bp.post("/t/<int:topic_id>/moderate/timer/<int:timer_id>/cancel")
@login_required
def cancel_timer(topic_id: int, timer_id: int):
    topic = _moderated_topic(topic_id)
    timer = db.session.get(TopicTimer, timer_id) or abort(404)
    if not ConfirmForm(prefix="cancel").validate_on_submit():
        abort(400)
    commit_or_flash(lambda: timers.cancel_timer(current_user, topic, timer), _("The timer is cancelled."))
    return redirect(url_for("moderation.moderate_topic", topic_id=topic_id))


@bp.post("/t/<int:topic_id>/moderate/owner")
@login_required
def change_owner(topic_id: int):
    topic = _moderated_topic(topic_id)
    forms, valid = _submitted(topic, "owner")
    if valid:
        form = forms["owner"]
        key = form.username.data.strip().lstrip("@").lower()
        owner = db.session.execute(select(User).where(User.username_key == key)).scalar_one_or_none()
        if owner is None:
            form.username.errors = [_("No member has that username.")]
        else:
            done, _result = commit_or_show_error(
                form, lambda: topics.change_owner(current_user, topic, owner, form.reason.data)
            )
            if done:
                return _back(topic, _("The topic now belongs to %(name)s.", name=owner.display_name))
    return _page(topics.topic_for_moderation(topic_id), status=400, forms=forms)
