"""The comments app's data, one module per subject; imported from here."""

from comments.models.comment import (
    ANONYMOUS_AUTHOR,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_URL_LENGTH,
    MAX_USER_AGENT_LENGTH,
    SECTION_FIELDS,
    Comment,
)
from comments.models.discussion import DiscussionSettings, ModerationLogEntry
from comments.models.notice import BannedSender, Notice, NoticeDecision, NoticeReason
from comments.models.queries import CommentQuerySet, CommentStatus, mark_pages_changed
from comments.models.statement import Objection, ObjectionDecision, StatementOfReasons
from comments.models.subscription import Subscription, SubscriptionQuerySet

__all__ = [
    "ANONYMOUS_AUTHOR",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_URL_LENGTH",
    "MAX_USER_AGENT_LENGTH",
    "SECTION_FIELDS",
    "BannedSender",
    "Comment",
    "CommentQuerySet",
    "CommentStatus",
    "DiscussionSettings",
    "ModerationLogEntry",
    "Notice",
    "Objection",
    "ObjectionDecision",
    "StatementOfReasons",
    "NoticeDecision",
    "NoticeReason",
    "Subscription",
    "SubscriptionQuerySet",
    "mark_pages_changed",
]
