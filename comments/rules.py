"""The moderation rules in force: the "Diskussion" record, or the environment without one.

Read on every comment post and page render, so it is cheap: one cache lookup per request (kept
for the rest of that request), a database query only after a change or once a minute. Saving
the record drops the cached copy in the shared cache, so every server uses the new rules from
its next request on.
"""

import contextlib
import logging
import threading
from dataclasses import dataclass

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError
from django.test.signals import setting_changed

logger = logging.getLogger(__name__)

CACHE_KEY = "comments:discussion-rules"
#: Seconds a server trusts the cached record; a save invalidates it at once anyway.
CACHE_TIMEOUT = 60
_NO_RECORD = "environment"

#: Per thread (a request runs in one): the rules for the rest of the current request.
_request = threading.local()
#: The environment's rules, built once (settings do not change at run time, except in tests).
_environment = None


@dataclass(frozen=True)
class DiscussionRules:
    moderation_words: tuple[str, ...]
    blocklist_words: tuple[str, ...]
    max_links: int
    auto_approve_known_authors: bool
    flood_seconds: int
    max_depth: int
    ip_retention_days: int
    hold_after_notices: int
    comments_per_page: int


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.splitlines() if word.strip())


def _from_record(record) -> DiscussionRules:
    return DiscussionRules(
        moderation_words=_words(record.moderation_words),
        blocklist_words=_words(record.blocklist_words),
        max_links=record.max_links,
        auto_approve_known_authors=record.auto_approve_known_authors,
        flood_seconds=record.flood_seconds,
        max_depth=record.max_depth,
        ip_retention_days=record.ip_retention_days,
        hold_after_notices=record.hold_after_notices,
        comments_per_page=record.comments_per_page,
    )


def _load() -> DiscussionRules:
    from .models import DiscussionSettings

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
            record = DiscussionSettings.objects.filter(pk=1).first()
        except DatabaseError:
            # Before the migration that adds the record (deploys, migration tests).
            return _environment_rules()
        stored = _from_record(record) if record else _NO_RECORD
        if cache_up:
            with contextlib.suppress(Exception):
                cache.set(CACHE_KEY, stored, CACHE_TIMEOUT)
    if stored == _NO_RECORD:
        return _environment_rules()
    return stored


def _environment_rules() -> DiscussionRules:
    from .models import DiscussionSettings

    global _environment
    if _environment is None:
        _environment = _from_record(DiscussionSettings.from_environment())
    return _environment


def discussion_rules() -> DiscussionRules:
    if getattr(_request, "active", False):
        rules = getattr(_request, "rules", None)
        if rules is None:
            rules = _request.rules = _load()
        return rules
    return _load()


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
