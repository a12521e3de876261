"""Moderation: flags, the review queue, posts held for approval, topic and member actions, and the staff action
log. Every action is a service that writes its audit row in the same transaction (forum/moderation/audit.py);
the web pages, the CLI and later the API call the same services."""

from flask import Flask


def init_app(app: Flask) -> None:
    from forum.moderation import views_log, views_posts, views_review  # noqa: F401 (each adds its routes to bp)
    from forum.moderation.blueprint import bp

    app.register_blueprint(bp)
    app.add_template_global(views_review.review_count)
