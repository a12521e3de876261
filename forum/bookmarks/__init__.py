"""Bookmarks: posts a member keeps, with a note and an optional reminder."""
