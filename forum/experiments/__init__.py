"""Experiments: the group's Human Learning Systems experiments, each with its own category, team and record."""

from flask import Flask


def init_app(_app: Flask) -> None:
    """Make experiments' records findable by search (type:experiment)."""
    from forum.experiments import search

    search.register()
