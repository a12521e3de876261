"""The moderation pages' blueprint, shared by its view modules (review, topics, members, log)."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)
