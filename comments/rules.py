"""The moderation rules in force: the "Diskussion" record, or the environment without one.

Read on every comment post and page render, so it is cheap: one cache lookup per request (kept
for the rest of that request), a database query only after a change or once a minute. Saving
the record drops the cached copy in the shared cache (comments/receivers.py), so every server
uses the new rules from its next request on. Every rule is read here: the moderation rules,
the depth of replies, every flood interval (comments, confirmation emails, readers' reports),
the order and folding of the discussion, and when a discussion closes (`accepts_comments`).
"""

import contextlib
import logging
import threading
from datetime import timedelta

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError
from django.test.signals import setting_changed
from django.utils import timezone

logger = logging.getLogger(__name__)

CACHE_KEY = "comments:discussion-rules:3"
#: Seconds a server trusts the cached record; a save invalidates it at once anyway.
CACHE_TIMEOUT = 60
_NO_RECORD = "environment"

#: Per thread (a request runs in one): the rules for the rest of the current request.
_request = threading.local()
#: The environment's rules, built once (settings do not change at run time, except in tests).
_environment = None


class DiscussionRules:
    """The rules in force, one attribute per rule field of DiscussionSettings (word lists as
    tuples of words). Built from the model's fields, so a new setting needs no list here."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __eq__(self, other):
        return isinstance(other, DiscussionRules) and self.__dict__ == other.__dict__

    def __repr__(self):
        return f"DiscussionRules({self.__dict__!r})"


def _settings_model():
    # Looked up by name: the models read the rules (the reply depth), so importing them here
    # would make a circle.
    return apps.get_model("comments", "DiscussionSettings")


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.splitlines() if word.strip())


def rules_from(record) -> DiscussionRules:
    """The rules a DiscussionSettings record (stored or from the environment) states."""
    values = {}
    for field in record.rule_fields():
        value = getattr(record, field.name)
        values[field.name] = _words(value) if field.get_internal_type() == "TextField" else value
    return DiscussionRules(**values)


def _load() -> DiscussionRules:
    try:
        stored = cache.get(CACHE_KEY)
    except Exception as error:
        # A cache outage must not take the pages down: read the record from the database.
        logger.warning("Cache unavailable, discussion rules read from the database: %s", error)
        stored, cache_up = None, False
    else:
        cache_up = True
    if stored is None:
        try:
            record = _settings_model().objects.filter(pk=1).first()
        except DatabaseError:
            # Before the migration that adds the record (deploys, migration tests).
            return _environment_rules()
        stored = rules_from(record) if record else _NO_RECORD
        if cache_up:
            with contextlib.suppress(Exception):
                cache.set(CACHE_KEY, stored, CACHE_TIMEOUT)
    if stored == _NO_RECORD:
        return _environment_rules()
    return stored


def _environment_rules() -> DiscussionRules:
    global _environment
    if _environment is None:
        _environment = rules_from(_settings_model().from_environment())
    return _environment


def discussion_rules() -> DiscussionRules:
    if getattr(_request, "active", False):
        rules = getattr(_request, "rules", None)
        if rules is None:
            rules = _request.rules = _load()
        return rules
    return _load()


def closes_on(start_date):
    """The day a discussion that started on `start_date` closes by the rule
    `close_after_days`, or None when discussions never close by age."""
    days = discussion_rules().close_after_days
    return start_date + timedelta(days=days) if days and start_date else None


def closed_by_age(start_date) -> bool:
    closing = closes_on(start_date)
    return closing is not None and timezone.localdate() >= closing


def accepts_comments(report) -> bool:
    """The one answer to "may readers comment here?": the report is open for comments and
    its discussion has not closed by age (WordPress's "close comments after N days")."""
    return report.comments_open and not closed_by_age(report.start_date)


def page_version_part(start_date) -> str:
    """The report's shared pages change when its discussion closes by age (reports.models
    PAGE_VERSION_PARTS): the form goes from the cached page at that moment."""
    return "closed" if closed_by_age(start_date) else "open"


def forget_discussion_rules() -> None:
    """After a save. With the cache down, other servers catch up within CACHE_TIMEOUT."""
    _request.rules = None
    try:
        cache.delete(CACHE_KEY)
    except Exception as error:
        logger.warning("Cache unavailable, discussion rules not invalidated: %s", error)


def _start(**kwargs):
    _request.active, _request.rules = True, None


def _finish(**kwargs):
    _request.active, _request.rules = False, None


def _settings_changed(setting, **kwargs):
    global _environment
    if setting.startswith("COMMENTS_"):
        _environment = None


request_started.connect(_start, dispatch_uid="comments.rules.start")
setting_changed.connect(_settings_changed, dispatch_uid="comments.rules.settings")
request_finished.connect(_finish, dispatch_uid="comments.rules.finish")
