"""An old draft never slips silently into new text: the composer says it restored one and offers to discard it,
Cancel asks whether to keep it, and a file picked before Preview is not lost (issue 22)."""

import io
import re
from zoneinfo import ZoneInfo

from babel.dates import format_time
from PIL import Image
from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.composer.models import Draft
from forum.extensions import db
from tests.conftest import page_text


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), "teal").save(out, "PNG")
    return out.getvalue()


def _topic_url(app, topic_id):
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


def _drafts(app):
    with app.app_context():
        return list(db.session.execute(select(Draft.key, Draft.raw)).all())


def test_new_topic_with_an_old_draft_says_it_was_restored_and_when(app, client, auth, make):
    make.user("aino", timezone="Europe/Helsinki")
    category_id = make.category("Noticeboard")
    auth.login("aino")
    client.put(f"/drafts/topic:{category_id}", json={"raw": "Notes from last spring", "title": "Old idea"})
    with app.app_context():
        saved = db.session.execute(select(Draft.updated_at)).scalar_one()
    html = client.get("/c/noticeboard/new-topic").get_data(as_text=True)
    notice = html.split('class="draft-notice"')[1].split("</div>")[0]
    assert "Draft restored from" in notice
    # The time is the member's own (Helsinki).
    local = format_time(saved.astimezone(ZoneInfo("Europe/Helsinki")).timetz(), "short", locale="en")
    assert local in notice
    assert re.search(r'<button type="submit"[^>]*>Discard</button>', notice)
    assert ">Keep</a>" in notice


def test_a_fresh_composer_has_no_draft_notice(app, client, auth, make):
    make.user("aino")
    make.category("Noticeboard")
    auth.login("aino")
    assert "Draft restored" not in client.get("/c/noticeboard/new-topic").get_data(as_text=True)


def test_discard_without_javascript_empties_the_composer_and_forgets_the_draft(app, client, auth, make):
    make.user("aino")
    category_id = make.category("Noticeboard")
    auth.login("aino")
    client.put(f"/drafts/topic:{category_id}", json={"raw": "Notes from last spring", "title": "Old idea"})
    response = client.post(f"/drafts/topic:{category_id}/discard", data={"next": "/c/noticeboard/new-topic"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/c/noticeboard/new-topic")
    html = client.get("/c/noticeboard/new-topic").get_data(as_text=True)
    assert "Notes from last spring" not in html and "Old idea" not in html and "Draft restored" not in html
    assert "Draft discarded." in html
    assert _drafts(app) == []


def test_discard_never_follows_a_link_off_the_site(app, client, auth, make):
    make.user("aino")
    category_id = make.category("Noticeboard")
    auth.login("aino")
    response = client.post(f"/drafts/topic:{category_id}/discard", data={"next": "https://evil.example/"})
    assert response.headers["Location"].endswith("/drafts")


def test_after_preview_the_text_is_the_members_own_so_no_notice(app, client, auth, make):
    make.user("aino")
    make.category("Noticeboard")
    auth.login("aino")
    html = client.post("/c/noticeboard/new-topic", data={"title": "Plan", "raw": "A plan", "preview": "1"}).get_data(as_text=True)
    assert "Draft restored" not in html


def test_cancel_with_a_draft_asks_whether_to_keep_it(app, client, auth, make):
    make.user("aino")
    category_id = make.category("Noticeboard")
    auth.login("aino")
    client.put(f"/drafts/topic:{category_id}", json={"raw": "Half a plan", "title": "Plan"})
    html = client.get("/c/noticeboard/new-topic").get_data(as_text=True)
    cancel = re.search(r'<a href="([^"]+)" class="composer-cancel"', html).group(1).replace("&amp;", "&")
    page = client.get(cancel)
    text = page_text(page)
    assert "Keep your draft?" in text and "Half a plan" in text
    assert "Discard the draft" in text and "Keep the draft" in text
    assert _drafts(app) == [(f"topic:{category_id}", "Half a plan")], "asking is not discarding"
    discarded = client.post(f"/drafts/topic:{category_id}/discard", data={"next": "/c/noticeboard"})
    assert discarded.headers["Location"].endswith("/c/noticeboard") and _drafts(app) == []


def test_cancel_without_a_draft_goes_straight_back(app, client, auth, make):
    make.user("aino")
    category_id = make.category("Noticeboard")
    auth.login("aino")
    response = client.get(f"/drafts/topic:{category_id}/discard?next=/c/noticeboard")
    assert response.status_code == 302 and response.headers["Location"].endswith("/c/noticeboard")


def test_a_file_picked_before_preview_is_kept_for_the_post(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    url = _topic_url(app, topic_id)
    response = client.post(
        f"{url}/reply",
        data={"raw": "Here is the chart", "preview": "1", "attachment": (io.BytesIO(_png()), "chart.png")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    link = re.search(r"!\[chart\.png\]\(/uploads/\d+/chart\.png\)", html)
    assert link, "the file's Markdown is in the text after Preview"
    assert "chart.png is attached" in page_text(response)
    assert "<img" in html.split('id="preview-heading"')[1].split("</section>")[0], "the preview shows the image"
    # The member posts what the composer now holds (the browser does not send the file again).
    client.post(f"{url}/reply", data={"raw": "Here is the chart\n\n" + link.group(0)})
    with app.app_context():
        raw = db.session.execute(select(Post.raw).where(Post.post_number == 2)).scalar_one()
    assert link.group(0) in raw


def test_a_refused_file_at_preview_says_why_and_keeps_the_text(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    url = _topic_url(app, topic_id)
    response = client.post(
        f"{url}/reply",
        data={"raw": "Keep this text", "preview": "1", "attachment": (io.BytesIO(b"MZ" + b"\x00" * 64), "tool.exe")},
        content_type="multipart/form-data",
    )
    text = page_text(response)
    assert "Keep this text" in response.get_data(as_text=True)
    assert "is attached" not in text
    assert re.search(r"not (allowed|accepted)|cannot|refus", text, re.I), text


def _replying_to_line(html: str) -> str | None:
    """The topic composer's "Replying to …" line as shown (None when it is hidden or absent)."""
    found = re.search(r'<p class="replying-to"(?P<attrs>[^>]*)>(?P<text>.*?)</p>', html, re.S)
    if found is None or re.search(r"\bhidden\b", found["attrs"]):
        return None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found["text"])).strip()


def test_a_restored_reply_says_whom_it_replies_to(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category(), raw="Where shall we meet?")
    make.post(aino, topic_id, "The library has rooms.")
    auth.login("mikko")
    url = _topic_url(app, topic_id)
    assert _replying_to_line(client.get(url).get_data(as_text=True)) is None
    client.put(f"/drafts/reply:{topic_id}", json={"raw": "Room 2 is quiet", "reply_to": 2})
    line = _replying_to_line(client.get(url).get_data(as_text=True))
    assert line == "Replying to @aino #2 Reply to the topic instead"


def test_without_javascript_a_restored_reply_goes_to_the_topic_instead(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category(), raw="Where shall we meet?")
    make.post(aino, topic_id, "The library has rooms.")
    auth.login("mikko")
    client.put(f"/drafts/reply:{topic_id}", json={"raw": "Room 2 is quiet", "reply_to": 2})
    url = _topic_url(app, topic_id)
    answer = client.post(f"{url}/reply", data={"raw": "Room 2 is quiet", "reply_to": "2", "reply_to_topic": "1"})
    assert answer.status_code == 200
    assert "Room 2 is quiet" in answer.get_data(as_text=True)
    assert "Replying to @aino" not in page_text(answer), page_text(answer)
    assert _replying_to_line(client.get(url).get_data(as_text=True)) is None
    with app.app_context():
        assert db.session.execute(select(Post).where(Post.topic_id == topic_id)).scalars().all()[-1].post_number == 2
