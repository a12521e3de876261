"""Why an inbound message was refused before it reached the forum: one exception class per reason.

The receiver maps each class to its own rejection template (as Discourse's ``lib/email/receiver.rb`` raises
one error per reason and ``processor.rb`` picks the template), so a class's name is its reason and its
message is written in plain words for the sender.
"""


class InboundMailError(Exception):
    """A message the forum will not read; ``reason`` names the rejection template."""

    reason = "unreadable"
    default_message = "The message could not be read."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)


class EmptyMessage(InboundMailError):
    reason = "empty"
    default_message = "The message was empty."


class MessageTooLarge(InboundMailError):
    reason = "too_large"
    default_message = "The message is larger than the forum accepts."


class TooManyHeaders(InboundMailError):
    reason = "too_many_headers"
    default_message = "The message has more header lines than the forum accepts."


class TooManyParts(InboundMailError):
    reason = "too_many_parts"
    default_message = "The message is made of more parts (attachments, alternatives) than the forum accepts."


class TooDeeplyNested(InboundMailError):
    reason = "too_deeply_nested"
    default_message = "The message nests parts inside parts more deeply than the forum accepts."


class UnreadableMessage(InboundMailError):
    reason = "unreadable"
    default_message = "The message is not a well-formed email the forum can read."


__all__ = [
    "EmptyMessage",
    "InboundMailError",
    "MessageTooLarge",
    "TooDeeplyNested",
    "TooManyHeaders",
    "TooManyParts",
    "UnreadableMessage",
]
