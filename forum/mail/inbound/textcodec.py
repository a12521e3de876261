"""Bytes to text for mail, whatever the declared charset says."""

import codecs

# What senders declare versus what they mean: browsers (WHATWG) decode ISO-8859-1 and US-ASCII as
# Windows-1252, because mail clients on Windows label cp1252 text (curly quotes, €) that way.
_MEANT = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_UNKNOWN = {"unknown-8bit", "x-unknown", "unknown", "8bit", "binary"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset; an unknown, invalid or lying one falls back to UTF-8, then cp1252."""
    declared = (charset or "").strip().strip('"').lower()
    name = _MEANT.get(declared, declared)
    if name and name not in _UNKNOWN:
        try:
            if codecs.lookup(name).name in ("cp1252",) and _is_utf8(data):
                return data.decode("utf-8")
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError, TypeError):
            pass
    if _is_utf8(data):
        return data.decode("utf-8")
    return data.decode("cp1252", errors="replace")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
