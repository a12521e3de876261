"""Uploads no post shows (the composer uploads before posting; a member may never post) are deleted after a
grace period, with their file once no other upload shares it; those a draft still mentions are kept."""

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import select, update

from forum.core.jobs import run_jobs
from forum.core.models import utcnow
from forum.extensions import db
from forum.uploads.models import Upload


def _png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(out, "PNG")
    return out.getvalue()


def _age(app, url: str, hours: float) -> None:
    with app.app_context():
        db.session.execute(update(Upload).where(Upload.id == _id(url)).values(created_at=utcnow() - timedelta(hours=hours)))
        db.session.commit()


def _id(url: str) -> int:
    return int(url.split("/")[2])


def _row(app, url: str) -> Upload | None:
    with app.app_context():
        return db.session.get(Upload, _id(url))


def _file(app, url: str) -> Path:
    with app.app_context():
        key = db.session.execute(select(Upload.storage_key).where(Upload.id == _id(url))).scalar_one()
    return Path(app.config["FORUM_UPLOADS_DIR"]) / key


def _clean_up(app) -> dict:
    with app.app_context():
        return run_jobs()


def test_old_orphaned_upload_is_deleted_with_its_file(app, member, upload):
    url = upload("never-posted.png", _png("red")).get_json()["url"]
    stored = _file(app, url)
    _age(app, url, 25)
    assert _clean_up(app)["uploads.delete_orphans"] == 1
    assert _row(app, url) is None and not stored.exists()


def test_recent_linked_and_drafted_uploads_are_kept(app, client, member, upload, make):
    category = make.category("Open")
    recent = upload("composing.png", _png("red")).get_json()["url"]
    linked = upload("posted.png", _png("green")).get_json()["url"]
    drafted = upload("drafted.png", _png("blue")).get_json()["url"]
    assert client.post("/c/open/new-topic", data={"title": "Our chart", "raw": f"![chart]({linked})"}).status_code == 302
    assert client.put(f"/drafts/topic:{category}", json={"raw": f"Not finished ![x]({drafted})"}).status_code == 200
    _age(app, linked, 48)
    _age(app, drafted, 48)
    assert _clean_up(app)["uploads.delete_orphans"] == 0
    for url in (recent, linked, drafted):
        assert _row(app, url) is not None and _file(app, url).exists()
    assert client.get(linked).status_code == 200


def test_shared_file_stays_while_another_upload_uses_it(app, client, auth, make, member, upload):
    make.category("Open")
    orphan = upload("mine.png", _png("red")).get_json()["url"]
    auth.logout()
    make.user("bertil")
    auth.login("bertil")
    shared = upload("same-picture.png", _png("red")).get_json()["url"]
    assert client.post("/c/open/new-topic", data={"title": "Same picture", "raw": f"![x]({shared})"}).status_code == 302
    assert _file(app, orphan) == _file(app, shared)
    _age(app, orphan, 25)
    _age(app, shared, 25)
    assert _clean_up(app)["uploads.delete_orphans"] == 1
    assert _row(app, orphan) is None
    assert _file(app, shared).exists() and client.get(shared).status_code == 200
