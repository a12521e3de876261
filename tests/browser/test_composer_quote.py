"""Reply, quote and a restored draft in the topic's docked composer, in a real browser (laptop and phone):
Reply, `r` and Quote work while the notice of a restored draft shows, Quote without a selection quotes the
whole post in place, a quote kept in the text survives a reload, and a restored reply says whom it answers.
"""

import re

import pytest
from playwright.sync_api import expect

from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.composer import services as composer_services
from forum.extensions import db
from tests.browser.conftest import check_page, wait_for_scripts
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seminar(app, make):
    """Aino's topic with replies from Mikko (even numbers) and Amara (odd ones); Mikko reads and writes."""
    aino = make.user("aino")
    mikko = make.user("mikko")
    amara = make.user("amara")
    topic_id = make.topic(aino, make.category("Seminars"), title="Spring seminar", raw="Where shall we meet?")
    for n in range(2, 7):
        make.post(mikko if n % 2 == 0 else amara, topic_id, f"Reply {n}: the library has rooms.\n\nSecond line {n}.")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return {"url": f"/t/{topic.slug}/{topic.id}?page=1", "topic_id": topic.id}


def keep_draft(app, username, topic_id, raw, reply_to=None):
    """A reply draft the member left unfinished (on another device, say)."""
    with app.test_request_context():
        user = db.session.execute(db.select(User).where(User.username == username)).scalar_one()
        composer_services.save_draft(user, composer_services.reply_key(topic_id), raw, reply_to=reply_to)
        db.session.commit()


def post_id(app, topic_id, number):
    with app.app_context():
        return db.session.execute(
            db.select(Post.id).where(Post.topic_id == topic_id, Post.post_number == number)
        ).scalar_one()


def assert_still_on(page, url, action):
    assert page.url.split("#")[0].endswith(url), f"{action} left the topic for {page.url}"


def draft_saved(response):
    return "/drafts/" in response.url and response.request.method == "PUT" and response.ok


def select_text_of(page, number):
    """Selects the first paragraph of post `number`, as a member does with the mouse before pressing Quote."""
    page.locator(f"#post-{number} .post-body p").first.evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p);"
        " const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"
    )


def test_reply_shortcut_and_quote_work_while_a_restored_draft_is_announced(app, open_at, seminar, size, console_errors):
    keep_draft(app, "mikko", seminar["topic_id"], "Thoughts for #3", reply_to=3)
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(seminar["url"])
    composer = page.locator("section.composer")
    area = composer.get_by_label("Your reply")
    expect(composer.locator(".draft-notice")).to_contain_text("Draft restored from")
    wait_for_scripts(page)

    page.locator("#post-5").get_by_role("link", name="Reply", exact=True).click()
    expect(composer.get_by_text("Replying to @amara #5")).to_be_visible()
    expect(area).to_be_focused()
    expect(area).to_have_value("Thoughts for #3")
    assert_still_on(page, seminar["url"], "Reply")

    page.locator("h1").click()
    page.keyboard.press("j")
    expect(page.locator("#post-1")).to_be_focused()
    page.keyboard.press("r")
    expect(composer.get_by_text("Replying to @aino #1")).to_be_visible()
    expect(area).to_be_focused()

    select_text_of(page, 4)
    page.locator("#post-4").get_by_role("link", name="Quote", exact=True).click()
    expect(composer.get_by_text("Replying to @mikko #4")).to_be_visible()
    # Linked by the post's own address, as the server's quotes are: it survives a move or a new title.
    source = post_id(app, seminar["topic_id"], 4)
    expect(area).to_have_value(f"Thoughts for #3\n\n> [@mikko #4](/p/{source}):\n>\n> Reply 4: the library has rooms.\n\n")
    assert_still_on(page, seminar["url"], "Quote")
    assert console_errors == [], "\n".join(console_errors)


def test_quote_without_a_selection_quotes_the_whole_post_in_place(app, open_at, seminar, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(seminar["url"])
    wait_for_scripts(page)
    composer = page.locator("section.composer")
    area = composer.get_by_label("Your reply")
    page.locator("#post-3").get_by_role("link", name="Quote", exact=True).click()
    source = post_id(app, seminar["topic_id"], 3)
    expect(area).to_have_value(f"> [@amara #3](/p/{source}):\n>\n> Reply 3: the library has rooms.\n>\n> Second line 3.\n\n")
    expect(area).to_be_focused()
    expect(composer.get_by_text("Replying to @amara #3")).to_be_visible()
    assert_still_on(page, seminar["url"], "Quote")
    area.press_sequentially("Booked.")
    composer.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-7 blockquote")).to_contain_text("Second line 3.")
    expect(page.locator("#post-7").get_by_role("link", name="in reply to @amara #3")).to_be_visible()
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_quote_opens_the_reply_page(app, open_at, seminar):
    page = open_at("laptop", javascript=False)
    log_in(page, "mikko")
    page.goto(seminar["url"])
    page.locator("#post-3").get_by_role("link", name="Quote", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reply\?quote=3$"))
    expect(page.get_by_label("Your reply")).to_have_value(re.compile(r"^> \[@amara #3\]\(/p/\d+\):\n>\n> Reply 3"))


def test_a_quote_put_in_the_composer_is_kept_as_a_draft(app, open_at, seminar, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(seminar["url"])
    wait_for_scripts(page)
    composer = page.locator("section.composer")
    area = composer.get_by_label("Your reply")
    select_text_of(page, 4)
    with page.expect_response(draft_saved):
        page.locator("#post-4").get_by_role("link", name="Quote", exact=True).click()
    expect(area).to_have_value(re.compile(r"Reply 4: the library has rooms\.\n\n$"))
    expect(composer.locator(".draft-status")).to_have_text("Draft saved")
    with page.expect_response(draft_saved):
        page.locator("#post-3").get_by_role("link", name="Quote", exact=True).click()
    expect(area).to_have_value(re.compile(r"Second line 3\.\n\n$"))

    page.reload()
    expect(area).to_have_value(re.compile(r"^> \[@mikko #4\].*Reply 4.*\n\n> \[@amara #3\].*Second line 3\.\n*$", re.S))
    assert console_errors == [], "\n".join(console_errors)


def test_a_restored_reply_says_whom_it_answers(app, open_at, seminar, size, console_errors):
    keep_draft(app, "mikko", seminar["topic_id"], "Room 2 is quiet", reply_to=3)
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(seminar["url"])
    composer = page.locator("section.composer")
    line = composer.locator(".replying-to")
    expect(line).to_be_visible()
    expect(line).to_contain_text("Replying to @amara #3")
    wait_for_scripts(page)
    check_page(page, f"composer-restored-reply-{size}")
    line.get_by_role("button", name="Reply to the topic instead").click()
    expect(line).to_be_hidden()
    composer.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-7")).to_contain_text("Room 2 is quiet")
    expect(page.locator("#post-7 .reply-to")).to_have_count(0)
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_a_restored_reply_says_whom_it_answers(app, open_at, seminar, size):
    keep_draft(app, "mikko", seminar["topic_id"], "Room 2 is quiet", reply_to=3)
    page = open_at(size, javascript=False)
    log_in(page, "mikko")
    page.goto(seminar["url"])
    line = page.locator("section.composer .replying-to")
    expect(line).to_contain_text("Replying to @amara #3")
    check_page(page, f"composer-restored-reply-nojs-{size}", javascript=False)
    line.get_by_role("button", name="Reply to the topic instead").click()
    expect(page).to_have_url(re.compile(r"/reply$"))
    expect(page.get_by_label("Your reply")).to_have_value("Room 2 is quiet")
    expect(page.get_by_text("Replying to @amara")).to_have_count(0)
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-7")).to_contain_text("Room 2 is quiet")
    expect(page.locator("#post-7 .reply-to")).to_have_count(0)


def test_a_changed_reply_target_is_kept_with_the_draft(app, open_at, seminar, console_errors):
    keep_draft(app, "mikko", seminar["topic_id"], "Room 2 is quiet", reply_to=3)
    page = open_at("laptop")
    log_in(page, "mikko")
    page.goto(seminar["url"])
    wait_for_scripts(page)
    line = page.locator("section.composer .replying-to")
    with page.expect_response(draft_saved):
        line.get_by_role("button", name="Reply to the topic instead").click()
    page.reload()
    expect(page.locator("section.composer").get_by_label("Your reply")).to_have_value("Room 2 is quiet")
    expect(line).to_be_hidden()

    wait_for_scripts(page)
    with page.expect_response(draft_saved):
        page.locator("#post-5").get_by_role("link", name="Reply", exact=True).click()
    page.reload()
    expect(line).to_contain_text("Replying to @amara #5")
    assert console_errors == [], "\n".join(console_errors)
