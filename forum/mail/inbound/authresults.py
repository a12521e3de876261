"""What our own MTA found when it checked a message's sender: its `Authentication-Results` headers (RFC 8601).

Anyone can add such a header before the message reaches us, so only headers whose authserv-id is our MTA's
(FORUM_INBOUND_AUTHSERV_ID) are read; unset, none is. The MTA must also remove headers that arrive claiming its
id (RFC 8601 §5; OpenDKIM, OpenDMARC and rspamd do), and as a second guard a failure in any trusted header
wins over a pass in another: a forger can add passes, not take away our MTA's failure.

A result counts for the From domain when it is aligned with it (relaxed, as DMARC does): DKIM's header.d, SPF's
smtp.mailfrom domain, DMARC's header.from, equal to the From domain, a parent or a subdomain of it.
"""

import re
from dataclasses import dataclass

from flask import current_app

from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.parse import ParsedMail, parse_message

METHODS = ("dkim", "spf", "dmarc")
_COMMENT = re.compile(r"\([^()]*\)")
_RESULT = re.compile(r"^\s*([a-z0-9_-]+)\s*=\s*([a-z]+)\b(.*)$", re.IGNORECASE | re.DOTALL)
_PROPERTY = re.compile(r"\b([a-z]+)\.([a-z0-9_-]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)", re.IGNORECASE)
_PASS = "pass"
_FAILS = frozenset({"fail", "softfail", "permerror"})
# Where each method names the domain it vouched for.
_DOMAIN_PROPERTIES = {"dkim": ("header.d", "header.i"), "spf": ("smtp.mailfrom", "smtp.helo"), "dmarc": ("header.from",)}


@dataclass(frozen=True)
class MethodResult:
    method: str
    result: str  # "pass", "fail", "none", ...
    domain: str | None


@dataclass(frozen=True)
class FromDomainAuth:
    """The verdicts of our MTA for the From domain, one per method (None: it said nothing about it)."""

    from_domain: str | None
    dkim: str | None
    spf: str | None
    dmarc: str | None

    @property
    def fails(self) -> bool:
        """Not shown to come from the From domain: DMARC did not pass, or without DMARC, no aligned pass."""
        if self.dmarc == _PASS:
            return False
        if self.dmarc in _FAILS:
            return True
        return _PASS not in (self.dkim, self.spf)


def parse_header(value: str) -> tuple[str, list[MethodResult]]:
    """One header's authserv-id and its results (comments removed, properties read)."""
    text = value
    while _COMMENT.search(text):
        text = _COMMENT.sub(" ", text)
    authserv_id, _, rest = text.partition(";")
    # The id may be followed by a version number ("mx.example.org 1; ...").
    authserv_id = (authserv_id.split() or [""])[0].strip().lower()
    results = []
    for resinfo in rest.split(";"):
        match = _RESULT.match(resinfo)
        if not match:
            continue
        method, result, properties = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if method not in METHODS:
            continue
        found = {f"{ptype.lower()}.{name.lower()}": val.strip('"') for ptype, name, val in _PROPERTY.findall(properties)}
        domain = next((found[key] for key in _DOMAIN_PROPERTIES[method] if key in found), None)
        results.append(MethodResult(method, result, _domain_of(domain)))
    return authserv_id, results


def from_domain_results(raw_or_parsed: bytes | ParsedMail, authserv_id: str | None = None) -> FromDomainAuth:
    """What our MTA (authserv-id from the config unless given) said about the message's From domain."""
    parsed = _parsed(raw_or_parsed)
    authserv_id = (authserv_id if authserv_id is not None else current_app.config["FORUM_INBOUND_AUTHSERV_ID"]) or ""
    from_domain = _domain_of(parsed.from_address) if parsed is not None else None
    verdicts: dict[str, list[str]] = {method: [] for method in METHODS}
    if parsed is not None and authserv_id and from_domain:
        for name, value in parsed.headers:
            if name.lower() != "authentication-results":
                continue
            header_id, results = parse_header(value)
            if header_id != authserv_id.lower():
                continue
            for found in results:
                if found.domain and _aligned(found.domain, from_domain):
                    verdicts[found.method].append(found.result)
    return FromDomainAuth(from_domain, *(_verdict(verdicts[method]) for method in METHODS))


def from_domain_fails(raw_or_parsed: bytes | ParsedMail, authserv_id: str | None = None) -> bool:
    """True when our MTA did not show the message to come from its From domain (the receiver refuses it when
    FORUM_INBOUND_REQUIRE_AUTH is on). A message with no trusted result at all fails."""
    return from_domain_results(raw_or_parsed, authserv_id).fails


def _verdict(results: list[str]) -> str | None:
    if not results:
        return None
    failed = next((result for result in results if result in _FAILS), None)
    if failed:
        return failed
    return _PASS if _PASS in results else results[0]


def _parsed(raw_or_parsed: bytes | ParsedMail) -> ParsedMail | None:
    if isinstance(raw_or_parsed, ParsedMail):
        return raw_or_parsed
    try:
        return parse_message(raw_or_parsed)
    except InboundMailError:
        return None


def _domain_of(value: str | None) -> str | None:
    if not value:
        return None
    return value.rpartition("@")[2].strip().strip(".").lower() or None


def _aligned(domain: str, from_domain: str) -> bool:
    return from_domain == domain or from_domain.endswith("." + domain) or domain.endswith("." + from_domain)
