"""A new private message is kept as a draft while it is written, like a reply or a new topic: recipients,
subject and text come back on another visit (with the notice that says so), are listed under Drafts, and go
once the message is sent."""

from tests.conftest import page_text


def _keep(client, recipients="mikko", title="Your plan", raw="Some candid thoughts"):
    return client.put("/drafts/message:0", json={"recipients": recipients, "title": title, "raw": raw})


def test_an_unfinished_message_comes_back_with_its_recipients(client, auth, make):
    make.user("aino")
    make.user("mikko")
    auth.login("aino")
    assert _keep(client).get_json() == {"saved": True}
    response = client.get("/messages/new")
    html = response.get_data(as_text=True)
    assert 'value="mikko"' in html.split('name="recipients"')[1].split(">")[0]
    assert 'value="Your plan"' in html and "Some candid thoughts" in html
    assert "Draft restored from" in page_text(response)


def test_a_profiles_message_link_never_overwrites_an_unfinished_message(client, auth, make):
    make.user("aino")
    make.user("mikko")
    make.user("niamh")
    auth.login("aino")
    assert 'value="niamh"' in client.get("/messages/new?to=niamh").get_data(as_text=True)
    _keep(client)
    html = client.get("/messages/new?to=niamh").get_data(as_text=True)
    assert 'value="mikko"' in html and "Some candid thoughts" in html


def test_drafts_list_the_message_and_sending_it_drops_the_draft(client, auth, make):
    make.user("aino")
    make.user("mikko")
    auth.login("aino")
    _keep(client)
    drafts = client.get("/drafts")
    assert "New private message to mikko" in page_text(drafts)
    assert 'href="/messages/new"' in drafts.get_data(as_text=True)
    sent = client.post("/messages/new", data={"recipients": "mikko", "title": "Your plan", "raw": "Some candid thoughts"})
    assert sent.status_code == 302
    assert "Some candid thoughts" not in client.get("/messages/new").get_data(as_text=True)
    assert "New private message" not in page_text(client.get("/drafts"))


def test_a_refused_message_keeps_its_draft(client, auth, make):
    make.user("aino")
    auth.login("aino")
    _keep(client, recipients="nobody-here")
    refused = client.post("/messages/new", data={"recipients": "nobody-here", "title": "Your plan", "raw": "Some candid thoughts"})
    assert "No member or group is called nobody-here" in page_text(refused)
    assert "New private message to nobody-here" in page_text(client.get("/drafts"))


def test_recipients_too_long_to_keep_are_refused_with_a_json_error(client, auth, make):
    make.user("aino")
    auth.login("aino")
    response = _keep(client, recipients="x" * 1001)
    assert response.status_code == 400 and response.get_json()["error"] == "draft_refused"


def test_recipients_alone_are_worth_keeping(client, auth, make):
    make.user("aino")
    make.user("mikko")
    auth.login("aino")
    _keep(client, recipients="mikko, ", title="", raw="")
    assert "New private message to mikko Private message" in page_text(client.get("/drafts"))
