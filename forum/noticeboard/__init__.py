"""The Noticeboard: facilitators' announcements that members may comment on, the latest pinned one shown to
every member as a banner until they have read or dismissed it."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The banner's template global (base.html includes it) and the Noticeboard's pages."""
    from forum.noticeboard import banner
    from forum.noticeboard.views import bp

    app.add_template_global(banner.notice_banner)
    app.register_blueprint(bp)
