"""Signed links in emails: the moderators' actions, the readers' confirm and unsubscribe links.

A moderation link names the comment, the action and the status the comment had when the email
was written. The confirmation page compares that status with the one the comment has now: if
anybody changed it since, it says who and when and asks once more (admin/desk.py), so that a
week-old "Freigeben" does not silently undo a later "Papierkorb".
"""

import hashlib
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from comments.models import Comment
from comments.text import normalise_email

EMAIL_ACTIONS = {
    "approve": "Freigeben",
    "spam": "Spam",
    "trash": "Papierkorb",
}
EMAIL_ACTION_STATUS = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
}
EMAIL_LINK_SALT = "comments.email-action"
EMAIL_LINK_MAX_AGE = 60 * 60 * 24 * 7

CONFIRM_SALT = "comments.subscription-confirm"
UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)

OWN_PAGE_SALT = "comments.own-page"
OWN_PAGE_MAX_AGE = timedelta(days=7)


class ModerationLink(NamedTuple):
    comment_id: int
    action: str
    #: The comment's status when the link was made.
    made_for: str


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def moderation_link(comment: Comment, action: str) -> str:
    """An admin URL that asks to confirm `action` on `comment`; signed, valid for 7 days."""
    token = signing.TimestampSigner(salt=EMAIL_LINK_SALT).sign_object(
        {"comment": comment.pk, "action": action, "status": comment.status}
    )
    return _absolute(reverse("admin:comments_comment_email_action", args=[token]))


def moderation_links(comment: Comment) -> list[tuple[str, str]]:
    """(label, signed URL) for each action of the moderators' email."""
    return [(label, moderation_link(comment, action)) for action, label in EMAIL_ACTIONS.items()]


def read_moderation_link(token: str) -> ModerationLink | None:
    """What a valid link names; None when expired, tampered with or unknown."""
    try:
        data = signing.TimestampSigner(salt=EMAIL_LINK_SALT).unsign_object(
            token, max_age=EMAIL_LINK_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("action") not in EMAIL_ACTIONS:
        return None
    if not isinstance(data.get("comment"), int):
        return None
    # Links from before the status was signed in: treat the comment as changed since.
    made_for = data.get("status") if data.get("status") in Comment.Status.values else ""
    return ModerationLink(data["comment"], data["action"], made_for)


def confirm_url(subscriptions) -> str:
    token = signing.dumps(
        {"ids": [s.pk for s in subscriptions], "email": normalise_email(subscriptions[0].email)},
        salt=CONFIRM_SALT,
    )
    return _absolute(reverse("comments:confirm", args=[token]))


def read_confirm_token(token: str) -> tuple[list[int], str] | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return [int(pk) for pk in data["ids"]], str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(subscription) -> str:
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return _absolute(reverse("comments:unsubscribe", args=[token]))


def read_unsubscribe_token(token: str) -> int | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def _address_digest(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:24]


def own_page_url(comment: Comment) -> str:
    """The signed address of the "Meine Kommentare" page (comments/own_page.py) for the
    address of `comment`, valid for OWN_PAGE_MAX_AGE: opening it proves the address.

    It names one of the reader's comments and a hash of the address, never the address itself,
    which would otherwise stand readable in access logs and browser histories."""
    token = signing.TimestampSigner(salt=OWN_PAGE_SALT).sign_object(
        {"c": comment.pk, "h": _address_digest(comment.author_email)}
    )
    return _absolute(reverse("comments:mine_link", args=[token]))


def read_own_page_token(token: str) -> str | None:
    """The normalised address a link proves; None when it is expired, forged or broken, or
    when its comment no longer carries that address (erased)."""
    try:
        data = signing.TimestampSigner(salt=OWN_PAGE_SALT).unsign_object(
            token, max_age=OWN_PAGE_MAX_AGE
        )
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    email = (
        Comment.objects.filter(pk=data["c"])
        .values_list("author_email_normalised", flat=True)
        .first()
    )
    if not email or not constant_time_compare(_address_digest(email), str(data.get("h"))):
        return None
    return email


OBJECTION_SALT = "comments.objection"
#: DSA Art. 20(1): objections for at least six months after the decision.
OBJECTION_MAX_AGE = timedelta(days=200)


def objection_url(statement) -> str:
    """The author's signed link to object to a statement of reasons."""
    token = signing.dumps(statement.pk, salt=OBJECTION_SALT)
    return _absolute(reverse("comments:objection", args=[token]))


def read_objection_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=OBJECTION_SALT, max_age=OBJECTION_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
