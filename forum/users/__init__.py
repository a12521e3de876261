"""Member profiles and preferences."""
