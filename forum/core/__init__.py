"""Infrastructure shared by every area: time, permissions, Markdown, pagination, the outbox."""
