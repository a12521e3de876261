"""Authentication-Results from our own MTA decide whether a message comes from its From domain."""

import pytest

from forum.mail.inbound.authresults import from_domain_fails, from_domain_results, parse_header

OURS = "mx.fellowship.example"


def message(*auth_headers: str, sender: str = "ann@example.com") -> bytes:
    lines = [f"Authentication-Results: {value}" for value in auth_headers]
    lines += [
        "Received: from mail.example.com by mx.fellowship.example",
        f"From: Ann <{sender}>",
        "To: reply+abc@fellowship.localhost",
        "Subject: Re: hello",
        "Message-ID: <1@example.com>",
        "",
        "Thanks!",
        "",
    ]
    return "\r\n".join(lines).encode()


def test_dmarc_pass_from_our_mta_is_authenticated():
    raw = message(f"{OURS}; dkim=pass header.d=example.com header.s=s1; spf=pass smtp.mailfrom=ann@example.com;"
                  " dmarc=pass (p=reject dis=none) header.from=example.com")
    results = from_domain_results(raw, OURS)
    assert (results.dkim, results.spf, results.dmarc) == ("pass", "pass", "pass")
    assert not from_domain_fails(raw, OURS)


def test_dmarc_fail_from_our_mta_fails():
    raw = message(f"{OURS}; dkim=none; spf=fail smtp.mailfrom=example.com; dmarc=fail header.from=example.com")
    assert from_domain_results(raw, OURS).dmarc == "fail"
    assert from_domain_fails(raw, OURS)


def test_aligned_dkim_pass_without_dmarc_is_authenticated():
    raw = message(f"{OURS} 1; dkim=pass header.d=example.com header.i=@example.com")
    assert not from_domain_fails(raw, OURS)


def test_dkim_pass_for_another_domain_does_not_vouch_for_the_from_domain():
    raw = message(f"{OURS}; dkim=pass header.d=bulk-sender.net; spf=pass smtp.mailfrom=bounces@bulk-sender.net")
    results = from_domain_results(raw, OURS)
    assert results.dkim is None and results.spf is None
    assert from_domain_fails(raw, OURS)


def test_a_message_our_mta_said_nothing_about_fails():
    raw = message(f"{OURS}; none")
    assert from_domain_results(raw, OURS).dmarc is None
    assert from_domain_fails(raw, OURS)


def test_a_pass_under_another_authserv_id_is_not_believed():
    raw = message("mx.attacker.example; dkim=pass header.d=example.com; dmarc=pass header.from=example.com",
                  f"{OURS}; dkim=none; dmarc=fail header.from=example.com")
    assert from_domain_results(raw, OURS).dmarc == "fail"
    assert from_domain_fails(raw, OURS)


def test_a_forged_pass_under_our_id_cannot_outvote_our_mtas_failure():
    raw = message(f"{OURS}; dmarc=fail header.from=example.com",
                  f"{OURS}; dmarc=pass header.from=example.com; dkim=pass header.d=example.com")
    assert from_domain_fails(raw, OURS)


def test_without_a_configured_authserv_id_no_header_is_trusted(app):
    raw = message(f"{OURS}; dmarc=pass header.from=example.com")
    with app.app_context():
        assert app.config["FORUM_INBOUND_AUTHSERV_ID"] is None
        assert from_domain_fails(raw)


def test_the_configured_authserv_id_is_read_from_the_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_INBOUND_AUTHSERV_ID", OURS)
    raw = message(f"{OURS.upper()}; dmarc=pass header.from=example.com")
    with app.app_context():
        assert not from_domain_fails(raw)


def test_an_unreadable_message_fails():
    assert from_domain_fails(b"", OURS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mx.example.org; dkim=pass (2048-bit key) header.d=Example.COM",
         ("mx.example.org", [("dkim", "pass", "example.com")])),
        ("mx.example.org (a comment; with a semicolon); spf=softfail smtp.mailfrom=\"x@b.example\"",
         ("mx.example.org", [("spf", "softfail", "b.example")])),
        ("mx.example.org; auth=pass smtp.auth=ann; iprev=pass policy.iprev=192.0.2.1", ("mx.example.org", [])),
    ],
)
def test_headers_are_read_as_rfc_8601_writes_them(value, expected):
    authserv_id, results = parse_header(value)
    assert (authserv_id, [(r.method, r.result, r.domain) for r in results]) == expected
