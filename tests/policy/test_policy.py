"""The policy layer: one Policy per member, memoised, and one place that decides which posts are shown."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board import services as board_services
from forum.board.models import Post, Topic, Visibility
from forum.extensions import db
from forum.policy import Policy, visible_posts_filter
from forum.policy.categories import load_category_rules


def test_a_policy_outside_a_request_looks_each_thing_up_once_however_many_questions(app, make, count_queries):
    author = make.user("author")
    team = make.group("Team", [author])
    open_room = make.category("Open")
    team_room = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    for n in range(6):
        make.topic(author, open_room if n % 2 else team_room, title=f"Topic number {n}")
    with app.app_context():
        member = db.session.get(User, author)
        topics = list(db.session.execute(select(Topic)).scalars())
        policy = Policy(member)
        with count_queries() as counter:
            answers = [policy.can("view_topic", topic) for topic in topics for _ in range(5)]
        assert all(answers)
        # The category rules and the member's groups, once each, whatever the number of questions.
        assert counter.n == 2


def test_policies_for_many_members_share_one_load_of_the_category_rules(app, make, count_queries):
    members = [make.user(f"reader{i}") for i in range(5)]
    room = make.category("Open")
    topic_id = make.topic(members[0], room)
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        users = list(db.session.execute(select(User).where(User.id.in_(members))).scalars())
        with count_queries() as counter:
            rules = load_category_rules()
            assert all(Policy(user, category_rules=rules).can("view_topic", topic) for user in users)
        assert counter.n == 1


def test_a_group_only_category_is_closed_to_a_member_outside_the_group(app, make):
    insider, outsider = make.user("insider"), make.user("outsider")
    team = make.group("Team", [insider])
    room = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    topic_id = make.topic(insider, room)
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert Policy(db.session.get(User, insider)).can("reply", topic)
        assert not Policy(db.session.get(User, outsider)).can("view_topic", topic)


def test_an_unknown_action_is_an_error_not_a_refusal(app, make):
    member = make.user("asker")
    with app.app_context():
        policy = Policy(db.session.get(User, member))
        try:
            policy.can("fly")
        except ValueError as error:
            assert "fly" in str(error)
        else:
            raise AssertionError("an unknown action must not quietly answer no")


def test_a_deleted_reply_leaves_every_count_that_uses_the_visibility_filter(app, make, client, auth):
    author, replier = make.user("author"), make.user("replier")
    room = make.category("Open")
    topic_id = make.topic(author, room)
    reply_id = make.post(replier, topic_id, raw="A reply that will go.")
    with app.test_request_context():
        reply = db.session.get(Post, reply_id, options=[joinedload(Post.topic)])
        board_services.delete_post(db.session.get(User, replier), reply)
        db.session.commit()
        shown = db.session.execute(
            select(func.count(Post.id)).where(Post.topic_id == topic_id, visible_posts_filter())
        ).scalar_one()
        topic = db.session.get(Topic, topic_id)
        assert shown == 1
        assert topic.participant_count == 1
    auth.login("author")
    profile = client.get("/u/replier").get_data(as_text=True)
    assert "A reply that will go." not in profile
