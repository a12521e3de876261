"""Keeping only what the member wrote: one test per mail client's way of quoting and signing."""

import pytest

from forum.mail.inbound.classify import is_auto_reply, is_bounce
from forum.mail.inbound.parse import parse_message
from forum.mail.inbound.trim import trim_html, trim_reply, trim_text
from tests.mail.inbound.own_fixtures import EXPECTED, fixture


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_projects_own_captures_give_the_expected_outcome_and_markdown(name):
    outcome, markdown = EXPECTED[name]
    parsed = parse_message(fixture(name))

    got = "drop" if is_auto_reply(parsed) or is_bounce(parsed) else "post"

    assert got == outcome
    if markdown is not None:
        assert trim_reply(parsed.plain, parsed.html) == markdown


def test_outlook_on_the_web_html_is_cut_at_its_reply_divider():
    html = parse_message(fixture("outlook_web_reply.eml")).html

    assert trim_html(html) == (
        "Thanks — the **second run** matched the first within 2%.\n\nI will post the raw numbers tomorrow."
    )


def test_gmail_on_date_wrote_header_and_its_quote_are_removed():
    text = "Sounds good.\n\nOn Tue, Dec 1, 2026 at 10:00 AM Grace <grace@example.org> wrote:\n\n> Shall we?\n"

    assert trim_text(text) == "Sounds good."


def test_a_quote_header_wrapped_over_several_lines_is_removed_whole():
    text = "Yes.\n\nOn Tue, Dec 1, 2026 at 10:00 AM Grace Hopper <\ngrace@example.org> wrote:\n> Shall we?\n"

    assert trim_text(text) == "Yes."


def test_a_reply_that_itself_starts_with_on_is_kept():
    text = "On the other hand, we could wait.\n\nOn Wed, Dec 9, 2026 at 9:00 AM Bob <bob@example.com> wrote:\n> Go?\n"

    assert trim_text(text) == "On the other hand, we could wait."


def test_outlook_desktop_from_sent_block_is_removed():
    text = (
        "Agreed.\n\nFrom: Grace <grace@example.org>\nSent: Tuesday, December 1, 2026 10:00 AM\n"
        "To: Ada <ada@example.org>\nSubject: Plan\n\nShall we?\n"
    )

    assert trim_text(text) == "Agreed."


def test_german_outlook_header_block_is_removed():
    text = "Passt.\n\nVon: Grace <grace@example.org>\nGesendet: Dienstag, 1. Dezember 2026 10:00\nAn: Ada\nBetreff: Plan\n"

    assert trim_text(text) == "Passt."


def test_a_bottom_posted_thunderbird_reply_keeps_the_text_below_the_quote():
    text = "On 01/12/2026 10:00, Grace wrote:\n> Shall we?\n> Really?\n\nYes, tomorrow.\n"

    assert trim_text(text) == "Yes, tomorrow."


def test_a_quote_left_at_the_bottom_without_a_header_is_removed():
    assert trim_text("I agree.\n\n> the earlier point\n> continued\n") == "I agree."


def test_gmail_html_quote_block_is_removed():
    html = '<div dir="ltr">Fine by me.</div><br><div class="gmail_quote"><div>On Tue wrote:</div><blockquote>x</blockquote></div>'

    assert trim_html(html) == "Fine by me."


def test_thunderbird_html_cite_prefix_and_quote_are_removed():
    html = '<p>Works now.</p><div class="moz-cite-prefix">On 1/12/26 Grace wrote:<br></div><blockquote type="cite">old</blockquote>'

    assert trim_html(html) == "Works now."


def test_finnish_quote_header_is_removed():
    text = "Kiitos.\n\nti 3.12.2026 klo 10.00 Matti Meikäläinen <matti@example.fi> kirjoitti:\n> Käykö?\n"

    assert trim_text(text) == "Kiitos."


def test_german_gmail_header_with_the_date_after_the_verb_is_removed():
    text = "Gerne.\n\nGrace <grace@example.org> schrieb am Di., 1. Dez. 2026 um 10:00 Uhr:\n> Kommst du?\n"

    assert trim_text(text) == "Gerne."


def test_a_header_of_just_a_date_and_an_address_is_removed():
    text = "Да.\n\nср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:\n\n> привет\n"

    assert trim_text(text) == "Да."


def test_a_dash_dash_signature_is_removed():
    assert trim_text("See you there.\n\n-- \nAda Lovelace\nAnalytical Engines Ltd\n") == "See you there."


def test_a_dash_dash_inside_a_line_is_not_a_signature():
    assert trim_text("This -- unlike that -- stays.\n") == "This -- unlike that -- stays."


@pytest.mark.parametrize("signature", ["Sent from my iPhone", "Lähetetty iPhonesta", "Get Outlook for Android"])
def test_a_mobile_signature_is_removed(signature):
    assert trim_text(f"On my way.\n\n{signature}\n") == "On my way."


def test_an_external_mail_caution_banner_is_removed():
    text = "CAUTION: This email originated from outside of the organization.\n\nThe numbers are in."

    assert trim_text(text) == "The numbers are in."


def test_a_confidentiality_disclaimer_is_removed():
    text = "The numbers are in.\n\nThis email and any attachments are confidential and intended solely for the addressee."

    assert trim_text(text) == "The numbers are in."


def test_a_forward_with_nothing_above_keeps_the_forwarded_message():
    text = "---------- Forwarded message ---------\nFrom: Grace <grace@example.org>\nDate: Tue\nSubject: Plan\nTo: Ada\n\nThe plan.\n"

    assert trim_text(text) == "The plan."


def test_a_message_that_is_only_a_quote_is_left_as_it_is():
    assert trim_text("> Email with only quote.\n") == "> Email with only quote."
