"""The staff action log: staff read it, filter it and export it; members cannot; nothing in the UI changes it."""

import csv
import io

from forum.auth.models import User
from forum.extensions import db
from forum.moderation import audit
from tests.conftest import page_text


def _record(app, actor_id, action, subject_id=None, reason=None, **changes):
    with app.app_context():
        audit.record(db.session.get(User, actor_id), action, "post", 7, subject_user_id=subject_id, reason=reason,
                     before={key: old for key, (old, _new) in changes.items()},
                     after={key: new for key, (_old, new) in changes.items()})
        db.session.commit()


def test_staff_read_filter_and_export_the_log_and_members_cannot(app, client, auth, make):
    fiona, aino = make.facilitator("fiona"), make.user("aino")
    make.user("ben")
    _record(app, fiona, "post.hide", aino, "Personal details of a resident", hidden=(False, True))
    _record(app, fiona, "topic.close", None, None, is_locked=(False, True))
    _record(app, fiona, "post.restore", aino, "=HYPERLINK(\"http://evil\")")

    auth.login("ben")
    assert client.get("/admin/log").status_code == 403
    assert client.get("/admin/log.csv").status_code == 403
    auth.logout()
    auth.login("fiona")

    text = page_text(client.get("/admin/log"))
    assert "3 entries" in text and "Personal details of a resident" in text and "hidden: False → True" in text
    filtered = page_text(client.get("/admin/log?action=post.hide&subject=aino"))
    assert "1 entry" in filtered and "topic.close" not in filtered.split("1 entry")[1]
    assert "0 entries" in page_text(client.get("/admin/log?subject=nobody"))

    export = client.get("/admin/log.csv?subject=aino")
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][:4] == ["id", "time_utc", "actor", "action"]
    assert [row[3] for row in rows[1:]] == ["post.hide", "post.restore"]
    assert rows[2][7].startswith("'=")  # a spreadsheet shows it, never runs it
    assert client.post("/admin/log").status_code == 405


def test_a_bad_date_filter_is_named_and_the_log_still_shows(app, client, auth, make):
    make.facilitator("fiona")
    auth.login("fiona")
    response = client.get("/admin/log?since=yesterday")
    assert response.status_code == 400 and "Not a valid date value." in page_text(response)
