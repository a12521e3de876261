"""The staff action log: staff read it, filter it and export it; members cannot; nothing in the UI changes it."""

import csv
import io
import re
from pathlib import Path

from forum.auth.models import User
from forum.extensions import db
from forum.moderation import audit, log
from forum.moderation.review import DECISIONS
from forum.moderation.topics import TopicChange
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


def test_the_log_names_each_action_in_words_and_every_action_the_services_write_has_a_name(app, client, auth, make):
    fiona, aino = make.facilitator("fiona"), make.user("aino")
    _record(app, fiona, "post.hide", aino, "Personal details of a resident", hidden=(False, True))
    auth.login("fiona")
    assert "Hid a post" in page_text(client.get("/admin/log"))

    source = "".join(path.read_text() for path in Path(log.__file__).parent.glob("*.py"))
    written = set(re.findall(r'"((?:post|topic|user|flags|pm|queued_post)\.[a-z_]+)"', source)) - {"post.restore"}
    written |= {f"topic.{change.value}" for change in TopicChange} | {action for action, _o in DECISIONS.values()}
    assert written - set(log.ACTION_LABELS) == set()
