"""In-site notifications: replies, mentions, quotes, likes, watched topics, moderation outcomes."""
