"""The board pages' blueprint, shared by its view modules (topics, compose, posts)."""

from flask import Blueprint

bp = Blueprint("board", __name__)
