"""The public landing page and the health check."""
