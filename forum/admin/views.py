"""Administration pages. Facilitators invite; administrators also manage categories, groups and roles."""

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.admin import services as admin_services
from forum.admin.forms import CategoryForm, GroupForm, GroupMemberForm, RoleForm
from forum.auth import services as auth_services
from forum.auth.forms import ROLE_LABELS, InviteForm
from forum.auth.models import Group, Invite, MentionPolicy, Role, User
from forum.board import services as board_services
from forum.board.models import Category, Visibility
from forum.core.errors import DomainError
from forum.core.forms import commit_or_show_error
from forum.extensions import db
from forum.policy import can

bp = Blueprint("admin", __name__)


def requires(action: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _all_groups() -> list[Group]:
    return list(db.session.execute(select(Group).order_by(Group.name)).scalars())


@bp.route("/")
@requires("invite")
def dashboard():
    return render_template("admin/dashboard.html")


# --- invitations ---------------------------------------------------------------------------------------

@bp.route("/invites", methods=["GET", "POST"])
@requires("invite")
def invites():
    form = InviteForm()
    # Roles and groups are given by administrators only, as on the members and groups pages.
    form.groups.choices = [(g.id, g.name) for g in _all_groups()] if can(current_user, "administer") else []
    if not can(current_user, "administer"):
        form.role.choices = [(Role.MEMBER.value, ROLE_LABELS[Role.MEMBER])]
    if form.validate_on_submit():
        chosen = [g for g in _all_groups() if g.id in (form.groups.data or [])]
        ok, result = commit_or_show_error(
            form,
            lambda: auth_services.invite_member(
                current_user, form.email.data, role=Role(form.role.data), groups=chosen, message=form.message.data
            ),
        )
        if ok:
            invite, _token = result
            flash(_("Invitation sent to %(email)s.", email=invite.email), "success")
            return redirect(url_for("admin.invites"))
    listed = db.session.execute(
        select(Invite).options(selectinload(Invite.invited_by), selectinload(Invite.groups)).order_by(Invite.created_at.desc()).limit(100)
    ).scalars()
    return render_template("admin/invites.html", form=form, invites=list(listed))


@bp.route("/invites/<int:invite_id>/revoke", methods=["POST"])
@requires("invite")
def revoke_invite(invite_id: int):
    invite = db.session.get(Invite, invite_id) or abort(404)
    auth_services.revoke_invite(current_user, invite)
    db.session.commit()
    flash(_("The invitation to %(email)s is revoked.", email=invite.email), "info")
    return redirect(url_for("admin.invites"))


# --- categories ----------------------------------------------------------------------------------------

@bp.route("/categories")
@requires("administer")
def categories():
    listed = db.session.execute(
        select(Category).options(selectinload(Category.groups)).order_by(Category.position, Category.name)
    ).scalars()
    return render_template("admin/categories.html", categories=list(listed))


def _category_form(category: Category | None) -> CategoryForm:
    form = CategoryForm(obj=category)
    top_level = db.session.execute(select(Category).where(Category.parent_id.is_(None)).order_by(Category.name)).scalars()
    form.parent_id.choices = [(0, _("None (top level)"))] + [
        (c.id, c.name) for c in top_level if category is None or c.id != category.id
    ]
    form.groups.choices = [(g.id, g.name) for g in _all_groups()]
    return form


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@requires("administer")
def edit_category(category_id: int | None):
    category = None
    if category_id is not None:
        category = db.session.execute(
            select(Category).where(Category.id == category_id).options(selectinload(Category.groups))
        ).scalar_one_or_none() or abort(404)
    form = _category_form(category)
    if category is not None and not form.is_submitted():
        form.parent_id.data = category.parent_id or 0
        form.groups.data = [g.id for g in category.groups]
        form.visibility.data = category.visibility.value
    if form.validate_on_submit():
        ok, saved = commit_or_show_error(
            form,
            lambda: board_services.save_category(
                current_user,
                category,
                name=form.name.data,
                slug=form.slug.data,
                description=form.description.data,
                colour=form.colour.data,
                parent=db.session.get(Category, form.parent_id.data) if form.parent_id.data else None,
                position=form.position.data or 0,
                visibility=Visibility(form.visibility.data),
                groups=[g for g in _all_groups() if g.id in (form.groups.data or [])],
                staff_only_topics=form.staff_only_topics.data,
            ),
        )
        if ok:
            flash(_("Category “%(name)s” is saved.", name=saved.name), "success")
            return redirect(url_for("admin.categories"))
    return render_template("admin/edit_category.html", form=form, category=category)


# --- groups --------------------------------------------------------------------------------------------

@bp.route("/groups", methods=["GET", "POST"])
@requires("administer")
def groups():
    form = GroupForm()
    if form.validate_on_submit():
        ok, group = commit_or_show_error(
            form,
            lambda: admin_services.save_group(
                current_user, None, name=form.name.data, description=form.description.data,
                mention_policy=MentionPolicy(form.mention_policy.data),
            ),
        )
        if ok:
            return redirect(url_for("admin.group", group_id=group.id))
    listed = db.session.execute(select(Group).options(selectinload(Group.members)).order_by(Group.name)).scalars()
    return render_template("admin/groups.html", form=form, groups=list(listed))


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
@requires("administer")
def group(group_id: int):
    found = db.session.get(Group, group_id) or abort(404)
    form = GroupMemberForm(prefix="member")
    settings = GroupForm(prefix="settings", obj=found)
    if not settings.is_submitted():
        settings.mention_policy.data = found.mention_policy.value
    if request.form.get("action") == "settings" and settings.validate_on_submit():
        ok, _saved = commit_or_show_error(
            settings,
            lambda: admin_services.save_group(
                current_user, found, name=settings.name.data, description=settings.description.data,
                mention_policy=MentionPolicy(settings.mention_policy.data),
            ),
        )
        if ok:
            flash(_("Group settings saved."), "success")
            return redirect(url_for("admin.group", group_id=found.id))
    elif request.form.get("action") != "settings" and form.validate_on_submit():
        user = auth_services.find_user(form.username.data.strip().lstrip("@"))
        if user is None:
            form.username.errors = [_("No member has that username.")]
        else:
            admin_services.add_to_group(current_user, found, user)
            db.session.commit()
            flash(_("%(name)s is now in %(group)s.", name=user.display_name, group=found.name), "success")
            return redirect(url_for("admin.group", group_id=found.id))
    return render_template("admin/group.html", group=found, form=form, settings=settings)


@bp.route("/groups/<int:group_id>/remove/<int:user_id>", methods=["POST"])
@requires("administer")
def remove_group_member(group_id: int, user_id: int):
    found = db.session.get(Group, group_id) or abort(404)
    user = db.session.get(User, user_id) or abort(404)
    admin_services.remove_from_group(current_user, found, user)
    db.session.commit()
    flash(_("%(name)s is no longer in %(group)s.", name=user.display_name, group=found.name), "info")
    return redirect(url_for("admin.group", group_id=found.id))


# --- members -------------------------------------------------------------------------------------------

@bp.route("/users")
@requires("administer")
def users():
    listed = db.session.execute(select(User).order_by(User.display_name)).scalars()
    return render_template("admin/users.html", users=list(listed), role_form=RoleForm())


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@requires("administer")
def set_role(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            auth_services.set_role(current_user, user, Role(form.role.data))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is now: %(role)s.", name=user.display_name, role=ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.users"))

