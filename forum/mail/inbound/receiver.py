"""The receiver: one stored message in, one outcome out, recorded on its InboundEmail row.

In this order, as Discourse's lib/email/receiver.rb: parse with limits (a typed refusal is a rejection);
a Message-ID already processed is dropped (never posted twice); a delivery report is a bounce, counted against
the member; an auto-reply is dropped without an answer; then the destination decides. A reply+<key> address
posts as the key's member into the key's topic, as a reply to the key's post; a category address starts a topic
there; anything else is refused. Each rule that refuses is its own exception (rejections.py) and its own
answer to the sender. Posts go through the same board services, and gate, as the web form; attachments
through the same upload service as the composer.

`process` is the job "mail.inbound" (jobs.py): it takes an id, and only a message still RECEIVED, locked
while it works, so a job run twice never posts twice. A crash is recorded as FAILED with the error, not
raised (the queue would retry it for ever); an admin can process it again.
"""

import logging
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from forum.auth.models import User
from forum.board import gate
from forum.board import services as board
from forum.board.models import Category, Post, Topic
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.inbound import rejections
from forum.mail.inbound.attachments import attach
from forum.mail.inbound.classify import BounceReport, bounce_report, is_auto_reply
from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.models import CategoryAddress, InboundEmail, InboundStatus
from forum.mail.inbound.parse import ParsedMail, parse_message
from forum.mail.inbound.rejections import (
    BadTitle,
    EmptyReply,
    ExpiredKey,
    MemberSilenced,
    MemberSuspended,
    NotAllowedHere,
    PostRefused,
    PostTooLong,
    ReplyTooShort,
    SenderNotAuthenticated,
    TopicClosed,
    TopicDeleted,
    UnknownAddress,
    UnknownKey,
    UnknownSender,
    WrongSender,
)
from forum.mail.inbound.reply_keys import find_key, inbound_domain, is_expired, key_in
from forum.mail.inbound.trim import trim_reply
from forum.mail.preferences import editable_preferences, record_delivery_failure
from forum.policy import Policy, topic_is_live

log = logging.getLogger(__name__)

HARD_BOUNCE_LIMIT = 3  # hard bounces after which the member's address is marked failed
MAX_ATTEMPTS = 3  # runs of one message that never finished (its worker died) before the sweep gives up
_PROCESSED = (
    InboundStatus.POSTED, InboundStatus.HELD, InboundStatus.REJECTED, InboundStatus.DROPPED, InboundStatus.BOUNCE,
)


@dataclass
class Outcome:
    status: InboundStatus
    reason: str | None = None
    detail: str | None = None
    user_id: int | None = None
    post_id: int | None = None


def process(inbound_id: int) -> str | None:
    """Process one received message (the job "mail.inbound"); its status, or None if it was not waiting."""
    message = _claim(inbound_id)
    if message is None:
        return None
    # The attempt is committed first: a message that kills its worker shows how often it did, and the sweep
    # gives up on it after MAX_ATTEMPTS instead of feeding it to every worker for ever.
    message.attempts = (message.attempts or 0) + 1
    db.session.commit()
    message = _claim(inbound_id)
    if message is None:
        return None
    try:
        outcome = receive(message)
    except Exception as exc:  # any crash: kept for an admin, never retried for ever by the queue
        log.exception("inbound mail: processing message %s failed", inbound_id)
        db.session.rollback()
        message = _claim(inbound_id)
        if message is None:
            return None
        outcome = Outcome(InboundStatus.FAILED, "crash", f"{type(exc).__name__}: {exc}"[:4000])
    _record(message, outcome)
    return str(outcome.status)


def received_by_mail(posts) -> frozenset[int]:
    """Which of these posts (a page's) came by mail, in one query: their "view the email as received" links."""
    ids = [getattr(item, "post", item).id for item in posts]
    if not ids:
        return frozenset()
    return frozenset(db.session.execute(
        select(InboundEmail.post_id).where(InboundEmail.post_id.in_(ids), InboundEmail.status == InboundStatus.POSTED)
    ).scalars())


def _claim(inbound_id: int) -> InboundEmail | None:
    """The row, locked until the job's transaction ends (PostgreSQL), if it still waits to be processed."""
    message = db.session.execute(
        select(InboundEmail).where(InboundEmail.id == inbound_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if message is None or message.status != InboundStatus.RECEIVED:
        return None
    return message


def _record(message: InboundEmail, outcome: Outcome) -> None:
    message.status = outcome.status
    message.reason = outcome.reason
    message.detail = outcome.detail
    message.user_id = outcome.user_id
    message.post_id = outcome.post_id
    message.processed_at = utcnow()
    db.session.flush()


def receive(message: InboundEmail) -> Outcome:
    """Decide what becomes of one stored message (writing the post, or queueing the answer, in this transaction)."""
    try:
        parsed = parse_message(message.raw)
    except InboundMailError as error:
        return _rejected(message, None, error)
    message.from_address = (parsed.from_address or "")[:254] or None
    message.subject = parsed.subject[:255] or None
    message.message_id = (parsed.message_id or "")[:255] or None
    if _is_duplicate(message):
        return Outcome(InboundStatus.DROPPED, "duplicate", "A message with this Message-ID was processed before.")
    report = bounce_report(parsed)
    if report is not None:
        return _bounce(message, parsed, report)
    if is_auto_reply(parsed):
        return Outcome(InboundStatus.DROPPED, "auto_reply")
    try:
        return _deliver(message, parsed)
    except InboundMailError as error:
        return _rejected(message, parsed, error)


def _is_duplicate(message: InboundEmail) -> bool:
    if not message.message_id:
        return False
    return db.session.execute(
        select(InboundEmail.id).where(
            InboundEmail.message_id == message.message_id, InboundEmail.id != message.id,
            InboundEmail.status.in_(_PROCESSED),
        ).limit(1)
    ).first() is not None


def _rejected(message: InboundEmail, parsed: ParsedMail | None, error: InboundMailError) -> Outcome:
    written = "" if parsed is None else (trim_reply(parsed.plain, parsed.html) or parsed.text)
    not_answered = rejections.send_rejection(message.raw, parsed, error, written)
    detail = str(error) if not_answered is None else f"{error} (no answer sent: {not_answered})"
    member = getattr(error, "member", None)
    return Outcome(InboundStatus.REJECTED, error.reason, detail, user_id=member.id if member else None)


# --- bounces ------------------------------------------------------------------------------------------------

def _bounce(message: InboundEmail, parsed: ParsedMail, report: BounceReport) -> Outcome:
    """Count a hard bounce against the member it was for; past HARD_BOUNCE_LIMIT their address is failed."""
    detail = " ".join(filter(None, (report.status, report.recipient, report.diagnostic)))[:2000] or None
    member = _bounced_member(message, parsed, report)
    if member is None:
        return Outcome(InboundStatus.BOUNCE, "unknown_recipient", detail)
    if not report.hard:
        return Outcome(InboundStatus.BOUNCE, "soft", detail, user_id=member.id)
    preferences = editable_preferences(member.id)
    preferences.bounces = (preferences.bounces or 0) + 1
    if preferences.bounces >= HARD_BOUNCE_LIMIT and preferences.failed_at is None:
        record_delivery_failure(
            member.id, f"{preferences.bounces} hard bounces; the last: {detail or report.action or 'failed'}"
        )
    db.session.flush()
    return Outcome(InboundStatus.BOUNCE, "hard", detail, user_id=member.id)


def _bounced_member(message: InboundEmail, parsed: ParsedMail, report: BounceReport) -> User | None:
    """The member by the reply key the report came back to or quotes (our Reply-To), else by the failed
    recipient. A key's member counts only if the report names no other address: a forged report cannot
    count against a member whose address it does not name."""
    domain = re.escape(inbound_domain())
    found = re.search(rf"reply\+[0-9a-f]{{32,64}}@{domain}", message.raw.decode("latin-1"), re.IGNORECASE)
    reply_key = find_key(found.group(0)) if found else None
    if reply_key is not None:
        member = db.session.get(User, reply_key.user_id)
        if member is not None and report.recipient in (None, member.email_key):
            return member
    if report.recipient:
        return db.session.execute(select(User).where(User.email_key == report.recipient.lower())).scalar_one_or_none()
    return None


# --- replies and new topics ---------------------------------------------------------------------------------

def _destinations(message: InboundEmail, parsed: ParsedMail) -> list[str]:
    """Where the message was sent: the envelope's recipients when the way in knew them, else its headers."""
    if message.envelope_to:
        return [line.strip().lower() for line in message.envelope_to.splitlines() if line.strip()]
    return [*parsed.to, *parsed.cc, *parsed.delivered_to]


def _deliver(message: InboundEmail, parsed: ParsedMail) -> Outcome:
    destinations = _destinations(message, parsed)
    reply_address = next((address for address in destinations if key_in(address)), None)
    if reply_address is not None:
        return _reply(parsed, reply_address)
    category = _category_at(destinations)
    if category is not None:
        return _new_topic(parsed, category)
    raise UnknownAddress()


def _category_at(destinations: list[str]) -> Category | None:
    domain = inbound_domain()
    local_parts = [a.rpartition("@")[0] for a in destinations if a.rpartition("@")[2] == domain]
    if not local_parts:
        return None
    return db.session.execute(
        select(Category).join(CategoryAddress, CategoryAddress.category_id == Category.id)
        .where(CategoryAddress.local_part.in_(local_parts)).limit(1)
    ).scalar_one_or_none()


def _check_sender(parsed: ParsedMail, member: User) -> None:
    """The From address must be the member's own, alone, and (when the admin asks) vouched for by our MTA."""
    if len(parsed.from_addresses) != 1 or parsed.from_address != member.email_key:
        raise WrongSender()
    if _from_domain_fails(parsed):
        raise SenderNotAuthenticated()
    if not member.is_active:
        raise MemberSuspended(member=member)
    if member.is_silenced:
        raise MemberSilenced(member=member)


def _from_domain_fails(parsed: ParsedMail) -> bool:
    config = current_app.config
    if not config.get("FORUM_INBOUND_REQUIRE_AUTH"):
        return False
    try:
        from forum.mail.inbound.authresults import from_domain_fails
    except ImportError:  # built separately; without it the setting cannot be honoured
        log.warning("inbound mail: FORUM_INBOUND_REQUIRE_AUTH is set but authresults is not installed")
        return False
    return from_domain_fails(parsed, config.get("FORUM_INBOUND_AUTHSERV_ID"))


def _reply(parsed: ParsedMail, address: str) -> Outcome:
    """A reply to a notification: bound to its key alone (never to In-Reply-To or References)."""
    reply_key = find_key(address)
    member = db.session.get(User, reply_key.user_id) if reply_key is not None else None
    if member is None:
        raise UnknownKey()
    if is_expired(reply_key):
        raise ExpiredKey()
    _check_sender(parsed, member)
    post = db.session.get(Post, reply_key.post_id)
    topic = db.session.get(Topic, post.topic_id)
    if not topic_is_live(topic):
        raise TopicDeleted(member=member)
    if topic.is_locked and not member.is_staff:
        raise TopicClosed(member=member)
    if not Policy(member).can("reply", topic):
        raise NotAllowedHere(member=member)
    raw, refused = _compose(parsed, member)
    # The key's post may have been deleted since: the reply still belongs in the topic.
    target = post.post_number if post.deleted_at is None else None
    written = _posted(member, lambda: board.create_post(member, topic, raw, reply_to_post_number=target))
    reply_key.used_at = utcnow()
    return _taken(parsed, member, written, refused, topic.title)


def _new_topic(parsed: ParsedMail, category: Category) -> Outcome:
    """Mail to a category's address from a member who may start topics there: the subject is the title."""
    member = db.session.execute(
        select(User).where(User.email_key == (parsed.from_address or ""))
    ).scalar_one_or_none()
    if member is None:
        raise UnknownSender()
    _check_sender(parsed, member)
    if not Policy(member).can("create_topic", category):
        raise NotAllowedHere(member=member)
    try:
        title = board.check_title(parsed.subject)
    except DomainError as error:
        raise BadTitle(str(error.message), member=member) from None
    raw, refused = _compose(parsed, member)
    written = _posted(member, lambda: board.create_topic(member, category, title, raw))
    return _taken(parsed, member, written, refused, title)


def _compose(parsed: ParsedMail, member: User) -> tuple[str, list]:
    """The post's Markdown (the member's words, with their attachments as uploads) and what was refused."""
    text = trim_reply(parsed.plain, parsed.html).strip()
    if not text and not parsed.attachments:
        raise EmptyReply(member=member)
    if text and len(text) < rejections.MIN_REPLY_CHARS and not parsed.attachments:
        raise ReplyTooShort(member=member)
    _check_length(text, member)
    raw, refused = attach(text, parsed, member)
    if not raw.strip():
        raise EmptyReply(member=member)
    _check_length(raw, member)
    return raw, refused


def _check_length(raw: str, member: User) -> None:
    try:
        board.check_raw(raw)
    except DomainError as error:
        raise PostTooLong(str(error.message), member=member) from None


def _posted(member: User, write):
    """Call the board's write path; its refusals become the sender's answer."""
    try:
        return write()
    except NotAllowed as error:
        raise NotAllowedHere(str(error.message), member=member) from None
    except DomainError as error:
        raise PostRefused(str(error.message), member=member) from None


def _taken(parsed: ParsedMail, member: User, written, refused: list, title: str) -> Outcome:
    """POSTED (or HELD, and the member told so), with a note to the member listing refused attachments."""
    if refused:
        rejections.send_note(parsed, member, "attachments_refused", refused=refused, title=title)
    if isinstance(written, gate.Held):
        rejections.send_note(parsed, member, "held", held_message=written.message, title=title)
        return Outcome(InboundStatus.HELD, written.rule, str(written.message), user_id=member.id)
    if isinstance(written, Topic):
        post_id = db.session.execute(
            select(Post.id).where(Post.topic_id == written.id, Post.post_number == 1)
        ).scalar_one()
    else:
        post_id = written.id
    detail = "; ".join(f"{item.filename}: {item.reason}" for item in refused) or None
    return Outcome(InboundStatus.POSTED, None, detail, user_id=member.id, post_id=post_id)
