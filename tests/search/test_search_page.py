"""What a member finds on /search: ranking, filters, stemming, accents, snippets, messages."""

import re
from datetime import UTC, datetime

import pytest

from forum.auth.models import User
from forum.board.models import Post, Topic, Visibility
from forum.extensions import db
from forum.users import avatars
from tests.conftest import page_text
from tests.users.test_avatars import _photo, _upload


def hit_titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'<li class="search-hit">\s*<h3><a [^>]*>(.*?)</a>', html, re.S)]


def hit_links(response) -> list[str]:
    return re.findall(r'<li class="search-hit">\s*<h3><a href="([^"]+)"', response.get_data(as_text=True))


@pytest.fixture
def forum(make, search, auth):
    ids = {"aino": make.user("aino", display_name="Aino Virtanen", organisation="Finnish National Agency for Education")}
    ids["marcus"] = make.facilitator("marcus")
    ids["general"] = make.category("General")
    auth.login("aino")
    return ids


def test_a_word_finds_the_post_with_a_highlighted_snippet_and_a_link_to_the_post(app, client, make, search, forum):
    topic = make.topic(forum["marcus"], forum["general"], "Weekly check-in", "Nothing about that here.")
    make.post(forum["aino"], topic, "We tried participatory budgeting with the family hubs.")
    search.sync()
    response = client.get("/search?q=budgeting")
    assert response.status_code == 200
    assert hit_titles(response) == ["Weekly check-in"]
    assert hit_links(response) == [f"/t/weekly-check-in/{topic}/2"]
    html = response.get_data(as_text=True)
    assert re.search(r'<mark class="hit term\d">budgeting</mark>', html)
    text = page_text(response)
    assert "1 post found" in text and "Aino Virtanen" in text and "General" in text


def test_stemming_finds_other_forms_of_a_word(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Plans", "Our experiment starts in March.")
    search.sync()
    assert hit_titles(client.get("/search?q=experiments")) == ["Plans"]
    assert hit_titles(client.get("/search?q=experimenting")) == ["Plans"]


def test_accents_are_folded_both_ways(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Visit to Jyväskylä", "The teachers in Jyväskylä met us.")
    make.topic(forum["marcus"], forum["general"], "Spelling without dots", "Another team went to Jyvaskyla too.")
    search.sync()
    assert sorted(hit_titles(client.get("/search?q=jyvaskyla"))) == ["Spelling without dots", "Visit to Jyväskylä"]
    assert sorted(hit_titles(client.get("/search?q=Jyväskylä"))) == ["Spelling without dots", "Visit to Jyväskylä"]


def test_a_title_match_ranks_above_a_body_match(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Notes from Tuesday", "We talked about the ledger and the rota.")
    make.topic(forum["marcus"], forum["general"], "The ledger", "Where the money went this month.")
    search.sync()
    assert hit_titles(client.get("/search?q=ledger")) == ["The ledger", "Notes from Tuesday"]


def test_words_standing_together_rank_above_scattered_words(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Scattered", "Health visits rose; later, in care homes, the learning stalled.")
    make.topic(forum["marcus"], forum["general"], "Together", "We studied health care in the north, with learning logs.")
    search.sync()
    assert hit_titles(client.get("/search?q=health care")) == ["Together", "Scattered"]


def test_very_common_words_are_left_out_and_the_member_is_told(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Hubs", "They were about to open the hubs after months of planning.")
    search.sync()
    assert hit_titles(client.get("/search?q=they were about hubs")) == ["Hubs"]
    assert hit_titles(client.get('/search?q="hubs after months"')) == ["Hubs"]  # a phrase matches across them
    response = client.get("/search?q=they were about")
    assert hit_titles(response) == []
    assert "Very common words such as “the” or “they” are not searched" in page_text(response)


def test_exact_phrases_exclusions_or_and_prefixes(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Phrase", "The peer challenge went well.")
    make.topic(forum["marcus"], forum["general"], "Apart", "A challenge for each peer group.")
    make.topic(forum["marcus"], forum["general"], "Budget", "The budget was small.")
    search.sync()
    assert hit_titles(client.get('/search?q="peer challenge"')) == ["Phrase"]
    assert hit_titles(client.get("/search?q=challenge -group")) == ["Phrase"]
    assert sorted(hit_titles(client.get("/search?q=budget OR phrase"))) == ["Budget", "Phrase"]
    assert sorted(hit_titles(client.get("/search?q=chall*"))) == ["Apart", "Phrase"]


def test_filters_by_member_category_first_post_title_and_status(app, client, make, search, forum):
    lounge = make.category("Lounge")
    team = make.category("Team room")
    notes = make.category("Team notes")
    with app.app_context():
        from forum.board.models import Category

        db.session.get(Category, notes).parent_id = team
        db.session.commit()
    first = make.topic(forum["marcus"], lounge, "Rota for the hubs", "Who covers the rota in May?")
    make.post(forum["aino"], first, "I can take the rota on Mondays.")
    make.topic(forum["aino"], notes, "Rota notes", "The rota in the team notes.")
    closed = make.topic(forum["marcus"], forum["general"], "Old rota", "A closed rota thread.")
    with app.app_context():
        db.session.get(Topic, closed).is_locked = True
        db.session.commit()
    search.sync()

    def titles(q):
        return sorted(hit_titles(client.get("/search", query_string={"q": q})))

    assert titles("rota @aino") == ["Rota for the hubs", "Rota notes"]
    assert titles("rota user:aino") == ["Rota for the hubs", "Rota notes"]
    assert titles("rota category:team-room") == ["Rota notes"]  # sub-categories included
    assert titles("rota category:lounge") == ["Rota for the hubs", "Rota for the hubs"]
    assert titles("rota in:first category:lounge") == ["Rota for the hubs"]
    assert titles("rota in:title") == ["Old rota", "Rota for the hubs", "Rota notes"]
    assert titles("mondays in:title") == []
    assert titles("rota status:closed") == ["Old rota"]
    assert "Old rota" not in titles("rota status:open")


def test_date_filters_use_the_members_time_zone(app, client, make, search, forum):
    topic = make.topic(forum["marcus"], forum["general"], "Dated", "Spring report.")
    with app.app_context():
        post = db.session.execute(db.select(Post).where(Post.topic_id == topic)).scalar_one()
        # 23:30 UTC on 30 April is already 1 May in Helsinki.
        post.created_at = datetime(2026, 4, 30, 23, 30, tzinfo=UTC)
        db.session.commit()
    make.post(forum["marcus"], topic, "A later spring report.")
    search.rebuild()
    assert hit_titles(client.get("/search?q=spring before:2026-05-01")) == ["Dated"]
    client.set_cookie("tz", "Europe/Helsinki")
    assert hit_titles(client.get("/search?q=spring before:2026-05-01")) == []
    assert len(hit_titles(client.get("/search?q=spring after:2026-05-01"))) == 2
    assert len(hit_titles(client.get("/search?q=after:2026-05-01"))) == 2  # a filter alone lists, newest first


def test_order_latest_puts_the_newest_post_first(client, make, search, forum):
    topic = make.topic(forum["marcus"], forum["general"], "Harvest", "Harvest harvest harvest harvest.")
    make.post(forum["aino"], topic, "One more harvest note.")
    search.sync()
    links = hit_links(client.get("/search?q=harvest order:latest"))
    assert links == [f"/t/harvest/{topic}/2", f"/t/harvest/{topic}/1"]


@pytest.mark.parametrize(
    "q, message",
    [
        ("rota before:someday", "Write dates as year-month-day"),
        ("rota status:maybe", "“status:” takes “open” or “closed”."),
        ("rota order:random", "“order:” takes “latest” or “relevance”."),
        ("rota in:body", "“in:” takes “title” or “first”"),
        ("rota @nobody", "No member is called “nobody”."),
        ("rota category:nowhere", "There is no category “nowhere”."),
        ("x" * 501, "Searches are limited to 500 characters."),
        ("co* rota", "Put at least 3 letters before the * in “co*”."),
    ],
)
def test_a_query_that_cannot_be_understood_gets_a_readable_message(client, search, forum, q, message):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert message in page_text(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


@pytest.mark.parametrize("q", ['"unclosed phrase', "(((", "AND OR NOT", "-", ")", "a:b:c", "@", "\x00", "some**"])
def test_odd_queries_never_fail(client, make, search, forum, q):
    make.topic(forum["marcus"], forum["general"], "Something", "Some text.")
    search.sync()
    assert client.get("/search", query_string={"q": q}).status_code == 200


def test_a_snippet_never_carries_markup_from_a_post(client, make, search, forum):
    make.topic(
        forum["marcus"], forum["general"], "Escaping <b>title</b>",
        "Careful: `<script>alert('snippet')</script>` and <img src=x onerror=alert(1)> in text.",
    )
    search.sync()
    html = client.get("/search?q=careful").get_data(as_text=True)
    results = html[html.index('class="search-results"'):]
    assert "<script>" not in results and "<img" not in results and "<b>" not in results
    assert "&lt;script&gt;" in results
    assert re.search(r'<mark class="hit term\d">Careful</mark>', results)


def test_results_paginate(client, make, search, forum):
    topic = make.topic(forum["marcus"], forum["general"], "Many replies", "A harvest of notes.")
    for n in range(24):
        make.post(forum["aino"], topic, f"Harvest note {n}.")
    search.sync()
    first = client.get("/search?q=harvest")
    assert "More than 20 posts found" in page_text(first)
    assert len(hit_links(first)) == 20
    assert 'rel="next"' in first.get_data(as_text=True)
    second = client.get("/search?q=harvest&page=2")
    assert "25 posts found" in page_text(second)  # the last page knows the whole count
    assert len(hit_links(second)) == 5
    assert set(hit_links(first)).isdisjoint(hit_links(second))
    assert 'rel="next"' not in second.get_data(as_text=True)


def test_when_no_post_has_every_word_posts_with_some_are_offered(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Budgets", "We ran participatory budgeting.")
    search.sync()
    response = client.get("/search?q=who tried participatory budgeting")
    assert hit_titles(response) == ["Budgets"]
    assert "No post has all of your words" in page_text(response)


def test_members_are_found_by_name_and_organisation(client, search, forum):
    search.sync()
    text = page_text(client.get("/search?q=finnish agency"))
    assert "Members" in text and "Aino Virtanen" in text


def test_every_page_has_a_search_box(client, search, forum):
    html = client.get("/latest").get_data(as_text=True)
    assert 'role="search"' in html and 'name="q"' in html and 'action="/search"' in html


def test_the_search_page_works_for_visitors_too(app, client, make, search, forum):
    public = make.category("About", visibility=Visibility.PUBLIC)
    make.topic(forum["marcus"], public, "About the group", "Who we are.")
    search.sync()
    client.post("/logout")
    assert hit_titles(client.get("/search?q=group")) == ["About the group"]


def test_type_ahead_answers_json_with_topics_and_members(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Learning cycles in Jyväskylä", "Notes.")
    search.sync()
    found = client.get("/search/quick?q=jyvas").get_json()
    assert found["topics"] == [
        {
            "title": "Learning cycles in Jyväskylä",
            "url": found["topics"][0]["url"],
            "category": "General",
            "author_avatar": {"url": None, "initials": "M", "colour": avatars.colour_index("marcus")},
        }
    ]
    assert found["topics"][0]["url"].startswith("/t/learning-cycles-in-jyvaskyla/")
    assert client.get("/search/quick?q=aino vir").get_json()["members"][0]["username"] == "aino"
    too_short = client.get("/search/quick?q=a")
    assert too_short.status_code == 400 and too_short.get_json()["error"] == "invalid_query"


def test_type_ahead_gives_members_and_topic_authors_pictures_or_initials_in_a_fixed_number_of_queries(
    app, client, make, search, forum, count_queries
):
    _upload(client, _photo())  # Aino's picture; the harvesters have none
    make.topic(forum["aino"], forum["general"], "Harvest plans", "Notes.")
    make.topic(make.user("harvester0", display_name="Harvest Helper 0"), forum["general"], "Harvest plans 0", "Notes.")
    search.sync()
    client.get("/search/quick?q=harvest")
    with count_queries() as few:
        found = client.get("/search/quick?q=harvest").get_json()
    with app.app_context():
        picture = f"/avatars/{forum['aino']}/48/{db.session.get(User, forum['aino']).avatar}"
    assert {t["title"]: t["author_avatar"]["url"] for t in found["topics"]}["Harvest plans"] == picture
    for n in range(1, 3):
        author = make.user(f"harvester{n}", display_name=f"Harvest Helper {n}")
        make.topic(author, forum["general"], f"Harvest plans {n}", "Notes.")
    search.sync()
    with count_queries() as many:
        found = client.get("/search/quick?q=harvest").get_json()
    assert len(found["topics"]) == 4 and len(found["members"]) == 3
    assert many.n == few.n, many.statements
    assert {m["username"]: m["avatar"] for m in found["members"]}["harvester0"] == {
        "url": None, "initials": "H0", "colour": avatars.colour_index("harvester0"),
    }
    client.get("/search/quick?q=aino")
    assert client.get("/search/quick?q=aino").get_json()["members"][0]["avatar"]["url"] == picture


def test_the_results_page_runs_a_fixed_number_of_queries(client, make, search, forum, count_queries):
    topic = make.topic(forum["marcus"], forum["general"], "Harvest", "Harvest notes.")
    for n in range(3):
        make.post(forum["aino"], topic, f"Harvest reply {n}.")
    search.sync()
    client.get("/search?q=harvest")
    with count_queries() as few:
        client.get("/search?q=harvest")
    for n in range(30):
        make.post(forum["marcus"], topic, f"More harvest {n}.")
    search.sync()
    with count_queries() as many:
        assert len(hit_links(client.get("/search?q=harvest"))) == 20
    assert many.n == few.n <= 12, many.statements


def test_the_some_words_fallback_still_leaves_out_excluded_words(client, make, search, forum):
    make.topic(forum["marcus"], forum["general"], "Budgets", "The budget for the hubs.")
    make.topic(forum["marcus"], forum["general"], "Rota", "The rota for the hubs.")
    search.sync()
    assert hit_titles(client.get("/search?q=budget -budget")) == []
    response = client.get("/search?q=budget hubs greenhouse -rota")
    assert hit_titles(response) == ["Budgets"]
    assert "No post has all of your words" in page_text(response)
