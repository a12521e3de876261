"""What the topic page shows of a member's own marks on its posts (likes and bookmarks)."""

from sqlalchemy import literal, select, union_all

from forum.board.models import Post, PostLike
from forum.bookmarks.models import Bookmark
from forum.extensions import db


def my_marks(user, posts: list[Post]) -> tuple[set[int], set[int]]:
    """(ids of posts the member liked, ids they bookmarked) among `posts`, in one query."""
    if not getattr(user, "is_authenticated", False) or not posts:
        return set(), set()
    ids = [p.id for p in posts]
    likes = select(PostLike.post_id, literal("like").label("mark")).where(PostLike.user_id == user.id, PostLike.post_id.in_(ids))
    marks = select(Bookmark.post_id, literal("bookmark").label("mark")).where(Bookmark.user_id == user.id, Bookmark.post_id.in_(ids))
    rows = db.session.execute(union_all(likes, marks)).all()
    return {pid for pid, mark in rows if mark == "like"}, {pid for pid, mark in rows if mark == "bookmark"}
