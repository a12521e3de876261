"""The composer's helpers: drafts kept on the server as members type, and a live preview."""
