"""How long moderation usually takes now: what the author of a waiting comment is told.

The median time from posting to the first decision (the moderation log's first "Status:
Ausstehend → …" entry of a comment) over the last 14 days, for comments posted at this hour of
the week, give or take an hour (Tuesday 14:xx counts comments posted on Tuesdays between 13:00
and 15:59, local time). Comments decided by the rules when they were posted never waited and are
not counted. Below MIN_DECISIONS decisions the answer is None: the page then says nothing rather
than a guess.

It is worked out once per hour of the week and kept in the shared cache for an hour, so a page
that shows a waiting comment costs one cache lookup.
"""

import logging
from datetime import timedelta
from statistics import median

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.cache import caches
from django.utils import timezone

from comments import audit
from comments.models import Comment

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=14)
#: Hours either side of the current hour of the week.
HOURS_AROUND = 1
MIN_DECISIONS = 5
CACHE_SECONDS = 60 * 60
#: An entry for "no data" in the cache (None would look like a miss).
_NOTHING = -1


def hour_of_week(moment) -> int:
    local = timezone.localtime(moment)
    return local.weekday() * 24 + local.hour


def _near(hour: int, other: int) -> bool:
    distance = abs(hour - other) % (7 * 24)
    return min(distance, 7 * 24 - distance) <= HOURS_AROUND


def first_decisions(since) -> dict[int, object]:
    """{comment id: time of its first decision} for comments that waited, decided since `since`."""
    pending = audit.status_label(Comment.Status.PENDING)
    entries = (
        LogEntry.objects.filter(
            content_type_id=audit.comment_type_id(),
            action_time__gte=since,
            change_message__startswith=f"{audit.STATUS_PREFIX}{pending} →",
        )
        .order_by("action_time")
        .values_list("object_id", "action_time")
    )
    decided = {}
    for object_id, action_time in entries:
        if object_id.isdigit():
            decided.setdefault(int(object_id), action_time)
    return decided


def compute_usual_wait(now=None) -> timedelta | None:
    """The median wait at this hour of the week (see the module's docstring), or None."""
    now = now or timezone.now()
    since = now - WINDOW
    decided = first_decisions(since)
    hour = hour_of_week(now)
    waits = [
        decided[pk] - created_at
        for pk, created_at in Comment.objects.filter(
            pk__in=list(decided), created_at__gte=since
        ).values_list("pk", "created_at")
        if _near(hour_of_week(created_at), hour) and decided[pk] >= created_at
    ]
    if len(waits) < MIN_DECISIONS:
        return None
    return median(waits)


def usual_wait(now=None) -> timedelta | None:
    """`compute_usual_wait`, at most once per hour of the week (shared cache)."""
    now = now or timezone.now()
    key = f"comments:usual-wait:{hour_of_week(now)}:{timezone.localtime(now):%Y%m%d%H}"
    store = caches[settings.COMMENTS_FLOOD_CACHE]
    try:
        seconds = store.get(key)
        if seconds is None:
            wait = compute_usual_wait(now)
            seconds = _NOTHING if wait is None else wait.total_seconds()
            store.set(key, seconds, timeout=CACHE_SECONDS)
    except Exception as error:  # a cache that is down: say nothing rather than fail the page
        logger.warning("Usual moderation time unavailable: %s", error)
        return None
    return None if seconds == _NOTHING else timedelta(seconds=seconds)


def describe_wait(wait: timedelta | None) -> str:
    """ "Meist innerhalb von 40 Minuten", rounded up to a number a person would say."""
    if wait is None:
        return ""
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    if minutes == 1:
        amount = "einer Minute"
    elif minutes < 10:
        amount = f"{minutes} Minuten"
    elif minutes < 60:
        amount = f"{-(-minutes // 5) * 5} Minuten"
    elif minutes <= 48 * 60:
        hours = -(-minutes // 60)
        amount = "einer Stunde" if hours == 1 else f"{hours} Stunden"
    else:
        amount = f"{-(-minutes // (24 * 60))} Tagen"
    return f"Meist innerhalb von {amount}."
