"""Full-text search over posts, topics and members (Whoosh), permission-aware."""
