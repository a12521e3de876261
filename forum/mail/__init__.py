"""Outbound mail: the outbox every message leaves through, and the messages that follow the forum's events."""

from flask import Flask


def init_app(app: Flask) -> None:
    from forum.mail import digest, notify, outbox, subscribers, workshop_reminders
    from forum.mail.admin_views import bp as admin_pages
    from forum.mail.digest_views import bp as digest_pages
    from forum.mail.inbound import admin_views as inbound_pages
    from forum.mail.inbound import jobs as inbound_jobs
    from forum.mail.inbound import receiver
    from forum.mail.inbound.address_views import bp as inbound_addresses
    from forum.mail.inbound.webhook import bp as inbound_webhook
    from forum.mail.views import bp as member_pages

    subscribers.subscribe()
    app.add_template_global(receiver.received_by_mail)
    outbox.register_jobs(app)
    notify.register_jobs(app)
    app.register_blueprint(member_pages)
    app.register_blueprint(admin_pages)
    digest.register_jobs(app)
    workshop_reminders.register_jobs(app)
    inbound_jobs.register_jobs(app)
    app.register_blueprint(digest_pages)
    app.register_blueprint(inbound_webhook)
    app.register_blueprint(inbound_pages.bp)
    app.register_blueprint(inbound_pages.author_bp)
    app.register_blueprint(inbound_addresses)
