"""The facilitators' dashboard: the group's pulse per experiment and per cohort, the challenges still waiting
for an answer, the experiments whose learning log has gone quiet, and the coming workshops' answers."""

from flask import Flask


def init_app(app: Flask) -> None:
    from forum.dashboard.views import bp

    app.register_blueprint(bp)
