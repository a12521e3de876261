"""The forum itself: categories, topics, posts and their revisions."""
