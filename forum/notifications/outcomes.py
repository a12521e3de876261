"""What a moderation outcome says to the member it concerns (the post's author, or a flagger): one sentence per
outcome, for the notification list, the header's menu and the email alike."""

from flask_babel import lazy_gettext as _l

_SENTENCES = {
    "deleted": lambda a, t, r: _l("%(actor)s deleted your post in “%(topic)s”", actor=a, topic=t),
    "restored": lambda a, t, r: _l("%(actor)s restored your post in “%(topic)s”", actor=a, topic=t),
    "hidden": lambda a, t, r: _l("A facilitator hid your post in “%(topic)s”: %(reason)s", topic=t, reason=r),
    "hidden_by_flags": lambda a, t, r: _l(
        "Your post in “%(topic)s” is hidden after flags from members until a facilitator has reviewed it", topic=t),
    "edited": lambda a, t, r: (
        _l("%(actor)s edited your post in “%(topic)s”: %(reason)s", actor=a, topic=t, reason=r) if r
        else _l("%(actor)s edited your post in “%(topic)s”", actor=a, topic=t)),
    "unhidden": lambda a, t, r: _l("A facilitator showed your post in “%(topic)s” again", topic=t),
    "flag_agreed": lambda a, t, r: _l(
        "A facilitator agreed with your flag on a post in “%(topic)s” and acted on it", topic=t),
    "flag_disagreed": lambda a, t, r: _l(
        "A facilitator reviewed your flag on a post in “%(topic)s” and left the post as it was", topic=t),
    "flag_ignored": lambda a, t, r: _l(
        "A facilitator reviewed your flag on a post in “%(topic)s” and closed it", topic=t),
    "approved": lambda a, t, r: _l("A facilitator approved your post in “%(topic)s”", topic=t),
    "rejected": lambda a, t, r: _l("A facilitator did not publish your post “%(topic)s”: %(reason)s",
                                   topic=t, reason=r),
}


def outcome_sentence(data: dict, actor: str, topic: str):
    """The sentence for a moderation notification's data ({"outcome": ..., "reason": ...}), or None for an
    outcome this version does not know (an older or newer row)."""
    sentence = _SENTENCES.get(data.get("outcome"))
    return sentence(actor, topic, data.get("reason") or "") if sentence else None
