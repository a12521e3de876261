"""Security headers on every response, and redirects that never trust the request's Host header."""

from flask import current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response):
    headers = response.headers
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # Served over HTTPS: browsers should never fall back to plain HTTP.
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def pin_redirects_to_base_url(response):
    """Werkzeug builds some redirects (a missing trailing slash) from the request's Host header; a cache in
    front of the forum could then hand that redirect, to a host of an attacker's choosing, to everyone."""
    location = response.headers.get("Location")
    if location and location.startswith(request.host_url):
        base_url = current_app.config["FORUM_BASE_URL"].rstrip("/")
        response.headers["Location"] = base_url + "/" + location[len(request.host_url):]
    return response
