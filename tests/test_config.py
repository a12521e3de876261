"""Settings read from the environment (forum/config.py): the ones derived from another setting follow it."""

from forum.config import load_config


def test_a_larger_upload_limit_raises_the_request_size_limit_with_it(monkeypatch, tmp_path):
    monkeypatch.setenv("FORUM_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
    config = load_config(tmp_path)
    assert config["FORUM_MAX_UPLOAD_BYTES"] == 20 * 1024 * 1024
    # The rest of the form (the post's text, the CSRF token) still fits beside a file of the largest size.
    assert config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024 + 512 * 1024


def test_secure_cookies_cover_the_session_and_the_remember_me_cookie(monkeypatch, tmp_path):
    monkeypatch.delenv("FORUM_SECURE_COOKIES", raising=False)
    config = load_config(tmp_path)
    assert not config["SESSION_COOKIE_SECURE"] and not config["REMEMBER_COOKIE_SECURE"]
    monkeypatch.setenv("FORUM_SECURE_COOKIES", "true")
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
