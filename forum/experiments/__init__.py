"""Experiments: the group's Human Learning Systems experiments, each with its own category, team and record."""
