"""A bare Flask app: the ceiling bench/topic_pages.py compares the forum's pages with (`gunicorn hello:app`)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
