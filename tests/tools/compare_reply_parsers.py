"""Score quoted-text removal libraries, and our trimmer, on the shared email fixtures.

    .venv/bin/pip install quotequail mail-parser-reply email-reply-parser   # only to measure
    .venv/bin/python -m tests.tools.compare_reply_parsers

Each library gets the message's text/plain body, or its HTML converted to Markdown when it has no text part
(the same text our trimmer starts from). The figures go into README.md ("Reply-by-mail: quoted-text removal").
"""

import importlib.util
import time
from unittest import mock

from forum.mail.inbound.htmltext import html_to_markdown
from forum.mail.inbound.trim import trim_reply
from tests.mail.inbound.shared_fixtures import Case, available, format_scores, markdown_row, score


def _text(case: Case) -> str:
    return case.text if case.text is not None else html_to_markdown(case.html or "")


def email_reply_parser(case: Case) -> str:
    from email_reply_parser import EmailReplyParser

    return EmailReplyParser.parse_reply(_text(case))


def quotequail(case: Case) -> str:
    import quotequail

    return "\n".join(text for shown, text in quotequail.quote(_text(case)) if shown)


def mail_parser_reply(case: Case) -> str:
    from mailparser_reply import EmailReplyParser
    from mailparser_reply.constants import MAIL_LANGUAGES

    return EmailReplyParser(languages=list(MAIL_LANGUAGES)).parse_reply(text=_text(case))


def nothing_removed(case: Case) -> str:
    return _text(case)


def ours(case: Case) -> str:
    return trim_reply(case.text, case.html)


def our_rules_alone(case: Case) -> str:
    with mock.patch("forum.mail.inbound.trim._library", lambda text: text):
        return trim_reply(case.text, case.html)


CANDIDATES = {
    "nothing removed": ("email", nothing_removed),
    "email-reply-parser": ("email_reply_parser", email_reply_parser),
    "quotequail": ("quotequail", quotequail),
    "mail-parser-reply": ("mailparser_reply", mail_parser_reply),
    "forum trimmer": ("mailparser_reply", ours),
    "our rules without mail-parser-reply": ("mailparser_reply", our_rules_alone),
}


def main() -> None:
    if not available():
        raise SystemExit("../shared/fixtures/email is not there: nothing to compare")
    for name, (module, trimmer) in CANDIDATES.items():
        if importlib.util.find_spec(module) is None:
            print(f"## {name}: not installed, skipped\n")
            continue
        started = time.perf_counter()
        scores = score(trimmer)
        print(f"## {name} ({time.perf_counter() - started:.1f} s)\n{format_scores(scores)}\n{markdown_row(name, scores)}\n")


if __name__ == "__main__":
    main()
