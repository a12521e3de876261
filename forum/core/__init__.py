"""Infrastructure shared by every area (it imports none of them): requests, events, jobs, Markdown, time zones, pagination."""
