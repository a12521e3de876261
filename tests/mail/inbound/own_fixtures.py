"""The project's own raw messages (tests/mail/inbound/fixtures/), for what the shared set lacks."""

from pathlib import Path

FOLDER = Path(__file__).parent / "fixtures"

# file -> (what the receiver should do with it, the Markdown a post would get)
EXPECTED = {
    "outlook_web_reply.eml": (
        "post",
        "Thanks — the second run matched the first within 2%.\n\nI will post the raw numbers tomorrow.",
    ),
    "windows1252_reply.eml": ("post", "That’s the “final” figure: €120 for the kit."),
    "apple_mail_html_only.eml": (
        "post",
        "Yes, here is the **plan**:\n\n1. Calibrate the sensor\n2. Run it *twice*\n\n"
        "Details on [the wiki](https://example.org/plan).",
    ),
    "x_autoreply_out_of_office.eml": ("drop", None),
    "finnish_reply.eml": ("post", "Kiitos! Toinen mittaus onnistui hyvin."),
    "iso88591_reply.eml": ("post", "Oui, très bonne : l'écart est de 2 %."),
}


def fixture(name: str) -> bytes:
    return (FOLDER / name).read_bytes()
