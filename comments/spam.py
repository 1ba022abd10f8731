"""The status a new comment gets, in WordPress's order of precedence:

1. spam: a word from the blocklist, a filled honeypot, or a form sent back sooner than
   COMMENTS_MIN_SECONDS after it was served (or with a forged timestamp); a sender on the ban
   list ("Absender sperren") goes to spam as well;
2. pending: "Linkgrenze" links or more, a moderation word, or a form sent without a timestamp
   (no JavaScript), whose timing cannot be judged;
3. approved: the same name and email already have an approved comment ("Bekannte Autoren
   automatisch freigeben") and the sender proved it is them (`author_proven`: their browser
   sent that comment, or the address is confirmed by double opt-in; comments/posting.py);
4. pending otherwise.

The word lists, limits and switches are the administrator's "Diskussion" rules
(comments/rules.py); the environment variables are their defaults.
"""

from dataclasses import dataclass

from aireport.sanitizer import count_comment_links
from comments.models import BannedSender, Comment
from comments.rules import discussion_rules


@dataclass(frozen=True)
class SpamSignals:
    """What the security layer of the form noticed. A filled honeypot or a form sent back too
    fast makes the comment spam; a form that could not be timed (sent without JavaScript, so
    without a timestamp) is held for moderation."""

    honeypot_filled: bool = False
    too_fast: bool = False
    timing_unknown: bool = False

    def __bool__(self):
        return self.honeypot_filled or self.too_fast


#: A form that showed nothing suspicious.
NO_SIGNALS = SpamSignals()


def _contains_word(words, *fields: str) -> bool:
    haystack = "\n".join(fields).casefold()
    return any(word.strip() and word.strip().casefold() in haystack for word in words)


def initial_status(
    comment: Comment, signals: SpamSignals = SpamSignals(), *, author_proven: bool = False
) -> str:
    rules = discussion_rules()
    fields = (comment.author_name, comment.author_email, comment.author_url, comment.text)
    if signals or _contains_word(rules.blocklist_words, *fields):
        return Comment.Status.SPAM
    if BannedSender.is_banned(email=comment.author_email, ip_address=comment.ip_address):
        return Comment.Status.SPAM
    if (
        signals.timing_unknown
        or count_comment_links(comment.text) >= rules.max_links
        or _contains_word(rules.moderation_words, *fields)
    ):
        return Comment.Status.PENDING
    if (
        rules.auto_approve_known_authors
        and author_proven
        and Comment.objects.has_approved_from(
            author_name=comment.author_name, author_email=comment.author_email
        )
    ):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING
