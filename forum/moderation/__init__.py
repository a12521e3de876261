"""Moderation: flags, the review queue, posts held for approval, topic and member actions, and the staff action
log. Every action is a service that writes its audit row in the same transaction (forum/moderation/audit.py);
the web pages, the CLI and later the API call the same services."""

from flask import Flask


def init_app(app: Flask) -> None:
    from forum.moderation import (  # noqa: F401 (each views_* module adds its routes to the blueprint)
        approval,
        duplicates,
        edits,
        members,
        moved,
        timers,
        views_log,
        views_members,
        views_posts,
        views_review,
        views_topics,
    )
    from forum.moderation.blueprint import bp

    app.register_blueprint(bp)
    duplicates.register()  # before approval: a duplicate is refused, not held twice
    approval.register(app)
    edits.register()  # a facilitator's edit of someone else's post is logged
    members.register_jobs(app)
    moved.register()  # old addresses of merged topics and moved posts lead to their new places
    timers.register_jobs(app)
    app.add_template_global(views_review.review_count)
